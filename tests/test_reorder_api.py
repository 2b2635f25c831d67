"""Reorder API: in transit counted in suggestions, policies (roles, validation, audit), and a
request's life: draft → submitted → ordered → received (a receipt), with supplier exports."""
import csv
import io
import math
import uuid

import pytest
from openpyxl import load_workbook

from inventory.catalog.models import Item
from tests import factories
from tests.api_helpers import assert_problem, bearer, now_iso, on_hand_total
from tests.test_reorder_formula import SYRINGE, hand_out, receive, status_row

NARCAN = "NARCAN-4MG"


@pytest.fixture
def coord(client, db):
    for code in ("TA", "TB"):
        factories.make_site(code)
    db.session.commit()
    return bearer("coordinator")


def test_in_transit_is_counted_in_the_suggestion(client, coord):
    receive(client, coord, "TB", SYRINGE, 300, days_ago=100)
    hand_out(client, coord, "TB", SYRINGE, 90, days_ago=60)
    hand_out(client, coord, "TB", SYRINGE, 90, days_ago=30)
    receive(client, coord, "TA", SYRINGE, 500, days_ago=5, lot="TA-1")
    response = client.put("/api/v1/reorder/policies", headers=coord,
                          json={"item": SYRINGE, "site": "TB", "min_months": 2, "max_months": 4})
    assert response.status_code == 200, response.get_json()

    amc = 180 * 30.44 / 90  # 60.88 a month, never out of stock
    before = client.get("/api/v1/reorder/suggestions?site=TB", headers=coord).get_json()
    units = math.ceil(4 * amc - 120 - 0)  # 243.52 - 120 → 124
    assert (units, math.ceil(units / 100)) == (124, 2)
    assert [(r["on_hand"], r["in_transit"], r["suggested_units"], r["suggested_packs"])
            for r in before] == [(120, 0, 200, 2)]

    shipped = client.post("/api/v1/transfers", headers=coord, json={
        "client_id": str(uuid.uuid4()), "from_site": "TA", "to_site": "TB",
        "occurred_at": now_iso(), "lines": [{"item": SYRINGE, "quantity": 50}]})
    assert shipped.status_code == 201, shipped.get_json()
    row = status_row(client, coord, "TB", SYRINGE)
    assert (row["on_hand"], row["in_transit"]) == (120, 50)
    units = math.ceil(4 * amc - 120 - 50)  # 73.52 → 74: one pack of 100
    after = client.get("/api/v1/reorder/suggestions?site=TB", headers=coord).get_json()
    assert [(r["in_transit"], r["suggested_units"], r["suggested_packs"]) for r in after] == \
        [(50, 100, math.ceil(units / 100))] == [(50, 100, 1)]

    transfer = shipped.get_json()["id"]
    got = client.post(f"/api/v1/transfers/{transfer}/receive", headers=coord, json={
        "client_id": str(uuid.uuid4()), "occurred_at": now_iso(),
        "lines": [{"item": SYRINGE, "lot": "TA-1", "quantity": 50}]})
    assert got.status_code in (200, 201), got.get_json()
    row = status_row(client, coord, "TB", SYRINGE)
    assert (row["on_hand"], row["in_transit"]) == (170, 0)


def test_policies_need_a_planner_and_valid_months(client, coord):
    for role in ("staff", "reporter"):
        response = client.put("/api/v1/reorder/policies", headers=bearer(role, sites=["TA"]),
                              json={"item": SYRINGE, "min_months": 1, "max_months": 2})
        assert_problem(response, 403)
    assert_problem(client.put("/api/v1/reorder/policies", headers=coord, json={
        "item": SYRINGE, "min_months": 3, "max_months": 2}), 422, "max_months")
    assert_problem(client.put("/api/v1/reorder/policies", headers=coord, json={
        "item": "NOPE", "min_months": 1, "max_months": 2}), 422, "item")
    assert_problem(client.put("/api/v1/reorder/policies", headers=coord, json={
        "item": SYRINGE, "site": "NOPE", "min_months": 1, "max_months": 2}), 422, "site")
    ok = client.put("/api/v1/reorder/policies", headers=coord,
                    json={"item": SYRINGE, "min_months": 0.5, "max_months": 2})
    assert ok.get_json() == {"item": SYRINGE, "site": None, "min_months": 0.5, "max_months": 2}
    receive(client, coord, "TA", SYRINGE, 10, days_ago=3)
    row = status_row(client, coord, "TA", SYRINGE)
    assert (row["min_months"], row["max_months"]) == (0.5, 2)


def test_a_request_goes_draft_submitted_ordered_received(client, coord):
    staff = bearer("staff", sites=["TA"])
    body = {"client_id": str(uuid.uuid4()), "site": "TA",
            "lines": [{"item": SYRINGE, "units": 150}, {"item": NARCAN, "packs": 2}]}
    made = client.post("/api/v1/reorder/requests", headers=staff, json=body)
    assert made.status_code == 201, made.get_json()
    request = made.get_json()
    assert request["status"] == "draft"
    assert [(l["item"], l["packs"], l["units"]) for l in request["lines"]] == \
        [(SYRINGE, 2, 200), (NARCAN, 2, 48)]  # 150 units round up to 2 packs of 100
    assert client.post("/api/v1/reorder/requests", headers=staff, json=body).status_code == 200
    rid = request["id"]

    assert_problem(client.post(f"/api/v1/reorder/requests/{rid}/order", headers=coord), 409)
    assert client.post(f"/api/v1/reorder/requests/{rid}/submit", headers=staff).status_code == 200
    assert_problem(client.post(f"/api/v1/reorder/requests/{rid}/order", headers=staff), 403)
    ordered = client.post(f"/api/v1/reorder/requests/{rid}/order", headers=coord)
    assert ordered.get_json()["status"] == "ordered" and ordered.get_json()["ordered_at"]

    receipt = {"client_id": str(uuid.uuid4()), "occurred_at": now_iso()}
    # Naloxone tracks expiry: received without a lot, the receipt is refused.
    assert_problem(client.post(f"/api/v1/reorder/requests/{rid}/receive", headers=coord,
                               json=receipt), 422)
    receipt["lines"] = [{"item": SYRINGE, "quantity": 200},
                        {"item": NARCAN, "cases": 2, "lot": "NX-9", "expires_on": "2031-06-30"}]
    got = client.post(f"/api/v1/reorder/requests/{rid}/receive", headers=coord, json=receipt)
    assert got.status_code == 201, got.get_json()
    assert got.get_json()["status"] == "received" and got.get_json()["receipt_event_id"]
    assert (on_hand_total("TA", SYRINGE), on_hand_total("TA", NARCAN)) == (200, 48)
    again = client.post(f"/api/v1/reorder/requests/{rid}/receive", headers=coord, json=receipt)
    assert again.status_code == 200 and on_hand_total("TA", SYRINGE) == 200
    other = {**receipt, "client_id": str(uuid.uuid4())}
    assert_problem(client.post(f"/api/v1/reorder/requests/{rid}/receive", headers=coord,
                               json=other), 409)
    listed = client.get("/api/v1/reorder/requests?status=received", headers=staff).get_json()
    assert [r["id"] for r in listed] == [rid]
    assert_problem(client.get(f"/api/v1/reorder/requests/{rid}",
                              headers=bearer("staff", sites=["TB"])), 403)


def test_supplier_exports_guard_formula_text(client, coord, db, login_as):
    item = db.session.query(Item).filter_by(code=SYRINGE).one()
    item.name = "=HYPERLINK(\"http://x\")"
    db.session.commit()
    made = client.post("/api/v1/reorder/requests", headers=coord, json={
        "client_id": str(uuid.uuid4()), "site": "TA", "lines": [{"item": SYRINGE, "packs": 3}]})
    rid = made.get_json()["id"]
    login_as("coordinator")
    text = client.get(f"/reorder/requests/{rid}/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    line = rows[rows.index(["Item code", "Item", "Unit", "Pack size", "Packs", "Units"]) + 1]
    assert line == [SYRINGE, "'=HYPERLINK(\"http://x\")", "syringe", "100", "3", "300"]
    book = load_workbook(io.BytesIO(client.get(f"/reorder/requests/{rid}/export.xlsx").data))
    cells = [[c.value for c in row] for row in book["Order"].iter_rows()]
    assert [SYRINGE, "'=HYPERLINK(\"http://x\")", "syringe", 100, 3, 300] in cells
    assert all(c.data_type != "f" for row in book["Order"].iter_rows() for c in row)
