"""find_mismatches: balances against the sum of their ledger lines, in SQL."""
import uuid
from datetime import UTC, datetime

from sqlalchemy import update

from inventory.catalog.models import Lot
from inventory.stock.check import Mismatch, find_mismatches
from inventory.stock.models import StockBalance, StockEvent, StockEventLine
from tests import factories


def _event(db, site, kind, lines):
    event = StockEvent(kind=kind, site_id=site.id, occurred_at=datetime.now(UTC),
                       client_id=uuid.uuid4())
    db.session.add(event)
    db.session.flush()
    for item, lot, qty in lines:
        db.session.add(StockEventLine(event_id=event.id, item_id=item.id,
                                      lot_id=lot.id if lot else None, quantity=qty))
    db.session.flush()


def _balance(db, site, item, lot, on_hand):
    row = StockBalance(site_id=site.id, item_id=item.id, lot_id=lot.id if lot else None,
                       lot_key=lot.id if lot else 0, on_hand=on_hand)
    db.session.add(row)
    db.session.flush()
    return row


def _ledger(db, make_site):
    site = make_site("A1")
    syringe, narcan = factories.item("SYR-1ML-28G"), factories.item("NARCAN-4MG")
    lot = Lot(item_id=narcan.id, lot_code="NX-1")
    db.session.add(lot)
    db.session.flush()
    _event(db, site, "receipt", [(syringe, None, 100), (narcan, lot, 24)])
    _event(db, site, "distribution", [(syringe, None, -130), (narcan, lot, -2)])
    return site, syringe, narcan, lot


def test_consistent_ledger_has_no_mismatch(db, make_site):
    site, syringe, narcan, lot = _ledger(db, make_site)
    _balance(db, site, syringe, None, -30)  # the unknown lot's lines group together
    _balance(db, site, narcan, lot, 22)
    _balance(db, site, narcan, None, 0)  # a row with no lines at zero is fine
    assert find_mismatches() == []


def test_every_kind_of_mismatch_is_listed(db, make_site):
    site, syringe, narcan, lot = _ledger(db, make_site)
    row = _balance(db, site, syringe, None, -30)
    db.session.execute(update(StockBalance).where(StockBalance.id == row.id).values(on_hand=7))
    _balance(db, site, narcan, None, 5)  # no ledger lines behind it
    # narcan lot NX-1 has lines but no balance row at all
    assert find_mismatches() == [
        Mismatch("A1", "NARCAN-4MG", None, 5, 0),
        Mismatch("A1", "NARCAN-4MG", "NX-1", None, 22),
        Mismatch("A1", "SYR-1ML-28G", None, 7, -30),
    ]


def test_sites_are_kept_apart(db, make_site):
    site, syringe, narcan, lot = _ledger(db, make_site)
    other = make_site("B2")
    _balance(db, site, syringe, None, -30)
    _balance(db, site, narcan, lot, 22)
    _balance(db, other, narcan, lot, 22)
    assert find_mismatches() == [Mismatch("B2", "NARCAN-4MG", "NX-1", 22, 0)]
