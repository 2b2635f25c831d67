"""Closed months of the stock ledger, summed once and reused by reports.

``report_ledger_month`` holds one row per closed local month (its UTC bounds and the number of
ledger events it had when summed) and ``report_ledger_month_total`` that month's line sums per
site, item, lot and effective kind (a reversal counts as the kind of the event it reverses).

Nothing on the ledger's write path touches these tables. They stay exact because ledger events
are never updated or deleted: a cached month whose live event count (an index-only count) still
equals its stored ``event_count`` holds exactly the events that were summed. A month that gained
an event since (a back-dated entry, a late void) no longer matches, and readers take that month
from the ledger itself until :func:`refresh` sums it again. Refreshing is a job (``flask
report-cache``), not part of a report; a report over an empty or stale cache is still right, only
slower.
"""
from datetime import datetime
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import Connection, Engine, and_, case, delete, func, literal, literal_column, select

from inventory.database import utcnow
from inventory.reporting.models import LedgerMonth, LedgerMonthTotal
from inventory.stock.models import StockEvent, StockEventLine
from reports.periods import local_midnight_utc, next_month

EVENT = StockEvent.__table__
LINE = StockEventLine.__table__
MONTH = LedgerMonth.__table__
TOTAL = LedgerMonthTotal.__table__


def effective_lines():
    """(event, line, effective kind) rows: a reversal of a known event takes that event's kind."""
    original = EVENT.alias("original")
    kind = case((and_(EVENT.c.kind == "reversal", original.c.kind.is_not(None)), original.c.kind),
                else_=EVENT.c.kind)
    joined = LINE.join(EVENT, LINE.c.event_id == EVENT.c.id).outerjoin(
        original, EVENT.c.reverses_id == original.c.id)
    return joined, kind


def _closed_months(first: datetime, now: datetime, timezone: str) -> list[tuple]:
    """UTC bounds of every local month from the one holding ``first`` to the last ended one."""
    zone = ZoneInfo(timezone)
    local = first.astimezone(zone).date().replace(day=1)
    bounds = []
    while True:
        following = next_month(local)
        start, end = local_midnight_utc(local, timezone), local_midnight_utc(following, timezone)
        if end > now:
            return bounds
        bounds.append((start, end))
        local = following


def _count(conn: Connection, start, end) -> int:
    return conn.scalar(select(func.count()).select_from(EVENT).where(
        EVENT.c.occurred_at >= start, EVENT.c.occurred_at < end))


def refresh_in(conn: Connection, timezone: str, now: datetime | None = None) -> dict:
    """Sum every closed month that is missing or stale; drop months of another timezone.

    Run in one transaction that sees a single snapshot (SQLite: any transaction; PostgreSQL:
    REPEATABLE READ, see :func:`refresh`). Returns counts of months kept, summed and dropped.
    """
    if conn.dialect.name == "postgresql":
        # One refresher at a time; readers are not blocked.
        conn.exec_driver_sql("LOCK TABLE report_ledger_month IN EXCLUSIVE MODE")
    first = conn.scalar(select(func.min(EVENT.c.occurred_at)))
    wanted = dict(_closed_months(first, now or utcnow(), timezone)) if first else {}
    existing = conn.execute(select(MONTH.c.id, MONTH.c.start_utc, MONTH.c.end_utc,
                                   MONTH.c.event_count)).all()
    kept, summed, dropped = 0, 0, 0
    current = {}
    for month_id, start, end, count in existing:
        if wanted.get(start) == end:
            current[start] = (month_id, count)
        else:
            _drop(conn, month_id)
            dropped += 1
    joined, kind = effective_lines()
    for start, end in wanted.items():
        live = _count(conn, start, end)
        month_id, count = current.get(start, (None, None))
        if month_id is not None and count == live:
            kept += 1
            continue
        if month_id is not None:
            _drop(conn, month_id)
        if not live:
            continue
        month_id = conn.execute(MONTH.insert().values(
            start_utc=start, end_utc=end, event_count=live, refreshed_at=utcnow())
        ).inserted_primary_key[0]
        lot_key = func.coalesce(LINE.c.lot_id, literal_column("0"))
        sums = select(literal(month_id), EVENT.c.site_id, LINE.c.item_id, lot_key, kind,
                      func.sum(LINE.c.quantity)).select_from(joined).where(
            EVENT.c.occurred_at >= start, EVENT.c.occurred_at < end).group_by(
            EVENT.c.site_id, LINE.c.item_id, lot_key, kind)
        conn.execute(TOTAL.insert().from_select(
            ["month_id", "site_id", "item_id", "lot_key", "kind", "quantity"], sums))
        summed += 1
    return {"kept": kept, "summed": summed, "dropped": dropped}


def _drop(conn: Connection, month_id: int) -> None:
    conn.execute(delete(TOTAL).where(TOTAL.c.month_id == month_id))
    conn.execute(delete(MONTH).where(MONTH.c.id == month_id))


def refresh(engine: Engine, timezone: str, now: datetime | None = None) -> dict:
    """:func:`refresh_in` in its own committed transaction (REPEATABLE READ on PostgreSQL)."""
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            return refresh_in(conn, timezone, now)


def valid_months(conn: Connection) -> list[tuple]:
    """Cached months still exact, as ``(id, start, end)`` by start (one index count each)."""
    live = select(func.count()).select_from(EVENT).where(
        EVENT.c.occurred_at >= MONTH.c.start_utc, EVENT.c.occurred_at < MONTH.c.end_utc
    ).scalar_subquery()
    stmt = select(MONTH.c.id, MONTH.c.start_utc, MONTH.c.end_utc, MONTH.c.event_count, live
                  ).order_by(MONTH.c.start_utc)
    return [(i, s, e) for i, s, e, stored, now in conn.execute(stmt).all() if stored == now]


def coverage(conn: Connection, start: datetime | None, end: datetime | None, valid=None):
    """Cached months inside [start, end) that are still exact, and the ranges left to read live.

    Returns ``(months, gaps)``: months as ``(id, start, end)``, gaps as ``(start, end)`` with
    ``None`` for an open side. ``valid`` is :func:`valid_months`, when already read.
    """
    valid = valid_months(conn) if valid is None else valid
    months = [m for m in valid
              if (start is None or m[1] >= start) and (end is None or m[2] <= end)]
    gaps, cursor = [], start
    for _, month_start, month_end in months:
        if cursor is None or month_start > cursor:
            gaps.append((cursor, month_start))
        cursor = month_end
    if end is None or cursor is None or cursor < end:
        gaps.append((cursor, end))
    return months, gaps


def in_range(column, start, end) -> list:
    return ([column >= start] if start is not None else []) + \
        ([column < end] if end is not None else [])


def gap_events(conn: Connection, gaps) -> int:
    """How many ledger events the live part of a read covers (an index count)."""
    return sum(conn.scalar(select(func.count()).select_from(EVENT).where(
        *in_range(EVENT.c.occurred_at, s, e))) for s, e in gaps)


def cached_frame(conn: Connection, month_ids, keys, site_ids) -> pd.DataFrame:
    """Sums of the cached rows of ``month_ids`` grouped by ``keys`` (TOTAL column names)."""
    columns = [TOTAL.c[k] for k in keys]
    if not month_ids:
        return pd.DataFrame(columns=[*keys, "quantity"])
    stmt = select(*columns, func.sum(TOTAL.c.quantity)).where(
        TOTAL.c.month_id.in_(list(month_ids))).group_by(*columns)
    if site_ids is not None:
        stmt = stmt.where(TOTAL.c.site_id.in_(list(site_ids)))
    rows = conn.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=[*keys, "quantity"])
