"""Every create is idempotent on its client_id: the same body again returns the stored result
with 200; a different body is a 409 naming client_id; there is never a second record."""
import uuid

import pytest
from sqlalchemy import select

from tests.api_helpers import (adjustment_body, assert_problem, bearer, encounter_body,
                               on_hand_total, receipt_body, receipt_line, row_counts)

ITEM = "SYR-1ML-28G"


@pytest.fixture
def headers(make_site):
    make_site("IDA")
    return bearer("coordinator")


@pytest.fixture
def stocked(client, headers):
    """Site IDA holding 100 of ITEM in lot LOT-1."""
    response = client.post("/api/v1/receipts", headers=headers,
                           json=receipt_body("IDA", [receipt_line(ITEM, 100)]))
    assert response.status_code == 201, response.get_json()
    return headers


def _bodies():
    """(url, first body, a different body with the same client_id) per create endpoint."""
    enc = encounter_body("IDA", [(ITEM, 3)])
    enc_other = dict(enc, items=[{"item": ITEM, "quantity": 4}])
    rec = receipt_body("IDA", [receipt_line(ITEM, 10)])
    rec_other = dict(rec, lines=[receipt_line(ITEM, 11)])
    adj = adjustment_body("IDA", "damaged", [(ITEM, "LOT-1", -2)])
    adj_other = dict(adj, lines=[{"item": ITEM, "lot": "LOT-1", "quantity": -5}])
    return {
        "encounter": ("/api/v1/encounters", enc, enc_other),
        "receipt": ("/api/v1/receipts", rec, rec_other),
        "adjustment": ("/api/v1/adjustments", adj, adj_other),
    }


KINDS = ("encounter", "receipt", "adjustment")


@pytest.mark.parametrize("kind", KINDS)
def test_same_body_returns_stored_result(client, stocked, kind):
    url, body, _ = _bodies()[kind]
    first = client.post(url, headers=stocked, json=body)
    assert first.status_code == 201, first.get_json()
    counts, stock = row_counts(), on_hand_total("IDA", ITEM)

    again = client.post(url, headers=stocked, json=body)
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.get_json() == first.get_json()
    assert row_counts() == counts
    assert on_hand_total("IDA", ITEM) == stock


@pytest.mark.parametrize("kind", KINDS)
def test_different_body_is_409_naming_client_id(client, stocked, kind):
    url, body, other = _bodies()[kind]
    first = client.post(url, headers=stocked, json=body)
    assert first.status_code == 201, first.get_json()
    counts, stock = row_counts(), on_hand_total("IDA", ITEM)

    conflict = client.post(url, headers=stocked, json=other)
    assert_problem(conflict, 409, "client_id")
    assert row_counts() == counts
    assert on_hand_total("IDA", ITEM) == stock
    # The original is still what a replay returns.
    again = client.post(url, headers=stocked, json=body)
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]


@pytest.mark.parametrize("first_kind,second_kind", [
    ("encounter", "receipt"), ("receipt", "adjustment"), ("adjustment", "encounter"),
    ("receipt", "encounter"),
])
def test_client_id_reused_by_another_kind_is_409(client, stocked, first_kind, second_kind):
    """A client_id names one record; reusing it for another kind of create is a conflict, never
    a second record and never a 500 from a unique constraint."""
    bodies = _bodies()
    url1, body1, _ = bodies[first_kind]
    url2, body2, _ = bodies[second_kind]
    body2 = dict(body2, client_id=body1["client_id"])
    assert client.post(url1, headers=stocked, json=body1).status_code == 201
    counts = row_counts()
    assert_problem(client.post(url2, headers=stocked, json=body2), 409, "client_id")
    assert row_counts() == counts


def test_replay_after_void_returns_the_encounter_not_a_new_one(client, stocked):
    body = encounter_body("IDA", [(ITEM, 5)])
    first = client.post("/api/v1/encounters", headers=stocked, json=body)
    assert first.status_code == 201
    void = client.post(f"/api/v1/encounters/{first.get_json()['id']}/void", headers=stocked,
                       json={"reason": "entered twice"})
    assert void.status_code in (200, 201), void.get_json()
    counts, stock = row_counts(), on_hand_total("IDA", ITEM)
    assert stock == 100

    again = client.post("/api/v1/encounters", headers=stocked, json=body)
    assert again.status_code == 200, again.get_json()
    assert again.get_json()["id"] == first.get_json()["id"]
    assert row_counts() == counts
    assert on_hand_total("IDA", ITEM) == stock


def test_replay_by_another_user_is_not_a_second_record(client, stocked):
    body = encounter_body("IDA", [(ITEM, 2)])
    first = client.post("/api/v1/encounters", headers=stocked, json=body)
    assert first.status_code == 201
    counts = row_counts()
    again = client.post("/api/v1/encounters", headers=bearer("admin"), json=body)
    assert again.status_code in (200, 409), again.get_json()
    assert row_counts() == counts


def test_replay_with_the_code_spelled_differently_is_a_replay(client, stocked):
    """The stored fingerprint holds the code's hash, so another spelling of the same code is
    the same request; another code is a different one."""
    body = encounter_body("IDA", [(ITEM, 1)], participant_code="mq 03 12 z")
    first = client.post("/api/v1/encounters", headers=stocked, json=body)
    assert first.status_code == 201
    counts = row_counts()
    again = client.post("/api/v1/encounters", headers=stocked,
                        json=dict(body, participant_code="MQ0312Z"))
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    other = client.post("/api/v1/encounters", headers=stocked,
                        json=dict(body, participant_code="MQ0312Y"))
    assert_problem(other, 409, "client_id")
    assert row_counts() == counts


@pytest.mark.parametrize("encounter_first", [True, False], ids=["encounter-first", "receipt-first"])
def test_client_id_of_an_encounter_without_items_is_not_reused(client, stocked, encounter_first):
    """A referral-only visit writes no stock event; its client_id still names one record, so
    a receipt with that client_id (or the other way round) is a 409, not a second record."""
    enc = encounter_body("IDA", [], referrals=["housing"])
    rec = receipt_body("IDA", [receipt_line(ITEM, 10)], client_id=enc["client_id"])
    first, second = ("/api/v1/encounters", enc), ("/api/v1/receipts", rec)
    if not encounter_first:
        first, second = second, first
    assert client.post(first[0], headers=stocked, json=first[1]).status_code == 201
    counts = row_counts()
    assert_problem(client.post(second[0], headers=stocked, json=second[1]), 409, "client_id")
    assert row_counts() == counts


def test_replay_of_an_adjustment_stock_no_longer_allows_returns_the_stored_one(client, stocked):
    """Creates are optimistic (the unique client_id catches a replay), so a replay whose
    ledger change would now be refused must still get its stored answer, not a 422."""
    body = adjustment_body("IDA", "damaged", [(ITEM, "LOT-1", -60)])
    first = client.post("/api/v1/adjustments", headers=stocked, json=body)
    assert first.status_code == 201, first.get_json()
    second = client.post("/api/v1/adjustments", headers=stocked,
                         json=adjustment_body("IDA", "damaged", [(ITEM, "LOT-1", -40)]))
    assert second.status_code == 201, second.get_json()
    counts = row_counts()
    assert on_hand_total("IDA", ITEM) == 0

    again = client.post("/api/v1/adjustments", headers=stocked, json=body)
    assert again.status_code == 200, again.get_json()
    assert again.get_json() == first.get_json()
    assert row_counts() == counts
    # The same refusal for a new client_id stands.
    refused = client.post("/api/v1/adjustments", headers=stocked,
                          json=adjustment_body("IDA", "damaged", [(ITEM, "LOT-1", -1)]))
    assert_problem(refused, 422, "lines.0.quantity")


@pytest.mark.parametrize("kind", KINDS)
def test_replay_after_its_item_was_made_inactive_returns_the_stored_one(client, stocked, kind):
    """A device syncing late re-sends what was stored before an admin retired the item: it gets
    its stored answer, while a new request with that item is refused."""
    from inventory.catalog.models import Item
    from inventory.extensions import db

    url, body, _ = _bodies()[kind]
    first = client.post(url, headers=stocked, json=body)
    assert first.status_code == 201, first.get_json()
    db.session.scalar(select(Item).where(Item.code == ITEM)).active = False
    db.session.commit()
    counts = row_counts()

    again = client.post(url, headers=stocked, json=body)
    assert again.status_code == 200, again.get_json()
    assert again.get_json() == first.get_json()
    fresh = dict(body, client_id=str(uuid.uuid4()))
    assert_problem(client.post(url, headers=stocked, json=fresh), 422)
    assert row_counts() == counts


def test_create_and_replay_answer_alike(client, stocked):
    """Times come back in UTC and items in one order, whether created or replayed."""
    body = encounter_body("IDA", [("NARCAN-4MG", 1), (ITEM, 2)],
                          occurred_at="2026-01-05T10:00:00-05:00")
    first = client.post("/api/v1/encounters", headers=stocked, json=body)
    assert first.status_code == 201, first.get_json()
    again = client.post("/api/v1/encounters", headers=stocked, json=body)
    assert again.status_code == 200
    assert again.get_json() == first.get_json()
    got = client.get(f"/api/v1/encounters/{first.get_json()['id']}", headers=stocked)
    assert got.get_json() == first.get_json()
    assert first.get_json()["occurred_at"].startswith("2026-01-05T15:00:00")
