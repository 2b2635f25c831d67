"""Reorder policies: min and max months of stock per item (defaults 1 and 3) and per-site
overrides. Every change is audited. Services flush; the caller commits."""
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from inventory.audit.services import record
from inventory.catalog.lookup import item_by_code, site_by_code
from inventory.catalog.models import Item, Site
from inventory.database import begin_write
from inventory.errors import InvalidInput
from inventory.extensions import db
from inventory.reorder.formula import DEFAULT_MAX_MONTHS, DEFAULT_MIN_MONTHS
from inventory.reorder.models import ReorderPolicy

MAX_MONTHS_LIMIT = Decimal(60)


def policy_table() -> dict[tuple[int, int], tuple[Decimal, Decimal]]:
    """Every stored policy: ``(item_id, site_key)`` → (min_months, max_months); site_key 0 is
    the item's own policy."""
    rows = db.session.execute(select(ReorderPolicy.item_id, ReorderPolicy.site_key,
                                     ReorderPolicy.min_months, ReorderPolicy.max_months))
    return {(item_id, key): (Decimal(lo), Decimal(hi)) for item_id, key, lo, hi in rows}


def resolve(table: dict, site_id: int, item_id: int) -> tuple[Decimal, Decimal]:
    """The site's override, else the item's policy, else the defaults (1 and 3 months)."""
    return (table.get((item_id, site_id)) or table.get((item_id, 0))
            or (DEFAULT_MIN_MONTHS, DEFAULT_MAX_MONTHS))


def _months(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError):
        raise InvalidInput("Give a number of months.", field=field) from None
    if not Decimal(0) <= number <= MAX_MONTHS_LIMIT:
        raise InvalidInput(f"Months must be from 0 to {MAX_MONTHS_LIMIT}.", field=field)
    return number


def set_policy(user, item_code: str, site_code: str | None, min_months, max_months
               ) -> ReorderPolicy:
    """Create or change the policy of an item (``site_code`` None) or a site's override.

    Raises InvalidInput (unknown or inactive item/site, months out of range, max below min).
    """
    item = item_by_code(item_code, "item")
    site = site_by_code(site_code, "site", active_only=False) if site_code else None
    low, high = _months(min_months, "min_months"), _months(max_months, "max_months")
    if high < low:
        raise InvalidInput("max_months must not be below min_months.", field="max_months")
    begin_write(db.session)
    key = site.id if site else 0
    policy = db.session.scalar(select(ReorderPolicy).where(
        ReorderPolicy.item_id == item.id, ReorderPolicy.site_key == key))
    where = {"item": item.code, "site": site.code if site else None}
    if policy is None:
        policy = ReorderPolicy(item_id=item.id, site_id=site.id if site else None, site_key=key,
                               min_months=low, max_months=high)
        db.session.add(policy)
        db.session.flush()
        record("create", "reorder_policy", policy.id,
               where | {"min_months": str(low), "max_months": str(high)}, user)
        return policy
    changes = {name: [str(getattr(policy, name)), str(new)]
               for name, new in (("min_months", low), ("max_months", high))
               if Decimal(getattr(policy, name)) != new}
    if changes:
        policy.min_months, policy.max_months = low, high
        db.session.flush()
        record("update", "reorder_policy", policy.id, where | {"changes": changes}, user)
    return policy


def policy_rows() -> list[dict]:
    """Every item with its policy and the site overrides, for the policies page."""
    table = policy_table()
    sites = {s.id: s for s in db.session.scalars(select(Site))}
    rows = []
    for item in db.session.scalars(select(Item).where(Item.active)
                                   .order_by(Item.display_order, Item.code)):
        low, high = resolve(table, 0, item.id)
        overrides = [{"site": sites[key].code, "min_months": lo, "max_months": hi}
                     for (item_id, key), (lo, hi) in sorted(table.items())
                     if item_id == item.id and key and key in sites]
        rows.append({"item": item, "min_months": low, "max_months": high,
                     "overrides": overrides})
    return rows
