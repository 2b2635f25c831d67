"""Bad input to every create: a 4xx problem+json naming the field, and nothing written."""
import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from inventory.catalog.models import Item, Site
from tests.api_helpers import (adjustment_body, assert_problem, bearer, encounter_body,
                               now_iso, receipt_body, receipt_line, row_counts)

ITEM = "SYR-1ML-28G"
HUGE = 100_001


@pytest.fixture
def headers(make_site, client):
    make_site("BIA")
    headers = bearer("coordinator")
    # Some stock so a refusal is about the input, not an empty shelf.
    response = client.post("/api/v1/receipts", headers=headers,
                           json=receipt_body("BIA", [receipt_line(ITEM, 500)]))
    assert response.status_code == 201, response.get_json()
    return headers


def enc(**over):
    return ("/api/v1/encounters", {**encounter_body("BIA", [(ITEM, 2)]), **over})


def enc_items(items):
    return enc(items=items)


def rec(**over):
    return ("/api/v1/receipts", {**receipt_body("BIA", [receipt_line(ITEM, 10)]), **over})


def rec_line(**line):
    return rec(lines=[{**receipt_line(ITEM, 10), **line}])


def adj(**over):
    body = adjustment_body("BIA", "damaged", [(ITEM, "LOT-1", -1)])
    return ("/api/v1/adjustments", {**body, **over})


def adj_line(**line):
    body = adjustment_body("BIA", "count_variance", [(ITEM, "LOT-1", -1)])
    body["lines"][0].update(line)
    return ("/api/v1/adjustments", body)


def disp(**over):
    # LOT-1 expires in 2031: "damaged", as "expired" is only for lots past their expiry.
    body = adjustment_body("BIA", "damaged", [(ITEM, "LOT-1", 1)])
    line = {k: over.pop(k) for k in ("quantity", "item") if k in over}
    body["lines"][0].update(line)
    return ("/api/v1/disposals", {**body, **over})


FUTURE = timedelta(hours=1)
CASES = {
    # encounters
    "enc zero quantity": (lambda: enc_items([{"item": ITEM, "quantity": 0}]), "items.0.quantity"),
    "enc negative quantity": (lambda: enc_items([{"item": ITEM, "quantity": -3}]),
                              "items.0.quantity"),
    "enc huge quantity": (lambda: enc_items([{"item": ITEM, "quantity": HUGE}]),
                          "items.0.quantity"),
    "enc second line bad": (lambda: enc_items([{"item": ITEM, "quantity": 1},
                                               {"item": "FTS", "quantity": 0}]),
                            "items.1.quantity"),
    "enc unknown item": (lambda: enc_items([{"item": "NO-SUCH-ITEM", "quantity": 1}]),
                         "items.0.item"),
    "enc unknown site": (lambda: enc(site="NO-SUCH-SITE"), "site"),
    "enc unparseable occurred_at": (lambda: enc(occurred_at="yesterday-ish"), "occurred_at"),
    "enc future occurred_at": (lambda: enc(occurred_at=now_iso(FUTURE)), "occurred_at"),
    "enc bad client_id": (lambda: enc(client_id="not-a-uuid"), "client_id"),
    # receipts
    "rec zero quantity": (lambda: rec_line(quantity=0), "lines.0.quantity"),
    "rec negative quantity": (lambda: rec_line(quantity=-10), "lines.0.quantity"),
    "rec huge quantity": (lambda: rec_line(quantity=HUGE), "lines.0.quantity"),
    "rec unknown item": (lambda: rec_line(item="NO-SUCH-ITEM"), "lines.0.item"),
    "rec unknown site": (lambda: rec(site="NO-SUCH-SITE"), "site"),
    "rec unparseable occurred_at": (lambda: rec(occurred_at="31/12/2025 10:00"), "occurred_at"),
    "rec future occurred_at": (lambda: rec(occurred_at=now_iso(FUTURE)), "occurred_at"),
    # adjustments (signed: negative is fine, zero and huge in either direction are not)
    "adj zero quantity": (lambda: adj_line(quantity=0), "lines.0.quantity"),
    "adj huge positive": (lambda: adj_line(quantity=HUGE), "lines.0.quantity"),
    "adj huge negative": (lambda: adj_line(quantity=-HUGE), "lines.0.quantity"),
    "adj unknown item": (lambda: adj_line(item="NO-SUCH-ITEM"), "lines.0.item"),
    "adj unknown site": (lambda: adj(site="NO-SUCH-SITE"), "site"),
    "adj unparseable occurred_at": (lambda: adj(occurred_at="2025-13-45T99:00:00Z"),
                                    "occurred_at"),
    "adj future occurred_at": (lambda: adj(occurred_at=now_iso(FUTURE)), "occurred_at"),
    "adj unknown reason": (lambda: adj(reason="ate-it"), "reason"),
    "adj other without note": (lambda: adj(reason="other", note=None), "note"),
    "adj damaged adding stock": (
        lambda: adj(lines=[{"item": ITEM, "lot": "LOT-1", "quantity": 1}]), "lines.0.quantity"),
    "adj found taking stock": (lambda: adj(reason="found", lines=[
        {"item": ITEM, "lot": "LOT-1", "quantity": 2}, {"item": ITEM, "quantity": -1}]),
        "lines.1.quantity"),
    "adj below zero": (lambda: adj_line(quantity=-501), "lines.0.quantity"),
    "adj unknown lot": (lambda: adj_line(lot="NO-SUCH-LOT"), "lines.0.lot"),
    "adj non-integer quantity": (lambda: adj_line(quantity=1.5), "lines.0.quantity"),
    "adj quantity as string": (lambda: adj_line(quantity="-1"), "lines.0.quantity"),
    # receipts in cases
    "rec zero cases": (lambda: rec(lines=[{"item": ITEM, "cases": 0, "lot": "LOT-1"}]),
                       "lines.0.cases"),
    "rec negative cases": (lambda: rec(lines=[{"item": ITEM, "cases": -2, "lot": "LOT-1"}]),
                           "lines.0.cases"),
    # 1,001 cases of 100 is 100,100 units: over the per-line limit.
    "rec huge cases": (lambda: rec(lines=[{"item": ITEM, "cases": 1001, "lot": "LOT-1"}]),
                       "lines.0.cases"),
    "rec no lines": (lambda: rec(lines=[]), "lines"),
    "rec expiry without lot": (lambda: rec(lines=[{"item": ITEM, "quantity": 5,
                                                   "expires_on": "2031-01-31"}]), "lines.0.lot"),
    # disposals take positive quantities
    "disp zero quantity": (lambda: disp(quantity=0), "lines.0.quantity"),
    "disp negative quantity": (lambda: disp(quantity=-2), "lines.0.quantity"),
    "disp huge quantity": (lambda: disp(quantity=HUGE), "lines.0.quantity"),
    "disp more than on hand": (lambda: disp(quantity=501), "lines.0.quantity"),
    "disp unknown item": (lambda: disp(item="NO-SUCH-ITEM"), "lines.0.item"),
    "disp future occurred_at": (lambda: disp(occurred_at=now_iso(FUTURE)), "occurred_at"),
    # encounter extras
    "enc empty participant code": (lambda: enc(participant_code=" - "), "participant_code"),
    "enc unknown referral": (lambda: enc(referrals=["astrology"]), "referrals.0"),
    "enc unknown type": (lambda: enc(encounter_type="teleport"), "encounter_type"),
    "enc negative returns": (lambda: enc(syringes_returned=-1), "syringes_returned"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_field_is_problem_naming_field_and_writes_nothing(client, headers, case):
    build, field = CASES[case]
    url, body = build()
    before = row_counts()
    response = client.post(url, headers=headers, json=body)
    assert_problem(response, (400, 404, 422), field)
    assert row_counts() == before


def test_unknown_site_or_item_is_422_not_404(client, headers):
    """An unknown code in a body is invalid input (the URL itself exists)."""
    url, body = enc(site="NO-SUCH-SITE")
    assert_problem(client.post(url, headers=headers, json=body), 422, "site")
    url, body = rec_line(item="NO-SUCH-ITEM")
    assert_problem(client.post(url, headers=headers, json=body), 422, "lines.0.item")


@pytest.mark.parametrize("url", ["/api/v1/encounters", "/api/v1/receipts", "/api/v1/adjustments"])
@pytest.mark.parametrize("payload", ['{"client_id": ', "not json at all", "[1, 2", "\x00\xff"])
def test_malformed_json_is_problem_and_writes_nothing(client, headers, url, payload):
    before = row_counts()
    response = client.post(url, headers={**headers, "Content-Type": "application/json"},
                           data=payload)
    assert_problem(response, (400, 422))
    assert row_counts() == before


@pytest.mark.parametrize("url", ["/api/v1/encounters", "/api/v1/receipts", "/api/v1/adjustments"])
def test_json_that_is_not_an_object_is_problem(client, headers, url):
    before = row_counts()
    assert_problem(client.post(url, headers=headers, json=[1, 2, 3]), (400, 422))
    assert_problem(client.post(url, headers=headers, json="a string"), (400, 422))
    assert row_counts() == before


@pytest.mark.parametrize("url", ["/api/v1/encounters", "/api/v1/receipts", "/api/v1/adjustments"])
def test_body_over_maximum_size_is_413_problem(app, client, headers, url):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit, "MAX_CONTENT_LENGTH must be configured"
    body = encounter_body("BIA", [(ITEM, 1)], referrals=["other"] * (limit // 8 + 10))
    before = row_counts()
    response = client.post(url, headers=headers, json=body)
    problem = assert_problem(response, 413, "body")
    assert str(limit) in problem["errors"]["body"][0]
    assert row_counts() == before


@pytest.mark.parametrize("url", ["/api/v1/encounters", "/api/v1/receipts"])
def test_chunked_body_over_maximum_size_is_413_not_invalid_json(app, client, headers, url):
    """A chunked body declares no length; read up to the limit it must still be refused as too
    large, not parsed truncated."""
    limit = app.config["MAX_CONTENT_LENGTH"]
    body = json.dumps(encounter_body("BIA", [(ITEM, 1)], referrals=["other"] * (limit // 8 + 10)))
    before = row_counts()
    response = client.post(url, headers={**headers, "Content-Type": "application/json",
                                         "Transfer-Encoding": "chunked"},
                           input_stream=io.BytesIO(body.encode()),
                           environ_overrides={"wsgi.input_terminated": True})
    assert_problem(response, 413, "body")
    assert row_counts() == before


def test_small_chunked_body_is_accepted(client, headers):
    body = json.dumps(enc()[1]).encode()
    response = client.post("/api/v1/encounters", headers={
        **headers, "Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        input_stream=io.BytesIO(body), environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("url", ["/api/v1/encounters", "/api/v1/receipts", "/api/v1/adjustments"])
def test_body_that_is_not_json_is_415(client, headers, url):
    """Valid JSON sent as text/plain is refused as such, not as "missing" fields."""
    before = row_counts()
    response = client.post(url, headers={**headers, "Content-Type": "text/plain"},
                           data=json.dumps(enc()[1]))
    problem = assert_problem(response, 415, "body")
    assert "application/json" in problem["detail"]
    assert row_counts() == before


def test_small_clock_skew_is_accepted(client, headers):
    """A device clock a minute or two ahead is not an error (the limit is a few minutes)."""
    url, body = enc(occurred_at=now_iso(timedelta(minutes=2)))
    response = client.post(url, headers=headers, json=body)
    assert response.status_code == 201, response.get_json()


def test_void_needs_a_reason_and_an_existing_encounter(client, headers):
    created = client.post("/api/v1/encounters", headers=headers, json=enc()[1])
    assert created.status_code == 201
    before = row_counts()
    url = f"/api/v1/encounters/{created.get_json()['id']}/void"
    assert_problem(client.post(url, headers=headers, json={}), 422, "reason")
    assert_problem(client.post(url, headers=headers, json={"reason": "   "}), 422, "reason")
    assert_problem(client.post("/api/v1/encounters/999999/void", headers=headers,
                               json={"reason": "typo"}), 404)
    assert_problem(client.post(url, headers=headers, data="{", content_type="application/json"),
                   (400, 422))
    assert row_counts() == before


def test_missing_required_fields_are_named(client, headers):
    before = row_counts()
    response = client.post("/api/v1/encounters", headers=headers, json={"site": "BIA"})
    problem = assert_problem(response, 422, "client_id")
    assert "occurred_at" in problem["errors"]
    assert row_counts() == before


def test_inactive_site_or_item_is_refused(client, headers, db):
    db.session.scalar(select(Site).where(Site.code == "BIA")).active = False
    db.session.commit()
    before = row_counts()
    for url, body in (enc(), rec(), adj()):
        assert_problem(client.post(url, headers=headers, json=body), 422, "site")
    db.session.scalar(select(Site).where(Site.code == "BIA")).active = True
    db.session.scalar(select(Item).where(Item.code == "FTS")).active = False
    db.session.commit()
    url, body = enc_items([{"item": ITEM, "quantity": 1}, {"item": "FTS", "quantity": 1}])
    assert_problem(client.post(url, headers=headers, json=body), 422, "items.1.item")
    url, body = rec_line(item="FTS")
    assert_problem(client.post(url, headers=headers, json=body), 422, "lines.0.item")
    assert row_counts() == before
