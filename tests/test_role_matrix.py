"""Every API route and page against every role, from one table.

Staff are assigned site A only; every route that concerns a site is tried at A and at B.
Anonymous callers get 401 problem+json from the API and the login page elsewhere. A route the
table does not list fails ``test_every_route_is_in_the_table``: add new routes here or, for a
new area, in ``tests/role_routes/<area>.py`` (see ``tests/role_table.py``).
"""
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from inventory.auth.models import ApiToken, User
from inventory.encounters.models import Encounter
from inventory.extensions import db as _db
from tests import factories
from tests.api_helpers import (PROBLEM, adjustment_body, assert_problem, bearer, encounter_body,
                               fast_user, receipt_body, receipt_line, row_counts)
from tests.role_table import (ADMIN, ADMINS, ANON, COORD, ENCOUNTER_READERS, EVERYONE,
                              FORM_POST_OK, ITEM, REPORT_READERS, REPORTER, ROLES, SITE_A, SITE_B,
                              STAFF, WRITERS, Route, _api, area_routes)

TABLE: dict[tuple[str, str], Route] = {
    # --- API v1 ---------------------------------------------------------------------------------
    ("/api/v1/openapi.json", "GET"): Route("/api/v1/openapi.json", EVERYONE, anon="public"),
    ("/api/v1/docs", "GET"): Route("/api/v1/docs", EVERYONE, anon="public"),
    ("/api/v1/sites", "GET"): _api("/api/v1/sites", EVERYONE),
    ("/api/v1/items", "GET"): _api("/api/v1/items", EVERYONE),
    ("/api/v1/stock", "GET"): _api("/api/v1/stock?site={site}", EVERYONE, sited=True),
    ("/api/v1/encounters", "GET"): _api("/api/v1/encounters?site={site}", ENCOUNTER_READERS,
                                        sited=True),
    ("/api/v1/encounters", "POST"): _api(
        "/api/v1/encounters", WRITERS, (201,), sited=True,
        body=lambda site: encounter_body(site, [(ITEM, 1)], participant_code="ZZ0101Q")),
    ("/api/v1/encounters/<int:encounter_id>", "GET"): _api(
        "/api/v1/encounters/{enc}", ENCOUNTER_READERS, sited=True),
    ("/api/v1/encounters/<int:encounter_id>/void", "POST"): _api(
        "/api/v1/encounters/{enc}/void", WRITERS, sited=True,
        body=lambda site: {"reason": "entered in error"}),
    ("/api/v1/receipts", "POST"): _api(
        "/api/v1/receipts", WRITERS, (201,), sited=True,
        body=lambda site: receipt_body(site, [receipt_line(ITEM, 5)])),
    ("/api/v1/adjustments", "POST"): _api(
        "/api/v1/adjustments", WRITERS, (201,), sited=True,
        body=lambda site: adjustment_body(site, "lost", [(ITEM, "LOT-1", -1)])),
    ("/api/v1/disposals", "POST"): _api(
        "/api/v1/disposals", WRITERS, (201,), sited=True,
        body=lambda site: adjustment_body(site, "damaged", [(ITEM, "LOT-1", 1)])),
    # --- pages ----------------------------------------------------------------------------------
    ("/", "GET"): Route("/", EVERYONE),
    ("/login", "GET"): Route("/login", EVERYONE, ok=(302,), anon="public"),
    ("/login", "POST"): Route("/login", EVERYONE, ok=(302,), anon="public", anon_ok=(200, 422),
                              form={"email": "nobody@example.org", "password": "wrong"}),
    ("/logout", "POST"): Route("/logout", EVERYONE, ok=(302,)),
    # An admin exists, so setup is over: a redirect to sign in, and nothing to post to.
    ("/setup", "GET"): Route("/setup", EVERYONE, ok=(302,), anon="public", anon_ok=(302,)),
    ("/setup", "POST"): Route("/setup", EVERYONE, ok=(404,), anon="public", anon_ok=(404,)),
    ("/sites/<code>/stock", "GET"): Route("/sites/{site}/stock", WRITERS, sited=True),
    ("/admin/", "GET"): Route("/admin/", ADMINS),
    ("/admin/audit", "GET"): Route("/admin/audit", ADMINS),
    ("/admin/users", "GET"): Route("/admin/users", ADMINS),
    ("/admin/users/new", "GET"): Route("/admin/users/new", ADMINS),
    ("/admin/users/new", "POST"): Route("/admin/users/new", ADMINS, ok=FORM_POST_OK),
    ("/admin/users/<int:user_id>/edit", "GET"): Route("/admin/users/{user_id}/edit", ADMINS),
    ("/admin/users/<int:user_id>/edit", "POST"): Route("/admin/users/{user_id}/edit", ADMINS,
                                                       ok=FORM_POST_OK),
    ("/admin/users/<int:user_id>/password", "GET"): Route("/admin/users/{user_id}/password",
                                                          ADMINS),
    ("/admin/users/<int:user_id>/password", "POST"): Route("/admin/users/{user_id}/password",
                                                           ADMINS, ok=FORM_POST_OK),
    ("/admin/sites", "GET"): Route("/admin/sites", ADMINS),
    ("/admin/sites/new", "GET"): Route("/admin/sites/new", ADMINS),
    ("/admin/sites/new", "POST"): Route("/admin/sites/new", ADMINS, ok=FORM_POST_OK),
    ("/admin/sites/<int:site_id>/edit", "GET"): Route("/admin/sites/{site_id}/edit", ADMINS),
    ("/admin/sites/<int:site_id>/edit", "POST"): Route("/admin/sites/{site_id}/edit", ADMINS,
                                                       ok=FORM_POST_OK),
    ("/admin/items", "GET"): Route("/admin/items", ADMINS),
    ("/admin/items/new", "GET"): Route("/admin/items/new", ADMINS),
    ("/admin/items/new", "POST"): Route("/admin/items/new", ADMINS, ok=FORM_POST_OK),
    ("/admin/items/<int:item_id>/edit", "GET"): Route("/admin/items/{item_id}/edit", ADMINS),
    ("/admin/items/<int:item_id>/edit", "POST"): Route("/admin/items/{item_id}/edit", ADMINS,
                                                       ok=FORM_POST_OK),
    ("/admin/settings", "GET"): Route("/admin/settings", ADMINS),
    ("/admin/settings", "POST"): Route("/admin/settings", ADMINS, ok=FORM_POST_OK),
    ("/account/password", "GET"): Route("/account/password", EVERYONE),
    ("/account/password", "POST"): Route("/account/password", EVERYONE, ok=FORM_POST_OK, form={
        "current_password": "wrong", "password": "a new long passphrase",
        "password_confirm": "a new long passphrase"}),
    ("/account/tokens", "GET"): Route("/account/tokens", EVERYONE),
    ("/account/tokens", "POST"): Route("/account/tokens", EVERYONE, ok=FORM_POST_OK,
                                       form={"name": "matrix"}),
    # The token is another user's: not found, whoever asks (admins use /admin/tokens).
    ("/account/tokens/<int:token_id>/revoke", "POST"): Route(
        "/account/tokens/{token_id}/revoke", EVERYONE, ok=(404,), form={"x": "1"}),
    ("/admin/tokens", "GET"): Route("/admin/tokens", ADMINS),
    ("/admin/tokens/<int:token_id>/revoke", "POST"): Route(
        "/admin/tokens/{token_id}/revoke", ADMINS, ok=(302,), form={"x": "1"}),
    ("/admin/users/<int:user_id>/end-sessions", "POST"): Route(
        "/admin/users/{user_id}/end-sessions", ADMINS, ok=(302,), form={"x": "1"}),
    ("/admin/users/<int:user_id>/require-new-password", "POST"): Route(
        "/admin/users/{user_id}/require-new-password", ADMINS, ok=(302,), form={"x": "1"}),
    ("/reports/", "GET"): Route("/reports/", REPORT_READERS),
    ("/reports/download.xlsx", "GET"): Route(
        "/reports/download.xlsx?period=month&month=2026-10", REPORT_READERS),
    ("/reports/download.zip", "GET"): Route(
        "/reports/download.zip?period=month&month=2026-10", REPORT_READERS),
}
TABLE.update(area_routes())
# Served to anyone by design: not part of the matrix.
UNCHECKED = {("/static/<path:filename>", "GET")}


@pytest.fixture
def world(client, make_site):
    """Sites A and B, each with stock (lot LOT-1); an admin exists."""
    make_site(SITE_A)
    make_site(SITE_B)
    admin = bearer("admin")
    for site in (SITE_A, SITE_B):
        response = client.post("/api/v1/receipts", headers=admin,
                               json=receipt_body(site, [receipt_line(ITEM, 500)]))
        assert response.status_code == 201, response.get_json()
    other = fast_user("staff", sites=[SITE_B])
    factories.make_token(other)
    token_id = _db.session.scalar(select(ApiToken.id).where(ApiToken.user_id == other.id))
    _db.session.commit()
    return {"admin": admin, "user_id": other.id, "token_id": token_id, "site_id": factories.make_site(SITE_B).id,
            "item_id": factories.item(ITEM).id, "client": client}


def _encounter(world, site: str) -> int:
    response = world["client"].post("/api/v1/encounters", headers=world["admin"],
                                    json=encounter_body(site, [(ITEM, 2)]))
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _callers(app, role: str):
    """(client, headers) pairs acting as ``role`` (staff: site A only): bearer token for the
    API, a signed-in session for pages."""
    if role == ANON:
        return app.test_client(), {}, app.test_client(), {}
    sites = [SITE_A] if role == STAFF else []
    api_user, page_user = fast_user(role, sites), fast_user(role, sites)
    token = factories.make_token(api_user)
    _db.session.commit()
    page_client = app.test_client()
    factories.sign_in(page_client, page_user)
    return app.test_client(), {"Authorization": f"Bearer {token}"}, page_client, {}


def test_every_route_is_in_the_table(app):
    rules = {(rule.rule, method) for rule in app.url_map.iter_rules()
             for method in rule.methods - {"HEAD", "OPTIONS"}}
    missing = sorted(rules - set(TABLE) - UNCHECKED)
    assert not missing, f"routes missing from the role matrix: {missing}"
    stale = sorted(set(TABLE) - rules)
    assert not stale, f"routes in the role matrix that no longer exist: {stale}"


def _check(route, role, site, response, before, enc_id) -> str | None:
    """None when ``response`` is what ``role`` should get at ``site``, else what went wrong."""
    status = response.status_code
    api = route.url.startswith("/api/")
    if status >= 500:
        return f"server error {status}"
    if role == ANON:
        denied = route.anon != "public"
        if route.anon == "401":
            if status != 401 or response.mimetype != PROBLEM:
                return f"expected 401 problem+json, got {status} {response.mimetype}"
        elif route.anon == "login":
            location = urlsplit(response.headers.get("Location", "")).path
            if status != 302 or location != "/login":
                return f"expected a redirect to /login, got {status} {location!r}"
        elif status not in route.anon_ok:
            return f"expected {route.anon_ok}, got {status}"
    elif role in route.allowed and not (role == STAFF and site == SITE_B):
        denied = False
        if status not in route.ok:
            return f"expected {route.ok}, got {status}"
    else:
        denied = True
        # Someone else's record: refusing it or not admitting it exists are both fine.
        expected = (403, 404) if "{enc}" in route.url and role in route.allowed else (403,)
        if status not in expected:
            return f"expected {expected}, got {status}"
    if api and status >= 400 and response.mimetype != PROBLEM:
        return f"error answered as {response.mimetype}, not problem+json"
    if denied and route.body is not None or denied and route.form:
        if row_counts() != before:
            return "a refused request wrote something"
        if enc_id is not None:
            _db.session.rollback()
            if _db.session.get(Encounter, enc_id).voided_at is not None:
                return "a refused request voided the encounter"
    return None


@pytest.mark.parametrize("rule,method", sorted(TABLE), ids=lambda v: v)
def test_role_matrix(app, world, rule, method):
    route = TABLE[(rule, method)]
    failures = []
    for role in ROLES:
        api_client, api_headers, page_client, page_headers = _callers(app, role)
        client, headers = ((api_client, api_headers) if rule.startswith("/api/")
                           else (page_client, page_headers))
        for site in ((SITE_A, SITE_B) if route.sited else (SITE_A,)):
            enc_id = _encounter(world, site) if "{enc}" in route.url else None
            extra = route.prepare(world, site) if route.prepare else {}
            url = route.url.format(site=site, enc=enc_id, user_id=world["user_id"],
                                   site_id=world["site_id"], item_id=world["item_id"],
                                   token_id=world["token_id"], **extra)
            kwargs = {"headers": headers}
            if method == "POST":
                if route.body is not None:
                    kwargs["json"] = route.body(site)
                else:
                    kwargs["data"] = route.form
            before = row_counts()
            response = client.open(url, method=method, **kwargs)
            problem = _check(route, role, site, response, before, enc_id)
            if problem:
                body = response.get_data(as_text=True)[:200]
                failures.append(f"{role} @{site} {method} {url}: {problem} | {body}")
    assert not failures, "\n".join(failures)


# --- Staff see and write only their sites, also where a list is not filtered ---------------------

def test_staff_lists_show_only_their_sites(client, world):
    enc_a, _ = _encounter(world, SITE_A), _encounter(world, SITE_B)
    headers = bearer("staff", sites=[SITE_A])
    sites = client.get("/api/v1/sites", headers=headers)
    assert sites.status_code == 200
    assert [s["code"] for s in sites.get_json()] == [SITE_A]

    stock = client.get("/api/v1/stock", headers=headers)
    assert stock.status_code == 200
    assert stock.get_json() and {row["site"] for row in stock.get_json()} == {SITE_A}

    encounters = client.get("/api/v1/encounters", headers=headers)
    assert encounters.status_code == 200
    assert [e["id"] for e in encounters.get_json()] == [enc_a]

    everyone = client.get("/api/v1/stock", headers=bearer("coordinator"))
    assert {row["site"] for row in everyone.get_json()} == {SITE_A, SITE_B}


def test_staff_without_sites_sees_nothing(client, world):
    _encounter(world, SITE_A)
    headers = bearer("staff")
    assert client.get("/api/v1/sites", headers=headers).get_json() == []
    assert client.get("/api/v1/stock", headers=headers).get_json() == []
    assert client.get("/api/v1/encounters", headers=headers).get_json() == []
    before = row_counts()
    response = client.post("/api/v1/encounters", headers=headers,
                           json=encounter_body(SITE_A, [(ITEM, 1)]))
    assert_problem(response, 403)
    assert row_counts() == before


def test_staff_filters_on_another_site_are_refused(client, world):
    headers = bearer("staff", sites=[SITE_A])
    assert_problem(client.get(f"/api/v1/stock?site={SITE_B}&item={ITEM}", headers=headers), 403)
    # Asking for an own site beside another does not let the other through.
    assert_problem(client.get(f"/api/v1/stock?site={SITE_A}&site={SITE_B}", headers=headers),
                   403, "site")
    assert_problem(client.get(f"/api/v1/encounters?site={SITE_A}&site={SITE_B}",
                              headers=headers), 403, "site")
    assert_problem(client.get(f"/api/v1/encounters?site={SITE_B}&from=2020-01-01",
                              headers=headers), 403)


def test_reporter_cannot_read_encounter_rows(client, world):
    enc_a = _encounter(world, SITE_A)
    headers = bearer("reporter")
    assert_problem(client.get("/api/v1/encounters", headers=headers), 403)
    assert_problem(client.get(f"/api/v1/encounters?site={SITE_A}", headers=headers), 403)
    assert_problem(client.get(f"/api/v1/encounters/{enc_a}", headers=headers), 403)


def test_bad_or_revoked_token_is_401(client, world, db):
    assert_problem(client.get("/api/v1/sites", headers={"Authorization": "Bearer nope"}), 401)
    assert_problem(client.get("/api/v1/sites", headers={"Authorization": "Basic abc"}), 401)
    response = client.post("/api/v1/encounters", headers={"Authorization": "Bearer nope"},
                           json=encounter_body(SITE_A, [(ITEM, 1)]))
    assert_problem(response, 401)
    user = fast_user("admin")
    token = factories.make_token(user)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/sites", headers=headers).status_code == 200
    user = db.session.scalar(select(User).where(User.id == user.id))
    user.active = False
    db.session.commit()
    assert_problem(client.get("/api/v1/sites", headers=headers), 401)
