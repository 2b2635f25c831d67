"""A handout's lines, exactly: which lots it takes from, in which order, and when it is flagged.

On PostgreSQL handouts are written by the ``record_handout`` function (migration 0004), on SQLite
by the ledger service in Python; both must store what :func:`inventory.stock.ledger._fefo`
allocates from the balances as they stood: lots with stock first-expired-first-out (equal
expiries by lot, lots without an expiry after those with one, the unknown lot last), the rest
from the unknown lot, which may go negative and then flags the event.
"""
import itertools
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from inventory.catalog.models import Lot
from inventory.encounters.models import Encounter
from inventory.extensions import db as _db
from inventory.stock.ledger import _Balance, _fefo
from inventory.stock.models import StockBalance, StockEvent, StockEventLine
from tests import factories
from tests.api_helpers import (adjustment_body, bearer, encounter_body, item_id,
                               ledger_mismatches, receipt_body, site_id)

ITEMS = ("SYR-1ML-28G", "CONDOM-EXT", "NARCAN-4MG")
TRACKS_EXPIRY = {"NARCAN-4MG"}  # its lots must give an expiry
BASE = date(2030, 1, 1)
_examples = itertools.count(1)

# A lot: units received, and its expiry in days after BASE (few values: ties happen) or none.
lots = st.lists(st.tuples(st.integers(1, 12), st.one_of(st.none(), st.integers(0, 3))),
                max_size=4)
shelf = st.tuples(lots, st.integers(0, 8), st.integers(0, 30))  # lots, unknown lot, drawn before
handouts = st.lists(st.tuples(st.sampled_from(ITEMS), st.integers(1, 45)), min_size=1,
                    max_size=3, unique_by=lambda line: line[0])


def _balances(sid: int) -> dict[int, list[_Balance]]:
    rows = _db.session.execute(
        select(StockBalance.id, StockBalance.item_id, StockBalance.lot_id, StockBalance.on_hand,
               Lot.expires_on)
        .outerjoin(Lot, Lot.id == StockBalance.lot_id).where(StockBalance.site_id == sid)
    ).all()
    by_item: dict[int, list[_Balance]] = {}
    for row in rows:
        by_item.setdefault(row.item_id, []).append(_Balance(*row))
    return by_item


def _stock_the_shelf(client, headers, site, item_code, lot_specs, unknown, drawn_before):
    n = next(_examples)
    if item_code in TRACKS_EXPIRY:
        lot_specs = [(quantity, 3 if days is None else days) for quantity, days in lot_specs]
    lines = [{"item": item_code, "quantity": quantity, "lot": f"AL{n}-{i}",
              "expires_on": None if days is None else (BASE + timedelta(days=days)).isoformat()}
             for i, (quantity, days) in enumerate(lot_specs)]
    if unknown and item_code not in TRACKS_EXPIRY:
        lines.append({"item": item_code, "quantity": unknown, "lot": None, "expires_on": None})
    if lines:
        response = client.post("/api/v1/receipts", headers=headers, json=receipt_body(site, lines))
        assert response.status_code == 201, response.get_json()
    if unknown and item_code in TRACKS_EXPIRY:
        # A receipt of such an item names its lot: stock of no known lot is found on a shelf.
        response = client.post("/api/v1/adjustments", headers=headers, json=adjustment_body(
            site, "found", [(item_code, None, unknown)]))
        assert response.status_code == 201, response.get_json()
    if drawn_before:  # empties some lots, or takes the unknown lot below zero
        response = client.post("/api/v1/encounters", headers=headers,
                               json=encounter_body(site, [(item_code, drawn_before)]))
        assert response.status_code == 201, response.get_json()


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shelves=st.tuples(shelf, shelf, shelf), lines=handouts)
def test_handout_lines_follow_first_expired_first_out(client, db, shelves, lines):
    site = f"AL{next(_examples)}"
    factories.make_site(site)
    _db.session.commit()
    headers = bearer("coordinator")
    for item_code, (lot_specs, unknown, drawn_before) in zip(ITEMS, shelves):
        _stock_the_shelf(client, headers, site, item_code, lot_specs, unknown, drawn_before)
    _db.session.rollback()
    sid = site_id(site)
    before = _balances(sid)

    response = client.post("/api/v1/encounters", headers=headers,
                           json=encounter_body(site, lines))

    assert response.status_code == 201, response.get_json()
    _db.session.rollback()
    expected_lines, on_hand = [], {}
    for code, quantity in sorted(lines, key=lambda line: item_id(line[0])):
        iid = item_id(code)
        shelf_rows = before.get(iid, [])
        on_hand.update({(iid, b.lot_id): b.on_hand for b in shelf_rows})
        on_hand.setdefault((iid, None), 0)
        for lot_id, take in _fefo(quantity, shelf_rows):
            expected_lines.append((iid, lot_id, -take))
            on_hand[(iid, lot_id)] -= take
    flagged = any(on_hand[(i, None)] < 0 for i, lot, _ in expected_lines if lot is None)

    encounter = _db.session.get(Encounter, response.get_json()["id"])
    event = _db.session.get(StockEvent, encounter.stock_event_id)
    stored = _db.session.execute(
        select(StockEventLine.item_id, StockEventLine.lot_id, StockEventLine.quantity)
        .where(StockEventLine.event_id == event.id).order_by(StockEventLine.id)).all()
    assert [tuple(line) for line in stored] == expected_lines
    assert event.discrepancy is flagged
    assert response.get_json()["stock_discrepancy"] is flagged
    after = {(b.item_id, b.lot_id): b.on_hand for rows in _balances(sid).values() for b in rows}
    assert {key: after[key] for key in on_hand} == on_hand
    assert ledger_mismatches([sid]) == []
