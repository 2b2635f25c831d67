"""Reorder policies (min and max months of stock per item, with site overrides) and reorder
requests (draft → submitted → ordered → received)."""
import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from inventory.catalog.models import Item, Site
from inventory.database import utcnow
from inventory.extensions import db
from inventory.types import UTCDateTime

REQUEST_STATES = ("draft", "submitted", "ordered", "received")


class ReorderPolicy(db.Model):
    """Min and max months of stock for an item; ``site_key`` 0 is the item's own policy, a
    site id is that site's override."""

    __tablename__ = "reorder_policy"
    __table_args__ = (
        UniqueConstraint("item_id", "site_key"),
        CheckConstraint("site_key = coalesce(site_id, 0)", name="site_key_matches"),
        CheckConstraint("min_months >= 0 AND max_months >= min_months", name="months_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    site_id: Mapped[int | None] = mapped_column(ForeignKey("site.id"))
    site_key: Mapped[int] = mapped_column(default=0)
    min_months: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    max_months: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    item: Mapped[Item] = relationship()
    site: Mapped[Site | None] = relationship()


class ReorderRequest(db.Model):
    __tablename__ = "reorder_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    note: Mapped[str | None] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ordered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The receipt that brought the order in (written through the stock receive service).
    receipt_event_id: Mapped[int | None] = mapped_column(ForeignKey("stock_event.id"))

    site: Mapped[Site] = relationship()
    lines: Mapped[list["ReorderRequestLine"]] = relationship(
        back_populates="request", order_by="ReorderRequestLine.id", cascade="all, delete-orphan")


class ReorderRequestLine(db.Model):
    __tablename__ = "reorder_request_line"
    __table_args__ = (UniqueConstraint("request_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("reorder_request.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    packs: Mapped[int]
    units: Mapped[int]

    request: Mapped[ReorderRequest] = relationship(back_populates="lines")
    item: Mapped[Item] = relationship()


class StockWindow(db.Model):
    """Cache (read side only, refreshed nightly by ``flask stock-days``): per site and item,
    the ledger's net change and units handed out on each local day of the look-back (lists,
    oldest day first, :attr:`StockDayRefresh.first_day` onwards), summed over the events with
    id up to :attr:`StockDayRefresh.through_event_id`. Readers add the other events from the
    ledger itself, so the figures are always exact (see inventory.reorder.figures)."""

    __tablename__ = "stock_window"

    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"), primary_key=True)
    net: Mapped[list] = mapped_column(JSON)
    consumed: Mapped[list] = mapped_column(JSON)


class StockDayRefresh(db.Model):
    """What :class:`StockWindow` holds: local days ``first_day``..``last_day`` in ``timezone``,
    events with id ≤ ``through_event_id``. One row (id 1)."""

    __tablename__ = "stock_day_refresh"

    id: Mapped[int] = mapped_column(primary_key=True)
    timezone: Mapped[str] = mapped_column(String(64))
    first_day: Mapped[date]
    last_day: Mapped[date]
    through_event_id: Mapped[int]
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
