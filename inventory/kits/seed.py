"""The standard kits, built from the standard catalogue (inventory/catalog/seed.py)."""
from sqlalchemy import func, select

from inventory.catalog.models import Item
from inventory.extensions import db
from inventory.kits.models import Kit, KitItem

# code, name, [(item code, quantity)]
STANDARD_KITS = [
    ("INJECTION", "Injection kit",
     [("SYR-1ML-28G", 10), ("COOKER", 10), ("COTTON", 10), ("TOURNIQUET", 1)]),
    ("SMOKING", "Safer smoking kit", [("SMOKE-KIT", 1), ("FTS", 2)]),
    ("NALOXONE", "Naloxone kit", [("NARCAN-4MG", 1)]),
    ("SAFER-SEX", "Safer sex kit", [("CONDOM-EXT", 10), ("LUBE", 10)]),
]


def seed_kits() -> int:
    """Add the standard kits when there is no kit yet. A kit line whose item is not in the
    catalogue (an admin removed or renamed it) is left out; a kit left empty is not made.
    Returns how many kits were added."""
    if db.session.scalar(select(func.count()).select_from(Kit)):
        return 0
    items = {i.code: i for i in db.session.scalars(select(Item).where(Item.active.is_(True)))}
    added = 0
    for code, name, lines in STANDARD_KITS:
        present = [(items[item], quantity) for item, quantity in lines if item in items]
        if not present:
            continue
        added += 1
        db.session.add(Kit(code=code, name=name, display_order=added * 10, items=[
            KitItem(item=item, quantity=quantity, position=index)
            for index, (item, quantity) in enumerate(present)]))
    db.session.flush()
    return added
