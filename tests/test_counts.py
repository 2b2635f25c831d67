"""Physical counts through the API and the services: variances against the live balance, zero
counts recorded, stock that moved after the snapshot flagged. Numbers computed by hand."""
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from inventory.counts import services
from inventory.counts.models import Count
from inventory.stock.models import StockEvent
from tests.api_helpers import (adjustment_body, assert_problem, bearer, encounter_body,
                               fast_user, ledger_mismatches, now_iso, on_hand_total,
                               receipt_body, receipt_line, row_counts)

NAL, SYR = "NARCAN-4MG", "SYR-1ML-28G"


def count_body(site, lines, **fields):
    body = {"client_id": str(uuid.uuid4()), "site": site, "occurred_at": now_iso(),
            "lines": [{"item": item, "lot": lot, "counted": n} for item, lot, n in lines]}
    body.update(fields)
    return body


def _stocked(client, make_site, headers):
    make_site("C1")
    response = client.post("/api/v1/receipts", headers=headers, json=receipt_body("C1", [
        receipt_line(NAL, 12, "N1", "2031-01-31"), receipt_line(NAL, 5, "N2", "2032-01-31"),
        {"item": SYR, "quantity": 40}]))
    assert response.status_code == 201, response.get_json()


def test_count_writes_one_line_per_variance_and_records_zero_counts(client, make_site, db):
    headers = bearer("coordinator")
    _stocked(client, make_site, headers)

    # N1: 12 on the shelf, 9 counted → -3. N2: 5 → 5, no variance. Syringes: 40 → 0, -40.
    # Condoms: none recorded, none counted → a zero count, recorded, no variance.
    response = client.post("/api/v1/counts", headers=headers, json=count_body("C1", [
        (NAL, "N1", 9), (NAL, "N2", 5), (SYR, None, 0), ("CONDOM-EXT", None, 0)]))

    assert response.status_code == 201, response.get_json()
    lines = {(line["item"], line["lot"]): line for line in response.get_json()["lines"]}
    expected = {(NAL, "N1"): (12, 9, -3), (NAL, "N2"): (5, 5, 0), (SYR, None): (40, 0, -40),
                ("CONDOM-EXT", None): (0, 0, 0)}
    assert {k: (v["expected"], v["counted"], v["variance"]) for k, v in lines.items()} == expected
    assert not any(line["moved_since_start"] for line in lines.values())
    event = db.session.scalar(select(StockEvent).where(StockEvent.kind == "count"))
    assert sorted(line.quantity for line in event.lines) == [-40, -3]
    assert on_hand_total("C1", NAL) == 9 + 5
    assert on_hand_total("C1", SYR) == 0
    assert ledger_mismatches() == []


def test_count_where_stock_moved_after_the_snapshot(client, make_site, db):
    """Worked example: snapshot shows 12 of N1; then 3 are handed out (live 9); the shelf holds 8.
    The variance is against the live balance: 8 - 9 = -1 (not 8 - 12 = -4)."""
    headers = bearer("coordinator")
    _stocked(client, make_site, headers)
    started = datetime.now(UTC)
    handout = client.post("/api/v1/encounters", headers=headers,
                          json=encounter_body("C1", [(NAL, 3)]))
    assert handout.status_code == 201

    response = client.post("/api/v1/counts", headers=headers, json=count_body(
        "C1", [(NAL, "N1", 8), (NAL, "N2", 5)], started_at=started.isoformat(),
        occurred_at=datetime.now(UTC).isoformat()))

    assert response.status_code == 201, response.get_json()
    lines = {line["lot"]: line for line in response.get_json()["lines"]}
    assert lines["N1"]["expected"] == 12
    assert lines["N1"]["variance"] == 8 - (12 - 3)
    assert lines["N1"]["moved_since_start"] is True
    assert (lines["N2"]["variance"], lines["N2"]["moved_since_start"]) == (0, False)
    assert on_hand_total("C1", NAL) == 8 + 5
    assert ledger_mismatches() == []


def test_count_started_on_the_page_flow(client, make_site, db):
    """start → enter (saved) → submit, through the services as the pages call them."""
    headers = bearer("coordinator")
    _stocked(client, make_site, headers)
    user = fast_user("staff", sites=["C1"])
    count = services.start_count(user, "C1")
    db.session.commit()
    snapshot = {(line.item.code, line.lot.lot_code if line.lot else None): line.expected
                for line in count.lines}
    assert snapshot[(NAL, "N1")] == 12 and snapshot[(SYR, None)] == 40
    assert snapshot[("CONDOM-EXT", None)] == 0
    # After the snapshot, 2 syringes are found elsewhere on the shelf and recorded.
    found = client.post("/api/v1/adjustments", headers=headers,
                        json=adjustment_body("C1", "found", [(SYR, None, 2)]))
    assert found.status_code == 201
    count_id = count.id

    figures = {line.id: 0 for line in count.lines}
    figures.update({line.id: 41 for line in count.lines if line.item.code == SYR})
    services.save_counted(user, count_id, figures)
    db.session.commit()
    submitted = services.submit_count(user, count_id)
    db.session.commit()

    by_key = {(line.item.code, line.lot.lot_code if line.lot else None): line
              for line in submitted.lines}
    syringes = by_key[(SYR, None)]
    # Snapshot 40, live 42 after the find, counted 41: variance 41 - 42 = -1.
    assert (syringes.expected, syringes.live, syringes.variance) == (40, 42, -1)
    assert syringes.moved_since_start is True
    assert by_key[(NAL, "N1")].variance == -12 and by_key[(NAL, "N1")].moved_since_start is False
    assert submitted.status == "submitted"
    assert on_hand_total("C1", SYR) == 41
    assert on_hand_total("C1", NAL) == 0
    assert ledger_mismatches() == []


def test_count_replay_staff_scope_and_bad_lines(client, make_site, db):
    headers = bearer("coordinator")
    _stocked(client, make_site, headers)
    make_site("C2")
    body = count_body("C1", [(NAL, "N1", 10)])
    first = client.post("/api/v1/counts", headers=headers, json=body)
    replay = client.post("/api/v1/counts", headers=headers, json=body)
    assert (first.status_code, replay.status_code) == (201, 200)
    assert first.get_json()["id"] == replay.get_json()["id"]
    assert db.session.scalar(select(Count.id).where(
        Count.client_id == uuid.UUID(body["client_id"]))) is not None

    before = row_counts(("stock_event", "stock_event_line", "stock_balance", "stock_count"))
    elsewhere = bearer("staff", sites=["C2"])
    assert_problem(client.post("/api/v1/counts", headers=elsewhere,
                               json=count_body("C1", [(NAL, "N1", 1)])), 403, "site")
    assert_problem(client.post("/api/v1/counts", headers=headers,
                               json=count_body("C1", [(NAL, "NOPE", 1)])), 422, "lines.0.lot")
    assert_problem(client.post("/api/v1/counts", headers=headers,
                               json=count_body("C1", [(NAL, "N1", -1)])), 422, "lines.0.counted")
    assert_problem(client.post("/api/v1/counts", headers=headers, json=count_body(
        "C1", [(NAL, "N1", 1), (NAL, "N1", 2)])), 422, "lines.1.lot")
    late = (datetime.now(UTC) + timedelta(minutes=30)).isoformat()
    assert_problem(client.post("/api/v1/counts", headers=headers, json=count_body(
        "C1", [(NAL, "N1", 1)], started_at=late)), 422, "started_at")
    assert row_counts(("stock_event", "stock_event_line", "stock_balance",
                       "stock_count")) == before
    own = bearer("staff", sites=["C1"])
    assert client.post("/api/v1/counts", headers=own,
                       json=count_body("C1", [(NAL, "N1", 10)])).status_code == 201
