"""The stock ledger (append-only events and lines) and the balances kept beside it."""
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.catalog.models import Item, Lot, Site
from inventory.database import utcnow
from inventory.extensions import db
from inventory.types import UTCDateTime

EVENT_KINDS = (
    "receipt", "distribution", "transfer_out", "transfer_in", "adjustment", "count",
    "disposal", "reversal",
)
# Only a distribution may take a balance below zero; everything else is refused.
MAY_GO_NEGATIVE = frozenset({"distribution"})


class StockReason(db.Model):
    """Why stock was adjusted or disposed of. Seeded; ``requires_note`` reasons need a note."""

    __tablename__ = "stock_reason"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    label: Mapped[str] = mapped_column(String(80))
    requires_note: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)


class StockEvent(db.Model):
    """Header of one ledger change. Never updated or deleted; corrected by a reversal."""

    __tablename__ = "stock_event"
    __table_args__ = (Index("ix_stock_event_site_occurred", "site_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    # sha256 of the normalised request, to tell a replay from a conflicting reuse of client_id.
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("stock_event.id"), unique=True)
    counterpart_site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    document_ref: Mapped[str | None] = mapped_column(String(80))
    reason_code: Mapped[str | None] = mapped_column(ForeignKey("stock_reason.code"))
    note: Mapped[str | None] = mapped_column(String(500))
    # A distribution that took the unknown lot below zero: the system thought the shelf was empty.
    discrepancy: Mapped[bool] = mapped_column(default=False)

    site: Mapped[Site] = relationship(foreign_keys=[site_id])
    lines: Mapped[list["StockEventLine"]] = relationship(
        back_populates="event", order_by="StockEventLine.id"
    )


class StockEventLine(db.Model):
    __tablename__ = "stock_event_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("stock_event.id"), index=True)
    # Not indexed: lines are reached through their event, never by item alone.
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lot.id"))
    quantity: Mapped[int]

    event: Mapped[StockEvent] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship()
    lot: Mapped[Lot | None] = relationship()


class StockBalance(db.Model):
    """On hand per (site, item, lot); ``lot_key`` is the lot id, or 0 for the unknown lot.

    Updated in the same transaction as the ledger lines, under a row lock; it must always
    equal the sum of the lines (``flask check-ledger``).
    """

    __tablename__ = "stock_balance"
    __table_args__ = (
        UniqueConstraint("site_id", "item_id", "lot_key"),
        CheckConstraint("lot_key = coalesce(lot_id, 0)", name="lot_key_matches"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lot.id"))
    lot_key: Mapped[int] = mapped_column(default=0)
    on_hand: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    site: Mapped[Site] = relationship()
    item: Mapped[Item] = relationship()
    lot: Mapped[Lot | None] = relationship()
