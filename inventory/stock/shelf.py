"""One site's shelf for its stock page: per item, the total on hand and the lots that hold
stock (empty lots left out), each marked expired or expiring soon."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from inventory.catalog.models import Item, Lot, Site
from inventory.errors import NotFound
from inventory.extensions import db
from inventory.stock.models import StockBalance

SOON_DAYS = 90


@dataclass
class LotLine:
    lot_code: str | None
    expires_on: date | None
    on_hand: int
    days_left: int | None  # until expiry; negative once expired

    @property
    def expired(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def expiring(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= SOON_DAYS


@dataclass
class ItemShelf:
    item: Item
    total: int = 0
    lots: list[LotLine] = field(default_factory=list)

    @property
    def expired_units(self) -> int:
        return sum(lot.on_hand for lot in self.lots if lot.expired and lot.on_hand > 0)

    @property
    def expiring_units(self) -> int:
        return sum(lot.on_hand for lot in self.lots if lot.expiring and lot.on_hand > 0)


def site_or_404(code: str) -> Site:
    site = db.session.scalar(select(Site).where(Site.code == code))
    if site is None:
        raise NotFound(f"No site {code}.", field="site")
    return site


def site_shelf(site: Site, today: date) -> list[ItemShelf]:
    """Items the site holds or has held, in display order, each with its non-empty lots
    (earliest expiry first, the unknown lot last)."""
    rows = db.session.execute(
        select(Item, Lot.lot_code, Lot.expires_on, StockBalance.on_hand)
        .join(StockBalance, StockBalance.item_id == Item.id)
        .outerjoin(Lot, Lot.id == StockBalance.lot_id)
        .where(StockBalance.site_id == site.id)
        .order_by(Item.display_order, Item.code, StockBalance.lot_key == 0, Lot.expires_on,
                  Lot.lot_code))
    shelves: dict[int, ItemShelf] = {}
    for item, lot_code, expires_on, on_hand in rows:
        shelf = shelves.setdefault(item.id, ItemShelf(item))
        shelf.total += on_hand
        if on_hand:
            days_left = (expires_on - today).days if expires_on else None
            shelf.lots.append(LotLine(lot_code, expires_on, on_hand, days_left))
    return list(shelves.values())
