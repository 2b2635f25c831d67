"""Report-owned cache of closed months of the stock ledger (read-side; never on the write path).

``LedgerMonth`` is one closed local month (UTC bounds) with the number of ledger events it held
when it was summed; ``LedgerMonthTotal`` holds that month's line sums per site, item, lot and
effective kind (a reversal counts as the kind of the event it reverses). Events are never updated
or deleted, so a month whose live event count still equals ``event_count`` is exactly the month
that was summed; any other month is read from the ledger itself (see ``reports.ledger_months``).
"""
from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from inventory.database import utcnow
from inventory.extensions import db
from inventory.types import UTCDateTime


class LedgerMonth(db.Model):
    __tablename__ = "report_ledger_month"

    id: Mapped[int] = mapped_column(primary_key=True)
    start_utc: Mapped[datetime] = mapped_column(UTCDateTime, unique=True)
    end_utc: Mapped[datetime] = mapped_column(UTCDateTime)
    event_count: Mapped[int]
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LedgerMonthTotal(db.Model):
    __tablename__ = "report_ledger_month_total"
    __table_args__ = (UniqueConstraint("month_id", "site_id", "item_id", "lot_key", "kind",
                                       name="uq_report_ledger_month_total_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month_id: Mapped[int] = mapped_column(ForeignKey("report_ledger_month.id", ondelete="CASCADE"))
    site_id: Mapped[int] = mapped_column(ForeignKey("site.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id"))
    lot_key: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int]
