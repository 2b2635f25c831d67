"""The report's SQL: every figure is aggregated by the database (GROUP BY), never row by row.

Each function takes a SQLAlchemy ``Connection``, a :class:`~reports.periods.Period` and the
selected site ids (``None`` = every site) and returns a small pandas DataFrame of aggregates.
Months are bucketed with a ``CASE`` over the period's UTC month boundaries inside a subquery, so
the outer ``GROUP BY`` names a plain column on both SQLite and PostgreSQL. Voided encounters are
left out everywhere; their stock reversals carry the original time, so ledger sums net them out.
"""
from collections.abc import Collection

import pandas as pd
from sqlalchemy import Connection, case, func, literal, select, union_all

from inventory.catalog.models import Item, Lot, Site
from inventory.encounters.models import Encounter, EncounterReferral
from inventory.participants.models import Participant
from inventory.settings.models import ProgramSettings
from inventory.stock.models import StockBalance, StockEvent, StockEventLine
from reports.periods import Period

ENC = Encounter.__table__
REF = EncounterReferral.__table__
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
    return case(*whens, else_=last) if whens else case((column.is_not(None), 0), else_=0)


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
    stmt = select(SITE.c.id, SITE.c.code, SITE.c.name).order_by(SITE.c.code)
    if site_ids is not None:
        stmt = stmt.where(SITE.c.id.in_(list(site_ids)))
    return _frame(conn, stmt, ["site_id", "site_code", "site_name"])


def movements(conn, period, site_ids) -> pd.DataFrame:
    """Per (site, month, item, kind): the signed sum of ledger lines in the period.

    One plain ``GROUP BY site, item, kind`` per month (a ``UNION ALL``), so each branch is the
    same shape as a bare aggregate and the planner can hash it. A reversal counts as the kind of
    event it reverses (a voided handout un-distributes): the few reversal lines are summed again
    by their original's kind and swapped in.
    """
    site_filter = [EVENT.c.site_id.in_(list(site_ids))] if site_ids is not None else []
    joined = LINE.join(EVENT, LINE.c.event_id == EVENT.c.id)
    branches = [
        select(EVENT.c.site_id, literal(index).label("month"), LINE.c.item_id, EVENT.c.kind,
               func.sum(LINE.c.quantity)).select_from(joined).where(
            EVENT.c.occurred_at >= month.start_utc, EVENT.c.occurred_at < month.end_utc,
            *site_filter).group_by(EVENT.c.site_id, LINE.c.item_id, EVENT.c.kind)
        for index, month in enumerate(period.months)]
    columns = ["site_id", "month", "item_id", "kind", "quantity"]
    plain = _frame(conn, union_all(*branches), columns)
    original = EVENT.alias("original")
    reversed_ = select(EVENT.c.site_id, month_bucket(EVENT.c.occurred_at, period).label("month"),
                       LINE.c.item_id, original.c.kind, LINE.c.quantity).select_from(
        joined.join(original, EVENT.c.reverses_id == original.c.id)).where(
        EVENT.c.kind == "reversal", *_in_period(EVENT.c.occurred_at, period), *site_filter
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


def closing_by_lot(conn, period, site_ids, strategy: str | None = None) -> pd.DataFrame:
    """On hand per (site, item, lot) at the period's end.

    Summing every line before the end scans the whole history; for a recent period it is cheaper
    to take the live balances (kept equal to the ledger) and subtract the lines since the end.
    The cheaper side is picked by counting events on each side of the end (an index count);
    ``strategy`` ("history" or "balances") forces one, for tests.
    """
    site_filter = [EVENT.c.site_id.in_(list(site_ids))] if site_ids is not None else []
    before = conn.scalar(select(func.count()).select_from(EVENT).where(
        EVENT.c.occurred_at < period.end_utc))
    after = conn.scalar(select(func.count()).select_from(EVENT).where(
        EVENT.c.occurred_at >= period.end_utc))
    columns = ["site_id", "item_id", "lot_id", "quantity"]
    lot_key = func.coalesce(LINE.c.lot_id, 0)
    summed = select(EVENT.c.site_id, LINE.c.item_id, lot_key.label("lot_key"),
                    func.sum(LINE.c.quantity)).select_from(
        LINE.join(EVENT, LINE.c.event_id == EVENT.c.id)).group_by(
        EVENT.c.site_id, LINE.c.item_id, lot_key)
    if strategy == "history" or (strategy is None and before <= after):
        return _frame(conn, summed.where(EVENT.c.occurred_at < period.end_utc, *site_filter),
                      columns)
    balance_filter = [BAL.c.site_id.in_(list(site_ids))] if site_ids is not None else []
    live = _frame(conn, select(BAL.c.site_id, BAL.c.item_id, BAL.c.lot_key, BAL.c.on_hand).where(
        *balance_filter), columns)
    since = _frame(conn, summed.where(EVENT.c.occurred_at >= period.end_utc, *site_filter),
                   columns)
    since["quantity"] = -since["quantity"]
    both = pd.concat([live, since], ignore_index=True)
    if both.empty:
        return both
    return both.groupby(["site_id", "item_id", "lot_id"], as_index=False)["quantity"].sum()


def lots(conn: Connection) -> pd.DataFrame:
    return _frame(conn, select(LOT.c.id, LOT.c.expires_on), ["lot_id", "expires_on"])
