"""Transfers through the API: ship (FEFO), partial receipts, close with a shortfall, cancel;
worked examples with their numbers computed by hand."""
import uuid

from sqlalchemy import select

from inventory.stock.models import StockEvent
from inventory.transfers.queries import in_transit_by_site_item
from tests.api_helpers import (assert_problem, bearer, item_id, ledger_mismatches,
                               ledger_sums, now_iso, on_hand_total, receipt_body, receipt_line,
                               row_counts, site_id)

NAL = "NARCAN-4MG"
SYR = "SYR-1ML-28G"


def transfer_body(source, dest, lines, **fields):
    body = {"client_id": str(uuid.uuid4()), "from_site": source, "to_site": dest,
            "occurred_at": now_iso(),
            "lines": [{"item": item, "quantity": qty, **({"lot": lot} if lot else {})}
                      for item, lot, qty in lines]}
    body.update(fields)
    return body


def receive_body(lines, **fields):
    body = {"client_id": str(uuid.uuid4()), "occurred_at": now_iso(),
            "lines": [{"item": item, "quantity": qty, **({"lot": lot} if lot else {})}
                      for item, lot, qty in lines]}
    body.update(fields)
    return body


def lot_on_hand(site, item, lot_code):
    from inventory.catalog.models import Lot
    from inventory.extensions import db

    lot_key = 0
    if lot_code:
        lot_key = db.session.scalar(select(Lot.id).where(Lot.lot_code == lot_code,
                                                         Lot.item_id == item_id(item)))
    return ledger_sums().get((site_id(site), item_id(item), lot_key), 0)


def _stock(client, make_site, headers, site="WH", lines=None):
    make_site(site)
    make_site("S1")
    lines = lines or [receipt_line(NAL, 10, "LATE", "2031-06-30"),
                      receipt_line(NAL, 6, "SOON", "2030-01-31")]
    response = client.post("/api/v1/receipts", headers=headers, json=receipt_body(site, lines))
    assert response.status_code == 201, response.get_json()


def test_ship_takes_first_expired_first_and_stock_is_in_transit(client, make_site, db):
    headers = bearer("coordinator")
    _stock(client, make_site, headers)

    response = client.post("/api/v1/transfers", headers=headers,
                           json=transfer_body("WH", "S1", [(NAL, None, 8)]))

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "in_transit"
    # FEFO: all 6 of SOON (expires first), then 8 - 6 = 2 of LATE.
    lines = {line["lot"]: line for line in body["lines"]}
    assert {lot: line["quantity"] for lot, line in lines.items()} == {"SOON": 6, "LATE": 2}
    assert all(line["received"] == 0 and line["written_off"] == 0 for line in body["lines"])
    assert lot_on_hand("WH", NAL, "SOON") == 0
    assert lot_on_hand("WH", NAL, "LATE") == 10 - 2
    assert on_hand_total("S1", NAL) == 0
    assert in_transit_by_site_item() == {(site_id("S1"), item_id(NAL)): 8}
    assert ledger_mismatches() == []


def test_partial_receipt_then_close_writes_off_the_rest(client, make_site, db):
    """Worked example: ship 16, receive 5 then 7 (12 in all), close: 16 - 12 = 4 written off."""
    headers = bearer("coordinator")
    _stock(client, make_site, headers)
    shipped = client.post("/api/v1/transfers", headers=headers,
                          json=transfer_body("WH", "S1", [(NAL, None, 16)])).get_json()
    tid = shipped["id"]

    first = client.post(f"/api/v1/transfers/{tid}/receive", headers=headers,
                        json=receive_body([(NAL, None, 5)]))
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["status"] == "in_transit"
    # Received from the earliest expiry first: SOON's 6 lines hold 5 of them.
    assert on_hand_total("S1", NAL) == 5
    assert in_transit_by_site_item([site_id("S1")]) == {(site_id("S1"), item_id(NAL)): 16 - 5}

    second = client.post(f"/api/v1/transfers/{tid}/receive", headers=headers,
                         json=receive_body([(NAL, "LATE", 7)]))
    assert second.status_code == 201, second.get_json()
    assert on_hand_total("S1", NAL) == 5 + 7
    assert in_transit_by_site_item() == {(site_id("S1"), item_id(NAL)): 16 - 12}

    no_reason = client.post(f"/api/v1/transfers/{tid}/receive", headers=headers,
                            json=receive_body([], close=True))
    assert_problem(no_reason, 422, "shortfall_reason")

    closed = client.post(f"/api/v1/transfers/{tid}/receive", headers=headers,
                         json=receive_body([], close=True, shortfall_reason="box lost in van"))
    assert closed.status_code == 201, closed.get_json()
    body = closed.get_json()
    assert body["status"] == "closed"
    assert body["shortfall_reason"] == "box lost in van"
    lines = {line["lot"]: line for line in body["lines"]}
    # SOON: 6 shipped, 5 received, 1 written off; LATE: 10 shipped, 7 received, 3 written off.
    assert (lines["SOON"]["received"], lines["SOON"]["written_off"]) == (5, 1)
    assert (lines["LATE"]["received"], lines["LATE"]["written_off"]) == (7, 3)
    assert all(line["in_transit"] == 0 for line in body["lines"])
    assert in_transit_by_site_item() == {}
    # The destination holds what arrived; the shortfall is an adjustment with its reason.
    assert on_hand_total("S1", NAL) == 12
    assert on_hand_total("WH", NAL) == 16 - 16
    shortfall = db.session.scalar(select(StockEvent).where(
        StockEvent.reason_code == "transfer_shortfall"))
    assert shortfall.kind == "adjustment" and shortfall.site_id == site_id("S1")
    assert sorted(line.quantity for line in shortfall.lines) == [-3, -1]
    again = client.post(f"/api/v1/transfers/{tid}/receive", headers=headers,
                        json=receive_body([(NAL, None, 1)]))
    assert_problem(again, 409, "id")
    assert ledger_mismatches() == []


def test_full_receipt_marks_received(client, make_site, db):
    headers = bearer("coordinator")
    _stock(client, make_site, headers)
    tid = client.post("/api/v1/transfers", headers=headers,
                      json=transfer_body("WH", "S1", [(NAL, "LATE", 4)])).get_json()["id"]
    body = client.post(f"/api/v1/transfers/{tid}/receive", headers=headers,
                       json=receive_body([(NAL, None, 4)])).get_json()
    assert body["status"] == "received"
    assert lot_on_hand("S1", NAL, "LATE") == 4
    listed = client.get("/api/v1/transfers?status=received&site=S1", headers=headers).get_json()
    assert [t["id"] for t in listed] == [tid]
    assert client.get("/api/v1/transfers?status=in_transit&site=WH",
                      headers=headers).get_json() == []


def test_cancel_returns_stock_and_is_refused_after_a_receipt(client, make_site, db):
    headers = bearer("coordinator")
    _stock(client, make_site, headers)
    before = on_hand_total("WH", NAL)
    tid = client.post("/api/v1/transfers", headers=headers,
                      json=transfer_body("WH", "S1", [(NAL, None, 3)])).get_json()["id"]
    assert on_hand_total("WH", NAL) == before - 3

    cancelled = client.post(f"/api/v1/transfers/{tid}/cancel", headers=headers, json={})
    twice = client.post(f"/api/v1/transfers/{tid}/cancel", headers=headers, json={})

    assert cancelled.status_code == 200 and cancelled.get_json()["status"] == "cancelled"
    assert twice.status_code == 200
    assert on_hand_total("WH", NAL) == before
    assert in_transit_by_site_item() == {}

    other = client.post("/api/v1/transfers", headers=headers,
                        json=transfer_body("WH", "S1", [(NAL, None, 3)])).get_json()["id"]
    client.post(f"/api/v1/transfers/{other}/receive", headers=headers,
                json=receive_body([(NAL, None, 1)]))
    assert_problem(client.post(f"/api/v1/transfers/{other}/cancel", headers=headers, json={}),
                   409, "id")
    assert on_hand_total("WH", NAL) == before - 3
    assert ledger_mismatches() == []


def test_insufficient_stock_names_the_line_and_writes_nothing(client, make_site, db):
    headers = bearer("coordinator")
    _stock(client, make_site, headers)
    before = row_counts()

    too_many = client.post("/api/v1/transfers", headers=headers,
                           json=transfer_body("WH", "S1", [(SYR, None, 1), (NAL, None, 17)]))
    from_lot = client.post("/api/v1/transfers", headers=headers,
                           json=transfer_body("WH", "S1", [(NAL, "SOON", 7)]))

    problem = assert_problem(too_many, 422, "lines.0.quantity")
    assert problem["title"] == "Insufficient stock"
    assert_problem(from_lot, 422, "lines.0.quantity")
    assert row_counts() == before


def test_replay_and_reuse_of_client_id(client, make_site, db):
    headers = bearer("coordinator")
    _stock(client, make_site, headers)
    body = transfer_body("WH", "S1", [(NAL, None, 2)])
    first = client.post("/api/v1/transfers", headers=headers, json=body)
    replay = client.post("/api/v1/transfers", headers=headers, json=body)
    reused = client.post("/api/v1/transfers", headers=headers,
                         json={**body, "lines": [{"item": NAL, "quantity": 3}]})
    assert (first.status_code, replay.status_code) == (201, 200)
    assert first.get_json()["id"] == replay.get_json()["id"]
    assert_problem(reused, 409, "client_id")

    tid = first.get_json()["id"]
    receipt = receive_body([(NAL, None, 1)])
    assert client.post(f"/api/v1/transfers/{tid}/receive", headers=headers,
                       json=receipt).status_code == 201
    assert client.post(f"/api/v1/transfers/{tid}/receive", headers=headers,
                       json=receipt).status_code == 200
    assert on_hand_total("S1", NAL) == 1
    assert on_hand_total("WH", NAL) == 16 - 2


def test_staff_ship_and_receive_only_at_their_sites(client, make_site, db):
    coordinator = bearer("coordinator")
    _stock(client, make_site, coordinator)
    make_site("S2")
    at_wh, at_s1 = bearer("staff", sites=["WH"]), bearer("staff", sites=["S1"])

    assert_problem(client.post("/api/v1/transfers", headers=at_s1,
                               json=transfer_body("WH", "S1", [(NAL, None, 1)])), 403, "from_site")
    shipped = client.post("/api/v1/transfers", headers=at_wh,
                          json=transfer_body("WH", "S1", [(NAL, None, 2)]))
    assert shipped.status_code == 201
    tid = shipped.get_json()["id"]
    before = row_counts()
    assert_problem(client.post(f"/api/v1/transfers/{tid}/receive", headers=at_wh,
                               json=receive_body([(NAL, None, 2)])), 403)
    assert_problem(client.post(f"/api/v1/transfers/{tid}/cancel", headers=at_s1, json={}), 403)
    elsewhere = bearer("staff", sites=["S2"])
    assert_problem(client.get(f"/api/v1/transfers/{tid}", headers=elsewhere), 403)
    assert client.get("/api/v1/transfers", headers=elsewhere).get_json() == []
    assert row_counts() == before
    received = client.post(f"/api/v1/transfers/{tid}/receive", headers=at_s1,
                           json=receive_body([(NAL, None, 2)]))
    assert received.status_code == 201 and received.get_json()["status"] == "received"
