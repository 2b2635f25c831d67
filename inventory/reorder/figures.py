"""What the formula needs, read from the database: per (site, item) the ledger's daily net
change and consumption over the look-back, and the balances (on hand, discrepancy, expiry).

Ordinary grouped queries over the ledger (lines bucketed into local days by a join on the days'
UTC bounds) and the balances. Summing 90 days of a 3-million-line ledger takes seconds, so the
closed days come from a nightly cache (:class:`StockWindow`, ``flask stock-days``) that readers
complete from the ledger with every event it does not hold: exact, never stale.
"""
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.orm import aliased

from inventory.catalog.models import Lot
from inventory.extensions import db
from inventory.reorder.models import StockDayRefresh, StockWindow
from inventory.settings.services import current_settings
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


def midnights(days: list[date]) -> list[datetime]:
    """The UTC instants at which each of ``days`` starts, then the one after the last ends
    (program timezone, read once)."""
    zone = ZoneInfo(current_settings().timezone)
    return [datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
            for day in [*days, days[-1] + timedelta(days=1)]]


def _days_table(days: list[date]):
    """A derived table (day index, UTC start, UTC end) for each window day, plus index
    ``len(days)`` for everything after the window."""
    bounds = midnights(days)
    rows = [(index, bounds[index], bounds[index + 1]) for index in range(len(days))]
    rows.append((len(days), rows[-1][2], FAR_FUTURE))
    return union_all(*(
        select(literal(i).label("day"), literal(start, UTCDateTime).label("start_at"),
               literal(end, UTCDateTime).label("end_at"))
        for i, start, end in rows)).subquery("days")


def _new_series(size: int) -> Series:
    return Series([0] * size, [0] * size)


def _handed_out():
    """The line's quantity when its event hands out or voids a handout, else 0."""
    original = aliased(StockEvent)
    amount = case((StockEvent.kind == "distribution", StockEventLine.quantity),
                  (original.kind == "distribution", StockEventLine.quantity), else_=0)
    return original, amount


def add_ledger(series: dict, days: list[date], site_ids, item_ids, *conditions,
                recent: bool = False, before: datetime = FAR_FUTURE) -> None:
    """Add to ``series`` the ledger lines dated from the window's start that meet
    ``conditions``, bucketed into the window's days (and the after-window bucket).

    Consumption is the negated sum of distribution lines and of the reversals that void them
    (a void is dated like the handout it undoes, so it nets out in the same day). ``recent``:
    few lines are expected (those after the cache's mark, or today's), so they are read one
    by one and summed into days here: without a GROUP BY or a second range the database
    starts from the one range ``conditions`` name (SQLite would otherwise scan the whole
    site-and-date index); lines of other sites and items, dated before the window, or from
    ``before`` on, are dropped here for the same reason.
    """
    original, handed_out = _handed_out()
    bounds = midnights(days)
    window_start, bounds = bounds[0], bounds[1:]
    if recent:
        stmt = select(StockEvent.site_id, StockEventLine.item_id, StockEvent.occurred_at,
                      StockEventLine.quantity, handed_out)
    else:
        table = _days_table(days)
        stmt = (select(StockEvent.site_id, StockEventLine.item_id, table.c.day,
                       func.sum(StockEventLine.quantity), func.sum(handed_out))
                .join(table, and_(StockEvent.occurred_at >= table.c.start_at,
                                  StockEvent.occurred_at < table.c.end_at))
                .where(StockEvent.occurred_at >= window_start)
                .group_by(StockEvent.site_id, StockEventLine.item_id, table.c.day))
    stmt = (stmt.select_from(StockEvent)
            .join(StockEventLine, StockEventLine.event_id == StockEvent.id)
            .outerjoin(original, original.id == StockEvent.reverses_id)
            .where(*conditions))
    if site_ids is not None and not recent:
        stmt = stmt.where(StockEvent.site_id.in_(site_ids or {-1}))
    if item_ids is not None and not recent:
        stmt = stmt.where(StockEventLine.item_id.in_(item_ids or {-1}))
    size = len(days)
    for site_id, item_id, day, net, out in db.session.execute(stmt):
        if recent:  # a timestamp: the first day whose end is after it
            if not window_start <= day < before or (
                    site_ids is not None and site_id not in site_ids
                    or item_ids is not None and item_id not in item_ids):
                continue
            day = bisect_right(bounds, day)
        one = series.setdefault((site_id, item_id), _new_series(size))
        if day == size:
            one.net_after += int(net)
        else:
            one.net[day] += int(net)
            one.consumed[day] -= int(out)


def _cache_for(days: list[date]) -> StockDayRefresh | None:
    """The cache's description when it can serve ``days``: same timezone, starting on or
    before the window's first day and ending within it."""
    meta = db.session.get(StockDayRefresh, 1)
    if meta is None or meta.timezone != current_settings().timezone:
        return None
    if not meta.first_day <= days[0] <= meta.last_day:
        return None
    return meta


def ledger_series(days: list[date], site_ids: set[int] | None = None,
                  item_ids: set[int] | None = None, use_cache: bool = True
                  ) -> dict[tuple[int, int], Series]:
    """Per (site_id, item_id): the :class:`Series` over ``days`` (consecutive local days).

    With a usable :class:`StockWindow` cache, the events it summed (id ≤ its mark, dated
    within its days) come from it, and every other event from the ledger: those dated after
    its last day (today's, for one), and those recorded after the mark. Without one,
    everything comes from the ledger. Either way the result is the ledger's.
    """
    series: dict[tuple[int, int], Series] = {}
    meta = _cache_for(days) if use_cache else None
    if meta is None:
        add_ledger(series, days, site_ids, item_ids)
        return series
    last = min(meta.last_day, days[-1])
    skip, take = (days[0] - meta.first_day).days, (last - days[0]).days + 1
    stmt = select(StockWindow.site_id, StockWindow.item_id, StockWindow.net,
                  StockWindow.consumed)
    if site_ids is not None:
        stmt = stmt.where(StockWindow.site_id.in_(site_ids or {-1}))
    if item_ids is not None:
        stmt = stmt.where(StockWindow.item_id.in_(item_ids or {-1}))
    size = len(days)
    for site_id, item_id, net, consumed in db.session.execute(stmt):
        series[(site_id, item_id)] = Series(
            net[skip:skip + take] + [0] * (size - take),
            consumed[skip:skip + take] + [0] * (size - take))
    cached_to = midnights([last])[1]
    # Each query names one range, so that the database walks that index only.
    add_ledger(series, days, site_ids, item_ids, StockEvent.occurred_at >= cached_to,
                recent=True)
    add_ledger(series, days, site_ids, item_ids, StockEvent.id > meta.through_event_id,
                recent=True, before=cached_to)
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
