"""Kits as admins change them, and as the handout screen reads them. Services flush; the caller
commits.

Errors: :class:`inventory.errors.InvalidInput` naming the field (``code``, ``name``,
``display_order``, ``items``); :class:`inventory.errors.NotFound`. Every change writes an audit
entry with what changed.
"""
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from inventory.audit.services import apply_changes, record
from inventory.catalog.models import Item
from inventory.errors import InvalidInput, NotFound
from inventory.extensions import db
from inventory.input_rules import BAD_TEXT_MESSAGE, bad_text
from inventory.kits.models import Kit, KitItem

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
# One kit line above this is a typo, not a preset someone hands out in one tap.
MAX_KIT_QUANTITY = 1000
MAX_KIT_LINES = 30
KIT_FIELDS = ("code", "name", "display_order", "active")


@dataclass(frozen=True)
class KitLine:
    item: str       # item code
    quantity: int


def _text(value, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if bad_text(value):
        raise InvalidInput(BAD_TEXT_MESSAGE, field=field)
    if not value:
        raise InvalidInput(f"{label} is required.", field=field)
    if len(value) > max_length:
        raise InvalidInput(f"{label} must be at most {max_length} characters.", field=field)
    return value


def _int(value, field: str, label: str, low: int, high: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{label} must be a whole number.", field=field) from None
    if not low <= number <= high:
        raise InvalidInput(f"{label} must be from {low} to {high}.", field=field)
    return number


def _code(value, exclude_id: int | None) -> str:
    code = _text(value, "code", "Code", 32)
    if not CODE_RE.match(code):
        raise InvalidInput("Code may hold letters, digits, '-', '_' and '.', no spaces.",
                           field="code")
    query = select(Kit.id).where(func.lower(Kit.code) == code.lower())
    if exclude_id is not None:
        query = query.where(Kit.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise InvalidInput(f"A kit with code {code} already exists.", field="code")
    return code


def _lines(lines) -> list[tuple[Item, int]]:
    """Each (item code, quantity) as (active Item, quantity). Raises InvalidInput(field="items")
    for no line, too many, an unknown or inactive item, an item twice, or a quantity out of
    1..MAX_KIT_QUANTITY."""
    lines = list(lines or ())
    if not lines:
        raise InvalidInput("A kit needs at least one item.", field="items")
    if len(lines) > MAX_KIT_LINES:
        raise InvalidInput(f"A kit holds at most {MAX_KIT_LINES} items.", field="items")
    codes = [str(line.item or "").strip() for line in lines]
    items = {i.code: i for i in db.session.scalars(select(Item).where(Item.code.in_(codes)))}
    checked, seen = [], set()
    for code, line in zip(codes, lines):
        item = items.get(code)
        if item is None or not item.active:
            raise InvalidInput(f"No active item {code!r} in the catalogue.", field="items")
        if code in seen:
            raise InvalidInput(f"Item {code} is listed twice.", field="items")
        seen.add(code)
        quantity = _int(line.quantity, "items", f"Quantity of {code}", 1, MAX_KIT_QUANTITY)
        checked.append((item, quantity))
    return checked


def _values(code, name, display_order, active, exclude_id=None) -> dict:
    return {"code": _code(code, exclude_id), "name": _text(name, "name", "Name", 80),
            "display_order": _int(display_order, "display_order", "Display order",
                                  -1_000_000, 1_000_000),
            "active": bool(active)}


def _set_lines(kit: Kit, checked: list[tuple[Item, int]]) -> None:
    kit.items.clear()
    db.session.flush()  # the old lines go before new ones take their (kit, item) pairs
    kit.items.extend(KitItem(item=item, quantity=quantity, position=index)
                     for index, (item, quantity) in enumerate(checked))


def _line_summary(kit: Kit) -> list[list]:
    return [[line.item.code, line.quantity] for line in kit.items]


def list_kits(active_only: bool = False) -> list[Kit]:
    """Kits in display order (then code), with their lines and items loaded."""
    query = (select(Kit).options(selectinload(Kit.items).selectinload(KitItem.item))
             .order_by(Kit.display_order, Kit.code))
    if active_only:
        query = query.where(Kit.active.is_(True))
    return list(db.session.scalars(query))


def get_kit(kit_id: int) -> Kit:
    kit = db.session.get(Kit, kit_id)
    if kit is None:
        raise NotFound("No such kit.", field="kit")
    return kit


def next_display_order() -> int:
    """An order after every kit's (new kits go last)."""
    return (db.session.scalar(select(func.max(Kit.display_order))) or 0) + 10


def create_kit(code: str, name: str, lines, display_order: int | None = None,
               active: bool = True, actor=None) -> Kit:
    """Create a kit of ``lines`` (:class:`KitLine`); raises InvalidInput as described above."""
    if display_order is None:
        display_order = next_display_order()
    values = _values(code, name, display_order, active)
    checked = _lines(lines)
    kit = Kit(**values)
    db.session.add(kit)
    _set_lines(kit, checked)
    db.session.flush()
    record("create", "kit", kit.id, {**values, "items": _line_summary(kit)}, actor)
    return kit


def update_kit(kit: Kit, code: str, name: str, lines, display_order: int, active: bool,
               actor=None) -> Kit:
    """Change every field and line of ``kit``; raises InvalidInput as :func:`create_kit`."""
    values = _values(code, name, display_order, active, exclude_id=kit.id)
    checked = _lines(lines)
    before = _line_summary(kit)
    changes = apply_changes(kit, values, KIT_FIELDS)
    after = [[item.code, quantity] for item, quantity in checked]
    if after != before:
        _set_lines(kit, checked)
        changes["items"] = [before, after]
    db.session.flush()
    if changes:
        record("update", "kit", kit.id, {"code": kit.code, "changes": changes}, actor)
    return kit


def set_active(kit: Kit, active: bool, actor=None) -> Kit:
    """Show (``active``) or hide a kit on the handout screen; audited when it changes."""
    changes = apply_changes(kit, {"active": bool(active)})
    if changes:
        record("update", "kit", kit.id, {"code": kit.code, "changes": changes}, actor)
    return kit


def move_kit(kit: Kit, step: int, actor=None) -> Kit:
    """Move ``kit`` one place earlier (``step`` -1) or later (+1) among all kits; the orders
    are renumbered 10, 20, 30… Moving the first kit up or the last down changes nothing."""
    if step not in (-1, 1):
        raise InvalidInput("Move a kit up or down by one place.", field="step")
    kits = list_kits()
    index = kits.index(kit)
    target = index + step
    if not 0 <= target < len(kits):
        return kit
    kits[index], kits[target] = kits[target], kits[index]
    for position, row in enumerate(kits):
        row.display_order = (position + 1) * 10
    record("reorder", "kit", kit.id, {"code": kit.code, "order": [k.code for k in kits]}, actor)
    return kit
