"""Bad input to the transfer and count endpoints: a 4xx problem+json naming the field, and
nothing written (no ledger line, no transfer, no count)."""
import uuid
from datetime import timedelta

import pytest

from tests.api_helpers import (WRITTEN_TABLES, assert_problem, bearer, now_iso, receipt_body,
                               receipt_line, row_counts)
from tests.test_counts import count_body
from tests.test_transfers import receive_body, transfer_body

ITEM = "SYR-1ML-28G"
HUGE = 100_001
TABLES = WRITTEN_TABLES + ("transfer", "transfer_line", "transfer_receipt", "stock_count",
                           "stock_count_line")


@pytest.fixture
def world(make_site, client):
    make_site("BTA")
    make_site("BTB")
    headers = bearer("coordinator")
    response = client.post("/api/v1/receipts", headers=headers,
                           json=receipt_body("BTA", [receipt_line(ITEM, 50)]))
    assert response.status_code == 201, response.get_json()
    shipped = client.post("/api/v1/transfers", headers=headers,
                          json=transfer_body("BTA", "BTB", [(ITEM, None, 5)]))
    assert shipped.status_code == 201, shipped.get_json()
    return headers, shipped.get_json()["id"]


def ship(**over):
    return {**transfer_body("BTA", "BTB", [(ITEM, None, 2)]), **over}


def ship_line(**line):
    body = transfer_body("BTA", "BTB", [(ITEM, None, 2)])
    body["lines"][0].update(line)
    return body


def arrive(**over):
    return {**receive_body([(ITEM, None, 1)]), **over}


def arrive_line(**line):
    body = receive_body([(ITEM, None, 1)])
    body["lines"][0].update(line)
    return body


def count(**over):
    return {**count_body("BTA", [(ITEM, "LOT-1", 3)]), **over}


LONG_AGO = now_iso(timedelta(days=-4000))
SHIP = {
    "NUL in site": (lambda: ship(to_site="BT\x00B"), "to_site"),
    "lone surrogate in item": (lambda: ship_line(item="SYR\ud800"), "lines.0.item"),
    "NUL in lot": (lambda: ship_line(lot="L\x00"), "lines.0.lot"),
    "zero quantity": (lambda: ship_line(quantity=0), "lines.0.quantity"),
    "negative quantity": (lambda: ship_line(quantity=-3), "lines.0.quantity"),
    "huge quantity": (lambda: ship_line(quantity=HUGE), "lines.0.quantity"),
    "float quantity": (lambda: ship_line(quantity=1.5), "lines.0.quantity"),
    "quantity as text": (lambda: ship_line(quantity="2"), "lines.0.quantity"),
    "unknown lot": (lambda: ship_line(lot="NO-SUCH-LOT"), "lines.0.lot"),
    "unknown item": (lambda: ship_line(item="NO-SUCH"), "lines.0.item"),
    "same site both ends": (lambda: ship(to_site="BTA"), "to_site"),
    "unknown destination": (lambda: ship(to_site="NOWHERE"), "to_site"),
    "no lines": (lambda: ship(lines=[]), "lines"),
    "bad client_id": (lambda: ship(client_id="not-a-uuid"), "client_id"),
    "far-past occurred_at": (lambda: ship(occurred_at=LONG_AGO), "occurred_at"),
    "year 1 occurred_at": (lambda: ship(occurred_at="0001-01-01T00:00:00+00:00"), "occurred_at"),
    "future occurred_at": (lambda: ship(occurred_at=now_iso(timedelta(hours=2))), "occurred_at"),
    "naive occurred_at": (lambda: ship(occurred_at="2026-01-01T10:00:00"), "occurred_at"),
    "more than on hand": (lambda: ship_line(quantity=46), "lines.0.quantity"),
}
ARRIVE = {
    "zero quantity": (lambda: arrive_line(quantity=0), "lines.0.quantity"),
    "huge quantity": (lambda: arrive_line(quantity=HUGE), "lines.0.quantity"),
    "more than in transit": (lambda: arrive_line(quantity=6), "lines.0.quantity"),
    "item not shipped": (lambda: arrive_line(item="CONDOM-EXT"), "lines.0.item"),
    "lot not shipped": (lambda: arrive_line(lot="LOT-9"), "lines.0.lot"),
    "surrogate in reason": (lambda: arrive(close=True, shortfall_reason="\udfff"),
                            "shortfall_reason"),
    "reason without close": (lambda: arrive(shortfall_reason="lost"), "shortfall_reason"),
    "nothing and no close": (lambda: arrive(lines=[]), "lines"),
    "far-past occurred_at": (lambda: arrive(occurred_at=LONG_AGO), "occurred_at"),
    "before it was shipped": (lambda: arrive(occurred_at=now_iso(timedelta(hours=-1))),
                              "occurred_at"),
}
COUNT = {
    "negative count": (lambda: count(lines=[{"item": ITEM, "counted": -1}]), "lines.0.counted"),
    "huge count": (lambda: count(lines=[{"item": ITEM, "counted": HUGE}]), "lines.0.counted"),
    "unknown lot": (lambda: count(lines=[{"item": ITEM, "lot": "NOPE", "counted": 1}]),
                    "lines.0.lot"),
    "NUL in site": (lambda: count(site="B\x00"), "site"),
    "far-past occurred_at": (lambda: count(occurred_at=LONG_AGO), "occurred_at"),
    "started after it ended": (lambda: count(started_at=now_iso(timedelta(seconds=30))),
                               "started_at"),
}


@pytest.mark.parametrize("case", sorted(SHIP))
def test_bad_shipment(client, world, case):
    headers, _ = world
    build, field = SHIP[case]
    before = row_counts(TABLES)
    assert_problem(client.post("/api/v1/transfers", headers=headers, json=build()),
                   (400, 422), field)
    assert row_counts(TABLES) == before


@pytest.mark.parametrize("case", sorted(ARRIVE))
def test_bad_arrival(client, world, case):
    headers, transfer_id = world
    build, field = ARRIVE[case]
    before = row_counts(TABLES)
    response = client.post(f"/api/v1/transfers/{transfer_id}/receive", headers=headers,
                           json=build())
    assert_problem(response, (400, 422), field)
    assert row_counts(TABLES) == before


@pytest.mark.parametrize("case", sorted(COUNT))
def test_bad_count(client, world, case):
    headers, _ = world
    build, field = COUNT[case]
    before = row_counts(TABLES)
    assert_problem(client.post("/api/v1/counts", headers=headers, json=build()),
                   (400, 422), field)
    assert row_counts(TABLES) == before


@pytest.mark.parametrize("url", ["/api/v1/transfers/{id}", "/api/v1/transfers/{id}/receive",
                                 "/api/v1/transfers/{id}/cancel"])
@pytest.mark.parametrize("transfer_id", ["99999999999999999999", "2147483648", "-1", "0",
                                         "x\x00"])
def test_huge_or_odd_ids_are_4xx(client, world, url, transfer_id):
    headers, _ = world
    before = row_counts(TABLES)
    path = url.format(id=transfer_id)
    if url.endswith("{id}"):
        response = client.get(path, headers=headers)
    else:
        response = client.post(path, headers=headers,
                               json={**arrive(), "client_id": str(uuid.uuid4())})
    assert_problem(response, (404, 405, 422))
    assert row_counts(TABLES) == before


def test_bad_list_filters(client, world):
    headers, _ = world
    assert_problem(client.get("/api/v1/transfers?status=lost", headers=headers), 422, "status")
    assert_problem(client.get("/api/v1/transfers?site=NOWHERE", headers=headers), 422, "site")
    assert_problem(client.get("/api/v1/transfers?site=%00", headers=headers), 422, "site")
    assert_problem(client.get("/api/v1/transfers?page=99999999999", headers=headers), 422)
