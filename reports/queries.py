"""The report's SQL: every figure is aggregated by the database (GROUP BY), never row by row.

Each function takes a SQLAlchemy ``Connection``, a :class:`~reports.periods.Period` and the
selected site ids (``None`` = every site) and returns a small pandas DataFrame of aggregates.
Months are bucketed with a ``CASE`` over the period's UTC month boundaries inside a subquery, so
the outer ``GROUP BY`` names a plain column on both SQLite and PostgreSQL. Voided encounters are
left out everywhere; their stock reversals carry the original time, so ledger sums net them out.
"""
from collections.abc import Collection

import pandas as pd
from sqlalchemy import Connection, and_, case, func, literal, or_, select, union_all

from inventory.catalog.models import Item, Lot, Site
from inventory.encounters.models import Encounter, EncounterItem, EncounterReferral
from inventory.participants.models import Participant
from inventory.settings.models import ProgramSettings
from inventory.stock.models import StockBalance, StockEvent, StockEventLine
from reports import ledger_months
from reports.periods import Period

ENC = Encounter.__table__
REF = EncounterReferral.__table__
ENC_ITEM = EncounterItem.__table__
PART = Participant.__table__
EVENT = StockEvent.__table__
LINE = StockEventLine.__table__
BAL = StockBalance.__table__
ITEM = Item.__table__
LOT = Lot.__table__
SITE = Site.__table__


def _frame(conn: Connection, stmt, columns: list[str]) -> pd.DataFrame:
    rows = conn.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=columns)


def month_bucket(column, period: Period):
    """Index of the local month holding ``column`` (rows are already inside the period)."""
    whens = [(column < month.end_utc, index) for index, month in enumerate(period.months[:-1])]
    last = len(period.months) - 1
    return case(*whens, else_=last) if whens else literal(0)


def _in_period(column, period: Period) -> list:
    return [column >= period.start_utc, column < period.end_utc]


def encounters_where(enc, period: Period, site_ids: Collection[int] | None) -> list:
    where = [enc.c.voided_at.is_(None), *_in_period(enc.c.occurred_at, period)]
    if site_ids is not None:
        where.append(enc.c.site_id.in_(list(site_ids)))
    return where


def settings_row(conn: Connection) -> dict | None:
    table = ProgramSettings.__table__
    row = conn.execute(select(table).order_by(table.c.id).limit(1)).mappings().first()
    return dict(row) if row else None


def items(conn: Connection) -> pd.DataFrame:
    stmt = select(ITEM.c.id, ITEM.c.code, ITEM.c.name, ITEM.c.category, ITEM.c.unit,
                  ITEM.c.doses_per_unit, ITEM.c.display_order, ITEM.c.active
                  ).order_by(ITEM.c.display_order, ITEM.c.id)
    return _frame(conn, stmt, ["item_id", "code", "name", "category", "unit", "doses_per_unit",
                               "display_order", "active"])


def sites(conn: Connection, site_ids: Collection[int] | None) -> pd.DataFrame:
    stmt = select(SITE.c.id, SITE.c.code, SITE.c.name, SITE.c.kind).order_by(SITE.c.code)
    if site_ids is not None:
        stmt = stmt.where(SITE.c.id.in_(list(site_ids)))
    return _frame(conn, stmt, ["site_id", "site_code", "site_name", "site_kind"])


def movements(conn, period, site_ids, valid=None) -> pd.DataFrame:
    """Per (site, month, item, kind): the signed sum of ledger lines in the period.

    A reversal counts as the kind of event it reverses (a voided handout un-distributes). Months
    still exact in the ledger month cache (:mod:`reports.ledger_months`) are read from it; the
    others from the ledger.
    """
    cached, _ = ledger_months.coverage(conn, period.start_utc, period.end_utc, valid)
    by_bounds = {(start, end): month_id for month_id, start, end in cached}
    index_of = {}
    live = []
    for index, month in enumerate(period.months):
        month_id = by_bounds.get((month.start_utc, month.end_utc))
        if month_id is None:
            live.append(index)
        else:
            index_of[month_id] = index
    columns = ["site_id", "month", "item_id", "kind", "quantity"]
    frames = []
    if index_of:
        from_cache = ledger_months.cached_frame(conn, index_of, ["month_id", "site_id", "item_id",
                                                                 "kind"], site_ids)
        from_cache["month"] = from_cache.pop("month_id").map(index_of)
        frames.append(from_cache[columns])
    if live:
        frames.append(_live_movements(conn, period, live, site_ids))
    both = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return both.astype({c: "int64" for c in ("site_id", "month", "item_id", "quantity")})


def _live_movements(conn, period, indices, site_ids) -> pd.DataFrame:
    """:func:`movements` for the period's months ``indices``, from the ledger.

    One plain ``GROUP BY site, item, kind`` per month (a ``UNION ALL``), so each branch is the
    same shape as a bare aggregate and the planner can hash it. The few reversal lines are summed
    again by their original's kind and swapped in.
    """
    site_filter = [EVENT.c.site_id.in_(list(site_ids))] if site_ids is not None else []
    joined = LINE.join(EVENT, LINE.c.event_id == EVENT.c.id)
    months = [(index, period.months[index]) for index in indices]
    branches = [
        select(EVENT.c.site_id, literal(index).label("month"), LINE.c.item_id, EVENT.c.kind,
               func.sum(LINE.c.quantity)).select_from(joined).where(
            EVENT.c.occurred_at >= month.start_utc, EVENT.c.occurred_at < month.end_utc,
            *site_filter).group_by(EVENT.c.site_id, LINE.c.item_id, EVENT.c.kind)
        for index, month in months]
    columns = ["site_id", "month", "item_id", "kind", "quantity"]
    plain = _frame(conn, union_all(*branches) if len(branches) > 1 else branches[0], columns)
    original = EVENT.alias("original")
    in_months = or_(*[and_(EVENT.c.occurred_at >= month.start_utc,
                           EVENT.c.occurred_at < month.end_utc) for _, month in months])
    reversed_ = select(EVENT.c.site_id, month_bucket(EVENT.c.occurred_at, period).label("month"),
                       LINE.c.item_id, original.c.kind, LINE.c.quantity).select_from(
        joined.join(original, EVENT.c.reverses_id == original.c.id)).where(
        EVENT.c.kind == "reversal", in_months, *site_filter
    ).subquery()
    stmt = select(reversed_.c.site_id, reversed_.c.month, reversed_.c.item_id, reversed_.c.kind,
                  func.sum(reversed_.c.quantity)).group_by(
        reversed_.c.site_id, reversed_.c.month, reversed_.c.item_id, reversed_.c.kind)
    corrected = _frame(conn, stmt, columns)
    if corrected.empty:
        return plain
    # Reversals of a known original are moved to that original's kind; any other stays put.
    correction = corrected.assign(kind="reversal", quantity=-corrected["quantity"])
    both = pd.concat([plain, corrected, correction], ignore_index=True)
    both = both.groupby(["site_id", "month", "item_id", "kind"], as_index=False)["quantity"].sum()
    return both[(both["quantity"] != 0) | (both["kind"] != "reversal")].reset_index(drop=True)


def ledger_sums(conn, start, end, site_ids, valid=None) -> pd.DataFrame:
    """Net quantity per (site, item, lot) of the lines in [start, end) (``None``: open side)."""
    cached, gaps = ledger_months.coverage(conn, start, end, valid)
    columns = ["site_id", "item_id", "lot_id", "quantity"]
    frames = [ledger_months.cached_frame(conn, [c[0] for c in cached],
                                         ["site_id", "item_id", "lot_key"], site_ids
                                         ).set_axis(columns, axis=1)]
    site_filter = [EVENT.c.site_id.in_(list(site_ids))] if site_ids is not None else []
    lot_key = func.coalesce(LINE.c.lot_id, 0)
    branches = [select(EVENT.c.site_id, LINE.c.item_id, lot_key.label("lot_key"),
                       func.sum(LINE.c.quantity)).select_from(
        LINE.join(EVENT, LINE.c.event_id == EVENT.c.id)).where(
        *ledger_months.in_range(EVENT.c.occurred_at, s, e), *site_filter).group_by(
        EVENT.c.site_id, LINE.c.item_id, lot_key) for s, e in gaps]
    if branches:
        frames.append(_frame(conn, union_all(*branches) if len(branches) > 1 else branches[0],
                             columns))
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=columns)
    both = pd.concat(frames, ignore_index=True)
    return both.groupby(["site_id", "item_id", "lot_id"], as_index=False)["quantity"].sum()


def closing_by_lot(conn, period, site_ids, strategy: str | None = None,
                   valid=None) -> pd.DataFrame:
    """On hand per (site, item, lot) at the period's end.

    Either the sum of every line before the end ("history"), or the live balances (kept equal
    to the ledger) minus the lines since the end ("balances"). Both read cached months from the
    ledger month cache and only the rest from the ledger; the side with fewer events left to
    read live is taken (index counts). ``strategy`` forces one, for tests.
    """
    end = period.end_utc
    valid = ledger_months.valid_months(conn) if valid is None else valid
    if strategy is None:
        before = ledger_months.gap_events(conn, ledger_months.coverage(conn, None, end, valid)[1])
        after = ledger_months.gap_events(conn, ledger_months.coverage(conn, end, None, valid)[1])
        strategy = "history" if before <= after else "balances"
    if strategy == "history":
        return ledger_sums(conn, None, end, site_ids, valid)
    columns = ["site_id", "item_id", "lot_id", "quantity"]
    balance_filter = [BAL.c.site_id.in_(list(site_ids))] if site_ids is not None else []
    live = _frame(conn, select(BAL.c.site_id, BAL.c.item_id, BAL.c.lot_key, BAL.c.on_hand).where(
        *balance_filter), columns)
    since = ledger_sums(conn, end, None, site_ids, valid)
    since["quantity"] = -since["quantity"]
    both = pd.concat([f for f in (live, since) if not f.empty], ignore_index=True) \
        if not (live.empty and since.empty) else live
    if both.empty:
        return both
    return both.groupby(["site_id", "item_id", "lot_id"], as_index=False)["quantity"].sum()


def lots(conn: Connection) -> pd.DataFrame:
    return _frame(conn, select(LOT.c.id, LOT.c.expires_on), ["lot_id", "expires_on"])
