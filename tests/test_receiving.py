"""Receiving rules: cases and units, lot and expiry for items that track expiry, expired lots
refused unless received for disposal (and then disposed of at once)."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from inventory.stock.models import StockEvent
from tests.api_helpers import (assert_problem, bearer, ledger_mismatches, now_iso,
                               on_hand_total, receipt_body, row_counts)

NAL, SYR, FTS = "NARCAN-4MG", "SYR-1ML-28G", "FTS"
YESTERDAY = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()


def test_cases_and_units_add_up(client, make_site, db):
    make_site("R1")
    headers = bearer("coordinator")
    # Syringes come 100 to a case: 2 cases and 15 loose = 215; NARCAN 24 a case: 1 case = 24.
    response = client.post("/api/v1/receipts", headers=headers, json=receipt_body("R1", [
        {"item": SYR, "cases": 2, "quantity": 15},
        {"item": NAL, "cases": 1, "lot": "N1", "expires_on": "2031-01-31"}]))
    assert response.status_code == 201, response.get_json()
    assert on_hand_total("R1", SYR) == 2 * 100 + 15
    assert on_hand_total("R1", NAL) == 24


def test_tracked_items_need_lot_and_expiry(client, make_site, db):
    make_site("R1")
    headers = bearer("coordinator")
    before = row_counts()
    no_lot = client.post("/api/v1/receipts", headers=headers,
                         json=receipt_body("R1", [{"item": FTS, "quantity": 100}]))
    no_expiry = client.post("/api/v1/receipts", headers=headers, json=receipt_body(
        "R1", [{"item": SYR, "quantity": 1}, {"item": FTS, "quantity": 100, "lot": "F1"}]))
    assert_problem(no_lot, 422, "lines.0.lot")
    assert_problem(no_expiry, 422, "lines.1.expires_on")
    assert row_counts() == before
    # An item that does not track expiry needs neither.
    assert client.post("/api/v1/receipts", headers=headers, json=receipt_body(
        "R1", [{"item": SYR, "quantity": 1}])).status_code == 201


def test_expired_lot_refused_unless_received_for_disposal(client, make_site, db):
    """Worked example: 20 naloxone of lot OLD (expired two days ago) arrive. Refused as stock;
    received for disposal: +20 then -20, so nothing on the shelf; 5 of a good lot stay."""
    make_site("R1")
    coordinator = bearer("coordinator")
    lines = [{"item": NAL, "quantity": 20, "lot": "OLD", "expires_on": YESTERDAY},
             {"item": NAL, "quantity": 5, "lot": "GOOD", "expires_on": "2031-01-31"}]
    before = row_counts()

    refused = client.post("/api/v1/receipts", headers=coordinator,
                          json=receipt_body("R1", lines))
    by_staff = client.post("/api/v1/receipts", headers=bearer("staff", sites=["R1"]),
                           json=receipt_body("R1", lines, for_disposal=True))

    assert "for_disposal" in assert_problem(refused, 422, "lines.0.expires_on")["detail"]
    assert_problem(by_staff, 422, "for_disposal")
    assert row_counts() == before

    accepted = client.post("/api/v1/receipts", headers=coordinator,
                           json=receipt_body("R1", lines, for_disposal=True))
    assert accepted.status_code == 201, accepted.get_json()
    assert sorted(line["quantity"] for line in accepted.get_json()["lines"]) == [5, 20]
    disposal = db.session.scalar(select(StockEvent).where(StockEvent.kind == "disposal"))
    assert disposal.reason_code == "expired"
    assert [line.quantity for line in disposal.lines] == [-20]
    assert on_hand_total("R1", NAL) == 20 + 5 - 20
    assert ledger_mismatches() == []


def test_backdated_receipt_of_a_lot_good_at_the_time(client, make_site, db):
    """Expiry is judged on the day received: a delivery recorded late is not refused."""
    make_site("R1")
    headers = bearer("coordinator")
    three_days_ago = now_iso(timedelta(days=-3))
    response = client.post("/api/v1/receipts", headers=headers, json=receipt_body(
        "R1", [{"item": NAL, "quantity": 4, "lot": "OLD", "expires_on": YESTERDAY}],
        occurred_at=three_days_ago))
    assert response.status_code == 201, response.get_json()
    assert on_hand_total("R1", NAL) == 4


def test_link_hook_runs_in_the_receipt_transaction(app, make_site, db):
    """A reorder request can record its receipts through ``link``."""
    import uuid

    from inventory.stock.services import receive_stock
    from tests.api_helpers import fast_user

    make_site("R1")
    user = fast_user("coordinator")
    linked = []
    event, created = receive_stock(user, {
        "client_id": uuid.uuid4(), "site": "R1", "occurred_at": datetime.now(UTC),
        "lines": [{"item": SYR, "quantity": 3}]}, link=linked.append)
    db.session.commit()
    assert created and linked == [event.id]
