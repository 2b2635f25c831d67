"""The standard catalogue of docs/design.md, seeded on first run; admins edit it afterwards."""
from sqlalchemy import func, select

from inventory.catalog.models import Item
from inventory.extensions import db

# code, name, category, unit, pack size, doses per unit, tracks expiry
STANDARD_ITEMS = [
    ("SYR-1ML-28G", '1 mL 28G ½" syringe', "syringe", "syringe", 100, 1, False),
    ("SYR-1ML-27G", '1 mL 27G ½" syringe', "syringe", "syringe", 100, 1, False),
    ("SYR-05ML-29G", '0.5 mL 29G ½" syringe', "syringe", "syringe", 100, 1, False),
    ("SYR-3ML-25G", '3 mL 25G 1" syringe', "syringe", "syringe", 100, 1, False),
    ("COOKER", "Cooker", "injection_supply", "each", 100, 1, False),
    ("COTTON", "Cotton filter", "injection_supply", "each", 200, 1, False),
    ("TOURNIQUET", "Tourniquet", "injection_supply", "each", 50, 1, False),
    ("WATER-10ML", "Sterile water 10 mL", "injection_supply", "vial", 100, 1, False),
    ("ALCOHOL-PAD", "Alcohol pad", "injection_supply", "each", 200, 1, False),
    ("SHARPS-1QT", "Sharps container 1 qt", "injection_supply", "each", 24, 1, False),
    ("NARCAN-4MG", "Naloxone nasal spray 4 mg twin pack", "naloxone", "kit", 24, 2, True),
    ("NALOXONE-IM", "Naloxone intramuscular 0.4 mg/mL kit", "naloxone", "kit", 10, 2, True),
    ("FTS", "Fentanyl test strip", "fentanyl_test_strip", "strip", 100, 1, True),
    ("XTS", "Xylazine test strip", "xylazine_test_strip", "strip", 100, 1, True),
    ("CONDOM-EXT", "External condom", "condom", "each", 144, 1, False),
    ("CONDOM-INT", "Internal condom", "condom", "each", 100, 1, False),
    ("LUBE", "Lubricant packet", "condom", "each", 500, 1, False),
    ("SMOKE-KIT", "Safer smoking kit (pipe, mouthpieces, screens)", "smoking_kit", "kit", 50, 1, False),
    ("SNORT-KIT", "Safer snorting kit", "smoking_kit", "kit", 50, 1, False),
    ("WOUND-KIT", "Wound care kit", "wound_care", "kit", 25, 1, False),
]


def seed_catalogue() -> int:
    """Insert the standard items when the catalogue is empty. Returns how many were added."""
    if db.session.scalar(select(func.count()).select_from(Item)):
        return 0
    for order, (code, name, category, unit, pack, doses, expiry) in enumerate(STANDARD_ITEMS):
        db.session.add(Item(code=code, name=name, category=category, unit=unit, pack_size=pack,
                            doses_per_unit=doses, tracks_expiry=expiry,
                            display_order=(order + 1) * 10))
    db.session.flush()
    return len(STANDARD_ITEMS)
