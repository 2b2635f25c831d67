"""Role matrix: reorder suggestions, policies and requests (API and pages)."""
import uuid

from inventory.extensions import db
from inventory.reorder.models import ReorderRequest, ReorderRequestLine
from tests import factories
from tests.api_helpers import now_iso
from tests.role_table import (ADMIN, COORD, EVERYONE, FORM_POST_OK, ITEM, WRITERS, Route, _api)

PLANNERS = frozenset({COORD, ADMIN})


def _request_in(state: str):
    """prepare: a reorder request at the route's site in ``state``; URL placeholder {req}."""

    def prepare(world, site_code):
        site, item = factories.make_site(site_code), factories.item(ITEM)
        request = ReorderRequest(client_id=uuid.uuid4(), site_id=site.id, status=state)
        request.lines = [ReorderRequestLine(item_id=item.id, packs=1, units=item.pack_size)]
        db.session.add(request)
        db.session.commit()
        return {"req": request.id}

    return prepare


ROUTES = {
    ("/api/v1/stock/status", "GET"): _api("/api/v1/stock/status?site={site}", EVERYONE,
                                          sited=True),
    ("/api/v1/reorder/suggestions", "GET"): _api("/api/v1/reorder/suggestions?site={site}",
                                                 EVERYONE, sited=True),
    # The matrix sends no body with a PUT: allowed roles get past the role check to the
    # schema (422); tests/test_reorder_api.py sends real bodies.
    ("/api/v1/reorder/policies", "PUT"): _api("/api/v1/reorder/policies", PLANNERS, ok=(422,)),
    ("/api/v1/reorder/requests", "POST"): _api(
        "/api/v1/reorder/requests", WRITERS, (201,), sited=True,
        body=lambda site: {"client_id": str(uuid.uuid4()), "site": site,
                           "lines": [{"item": ITEM, "packs": 1}]}),
    ("/api/v1/reorder/requests", "GET"): _api("/api/v1/reorder/requests?site={site}", WRITERS,
                                              sited=True),
    ("/api/v1/reorder/requests/<int:request_id>", "GET"): _api(
        "/api/v1/reorder/requests/{req}", WRITERS, sited=True, prepare=_request_in("draft")),
    ("/api/v1/reorder/requests/<int:request_id>/submit", "POST"): _api(
        "/api/v1/reorder/requests/{req}/submit", WRITERS, sited=True,
        prepare=_request_in("draft"), body=lambda site: {}),
    ("/api/v1/reorder/requests/<int:request_id>/order", "POST"): _api(
        "/api/v1/reorder/requests/{req}/order", PLANNERS, sited=True,
        prepare=_request_in("submitted"), body=lambda site: {}),
    ("/api/v1/reorder/requests/<int:request_id>/receive", "POST"): _api(
        "/api/v1/reorder/requests/{req}/receive", WRITERS, (201,), sited=True,
        prepare=_request_in("ordered"),
        body=lambda site: {"client_id": str(uuid.uuid4()), "occurred_at": now_iso()}),
    # --- pages ---------------------------------------------------------------------------------
    ("/reorder/", "GET"): Route("/reorder/", PLANNERS),
    ("/reorder/policies", "GET"): Route("/reorder/policies", PLANNERS),
    ("/reorder/policies", "POST"): Route("/reorder/policies", PLANNERS, ok=FORM_POST_OK, form={
        "item": ITEM, "site": "", "min_months": "1", "max_months": "4"}),
    ("/reorder/requests", "GET"): Route("/reorder/requests", PLANNERS),
    ("/reorder/requests", "POST"): Route("/reorder/requests", PLANNERS, ok=(302, 303),
                                         sited=True, form={"site": "RMA", f"packs-{ITEM}": "2"}),
    ("/reorder/requests/<int:request_id>", "GET"): Route(
        "/reorder/requests/{req}", PLANNERS, sited=True, prepare=_request_in("draft")),
    ("/reorder/requests/<int:request_id>/<any(submit, order):action>", "POST"): Route(
        "/reorder/requests/{req}/submit", PLANNERS, ok=(302,), sited=True,
        prepare=_request_in("draft"), form={"x": "1"}),
    ("/reorder/requests/<int:request_id>/receive", "POST"): Route(
        "/reorder/requests/{req}/receive", PLANNERS, ok=(302,), sited=True,
        prepare=_request_in("ordered"), form={f"quantity-{ITEM}": "100"}),
    ("/reorder/requests/<int:request_id>/export.<any(csv, xlsx):kind>", "GET"): Route(
        "/reorder/requests/{req}/export.xlsx", PLANNERS, sited=True,
        prepare=_request_in("submitted")),
}
