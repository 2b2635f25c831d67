"""What the formula needs, read from the database: per (site, item) the ledger's daily net
change and consumption over the look-back, and the balances (on hand, discrepancy, expiry).

Ordinary grouped queries: one over the ledger (lines of the window and after it, bucketed into
local days by a join on the days' UTC bounds), a few over the balances. Nothing is cached here.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.orm import aliased

from inventory.catalog.models import Lot
from inventory.extensions import db
from inventory.settings.services import local_day_bounds
from inventory.stock.models import StockBalance, StockEvent, StockEventLine
from inventory.types import UTCDateTime

# The bucket of everything dated after the window (today and any later day).
FAR_FUTURE = datetime(9000, 1, 1, tzinfo=UTC)


@dataclass
class Series:
    """One (site, item) over the window: net change and units handed out per day (oldest
    first), and the net change of everything dated after the window."""

    net: list[int]
    consumed: list[int]
    net_after: int = 0

    @property
    def consumed_total(self) -> int:
        return sum(self.consumed)


def _days_table(days: list[date]):
    """A derived table (day index, UTC start, UTC end) for each window day, plus index
    ``len(days)`` for everything after the window."""
    rows = []
    for index, day in enumerate(days):
        start, end = local_day_bounds(day)
        rows.append((index, start, end))
    rows.append((len(days), rows[-1][2], FAR_FUTURE))
    return union_all(*(
        select(literal(i).label("day"), literal(start, UTCDateTime).label("start_at"),
               literal(end, UTCDateTime).label("end_at"))
        for i, start, end in rows)).subquery("days")


def ledger_series(days: list[date], site_ids: set[int] | None = None,
                  item_ids: set[int] | None = None) -> dict[tuple[int, int], Series]:
    """Per (site_id, item_id): the :class:`Series` over ``days`` (consecutive local days).

    Consumption is the negated sum of distribution lines and of the reversals that void them
    (a void is dated like the handout it undoes, so it nets out in the same day).
    """
    table = _days_table(days)
    original = aliased(StockEvent)
    handed_out = case((StockEvent.kind == "distribution", StockEventLine.quantity),
                      (original.kind == "distribution", StockEventLine.quantity), else_=0)
    stmt = (
        select(StockEvent.site_id, StockEventLine.item_id, table.c.day,
               func.sum(StockEventLine.quantity), func.sum(handed_out))
        .select_from(StockEvent)
        .join(table, and_(StockEvent.occurred_at >= table.c.start_at,
                          StockEvent.occurred_at < table.c.end_at))
        .join(StockEventLine, StockEventLine.event_id == StockEvent.id)
        .outerjoin(original, original.id == StockEvent.reverses_id)
        .where(StockEvent.occurred_at >= local_day_bounds(days[0])[0])
        .group_by(StockEvent.site_id, StockEventLine.item_id, table.c.day)
    )
    if site_ids is not None:
        stmt = stmt.where(StockEvent.site_id.in_(site_ids or {-1}))
    if item_ids is not None:
        stmt = stmt.where(StockEventLine.item_id.in_(item_ids or {-1}))
    size = len(days)
    series: dict[tuple[int, int], Series] = defaultdict(
        lambda: Series([0] * size, [0] * size))
    for site_id, item_id, day, net, out in db.session.execute(stmt):
        one = series[(site_id, item_id)]
        if day == size:
            one.net_after += int(net)
        else:
            one.net[day] += int(net)
            one.consumed[day] -= int(out)
    return series


@dataclass
class Shelf:
    """Balances of one (site, item): on hand over all lots, the unknown lot below zero, and
    units in lots expired or expiring within 30/60/90 days (cumulative)."""

    on_hand: int = 0
    discrepancy: bool = False
    expired: int = 0
    expiring: dict[int, int] = field(default_factory=lambda: {30: 0, 60: 0, 90: 0})


def shelves(today: date, site_ids: set[int] | None = None) -> dict[tuple[int, int], Shelf]:
    """Per (site_id, item_id) that has a balance row: its :class:`Shelf` (one grouped query)."""
    def units_where(condition):
        return func.sum(case((and_(condition, StockBalance.on_hand > 0),
                              StockBalance.on_hand), else_=0))

    expires = Lot.expires_on
    stmt = (
        select(StockBalance.site_id, StockBalance.item_id, func.sum(StockBalance.on_hand),
               func.min(case((StockBalance.lot_key == 0, StockBalance.on_hand), else_=0)),
               units_where(expires < today),
               *(units_where(and_(expires >= today, expires <= today + timedelta(days=n)))
                 for n in (30, 60, 90)))
        .outerjoin(Lot, Lot.id == StockBalance.lot_id)
        .group_by(StockBalance.site_id, StockBalance.item_id)
    )
    if site_ids is not None:
        stmt = stmt.where(StockBalance.site_id.in_(site_ids or {-1}))
    result = {}
    for site_id, item_id, on_hand, unknown, expired, e30, e60, e90 in db.session.execute(stmt):
        result[(site_id, item_id)] = Shelf(int(on_hand or 0), (unknown or 0) < 0,
                                           int(expired or 0),
                                           {30: int(e30 or 0), 60: int(e60 or 0),
                                            90: int(e90 or 0)})
    return result
