"""Refreshing the :class:`StockWindow` cache of the look-back (run nightly: ``flask stock-days``).

The cache holds the events with id up to a mark; readers add the rest from the ledger. The mark
is the last event recorded more than ``SETTLE`` ago: an event with a smaller id still being
written (its transaction not yet committed) would otherwise be left out of both halves.
"""
from datetime import date, timedelta

from sqlalchemy import delete, func, insert, select

from inventory.database import utcnow
from inventory.extensions import db
from inventory.reorder import formula
from inventory.reorder.figures import add_ledger
from inventory.reorder.models import StockDayRefresh, StockWindow
from inventory.settings.services import current_settings, local_today
from inventory.stock.models import StockEvent

SETTLE = timedelta(minutes=10)


def refresh_stock_days(today: date | None = None, settle: timedelta = SETTLE) -> dict:
    """Re-sum the look-back ending yesterday into the cache. Flushes; the caller commits.
    Returns what it did: days, rows and the event id mark."""
    days = formula.window_days(today or local_today())
    mark = db.session.scalar(select(func.max(StockEvent.id))
                             .where(StockEvent.recorded_at <= utcnow() - settle)) or 0
    series: dict = {}
    add_ledger(series, days, None, None, StockEvent.id <= mark)
    rows = [{"site_id": site_id, "item_id": item_id, "net": one.net, "consumed": one.consumed}
            for (site_id, item_id), one in series.items()]
    db.session.execute(delete(StockWindow))
    if rows:
        db.session.execute(insert(StockWindow), rows)
    meta = db.session.get(StockDayRefresh, 1) or StockDayRefresh(id=1)
    meta.timezone = current_settings().timezone
    meta.first_day, meta.last_day, meta.through_event_id = days[0], days[-1], mark
    meta.refreshed_at = utcnow()
    db.session.add(meta)
    db.session.flush()
    return {"first_day": days[0], "last_day": days[-1], "rows": len(rows),
            "through_event_id": mark}
