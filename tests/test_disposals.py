"""Disposal reasons: ``expired`` only for lots past their expiry."""
from datetime import UTC, datetime, timedelta

from tests.api_helpers import (adjustment_body, assert_problem, bearer, ledger_mismatches,
                               now_iso, on_hand_total, receipt_body, row_counts)

NAL = "NARCAN-4MG"


def test_expired_reason_only_for_expired_lots(client, make_site, db):
    make_site("D1")
    headers = bearer("coordinator")
    past = (datetime.now(UTC) - timedelta(days=3)).date().isoformat()
    # OLD was good when it arrived ten days ago and has expired since; NEW expires next year.
    assert client.post("/api/v1/receipts", headers=headers, json=receipt_body("D1", [
        {"item": NAL, "quantity": 6, "lot": "OLD", "expires_on": past}],
        occurred_at=now_iso(timedelta(days=-10)))).status_code == 201
    next_year = (datetime.now(UTC) + timedelta(days=365)).date().isoformat()
    assert client.post("/api/v1/receipts", headers=headers, json=receipt_body("D1", [
        {"item": NAL, "quantity": 4, "lot": "NEW", "expires_on": next_year}])).status_code == 201
    before = row_counts()

    not_expired = client.post("/api/v1/disposals", headers=headers, json=adjustment_body(
        "D1", "expired", [(NAL, "OLD", 1), (NAL, "NEW", 1)]))
    no_lot = client.post("/api/v1/disposals", headers=headers, json=adjustment_body(
        "D1", "expired", [(NAL, None, 1)]))

    assert "expires on" in assert_problem(not_expired, 422, "lines.1.lot")["detail"]
    assert_problem(no_lot, 422, "lines.0.lot")
    assert row_counts() == before

    expired = client.post("/api/v1/disposals", headers=headers, json=adjustment_body(
        "D1", "expired", [(NAL, "OLD", 6)]))
    damaged = client.post("/api/v1/disposals", headers=headers, json=adjustment_body(
        "D1", "damaged", [(NAL, "NEW", 1)]))
    assert expired.status_code == 201 and damaged.status_code == 201
    assert on_hand_total("D1", NAL) == 6 + 4 - 6 - 1
    assert ledger_mismatches() == []
