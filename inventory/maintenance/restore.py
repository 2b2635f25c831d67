"""Restoring a SQLite backup (as ``flask backup`` writes it) over the app's database.

PostgreSQL backups are restored with ``pg_restore`` (docs/deploy.md), not here.
Errors: :class:`RestoreError` with a message for the person at the terminal.
"""
import sqlite3
from pathlib import Path

from sqlalchemy import func, select

from inventory.extensions import db

# Seeded at every start (inventory.first_run): a database holding only these is empty.
SEEDED_TABLES = {"item", "stock_reason", "kit", "kit_item", "onsite_service"}


class RestoreError(Exception):
    """The restore was refused; nothing was changed."""


def tables_with_rows(connection, skip=frozenset()) -> list[str]:
    """Names of the app's tables that hold at least one row (tables not created yet: none)."""
    from sqlalchemy import inspect

    present = set(inspect(connection).get_table_names())
    return [table.name for table in db.metadata.sorted_tables
            if table.name in present and table.name not in skip
            and connection.execute(select(func.count()).select_from(table)).scalar()]


def backup_revision(path: Path) -> str:
    """The Alembic revision of the SQLite backup at ``path``; RestoreError if it is not one."""
    with path.open("rb") as file:
        if file.read(16) != b"SQLite format 3\x00":
            raise RestoreError(f"{path} is not a SQLite database (PostgreSQL backups are "
                               "restored with pg_restore: see docs/deploy.md).")
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = source.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    finally:
        source.close()
    if row is None:
        raise RestoreError(f"{path} is not a backup of this app (no schema version in it).")
    return row[0]


def restore_sqlite(backup: Path, database: str, known_revisions: set[str],
                   force: bool = False) -> None:
    """Replace the SQLite database file ``database`` with the backup, page by page, with
    SQLite's backup API (the write-ahead log included). Stop the app servers first.

    Raises RestoreError when the backup is not one of this app, is of a schema this code does
    not know, or when the database holds data and ``force`` is False.
    """
    revision = backup_revision(backup)
    if revision not in known_revisions:
        raise RestoreError(f"The backup's schema ({revision}) is newer than this code: "
                           "upgrade the app first.")
    if not force:
        with db.engine.connect() as connection:
            filled = tables_with_rows(connection, skip=SEEDED_TABLES)
        if filled:
            raise RestoreError("The database already holds data (" + ", ".join(filled) +
                               "); restoring would replace it. Add --force to do so.")
    db.session.remove()
    db.engine.dispose()  # no pooled connection may keep reading the old pages
    source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    target = sqlite3.connect(database)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
