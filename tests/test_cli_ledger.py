"""flask check-ledger and flask backup."""
import sqlite3

import pytest
from sqlalchemy import func, select, update

from inventory.catalog.models import Item, Lot, Site
from inventory.encounters.models import Encounter
from inventory.stock.models import StockBalance


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def test_check_ledger_lists_a_tampered_balance(cli, db):
    assert cli.invoke(args=["seed-demo", "--events", "60", "--password", "demo-password"]
                      ).exit_code == 0
    assert cli.invoke(args=["check-ledger"]).exit_code == 0
    row = db.session.scalar(select(StockBalance).where(StockBalance.lot_id.is_not(None))
                            .order_by(StockBalance.id))
    site, item, lot = (db.session.get(Site, row.site_id), db.session.get(Item, row.item_id),
                       db.session.get(Lot, row.lot_id))
    before = row.on_hand
    db.session.execute(update(StockBalance).where(StockBalance.id == row.id)
                       .values(on_hand=before + 5))
    db.session.commit()
    result = cli.invoke(args=["check-ledger"])
    assert result.exit_code == 1
    assert "1 mismatch" in result.output
    line = next(line for line in result.output.splitlines() if lot.lot_code in line)
    assert line.split() == [site.code, item.code, lot.lot_code, str(before + 5),
                            str(before)]


def test_backup_writes_a_consistent_copy(cli, db, tmp_path):
    cli.invoke(args=["seed-demo", "--events", "20", "--password", "demo-password"])
    out = tmp_path / "backup.db"
    result = cli.invoke(args=["backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    if db.engine.dialect.name == "sqlite":
        copy = sqlite3.connect(out)
        assert copy.execute("select count(*) from encounter").fetchone()[0] == 20
        assert copy.execute("pragma integrity_check").fetchone()[0] == "ok"
        copy.close()
    else:
        assert out.read_bytes()[:5] == b"PGDMP"  # pg_dump custom format
    assert db.session.scalar(select(func.count()).select_from(Encounter)) == 20
    again = cli.invoke(args=["backup", "--out", str(out)])
    assert again.exit_code != 0 and "already exists" in again.output
