"""Seeded adjustment and disposal reasons."""
from sqlalchemy import select

from inventory.extensions import db
from inventory.stock.models import StockReason

STANDARD_REASONS = [
    ("expired", "Expired", False),
    ("damaged", "Damaged", False),
    ("lost", "Lost", False),
    ("found", "Found", False),
    ("count_variance", "Count variance", False),
    ("transfer_shortfall", "Transfer shortfall", False),
    ("other", "Other (note required)", True),
]


def seed_reasons() -> int:
    """Add any standard reason that is missing. Returns how many were added."""
    known = set(db.session.scalars(select(StockReason.code)))
    added = 0
    for code, label, requires_note in STANDARD_REASONS:
        if code not in known:
            db.session.add(StockReason(code=code, label=label, requires_note=requires_note))
            added += 1
    db.session.flush()
    return added
