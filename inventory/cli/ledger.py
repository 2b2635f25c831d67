"""``flask check-ledger`` and ``flask backup``."""
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click

from inventory.database import read_only_transactions
from inventory.extensions import db


@click.command("check-ledger")
def check_ledger_command() -> None:
    """Check that every stock balance equals the sum of its ledger lines (exit 1 if not)."""
    from inventory.stock.check import find_mismatches

    with read_only_transactions():
        mismatches = find_mismatches()
        db.session.rollback()
    if not mismatches:
        click.echo("Ledger OK: every balance equals the sum of its ledger lines.")
        return
    click.echo(f"{len(mismatches)} mismatch(es) between balances and the ledger:")
    click.echo(f"  {'site':<10} {'item':<16} {'lot':<18} {'balance':>10} {'ledger sum':>12}")
    for m in mismatches:
        balance = "missing" if m.balance is None else str(m.balance)
        click.echo(f"  {m.site_code:<10} {m.item_code:<16} {m.lot_code or '(unknown lot)':<18} "
                   f"{balance:>10} {m.ledger_sum:>12}")
    click.get_current_context().exit(1)


def _backup_sqlite(database: str, out: Path) -> None:
    """Copy with SQLite's online backup API: consistent even while the app is writing."""
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    target = sqlite3.connect(out)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def _backup_postgres(out: Path) -> None:
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise click.ClickException("pg_dump was not found on PATH; install the PostgreSQL client "
                                   "tools (Debian: postgresql-client) to back up PostgreSQL.")
    url = db.engine.url.set(drivername="postgresql")
    env = dict(os.environ)
    if url.password:  # keep the password out of the process list
        env["PGPASSWORD"] = str(url.password)
    dsn = url.set(password=None).render_as_string(hide_password=False)
    done = subprocess.run([pg_dump, "-Fc", "--no-owner", "-f", str(out), "--dbname", dsn],
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        out.unlink(missing_ok=True)
        raise click.ClickException(f"pg_dump failed: {done.stderr.strip()}")


@click.command("backup")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (SQLite: a database file; PostgreSQL: a pg_dump -Fc archive).")
def backup_command(out: Path) -> None:
    """Write a consistent backup of the database to --out."""
    if out.exists():
        raise click.ClickException(f"{out} already exists; choose a new file.")
    if not out.parent.is_dir():
        raise click.ClickException(f"Folder {out.parent} does not exist.")
    url = db.engine.url
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            raise click.ClickException("An in-memory SQLite database cannot be backed up.")
        _backup_sqlite(url.database, out)
    elif url.get_backend_name() == "postgresql":
        _backup_postgres(out)
    else:
        raise click.ClickException(f"No backup method for {url.get_backend_name()}.")
    click.echo(f"Backup written to {out} ({out.stat().st_size:,} bytes).")


COMMANDS = [check_ledger_command, backup_command]
