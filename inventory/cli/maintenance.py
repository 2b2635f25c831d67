"""``flask restore`` (SQLite) and ``flask move-data`` (to PostgreSQL)."""
from pathlib import Path

import click
from flask import current_app

from inventory.database import read_only_transactions
from inventory.extensions import db


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    config = current_app.extensions["migrate"].migrate.get_config()
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


def _report_ledger() -> bool:
    """Run the ledger check on the current app's database; True when clean."""
    from inventory.stock.check import find_mismatches

    with read_only_transactions():
        mismatches = find_mismatches()
        db.session.rollback()
    if mismatches:
        click.echo(f"check-ledger: {len(mismatches)} mismatch(es); run "
                   "`flask --app wsgi check-ledger` for the list.")
        return False
    click.echo("check-ledger: every balance equals the sum of its ledger lines.")
    return True


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Replace a database that already holds data (users, sites, the ledger...).")
def restore_command(file: Path, force: bool) -> None:
    """Restore FILE, a SQLite backup written by `flask backup`, over this app's SQLite
    database; then bring it to the current schema and check the ledger. Stop the app first.

    PostgreSQL is restored with pg_restore (docs/deploy.md)."""
    from inventory.first_run import _at_head
    from inventory.maintenance.restore import RestoreError, restore_sqlite

    url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException("This database is PostgreSQL: restore a pg_dump archive "
                                   "with pg_restore (see docs/deploy.md).")
    if not url.database or url.database == ":memory:":
        raise click.ClickException("An in-memory SQLite database cannot be restored into.")
    try:
        restore_sqlite(file, url.database, _known_revisions(), force=force)
    except RestoreError as error:
        raise click.ClickException(str(error)) from error
    if not _at_head():
        from flask_migrate import upgrade

        upgrade()
    click.echo(f"Restored {file} into {url.database}.")
    if not _report_ledger():
        click.get_current_context().exit(1)


def _move(source_engine, target_engine):
    """Check the target is empty, migrate it, copy, compare counts, check its ledger (in the
    target app's context). Returns (counts per table, ledger clean)."""
    from flask_migrate import upgrade

    from inventory.maintenance import move

    try:
        with target_engine.connect() as connection:
            move.ensure_empty(connection)
    except move.MoveError as error:
        raise click.ClickException(str(error)) from error
    upgrade()
    click.echo(f"Target {target_engine.url.render_as_string()} is at the current schema.")
    # One snapshot of the source; one transaction on the target (all or nothing).
    with read_only_transactions(), source_engine.connect() as source, \
            target_engine.begin() as target:
        move.copy_tables(source, target,
                         lambda table, rows: click.echo(f"  {table:<28} {rows:>10,} rows"))
        move.reset_sequences(target)
    with source_engine.connect() as source, target_engine.connect() as target:
        counts = move.count_rows(source, target)
    return counts, _report_ledger()


@click.command("move-data")
@click.option("--to", "to", required=True, metavar="URL",
              help="The empty PostgreSQL database, e.g. postgresql://user:pw@host/outreach")
def move_data_command(to: str) -> None:
    """Copy this whole program (every table, ids kept) into an EMPTY PostgreSQL database:
    migrate it to the current schema, copy, set its id sequences, compare row counts and run
    check-ledger on it. Stop the app first; the source is not changed."""
    from inventory import create_app
    from inventory.maintenance import move

    try:
        url = move.target_url(to)
    except move.MoveError as error:
        raise click.ClickException(str(error)) from error
    source_engine = db.engine
    target_app = create_app({
        "SQLALCHEMY_DATABASE_URI": url, "AUTO_UPGRADE_SQLITE": False,
        "SECRET_KEY": current_app.config["SECRET_KEY"],
        "PARTICIPANT_CODE_SECRET": current_app.config["PARTICIPANT_CODE_SECRET"],
    })
    with target_app.app_context():
        target_engine = db.engine
        try:
            counts, clean = _move(source_engine, target_engine)
        finally:
            db.session.remove()
            target_engine.dispose()
    different = [c for c in counts if c.source != c.target]
    for c in different:
        click.echo(f"Row counts differ in {c.table}: {c.source} here, {c.target} there.")
    if different or not clean:
        click.get_current_context().exit(1)
    click.echo(f"Moved {sum(c.source for c in counts):,} rows in {len(counts)} tables; "
               "point DATABASE_URL at the new database and keep SECRET_KEY and "
               "PARTICIPANT_CODE_SECRET.")


COMMANDS = [restore_command, move_data_command]
