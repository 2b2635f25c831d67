"""The ledger check: every balance equals the sum of its ledger lines, and every (site, item,
lot) that appears in the ledger has a balance row. Done as SQL aggregation, not in Python."""
from dataclasses import dataclass

from sqlalchemy import func, literal, null, select, union_all

from inventory.catalog.models import Item, Lot, Site
from inventory.extensions import db
from inventory.stock.models import StockBalance, StockEvent, StockEventLine


@dataclass(frozen=True)
class Mismatch:
    """A balance that disagrees with the ledger. ``balance`` is None when the row is missing;
    ``ledger_sum`` is 0 for a balance row with no ledger lines."""

    site_code: str
    item_code: str
    lot_code: str | None
    balance: int | None
    ledger_sum: int


def ledger_totals():
    """The ledger summed per (site, item, lot), as a subquery with columns ``site_id``,
    ``item_id``, ``lot_key`` (the lot id, 0 for the unknown lot), ``lot_id`` and ``total``."""
    return (
        select(StockEvent.site_id.label("site_id"), StockEventLine.item_id.label("item_id"),
               func.coalesce(StockEventLine.lot_id, 0).label("lot_key"),
               StockEventLine.lot_id.label("lot_id"),
               func.sum(StockEventLine.quantity).label("total"))
        .join(StockEvent, StockEvent.id == StockEventLine.event_id)
        .group_by(StockEvent.site_id, StockEventLine.item_id, StockEventLine.lot_id)
        .subquery("ledger")
    )


def find_mismatches() -> list[Mismatch]:
    """Every mismatch between stock_balance and the ledger, ordered by site, item and lot.

    A full outer join of balances and ledger totals, written as a union of two left joins so
    that SQLite runs it too.
    """
    ledger = ledger_totals()
    bal = StockBalance.__table__
    on = ((ledger.c.site_id == bal.c.site_id) & (ledger.c.item_id == bal.c.item_id)
          & (ledger.c.lot_key == bal.c.lot_key))
    # Balances that disagree with their ledger total (no lines at all counts as zero).
    from_balances = (
        select(bal.c.site_id, bal.c.item_id, bal.c.lot_id, bal.c.on_hand.label("balance"),
               func.coalesce(ledger.c.total, 0).label("ledger_sum"))
        .select_from(bal.outerjoin(ledger, on))
        .where(bal.c.on_hand != func.coalesce(ledger.c.total, 0))
    )
    # Ledger (site, item, lot) with no balance row at all.
    from_ledger = (
        select(ledger.c.site_id, ledger.c.item_id, ledger.c.lot_id, null().label("balance"),
               ledger.c.total.label("ledger_sum"))
        .select_from(ledger.outerjoin(bal, on))
        .where(bal.c.id.is_(None))
    )
    both = union_all(from_balances, from_ledger).subquery("mismatch")
    rows = db.session.execute(
        select(Site.code, Item.code, Lot.lot_code, both.c.balance, both.c.ledger_sum)
        .join(Site, Site.id == both.c.site_id)
        .join(Item, Item.id == both.c.item_id)
        .outerjoin(Lot, Lot.id == both.c.lot_id)
        .order_by(Site.code, Item.code, func.coalesce(Lot.lot_code, literal("")))
    )
    return [Mismatch(*row) for row in rows]
