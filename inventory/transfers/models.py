"""Transfers between sites: shipped at once, received in one or several receipts, closed with a
shortfall or cancelled. The stock itself moves only in the ledger; these rows say what is in
transit (shipped − received − written off)."""
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.catalog.models import Item, Lot, Site
from inventory.database import utcnow
from inventory.extensions import db
from inventory.types import UTCDateTime

TRANSFER_STATUSES = ("in_transit", "received", "closed", "cancelled")


class Transfer(db.Model):
    """One shipment from a site to another. Its ``client_id`` is also its ship event's
    (``transfer_out`` at the source), as an encounter shares its stock event's."""

    __tablename__ = "transfer"
    __table_args__ = (
        CheckConstraint("from_site_id <> to_site_id", name="transfer_two_sites"),
        Index("ix_transfer_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    from_site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    to_site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="in_transit")
    shipped_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    document_ref: Mapped[str | None] = mapped_column(String(80))
    ship_event_id: Mapped[int] = mapped_column(ForeignKey("stock_event.id"))
    # Set when the transfer was closed with a shortfall or cancelled.
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shortfall_reason: Mapped[str | None] = mapped_column(String(200))

    from_site: Mapped[Site] = relationship(foreign_keys=[from_site_id])
    to_site: Mapped[Site] = relationship(foreign_keys=[to_site_id])
    lines: Mapped[list["TransferLine"]] = relationship(
        back_populates="transfer", order_by="TransferLine.id")
    receipts: Mapped[list["TransferReceipt"]] = relationship(
        back_populates="transfer", order_by="TransferReceipt.id")


class TransferLine(db.Model):
    """One (item, lot) shipped; ``lot_id`` None is the unknown lot."""

    __tablename__ = "transfer_line"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="transfer_line_positive"),
        CheckConstraint("received >= 0 AND written_off >= 0 AND received + written_off <= quantity",
                        name="transfer_line_within_shipped"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfer.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lot.id"))
    quantity: Mapped[int]
    received: Mapped[int] = mapped_column(default=0)
    written_off: Mapped[int] = mapped_column(default=0)

    transfer: Mapped[Transfer] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship()
    lot: Mapped[Lot | None] = relationship()

    @property
    def in_transit(self) -> int:
        if self.transfer.status == "cancelled":
            return 0
        return self.quantity - self.received - self.written_off


class TransferReceipt(db.Model):
    """One receipt at the destination (a ``transfer_in`` event sharing its ``client_id``);
    a closing receipt also points at the shortfall adjustment it wrote."""

    __tablename__ = "transfer_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfer.id"), index=True)
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("stock_event.id"))
    shortfall_event_id: Mapped[int | None] = mapped_column(ForeignKey("stock_event.id"))
    closed: Mapped[bool] = mapped_column(default=False)

    transfer: Mapped[Transfer] = relationship(back_populates="receipts")
