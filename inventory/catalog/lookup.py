"""Resolve the codes API clients and forms use into rows, with errors that name the field."""
from collections import namedtuple
from datetime import date

from sqlalchemy import bindparam, select

from inventory.catalog.models import Item, Lot, Site
from inventory.database import upsert_insert
from inventory.errors import InvalidInput
from inventory.extensions import db
from inventory.labels import N_
from inventory.prepared import Prepared, PreparedIn

# Lookups return read-only rows (named tuples, with attribute access like the models) rather
# than ORM objects, from prepared statements: they sit on the busiest write path, and nothing
# here is changed.
_SITE = Prepared(select(Site.__table__).where(Site.__table__.c.code == bindparam("code")))
_ITEMS = PreparedIn("code", lambda names: select(Item.__table__).where(
    Item.__table__.c.code.in_([bindparam(name) for name in names])))


_site_columns, _item_columns = Site.__table__.c, Item.__table__.c
SiteRow = namedtuple("SiteRow", _site_columns.keys())
ItemRow = namedtuple("ItemRow", _item_columns.keys())
# Site and items in one statement (one round trip on PostgreSQL): a row per item found, or one
# row with no item; no row for an unknown site.
_SITE_AND_ITEMS = PreparedIn("code", lambda names: select(
    *(c.label(f"site_{c.key}") for c in _site_columns),
    *(c.label(f"item_{c.key}") for c in _item_columns),
).select_from(Site.__table__.outerjoin(
    Item.__table__, _item_columns.code.in_([bindparam(name) for name in names])
)).where(_site_columns.code == bindparam("site_code")))


def site_and_items(site_code: str, item_codes: list[str]) -> tuple[SiteRow, dict[str, ItemRow]]:
    """The site row with ``site_code`` (active or not) and the item rows for ``item_codes``,
    as :func:`site_by_code` and :func:`items_by_code` give them, in one query.

    Raises InvalidInput (field ``site``) when the site is unknown.
    """
    if not item_codes:
        return site_by_code(site_code, active_only=False), {}
    rows = _SITE_AND_ITEMS.rows(db.session.connection(), sorted(set(item_codes)),
                                {"site_code": site_code})
    if not rows:
        raise InvalidInput(f"Unknown site {site_code!r}.", field="site")
    width = len(SiteRow._fields)
    items = (ItemRow(*row[width:]) for row in rows if row[width] is not None)
    return SiteRow(*rows[0][:width]), {item.code: item for item in items}


def site_by_code(code: str, field: str = "site", active_only: bool = True) -> tuple:
    """The site row with ``code``. Raises InvalidInput when unknown or (for writes) inactive."""
    site = _SITE.first(db.session.connection(), {"code": code})
    if site is None:
        raise InvalidInput(N_("Unknown site %(site)s."), field=field,
                           params={"site": repr(code)})
    if active_only:
        require_active(site, "Site", field)
    return site


def require_active(row, kind: str, field: str) -> None:
    """Raise InvalidInput naming ``field`` when the site or item ``row`` is inactive."""
    if not row.active:
        raise InvalidInput(f"{kind} {row.code!r} is inactive.", field=field)


def items_by_code(codes: list[str]) -> dict[str, tuple]:
    """Item rows for ``codes`` in one query (unknown codes are simply absent)."""
    if not codes:
        return {}
    rows = _ITEMS.rows(db.session.connection(), sorted(set(codes)))
    return {i.code: i for i in rows}


def item_by_code(code: str, field: str, items: dict[str, tuple] | None = None) -> tuple:
    """The active item row with ``code``. Raises InvalidInput naming ``field`` otherwise."""
    item = (items if items is not None else items_by_code([code])).get(code)
    if item is None:
        raise InvalidInput(f"Unknown item {code!r}.", field=field)
    require_active(item, "Item", field)
    return item


def lot_for(item: Item | tuple, lot_code: str | None, expires_on: date | None,
            field: str) -> Lot | None:
    """Find or create the lot ``lot_code`` of ``item``; None means the unknown lot.

    Raises InvalidInput when the expiry contradicts the one already recorded for that lot.
    """
    if not lot_code:
        return None
    lot = db.session.scalar(select(Lot).where(Lot.item_id == item.id, Lot.lot_code == lot_code))
    if lot is None:
        # Two receipts of a new lot may race; the loser simply finds the winner's row.
        db.session.execute(
            upsert_insert(Lot.__table__, db.engine.dialect.name)
            .values(item_id=item.id, lot_code=lot_code, expires_on=expires_on)
            .on_conflict_do_nothing(index_elements=["item_id", "lot_code"])
        )
        lot = db.session.scalar(
            select(Lot).where(Lot.item_id == item.id, Lot.lot_code == lot_code)
        )
    elif expires_on is not None and lot.expires_on not in (None, expires_on):
        raise InvalidInput(
            N_("Lot %(lot)s of %(item)s expires on %(date)s, not %(given)s."),
            field=f"{field}.expires_on",
            params={"lot": lot_code, "item": item.code, "date": lot.expires_on,
                    "given": expires_on},
        )
    elif expires_on is not None and lot.expires_on is None:
        lot.expires_on = expires_on
    return lot


def existing_lot(item: Item | tuple, lot_code: str | None, field: str) -> Lot | None:
    """The recorded lot ``lot_code`` of ``item`` (None for the unknown lot). Raises InvalidInput."""
    if not lot_code:
        return None
    lot = db.session.scalar(select(Lot).where(Lot.item_id == item.id, Lot.lot_code == lot_code))
    if lot is None:
        raise InvalidInput(N_("Unknown lot %(lot)s of %(item)s."), field=f"{field}.lot",
                       params={"lot": repr(lot_code), "item": item.code})
    return lot


def only_visible_sites(stmt, site_column, user, site_codes: list[str] | None):
    """Filter ``stmt`` to the sites ``site_codes`` names or, without any, to every site
    ``user`` may see.

    Raises InvalidInput (unknown site), Forbidden (a site ``user`` is not assigned to).
    """
    from inventory.auth.permissions import ensure_site_access, site_scope

    if site_codes:
        ids = []
        for code in site_codes:
            site = site_by_code(code, active_only=False)
            ensure_site_access(user, site)
            ids.append(site.id)
        return stmt.where(site_column.in_(ids))
    if (scope := site_scope(user)) is not None:
        return stmt.where(site_column.in_(scope or {-1}))
    return stmt
