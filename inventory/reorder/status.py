"""Stock status per site × item: on hand, in transit, AMC, months of stock, status, flags, and
the reorder suggestion (the formula in :mod:`inventory.reorder.formula`).

Rows cover the (site, item) pairs that have a balance row (the site has held or moved the
item), stock in transit to the site, or a site-specific policy, at active sites and for active
items.
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from inventory.auth.permissions import ensure_site_access, site_scope
from inventory.catalog.lookup import site_by_code
from inventory.catalog.models import ITEM_CATEGORIES, Item, Site
from inventory.errors import InvalidInput
from inventory.extensions import db
from inventory.labels import N_
from inventory.reorder import formula
from inventory.reorder.figures import Series, Shelf, ledger_series, shelves
from inventory.reorder.policies import policy_table, resolve
from inventory.transfers.queries import in_transit_by_site_item
from inventory.settings.services import local_today


# English message ids: pages translate them (``_(status_labels[name])``).
STATUS_LABELS = {"stock_out": N_("Out of stock"), "below_min": N_("Below minimum"),
                 "ok": N_("OK"), "over_max": N_("Over maximum")}


@dataclass
class Figure:
    site: Site
    item: Item
    on_hand: int
    in_transit: int
    amc: Decimal | None
    stockout_days: int
    months_of_stock: Decimal | None
    min_months: Decimal
    max_months: Decimal
    status: str
    shelf: Shelf
    series: Series
    end_of_day: list[int]
    suggestion: formula.Suggestion | None

    def as_row(self) -> dict:
        """The API row (``GET /api/v1/stock/status``): AMC, months and policy rounded to two
        places (None when unknown)."""
        return {
            "site": self.site.code, "item": self.item.code, "on_hand": self.on_hand,
            "in_transit": self.in_transit, "amc": _rounded(self.amc),
            "stockout_days": self.stockout_days,
            "months_of_stock": _rounded(self.months_of_stock),
            "min_months": _rounded(self.min_months), "max_months": _rounded(self.max_months),
            "status": self.status,
            "discrepancy": self.shelf.discrepancy, "expired": self.shelf.expired,
            "expiring_30": self.shelf.expiring[30], "expiring_60": self.shelf.expiring[60],
            "expiring_90": self.shelf.expiring[90],
        }


def _rounded(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 2)


def visible_site_ids(user, site_codes: list[str] | None) -> set[int] | None:
    """Ids of the named sites (each checked), or of every site ``user`` may see (None: all).

    Raises InvalidInput (unknown site), Forbidden (a site not assigned to ``user``)."""
    if site_codes:
        ids = set()
        for code in site_codes:
            site = site_by_code(code, active_only=False)
            ensure_site_access(user, site)
            ids.add(site.id)
        return ids
    return site_scope(user)


def compute(site_ids: set[int] | None, today: date | None = None,
            category: str | None = None) -> list[Figure]:
    """Figures for every carried (site, item) at ``site_ids`` (None: all sites), ordered by
    site code and item display order."""
    today = today or local_today()
    days = formula.window_days(today)
    site_q = select(Site).where(Site.active)
    if site_ids is not None:
        site_q = site_q.where(Site.id.in_(site_ids or {-1}))
    sites = {s.id: s for s in db.session.scalars(site_q)}
    item_q = select(Item).where(Item.active)
    if category:
        item_q = item_q.where(Item.category == category)
    items = {i.id: i for i in db.session.scalars(item_q)}
    policies = policy_table()
    held = shelves(today, set(sites))
    pairs = {key for key in held if key[0] in sites and key[1] in items}
    pairs |= {(site_key, item_id) for item_id, site_key in policies
              if site_key in sites and item_id in items}
    transit = in_transit_by_site_item(set(sites))
    pairs |= {key for key in transit if key[1] in items}
    series = ledger_series(days, set(sites), set(items))
    size = len(days)
    figures = []
    for site_id, item_id in pairs:
        shelf = held.get((site_id, item_id)) or Shelf()
        one = series.get((site_id, item_id)) or Series([0] * size, [0] * size)
        eod = formula.end_of_day_balances(shelf.on_hand, one.net, one.net_after)
        stockout = formula.stockout_days(eod)
        amc = formula.amc(one.consumed_total, stockout)
        months = formula.months_of_stock(shelf.on_hand, amc)
        low, high = resolve(policies, site_id, item_id)
        in_transit = transit.get((site_id, item_id), 0)
        item = items[item_id]
        figures.append(Figure(
            site=sites[site_id], item=item, on_hand=shelf.on_hand, in_transit=in_transit,
            amc=amc, stockout_days=stockout, months_of_stock=months, min_months=low,
            max_months=high, status=formula.status(shelf.on_hand, months, low, high),
            shelf=shelf, series=one, end_of_day=eod,
            suggestion=formula.suggestion(shelf.on_hand, in_transit, amc, months, low, high,
                                          item.pack_size)))
    figures.sort(key=lambda f: (f.site.code, f.item.display_order, f.item.code))
    return figures


def status_figures(user, site_codes: list[str] | None = None, status: str | None = None,
                   category: str | None = None, today: date | None = None) -> list[Figure]:
    """The figures ``user`` may see, filtered by sites, status and item category.

    Raises InvalidInput (unknown site, status or category), Forbidden (site not assigned)."""
    if status and status not in formula.STATUSES:
        raise InvalidInput(f"Status is one of {', '.join(formula.STATUSES)}.", field="status")
    if category and category not in ITEM_CATEGORIES:
        raise InvalidInput(f"Unknown category {category!r}.", field="category")
    figures = compute(visible_site_ids(user, site_codes), today, category)
    return [f for f in figures if not status or f.status == status]


def suggestions(user, site_codes: list[str] | None = None, today: date | None = None
                ) -> list[Figure]:
    """The figures with a reorder suggestion. Raises as :func:`status_figures`."""
    return [f for f in status_figures(user, site_codes, today=today) if f.suggestion]
