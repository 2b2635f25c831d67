"""Random sequences of receipts, encounters, voids, adjustments and disposals through the API.

After every step: each balance equals its ledger sum; per (site, item) the ledger holds exactly
what the sequence implies; adjustments and disposals never take a balance below zero (they are
refused, 422 naming the line's quantity, and write nothing); a distribution may, and is then
flagged as a discrepancy. The expected outcome of each step is computed from the ledger itself
(plain SQL), never from the balances under test.
"""
import itertools
from collections import defaultdict
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from inventory.catalog.models import Lot
from inventory.encounters.models import Encounter
from inventory.extensions import db as _db
from inventory.stock.models import StockEvent
from inventory.stock.services import REASON_DIRECTIONS
from tests import factories
from tests.api_helpers import (adjustment_body, assert_problem, bearer, encounter_body,
                               item_id, ledger_mismatches, ledger_sums, receipt_body,
                               receipt_line, row_counts, site_id)

ITEMS = ("SYR-1ML-28G", "NARCAN-4MG")
# Two lots per item with distinct expiries (FEFO takes the earlier one first).
LOTS = {
    "SYR-1ML-28G": (("PS-1", date(2030, 1, 31)), ("PS-2", date(2029, 6, 30))),
    "NARCAN-4MG": (("PN-1", date(2028, 3, 31)), ("PN-2", date(2029, 9, 30))),
}
_examples = itertools.count(1)

site_ix = st.integers(0, 1)
item = st.sampled_from(ITEMS)
lot_ix = st.sampled_from([0, 1])
lot_or_unknown = st.sampled_from([0, 1, None])
nonzero = st.integers(-40, 40).filter(bool)

receipts = st.tuples(st.just("receipt"), site_ix, item, lot_ix, st.integers(1, 40))
encounters = st.tuples(st.just("encounter"), site_ix,
                       st.lists(st.tuples(item, st.integers(1, 30)), min_size=1, max_size=2,
                                unique_by=lambda line: line[0]))
voids = st.tuples(st.just("void"), st.integers(0, 50))
adjustments = st.tuples(st.just("adjust"), site_ix,
                        st.sampled_from(["found", "lost", "count_variance", "other"]),
                        st.lists(st.tuples(item, lot_or_unknown, nonzero), min_size=1,
                                 max_size=2, unique_by=lambda line: (line[0], line[1])))
# LOTS expire years ahead, so "expired" would be refused (tests/test_disposals.py covers it).
disposals = st.tuples(st.just("dispose"), site_ix, st.sampled_from(["damaged", "other"]),
                      item, lot_or_unknown, st.integers(1, 40))
operations = st.lists(st.one_of(receipts, encounters, voids, adjustments, disposals),
                      min_size=1, max_size=14)


def _lot_code(item_code: str, index: int | None) -> str | None:
    return None if index is None else LOTS[item_code][index][0]


def _ensure_lots() -> dict[tuple[str, str], int]:
    """Every lot of LOTS exists (an adjustment may name a lot never received at its site)."""
    ids = {}
    for item_code, lots in LOTS.items():
        iid = item_id(item_code)
        for code, expires in lots:
            lot = _db.session.scalar(select(Lot).where(Lot.item_id == iid, Lot.lot_code == code))
            if lot is None:
                lot = Lot(item_id=iid, lot_code=code, expires_on=expires)
                _db.session.add(lot)
                _db.session.flush()
            ids[(item_code, code)] = lot.id
    _db.session.commit()
    return ids


class Run:
    """One example: two fresh sites, the steps so far, and the checks after each."""

    def __init__(self, client, headers):
        n = next(_examples)
        self.client, self.headers = client, headers
        self.sites = [f"HP{n}A", f"HP{n}B"]
        for code in self.sites:
            factories.make_site(code)
        _db.session.commit()
        self.lot_ids = _ensure_lots()
        self.site_ids = [site_id(code) for code in self.sites]
        self.item_ids = {code: item_id(code) for code in ITEMS}
        self.expected = defaultdict(int)  # (site code, item code) -> total on hand
        self.encounters: list[tuple[int, int, list]] = []  # (id, site index, lines)
        self.voided: set[int] = set()

    # --- reading the ledger -----------------------------------------------------------------
    def _mine(self) -> dict:
        return ledger_sums(self.site_ids)

    def _key(self, s: int, item_code: str, lot_index: int | None):
        lot = _lot_code(item_code, lot_index)
        return (self.site_ids[s], self.item_ids[item_code],
                self.lot_ids[(item_code, lot)] if lot else 0)

    def _available(self, s: int, item_code: str) -> int:
        """What the shelves hold that a handout can take: every positive lot balance."""
        sid, iid = self.site_ids[s], self.item_ids[item_code]
        return sum(v for (si, ii, _), v in self._mine().items()
                   if si == sid and ii == iid and v > 0)

    # --- steps -------------------------------------------------------------------------------
    def receipt(self, s, item_code, lot_index, quantity):
        code, expires = LOTS[item_code][lot_index]
        body = receipt_body(self.sites[s], [receipt_line(item_code, quantity, code,
                                                         expires.isoformat())])
        response = self.client.post("/api/v1/receipts", headers=self.headers, json=body)
        assert response.status_code == 201, response.get_json()
        self.expected[(s, item_code)] += quantity

    def encounter(self, s, lines):
        short = {code: qty > self._available(s, code) for code, qty in lines}
        shelf = self._mine()
        body = encounter_body(self.sites[s], lines)
        response = self.client.post("/api/v1/encounters", headers=self.headers, json=body)
        assert response.status_code == 201, response.get_json()
        result = response.get_json()
        flagged = any(short.values())
        assert result["stock_discrepancy"] is flagged, (short, result)
        _db.session.rollback()
        encounter = _db.session.get(Encounter, result["id"])
        event = _db.session.get(StockEvent, encounter.stock_event_id)
        assert event.kind == "distribution" and event.discrepancy is flagged
        for code, qty in lines:
            taken = sum(l.quantity for l in event.lines if l.item_id == self.item_ids[code])
            assert taken == -qty
            self.expected[(s, code)] -= qty
            self._check_fefo(s, code, shelf, event)
        self.encounters.append((result["id"], s, lines))

    def _check_fefo(self, s, item_code, shelf, event):
        """First expired, first out: a lot is drawn on only once every lot expiring earlier
        is empty, and the unknown lot only covers what no lot could."""
        expiry = {self.lot_ids[(item_code, code)]: exp for code, exp in LOTS[item_code]}
        drawn = {}
        for line in event.lines:
            if line.item_id == self.item_ids[item_code]:
                drawn[line.lot_id or 0] = drawn.get(line.lot_id or 0, 0) - line.quantity
        for lot_id, exp in expiry.items():
            if not drawn.get(lot_id):
                continue
            for other, other_exp in expiry.items():
                key = (self.site_ids[s], self.item_ids[item_code], other)
                if other_exp < exp:
                    assert drawn.get(other, 0) == max(shelf.get(key, 0), 0), ("FEFO", drawn)
        if drawn.get(0, 0) > 0:
            for lot_id in expiry:
                key = (self.site_ids[s], self.item_ids[item_code], lot_id)
                assert drawn.get(lot_id, 0) == max(shelf.get(key, 0), 0), ("FEFO", drawn)

    def void(self, index):
        if not self.encounters:
            return
        enc_id, s, lines = self.encounters[index % len(self.encounters)]
        response = self.client.post(f"/api/v1/encounters/{enc_id}/void", headers=self.headers,
                                    json={"reason": "entered in error"})
        # Voiding again with the same reason is a no-op.
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["void"] is True
        if enc_id not in self.voided:
            self.voided.add(enc_id)
            for code, qty in lines:
                self.expected[(s, code)] += qty

    def _signed(self, url, body, s, lines):
        """Post an adjustment or disposal of signed ``lines`` [(item, lot index, qty)].

        Refused: first a line against its reason's direction (found adds, lost takes away),
        then the first line that would take a balance below zero."""
        current = self._mine()
        sign = REASON_DIRECTIONS.get(body["reason"], 0)
        against = [i for i, (_, _, qty) in enumerate(lines) if qty * sign < 0]
        below = [i for i, (code, lot_index, qty) in enumerate(lines)
                 if qty < 0 and current.get(self._key(s, code, lot_index), 0) + qty < 0]
        first = (against or below or [None])[0]
        refused = None if first is None else f"lines.{first}.quantity"
        before = row_counts()
        response = self.client.post(url, headers=self.headers, json=body)
        if refused:
            assert_problem(response, 422, refused)
            assert row_counts() == before
            return
        assert response.status_code == 201, (response.get_json(), current)
        assert response.get_json()["discrepancy"] is False
        for code, _, qty in lines:
            self.expected[(s, code)] += qty

    def adjust(self, s, reason, lines):
        raw = [(code, _lot_code(code, lot), qty) for code, lot, qty in lines]
        body = adjustment_body(self.sites[s], reason, raw)
        self._signed("/api/v1/adjustments", body, s, lines)

    def dispose(self, s, reason, item_code, lot_index, quantity):
        body = adjustment_body(self.sites[s], reason,
                               [(item_code, _lot_code(item_code, lot_index), quantity)])
        self._signed("/api/v1/disposals", body, s, [(item_code, lot_index, -quantity)])

    # --- invariants ---------------------------------------------------------------------------
    def check(self, before: dict, step):
        assert ledger_mismatches(self.site_ids) == [], step
        after = self._mine()
        for s, site in enumerate(self.sites):
            for code in ITEMS:
                total = sum(v for (si, ii, _), v in after.items()
                            if si == self.site_ids[s] and ii == self.item_ids[code])
                assert total == self.expected[(s, code)], (step, site, code)
        for key, value in after.items():
            if key[2] != 0:
                assert value >= 0, ("a named lot went below zero", step, key, value)
            if step[0] != "encounter" and value < 0:
                # Only a distribution may take a balance (further) below zero.
                assert value >= before.get(key, 0), ("went below zero", step, key)

    def check_api(self):
        """GET /api/v1/stock shows the same on-hand figures."""
        for s, site in enumerate(self.sites):
            response = self.client.get(f"/api/v1/stock?site={site}", headers=self.headers)
            assert response.status_code == 200
            totals = defaultdict(int)
            for row in response.get_json():
                assert row["site"] == site
                totals[row["item"]] += row["on_hand"]
            for code in ITEMS:
                assert totals[code] == self.expected[(s, code)], (site, code)


@pytest.fixture
def property_headers(db):
    return bearer("coordinator")


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=operations)
def test_ledger_invariant_over_random_sequences(client, property_headers, steps):
    # Each example works on two sites of its own, so examples need no database reset.
    run = Run(client, property_headers)
    for step in steps:
        before = run._mine()
        getattr(run, step[0])(*step[1:])
        run.check(before, step)
    run.check_api()
    assert ledger_mismatches() == []


def test_distribution_beyond_stock_is_flagged_and_adjustment_refused(client, db):
    """The same rules, spelled out once without randomness."""
    headers = bearer("coordinator")
    run = Run(client, headers)
    run.receipt(0, "NARCAN-4MG", 0, 3)
    run.receipt(0, "NARCAN-4MG", 1, 2)
    run.encounter(0, [("NARCAN-4MG", 4)])  # covered: no flag
    run.encounter(0, [("NARCAN-4MG", 3)])  # 1 on the shelf: flagged, unknown lot at -2
    assert run.encounters and run._available(0, "NARCAN-4MG") == 0
    unknown = run._key(0, "NARCAN-4MG", None)
    assert run._mine()[unknown] == -2
    run.adjust(0, "lost", [("NARCAN-4MG", None, -1)])   # refused: already below zero
    run.dispose(0, "damaged", "NARCAN-4MG", 0, 1)       # refused: lot PN-1 is empty
    run.adjust(0, "found", [("NARCAN-4MG", None, 1)])   # allowed: raises a negative balance
    run.void(1)                                         # gives back 3
    run.check({}, ("manual",))
    run.check_api()
    assert run.expected[(0, "NARCAN-4MG")] == 5 - 4 - 3 + 1 + 3
