"""Role matrix: transfers, counts, receiving and disposal (API and pages).

Staff (assigned site A) ship from, receive at and count only at their own site: every route is
tried at A and at B. Records a route acts on are made per call by ``prepare``: a transfer to the
site (from a third site C, so that at B it touches nothing of A), a transfer from the site, an
open count at the site."""
import uuid

from inventory.extensions import db as _db
from tests import factories
from tests.api_helpers import fast_user, now_iso, receipt_body, receipt_line
from tests.role_table import EVERYONE, FORM_POST_OK, ITEM, SITE_A, SITE_B, WRITERS, Route, _api

SITE_C = "RMC"


def _ship(world, source: str, dest: str) -> int:
    client, admin = world["client"], world["admin"]
    if SITE_C in (source, dest):
        factories.make_site(SITE_C)
        _db.session.commit()
        if source == SITE_C:
            response = client.post("/api/v1/receipts", headers=admin,
                                   json=receipt_body(SITE_C, [receipt_line(ITEM, 5)]))
            assert response.status_code == 201, response.get_json()
    response = client.post("/api/v1/transfers", headers=admin, json={
        "client_id": str(uuid.uuid4()), "from_site": source, "to_site": dest,
        "occurred_at": now_iso(), "lines": [{"item": ITEM, "quantity": 2}]})
    assert response.status_code == 201, response.get_json()
    _db.session.commit()
    return response.get_json()["id"]


def _to_site(world, site):
    return {"transfer": _ship(world, SITE_C, site)}


def _from_site(world, site):
    return {"transfer": _ship(world, site, SITE_C)}


def _open_count(world, site):
    from inventory.counts.services import start_count

    count = start_count(fast_user("admin"), site)
    _db.session.commit()
    return {"count": count.id}


def _transfer_body(site):
    other = SITE_B if site == SITE_A else SITE_A
    return {"client_id": str(uuid.uuid4()), "from_site": site, "to_site": other,
            "occurred_at": now_iso(), "lines": [{"item": ITEM, "quantity": 1}]}


def _arrival(_site):
    return {"client_id": str(uuid.uuid4()), "occurred_at": now_iso(),
            "lines": [{"item": ITEM, "quantity": 1}]}


def _count_body(site):
    return {"client_id": str(uuid.uuid4()), "site": site, "occurred_at": now_iso(),
            "lines": [{"item": ITEM, "lot": "LOT-1", "counted": 400}]}


_one_line = {"lines-0-item": ITEM, "lines-0-quantity": "1"}

ROUTES = {
    # --- API --------------------------------------------------------------------------------
    ("/api/v1/transfers", "POST"): _api("/api/v1/transfers", WRITERS, (201,), sited=True,
                                        body=_transfer_body),
    ("/api/v1/transfers", "GET"): _api("/api/v1/transfers?site={site}", EVERYONE, sited=True),
    ("/api/v1/transfers/<int:transfer_id>", "GET"): _api(
        "/api/v1/transfers/{transfer}", EVERYONE, sited=True, prepare=_to_site),
    ("/api/v1/transfers/<int:transfer_id>/receive", "POST"): _api(
        "/api/v1/transfers/{transfer}/receive", WRITERS, (201,), sited=True, body=_arrival,
        prepare=_to_site),
    ("/api/v1/transfers/<int:transfer_id>/cancel", "POST"): _api(
        "/api/v1/transfers/{transfer}/cancel", WRITERS, sited=True, body=lambda site: {},
        prepare=_from_site),
    ("/api/v1/counts", "POST"): _api("/api/v1/counts", WRITERS, (201,), sited=True,
                                     body=_count_body),
    # --- pages ------------------------------------------------------------------------------
    ("/sites/<code>/receive", "GET"): Route("/sites/{site}/receive", WRITERS, sited=True),
    ("/sites/<code>/receive", "POST"): Route("/sites/{site}/receive", WRITERS, FORM_POST_OK,
                                             sited=True, form=_one_line),
    ("/sites/<code>/dispose", "GET"): Route("/sites/{site}/dispose", WRITERS, sited=True),
    ("/sites/<code>/dispose", "POST"): Route("/sites/{site}/dispose", WRITERS, FORM_POST_OK,
                                             sited=True, form={"reason": "damaged"}),
    ("/transfers", "GET"): Route("/transfers", WRITERS),
    ("/transfers/new", "GET"): Route("/transfers/new", WRITERS),
    ("/transfers/new", "POST"): Route("/transfers/new", WRITERS, FORM_POST_OK, form={
        "from_site": SITE_A, "to_site": SITE_B, **_one_line}),
    ("/transfers/<int:transfer_id>", "GET"): Route("/transfers/{transfer}", WRITERS,
                                                   sited=True, prepare=_to_site),
    ("/transfers/<int:transfer_id>/receive", "GET"): Route(
        "/transfers/{transfer}/receive", WRITERS, sited=True, prepare=_to_site),
    ("/transfers/<int:transfer_id>/receive", "POST"): Route(
        "/transfers/{transfer}/receive", WRITERS, FORM_POST_OK, sited=True, prepare=_to_site,
        form={"lines-0-line_id": "0", "lines-0-quantity": "1"}),
    ("/transfers/<int:transfer_id>/cancel", "POST"): Route(
        "/transfers/{transfer}/cancel", WRITERS, (302,), sited=True, prepare=_from_site,
        form={"x": "1"}),
    ("/sites/<code>/count", "GET"): Route("/sites/{site}/count", WRITERS, sited=True),
    ("/sites/<code>/count", "POST"): Route("/sites/{site}/count", WRITERS, (302,), sited=True,
                                           form={"x": "1"}),
    ("/counts/<int:count_id>", "GET"): Route("/counts/{count}", WRITERS, sited=True,
                                             prepare=_open_count),
    ("/counts/<int:count_id>", "POST"): Route("/counts/{count}", WRITERS, FORM_POST_OK,
                                              sited=True, prepare=_open_count,
                                              form={"action": "save"}),
}
