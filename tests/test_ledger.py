"""The ledger rules of docs/design.md, exercised through the services and the API."""
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from inventory.stock.models import StockBalance, StockEvent, StockEventLine
from tests.factories import item

NOW = datetime.now(UTC) - timedelta(minutes=1)


def _receipt(client, headers, site, lines):
    return client.post("/api/v1/receipts", headers=headers, json={
        "client_id": str(uuid.uuid4()), "site": site, "occurred_at": NOW.isoformat(),
        "lines": lines})


def _handout(client, headers, site, code, quantity):
    return client.post("/api/v1/encounters", headers=headers, json={
        "client_id": str(uuid.uuid4()), "site": site, "occurred_at": NOW.isoformat(),
        "items": [{"item": code, "quantity": quantity}]})


def _lot_balances(db, code):
    rows = db.session.execute(
        select(StockBalance.lot_id, StockBalance.on_hand)
        .where(StockBalance.item_id == item(code).id)
    ).all()
    from inventory.catalog.models import Lot

    names = {lot.id: lot.lot_code for lot in db.session.scalars(select(Lot))}
    # An empty unknown-lot row is an artefact of locking (PostgreSQL anchors), not stock.
    return {names.get(lot_id): on_hand for lot_id, on_hand in rows
            if lot_id is not None or on_hand != 0}


def test_handout_takes_first_expired_lot_first(client, api_headers, make_site, db):
    make_site("A")
    headers = api_headers("coordinator")
    assert _receipt(client, headers, "A", [
        {"item": "NARCAN-4MG", "quantity": 10, "lot": "LATE", "expires_on": "2028-01-01"},
        {"item": "NARCAN-4MG", "quantity": 4, "lot": "SOON", "expires_on": "2027-02-01"},
        {"item": "NARCAN-4MG", "quantity": 3, "lot": "MID", "expires_on": "2027-06-01"},
    ]).status_code == 201

    response = _handout(client, headers, "A", "NARCAN-4MG", 6)

    assert response.status_code == 201
    assert response.json["stock_discrepancy"] is False
    assert _lot_balances(db, "NARCAN-4MG") == {"LATE": 10, "SOON": 0, "MID": 1}


def test_handout_beyond_stock_is_recorded_and_flagged(client, api_headers, make_site, db):
    make_site("A")
    headers = api_headers("staff", sites=["A"])
    _receipt(client, headers, "A", [{"item": "FTS", "quantity": 5, "lot": "F1",
                                     "expires_on": "2027-01-01"}])

    response = _handout(client, headers, "A", "FTS", 8)

    assert response.status_code == 201
    assert response.json["stock_discrepancy"] is True
    assert _lot_balances(db, "FTS") == {"F1": 0, None: -3}
    event = db.session.scalar(select(StockEvent).where(StockEvent.kind == "distribution"))
    assert event.discrepancy is True
    assert sorted(line.quantity for line in event.lines) == [-5, -3]


def test_receipt_in_cases_uses_pack_size(client, api_headers, make_site, db):
    make_site("W", kind="warehouse")
    headers = api_headers("coordinator")

    response = _receipt(client, headers, "W", [{"item": "SYR-1ML-28G", "cases": 3}])

    assert response.status_code == 201
    assert response.json["lines"] == [{"item": "SYR-1ML-28G", "lot": None, "quantity": 300}]
    assert _lot_balances(db, "SYR-1ML-28G") == {None: 300}


def test_lot_expiry_must_match_what_is_recorded(client, api_headers, make_site, db):
    make_site("A")
    headers = api_headers("coordinator")
    _receipt(client, headers, "A", [{"item": "FTS", "quantity": 5, "lot": "F1",
                                     "expires_on": "2027-01-01"}])

    response = _receipt(client, headers, "A", [{"item": "FTS", "quantity": 5, "lot": "F1",
                                                "expires_on": "2027-03-01"}])

    assert response.status_code == 422
    assert "lines.0.expires_on" in response.json["errors"]
    assert _lot_balances(db, "FTS") == {"F1": 5}


def test_void_reverses_the_distribution_and_keeps_the_encounter(client, api_headers,
                                                                make_site, db):
    make_site("A")
    headers = api_headers("coordinator")
    _receipt(client, headers, "A", [{"item": "CONDOM-EXT", "quantity": 20}])
    encounter = _handout(client, headers, "A", "CONDOM-EXT", 12).json

    voided = client.post(f"/api/v1/encounters/{encounter['id']}/void", headers=headers,
                         json={"reason": "entered twice"})
    again = client.post(f"/api/v1/encounters/{encounter['id']}/void", headers=headers,
                        json={"reason": "entered twice"})
    other = client.post(f"/api/v1/encounters/{encounter['id']}/void", headers=headers,
                        json={"reason": "something else"})

    assert voided.status_code == 200 and voided.json["void"] is True
    assert again.status_code == 200
    assert other.status_code == 409
    assert _lot_balances(db, "CONDOM-EXT") == {None: 20}
    reversal = db.session.scalar(select(StockEvent).where(StockEvent.kind == "reversal"))
    original = db.session.get(StockEvent, reversal.reverses_id)
    assert original.kind == "distribution"
    assert reversal.occurred_at == original.occurred_at
    assert db.session.scalar(select(func.count()).select_from(StockEventLine)) == 3


def test_disposal_never_goes_below_zero(client, api_headers, make_site, db):
    make_site("A")
    headers = api_headers("coordinator")
    _receipt(client, headers, "A", [{"item": "NARCAN-4MG", "quantity": 2, "lot": "N1",
                                     "expires_on": "2026-12-01"}])
    # Lot N1 has not expired: the reason is damage ("expired" is only for lots past expiry).
    body = {"site": "A", "occurred_at": NOW.isoformat(), "reason": "damaged"}

    too_many = client.post("/api/v1/disposals", headers=headers, json={
        **body, "client_id": str(uuid.uuid4()),
        "lines": [{"item": "NARCAN-4MG", "lot": "N1", "quantity": 3}]})
    exact = client.post("/api/v1/disposals", headers=headers, json={
        **body, "client_id": str(uuid.uuid4()),
        "lines": [{"item": "NARCAN-4MG", "lot": "N1", "quantity": 2}]})

    assert too_many.status_code == 422
    assert "lines.0.quantity" in too_many.json["errors"]
    assert exact.status_code == 201 and exact.json["kind"] == "disposal"
    assert exact.json["lines"][0]["quantity"] == -2
    assert _lot_balances(db, "NARCAN-4MG") == {"N1": 0}


def test_disposal_reason_must_be_a_disposal_reason(client, api_headers, make_site, db):
    make_site("A")
    headers = api_headers("coordinator")
    response = client.post("/api/v1/disposals", headers=headers, json={
        "client_id": str(uuid.uuid4()), "site": "A", "occurred_at": NOW.isoformat(),
        "reason": "found", "lines": [{"item": "FTS", "quantity": 1}]})
    assert response.status_code == 422
    assert "reason" in response.json["errors"]


def test_encounter_list_is_paginated_and_filtered_by_local_date(client, api_headers, make_site,
                                                               db):
    make_site("A")
    headers = api_headers("coordinator")
    for _ in range(3):
        _handout(client, headers, "A", "CONDOM-EXT", 1)

    first = client.get("/api/v1/encounters?site=A&page=1&page_size=2", headers=headers)
    today = NOW.date().isoformat()
    dated = client.get(f"/api/v1/encounters?from={today}&to={today}", headers=headers)
    earlier = client.get("/api/v1/encounters?to=2020-01-01", headers=headers)

    assert first.status_code == 200 and len(first.json) == 2
    assert '"total": 3' in first.headers["X-Pagination"]
    assert len(dated.json) == 3
    assert earlier.json == []
