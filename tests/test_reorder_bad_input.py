"""Bad input to the stock status and reorder API and pages: a clear 4xx naming the field,
nothing written, never a 500."""
import uuid

import pytest

from tests import factories
from tests.api_helpers import assert_problem, bearer, row_counts

HUGE = 2**31


@pytest.fixture
def coord(client, db):
    factories.make_site("BA")
    db.session.commit()
    return bearer("coordinator")


@pytest.mark.parametrize("query,field", [
    ("status=nonsense", "status"), ("category=%00", "category"), ("site=NOPE", "site"),
    ("site=" + "x" * 40, "site.0"),
])
def test_status_filters(client, coord, query, field):
    assert_problem(client.get(f"/api/v1/stock/status?{query}", headers=coord), 422, field)


@pytest.mark.parametrize("body,field", [
    ({"item": "SYR-1ML-28G\x00", "min_months": 1, "max_months": 2}, "item"),
    ({"item": "SYR-1ML-28G", "min_months": "NaN", "max_months": 2}, "min_months"),
    ({"item": "SYR-1ML-28G", "min_months": 1, "max_months": 1e308}, "max_months"),
    ({"item": "SYR-1ML-28G", "min_months": -1, "max_months": 2}, "min_months"),
    ({"item": "SYR-1ML-28G", "site": "\ud800", "min_months": 1, "max_months": 2}, "site"),
])
def test_policy_bodies(client, coord, body, field):
    assert_problem(client.put("/api/v1/reorder/policies", headers=coord, json=body), 422, field)


@pytest.mark.parametrize("lines,field", [
    ([{"item": "SYR-1ML-28G"}], "lines.0.packs"),
    ([{"item": "SYR-1ML-28G", "packs": 1, "units": 5}], "lines.0.packs"),
    ([{"item": "SYR-1ML-28G", "packs": 0}], "lines.0.packs"),
    ([{"item": "SYR-1ML-28G", "packs": HUGE}], "lines.0.packs"),
    ([{"item": "SYR-1ML-28G", "packs": 1}, {"item": "SYR-1ML-28G", "packs": 2}], "lines.1.item"),
    ([{"item": "NOPE", "packs": 1}], "lines.0.item"),
    ([], "lines"),
])
def test_request_bodies(client, coord, lines, field):
    before = row_counts(("reorder_request", "reorder_request_line"))
    response = client.post("/api/v1/reorder/requests", headers=coord, json={
        "client_id": str(uuid.uuid4()), "site": "BA", "lines": lines})
    assert_problem(response, 422, field)
    assert row_counts(("reorder_request", "reorder_request_line")) == before


def test_huge_and_unknown_ids(client, coord):
    for path in (f"/api/v1/reorder/requests/{HUGE}", "/api/v1/reorder/requests/999"):
        assert client.get(path, headers=coord).status_code in (400, 404)
    assert client.post(f"/api/v1/reorder/requests/{HUGE}/submit",
                       headers=coord).status_code in (400, 404)


def test_pages_refuse_bad_input(client, login_as, db):
    factories.make_site("BA")
    db.session.commit()
    login_as("coordinator")
    assert client.get("/stock?site=" + "x" * 100).status_code == 422
    assert client.get("/stock?category=%00").status_code in (400, 422)
    assert client.get("/sites/BA/items/NOPE/card").status_code == 404
    assert client.get(f"/reorder/requests/{HUGE}").status_code in (400, 404)
    bad = client.post("/reorder/requests", data={"site": "BA", "packs-SYR-1ML-28G": "\x00"})
    assert bad.status_code in (303, 400, 422)
    assert row_counts(("reorder_request",)) == {"reorder_request": 0}
