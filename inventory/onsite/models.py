"""On-site services a program offers at a visit (admin-editable), and used-sharps disposal."""
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.catalog.models import Site
from inventory.database import utcnow
from inventory.extensions import db
from inventory.labels import N_
from inventory.types import UTCDateTime

# Seeded on first run and by the migration; admins rename, hide or add to them.
DEFAULT_SERVICES = (
    ("hiv_test", N_("HIV test")), ("hcv_test", N_("HCV test")),
    ("sti_screening", N_("STI screening")), ("vaccination", N_("Vaccination")),
    ("wound_care", N_("Wound care")), ("naloxone_training", N_("Naloxone training")),
)


class OnsiteService(db.Model):
    __tablename__ = "onsite_service"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored on encounters as it is: a code never changes once created.
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    display_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


class SharpsDisposal(db.Model):
    """Used sharps sent for destruction from a site: containers, a weight, or both."""

    __tablename__ = "sharps_disposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    disposed_on: Mapped[date]
    containers: Mapped[int] = mapped_column(default=0)
    weight_lb: Mapped[Decimal | None] = mapped_column(Numeric(9, 2))
    reference: Mapped[str | None] = mapped_column(String(80))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    site: Mapped[Site] = relationship()
