"""First run: bring the schema to head and seed the standard catalogue, kits and reasons."""
from flask_migrate import upgrade

from inventory.catalog.seed import seed_catalogue
from inventory.extensions import db
from inventory.kits.seed import seed_kits
from inventory.onsite.services import seed_services
from inventory.stock.seed import seed_reasons


def _at_head() -> bool:
    """Whether the database's Alembic revision is already the migrations' head."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from flask import current_app

    config = current_app.extensions["migrate"].migrate.get_config()
    heads = set(ScriptDirectory.from_config(config).get_heads())
    with db.engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads()) == heads


def prepare_database() -> None:
    """Apply migrations and seed what a new program needs. Safe to run at every start.

    Alembic runs (and logs) only when there is a migration to apply, so that every CLI
    command on an up-to-date database does not start with Alembic's log lines.
    """
    if not _at_head():
        upgrade()
    seed_catalogue()
    seed_kits()
    seed_reasons()
    seed_services()
    db.session.commit()


# --- Setup state -------------------------------------------------------------------------------
# Until an admin exists, HTML pages send people to /setup. Once it is done it never goes back, so
# each process remembers that and stops asking the database.
_SETUP_DONE_KEY = "inventory.setup_done"


def setup_done() -> bool:
    """True once an active admin exists; cached per app (per process) after the first True."""
    from flask import current_app

    if current_app.extensions.get(_SETUP_DONE_KEY):
        return True
    from inventory.auth.services import admin_exists

    done = admin_exists()
    if done:
        current_app.extensions[_SETUP_DONE_KEY] = True
    return done


def forget_setup_state() -> None:
    """Drop the cached flag (tests that empty the database call this)."""
    from flask import current_app

    current_app.extensions.pop(_SETUP_DONE_KEY, None)
