"""Physical counts: a snapshot of a site's balances at the start, the quantities counted lot by
lot, and at submission one ``count`` ledger event holding a line per variance."""
import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.catalog.models import Item, Lot, Site
from inventory.database import utcnow
from inventory.extensions import db
from inventory.types import UTCDateTime

COUNT_STATUSES = ("open", "submitted")


class Count(db.Model):
    """A count of one site. ``started_at`` is the snapshot time; its ``client_id`` is shared
    by the ``count`` stock event written at submission."""

    __tablename__ = "stock_count"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="open")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("stock_event.id"))

    site: Mapped[Site] = relationship()
    lines: Mapped[list["CountLine"]] = relationship(back_populates="count",
                                                    order_by="CountLine.id")


class CountLine(db.Model):
    """One (item, lot) of a count: ``expected`` from the snapshot, ``counted`` once entered;
    at submission ``variance`` = counted − live balance and ``moved_since_start`` says whether
    stock moved after the snapshot (then the live balance, not ``expected``, is the base)."""

    __tablename__ = "stock_count_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    count_id: Mapped[int] = mapped_column(ForeignKey("stock_count.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    lot_id: Mapped[int | None] = mapped_column(ForeignKey("lot.id"))
    expected: Mapped[int] = mapped_column(default=0)
    counted: Mapped[int | None]
    live: Mapped[int | None]
    variance: Mapped[int | None]
    moved_since_start: Mapped[bool] = mapped_column(default=False)

    count: Mapped[Count] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship()
    lot: Mapped[Lot | None] = relationship()
