"""Read-only stock queries: balances are read, the ledger is never scanned."""
from sqlalchemy import select

from inventory.catalog.lookup import item_by_code, items_by_code, only_visible_sites
from inventory.catalog.models import Item, Lot, Site
from inventory.extensions import db
from inventory.stock.models import StockBalance


def stock_rows(user, site_codes: list[str] | None = None, item_codes: list[str] | None = None,
               include_zero: bool = False) -> list[dict]:
    """On-hand rows ``{"site", "item", "lot", "expires_on", "on_hand"}`` ordered by site, item
    display order and expiry; filtered by site and item codes. Raises InvalidInput (unknown
    code), Forbidden (site not assigned).
    """
    stmt = (
        select(Site.code.label("site"), Item.code.label("item"), Lot.lot_code.label("lot"),
               Lot.expires_on, StockBalance.on_hand)
        .join(Site, Site.id == StockBalance.site_id)
        .join(Item, Item.id == StockBalance.item_id)
        .outerjoin(Lot, Lot.id == StockBalance.lot_id)
        .order_by(Site.code, Item.display_order, Item.code, Lot.expires_on, Lot.lot_code)
    )
    stmt = only_visible_sites(stmt, StockBalance.site_id, user, site_codes)
    if item_codes:
        items = items_by_code(item_codes)
        stmt = stmt.where(StockBalance.item_id.in_(
            [item_by_code(code, "item", items).id for code in item_codes]))
    if not include_zero:
        stmt = stmt.where(StockBalance.on_hand != 0)
    return [row._asdict() for row in db.session.execute(stmt)]
