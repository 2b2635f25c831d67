"""Sites, items and first-run setup, as admins change them. Services flush; the caller commits.

Errors: :class:`inventory.errors.InvalidInput` naming the field; :class:`inventory.errors.NotFound`.
Every change writes an audit entry with what changed.
"""
import re

from sqlalchemy import func, select

from inventory.audit.services import apply_changes, record
from inventory.auth.models import User
from inventory.auth.services import admin_exists, create_user
from inventory.catalog.models import ITEM_CATEGORIES, SITE_KINDS, Item, Site
from inventory.catalog.seed import seed_catalogue
from inventory.errors import InvalidInput, NotFound
from inventory.extensions import db
from inventory.kits.seed import seed_kits
from inventory.settings.services import DEFAULT_SUPPRESSION_THRESHOLD, save_settings
from inventory.stock.seed import seed_reasons

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
SITE_FIELDS = ("code", "name", "kind", "active")
ITEM_FIELDS = ("code", "name", "category", "unit", "pack_size", "doses_per_unit",
               "tracks_expiry", "display_order", "active")


def _text(value, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise InvalidInput(f"{label} is required.", field=field)
    if len(value) > max_length:
        raise InvalidInput(f"{label} must be at most {max_length} characters.", field=field)
    return value


def _code(value, max_length: int) -> str:
    code = _text(value, "code", "Code", max_length)
    if not CODE_RE.match(code):
        raise InvalidInput("Code may hold letters, digits, '-', '_' and '.', no spaces.",
                           field="code")
    return code


def _int(value, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{label} must be a whole number.", field=field) from None
    if not low <= number <= high:
        raise InvalidInput(f"{label} must be between {low} and {high}.", field=field)
    return number


def _unique(model, code: str, exclude_id: int | None, what: str) -> None:
    query = select(model.id).where(func.lower(model.code) == code.lower())
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise InvalidInput(f"A {what} with code {code} already exists.", field="code")


# --- Sites -------------------------------------------------------------------------------------

def list_sites(include_inactive: bool = True) -> list[Site]:
    query = select(Site).order_by(Site.code)
    if not include_inactive:
        query = query.where(Site.active.is_(True))
    return list(db.session.scalars(query))


def get_site(site_id: int) -> Site:
    site = db.session.get(Site, site_id)
    if site is None:
        raise NotFound("No such site.", field="site")
    return site


def _site_values(code, name, kind, active, exclude_id=None) -> dict:
    code = _code(code, 32)
    _unique(Site, code, exclude_id, "site")
    name = _text(name, "name", "Name", 120)
    if kind not in SITE_KINDS:
        raise InvalidInput(f"Kind must be one of {', '.join(SITE_KINDS)}.", field="kind")
    return {"code": code, "name": name, "kind": kind, "active": bool(active)}


def create_site(code: str, name: str, kind: str, active: bool = True, actor=None) -> Site:
    """Create a site; InvalidInput for a bad or duplicate code, missing name, unknown kind."""
    values = _site_values(code, name, kind, active)
    site = Site(**values)
    db.session.add(site)
    db.session.flush()
    record("create", "site", site.id, values, actor)
    return site


def update_site(site: Site, code: str, name: str, kind: str, active: bool, actor=None) -> Site:
    """Change a site's fields; raises InvalidInput as :func:`create_site`."""
    values = _site_values(code, name, kind, active, exclude_id=site.id)
    changes = apply_changes(site, values, SITE_FIELDS)
    if changes:
        record("update", "site", site.id, {"code": site.code, "changes": changes}, actor)
    return site


# --- Items -------------------------------------------------------------------------------------

def list_items() -> list[Item]:
    """Every item in display order (then code)."""
    return list(db.session.scalars(select(Item).order_by(Item.display_order, Item.code)))


def get_item(item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    if item is None:
        raise NotFound("No such item.", field="item")
    return item


def _item_values(data: dict, exclude_id=None) -> dict:
    code = _code(data.get("code"), 40)
    _unique(Item, code, exclude_id, "item")
    category = data.get("category")
    if category not in ITEM_CATEGORIES:
        raise InvalidInput(f"Category must be one of {', '.join(ITEM_CATEGORIES)}.",
                           field="category")
    return {
        "code": code,
        "name": _text(data.get("name"), "name", "Name", 160),
        "category": category,
        "unit": _text(data.get("unit"), "unit", "Unit", 20),
        "pack_size": _int(data.get("pack_size"), "pack_size", "Pack size", 1, 100_000),
        "doses_per_unit": _int(data.get("doses_per_unit"), "doses_per_unit", "Doses per unit",
                               1, 1000),
        "tracks_expiry": bool(data.get("tracks_expiry")),
        "display_order": _int(data.get("display_order", 0), "display_order", "Display order",
                              -1_000_000, 1_000_000),
        "active": bool(data.get("active", True)),
    }


def create_item(data: dict, actor=None) -> Item:
    """Create an item from ``data`` (keys of :data:`ITEM_FIELDS`); raises InvalidInput."""
    values = _item_values(data)
    item = Item(**values)
    db.session.add(item)
    db.session.flush()
    record("create", "item", item.id, values, actor)
    return item


def update_item(item: Item, data: dict, actor=None) -> Item:
    """Change every field of ``item`` from ``data``; raises InvalidInput."""
    values = _item_values(data, exclude_id=item.id)
    changes = apply_changes(item, values, ITEM_FIELDS)
    if changes:
        record("update", "item", item.id, {"code": item.code, "changes": changes}, actor)
    return item


# --- First run ---------------------------------------------------------------------------------

def complete_setup(email: str, password: str, program_name: str, timezone: str,
                   fiscal_year_start_month: int,
                   suppression_threshold: int = DEFAULT_SUPPRESSION_THRESHOLD) -> User:
    """Create the first admin and the program settings, once, and seed the standard catalogue,
    kits and stock reasons where they are missing (a PostgreSQL database is only migrated, never
    seeded at start-up).

    Raises InvalidInput for bad input (field named), or InvalidInput(field="email") when an admin
    already exists (setup is over).
    """
    if admin_exists():
        raise InvalidInput("Setup is already complete; sign in instead.", field="email")
    # Settings first: its fixed primary key makes a concurrent second setup fail.
    save_settings(program_name, timezone, fiscal_year_start_month, suppression_threshold)
    admin = create_user(email, "admin", (), password)
    seed_catalogue()
    seed_kits()
    seed_reasons()
    record("setup", "program", None, {"admin": admin.email}, admin)
    return admin
