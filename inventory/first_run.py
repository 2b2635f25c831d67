"""First run: bring the schema to head and seed the standard catalogue and reasons."""
from flask_migrate import upgrade

from inventory.catalog.seed import seed_catalogue
from inventory.extensions import db
from inventory.stock.seed import seed_reasons


def prepare_database() -> None:
    """Apply migrations and seed what a new program needs. Safe to run at every start."""
    upgrade()
    seed_catalogue()
    seed_reasons()
    db.session.commit()
