"""Anonymous handout visits."""
import uuid
from datetime import datetime

from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.catalog.models import Item, Site
from inventory.database import utcnow
from inventory.extensions import db
from inventory.stock.models import StockEvent
from inventory.types import UTCDateTime

ENCOUNTER_TYPES = ("site", "outreach", "mobile", "delivery", "peer")
REFERRAL_TYPES = (
    "treatment_moud", "medical", "wound_care", "hiv_hcv_testing", "prep_pep", "housing",
    "mental_health", "other",
)


class Encounter(db.Model):
    __tablename__ = "encounter"
    __table_args__ = (Index("ix_encounter_site_occurred", "site_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    participant_id: Mapped[int | None] = mapped_column(ForeignKey("participant.id"), index=True)
    encounter_type: Mapped[str] = mapped_column(String(20))
    syringes_returned: Mapped[int] = mapped_column(default=0)
    returns_estimated: Mapped[bool] = mapped_column(default=False)
    secondary_people: Mapped[int] = mapped_column(default=0)
    naloxone_used: Mapped[int] = mapped_column(default=0)
    reversals_reported: Mapped[int] = mapped_column(default=0)
    # Issue 15: linkage, secondary exchange units, reversals by supply source, returns by weight.
    entered_treatment_reported: Mapped[int] = mapped_column(default=0, server_default="0")
    secondary_syringes: Mapped[int] = mapped_column(default=0, server_default="0")
    reversals_with_program_naloxone: Mapped[int] = mapped_column(default=0, server_default="0")
    returns_weight_lb: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    stock_event_id: Mapped[int | None] = mapped_column(ForeignKey("stock_event.id"))
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    void_reason: Mapped[str | None] = mapped_column(String(200))
    void_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    void_event_id: Mapped[int | None] = mapped_column(ForeignKey("stock_event.id"))

    site: Mapped[Site] = relationship()
    stock_event: Mapped[StockEvent | None] = relationship(foreign_keys=[stock_event_id])
    items: Mapped[list["EncounterItem"]] = relationship(
        back_populates="encounter", order_by="EncounterItem.item_id", cascade="all"
    )
    referrals: Mapped[list["EncounterReferral"]] = relationship(
        order_by="EncounterReferral.referral_type", cascade="all"
    )
    services: Mapped[list["EncounterService"]] = relationship(
        order_by="EncounterService.service_code", cascade="all"
    )

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None


class EncounterItem(db.Model):
    __tablename__ = "encounter_item"

    encounter_id: Mapped[int] = mapped_column(
        ForeignKey("encounter.id", ondelete="CASCADE"), primary_key=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), primary_key=True)
    quantity: Mapped[int]

    encounter: Mapped[Encounter] = relationship(back_populates="items")
    item: Mapped[Item] = relationship(lazy="joined")


class EncounterReferral(db.Model):
    __tablename__ = "encounter_referral"

    encounter_id: Mapped[int] = mapped_column(
        ForeignKey("encounter.id", ondelete="CASCADE"), primary_key=True
    )
    referral_type: Mapped[str] = mapped_column(String(32), primary_key=True)


class EncounterService(db.Model):
    """An on-site service delivered at the visit (a code of :class:`OnsiteService`)."""

    __tablename__ = "encounter_service"

    encounter_id: Mapped[int] = mapped_column(
        ForeignKey("encounter.id", ondelete="CASCADE"), primary_key=True
    )
    service_code: Mapped[str] = mapped_column(String(32), primary_key=True)
