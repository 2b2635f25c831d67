"""flask seed-demo: a realistic program whose balances equal the ledger."""
import re
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from inventory.auth.models import User
from inventory.catalog.models import Item, Lot, Site
from inventory.encounters.models import Encounter, EncounterItem
from inventory.participants.models import Participant
from inventory.settings.models import ProgramSettings
from inventory.stock.models import StockBalance, StockEvent, StockEventLine


def _count(db, model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def test_seed_demo_builds_a_consistent_program(cli, db):
    result = cli.invoke(args=["seed-demo", "--events", "200", "--password", "demo-password"])
    assert result.exit_code == 0, result.output
    check = cli.invoke(args=["check-ledger"])
    assert check.exit_code == 0, check.output

    kinds = [s.kind for s in db.session.scalars(select(Site))]
    assert len(kinds) >= 6 and "warehouse" in kinds and "mobile" in kinds
    users = {u.role: u for u in db.session.scalars(select(User))}
    assert set(users) == {"staff", "coordinator", "reporter", "admin"}
    assert len(users["staff"].sites) == 2
    for user in users.values():
        assert user.email in result.output  # logins printed
    assert db.session.scalar(select(ProgramSettings)) is not None

    encounters = list(db.session.scalars(select(Encounter)))
    assert len(encounters) == 200
    now = datetime.now(UTC)
    assert all(now - timedelta(days=367) < e.occurred_at < now for e in encounters)
    events = {e.id: e for e in db.session.scalars(select(StockEvent))}
    assert len({e.stock_event_id for e in encounters}) == 200
    lines = defaultdict(lambda: defaultdict(int))
    for line in db.session.scalars(select(StockEventLine)):
        lines[line.event_id][line.item_id] += line.quantity
    handed = defaultdict(dict)
    for row in db.session.scalars(select(EncounterItem)):
        handed[row.encounter_id][row.item_id] = row.quantity
    for encounter in encounters:
        event = events[encounter.stock_event_id]
        assert (event.kind, event.site_id, event.occurred_at) == (
            "distribution", encounter.site_id, encounter.occurred_at)
        # The distribution lines (over all lots) hand out exactly the encounter's items.
        assert {i: -q for i, q in lines[event.id].items()} == handed[encounter.id]
    assert len({e.client_id for e in events.values()}) == len(events)

    coded = sum(e.participant_id is not None for e in encounters)
    assert coded > 100
    assert all(re.fullmatch(r"[0-9a-f]{64}", p.code_hash)
               for p in db.session.scalars(select(Participant)))
    assert sum(e.syringes_returned for e in encounters) > 0
    assert sum(e.secondary_people for e in encounters) > 0

    warehouse = db.session.scalar(select(Site).where(Site.kind == "warehouse"))
    receipts = [e for e in events.values() if e.kind == "receipt"]
    assert receipts and all(e.site_id == warehouse.id for e in receipts)
    outs = [e for e in events.values() if e.kind == "transfer_out"]
    ins = [e for e in events.values() if e.kind == "transfer_in"]
    assert outs and len(outs) == len(ins)
    assert all(e.site_id == warehouse.id and e.counterpart_site_id != warehouse.id for e in outs)
    assert all(e.counterpart_site_id == warehouse.id for e in ins)
    assert any(e.kind in ("adjustment", "count", "disposal") for e in events.values())
    expiring = db.session.scalars(select(Lot).join(Item).where(Item.tracks_expiry.is_(True)))
    assert all(lot.expires_on is not None for lot in expiring)

    # Real lots never go below zero; only the unknown lot may, and then it is flagged.
    assert _count(db, StockBalance, StockBalance.lot_id.is_not(None), StockBalance.on_hand < 0) == 0
    for balance in db.session.scalars(select(StockBalance).where(StockBalance.on_hand < 0)):
        assert any(e.discrepancy and e.site_id == balance.site_id for e in events.values())

    # More syringes than naloxone than wound kits, as in a real program.
    totals = dict(db.session.execute(
        select(Item.category, func.sum(EncounterItem.quantity)).join(Item).group_by(Item.category)).all())
    assert totals["syringe"] > totals["naloxone"] > totals.get("wound_care", 0)

    # Ids were allocated by the load: the database must still hand out new ones.
    db.session.add(Lot(item_id=receipts[0].lines[0].item_id, lot_code="NEW-LOT"))
    db.session.flush()


def test_seed_demo_with_no_events_makes_sites_and_users_only(cli, db):
    result = cli.invoke(args=["seed-demo", "--events", "0", "--password", "demo-password"])
    assert result.exit_code == 0, result.output
    assert _count(db, Site) >= 6
    assert _count(db, User) == 4
    assert _count(db, Item) == 20
    assert _count(db, Encounter) == 0 and _count(db, StockEvent) == 0
    assert cli.invoke(args=["check-ledger"]).exit_code == 0


def test_seed_demo_refuses_a_database_with_a_program(cli, db, make_site):
    make_site("HQ")
    db.session.commit()
    result = cli.invoke(args=["seed-demo", "--events", "10", "--password", "demo-password"])
    assert result.exit_code != 0
    assert "empty" in result.output
    assert _count(db, Site) == 1 and _count(db, User) == 0


def test_a_small_demo_still_spreads_over_the_sites(cli, db):
    cli.invoke(args=["seed-demo", "--events", "30", "--password", "demo-password"])
    sites = db.session.scalars(select(Encounter.site_id)).all()
    assert len(sites) == 30 and len(set(sites)) >= 4
