"""Input at the edges (issue 14, point 1), one table per surface: NUL bytes and lone surrogates
in any string, ids and page numbers beyond the database's integer, JSON nested too deep, dates
at the ends of Python's calendar, an occurred_at older than the configured bound. Each is a 4xx
naming the field (problem+json in the API, the form shown again with the message on pages) and
nothing is written. The suite runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL (where a
NUL byte used to be a 500 from the driver, even on the anonymous sign-in form)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from inventory.audit.models import AuditEntry
from inventory.auth.models import User
from inventory.catalog.models import Item, Site
from inventory.input_rules import BAD_TEXT_MESSAGE, DATE_MESSAGE
from inventory.settings.models import ProgramSettings
from tests.api_helpers import (assert_problem, bearer, encounter_body, now_iso, receipt_body,
                               receipt_line, row_counts, adjustment_body)
from tests.web_helpers import config

ITEM = "SYR-1ML-28G"
NUL, SURROGATE = "\x00", "\ud800"
BIG = 2**31          # one past the largest 32-bit id
HUGE = 10**20        # past 64 bits as well
YEAR_1 = "0001-01-01T00:00:00+05:00"     # UTC would be year 0: Python cannot hold it
LAST_INSTANT = "9999-12-31T23:59:59-05:00"  # UTC would be year 10000


@pytest.fixture
def headers(make_site, client):
    make_site("BIA")
    headers = bearer("coordinator")
    response = client.post("/api/v1/receipts", headers=headers,
                           json=receipt_body("BIA", [receipt_line(ITEM, 500)]))
    assert response.status_code == 201, response.get_json()
    return headers


def enc(**over):
    return "/api/v1/encounters", {**encounter_body("BIA", [(ITEM, 2)]), **over}


def rec(**over):
    return "/api/v1/receipts", {**receipt_body("BIA", [receipt_line(ITEM, 10)]), **over}


def rec_line(**line):
    return rec(lines=[{**receipt_line(ITEM, 10), **line}])


def adj(**over):
    return "/api/v1/adjustments", {**adjustment_body("BIA", "other", [(ITEM, "LOT-1", -1)]),
                                   **over}


def days_ago(days: int) -> str:
    return now_iso(timedelta(days=-days))


# (request builder, field named in errors, what its message says)
TEXT, DATE, OLD, DEEP = BAD_TEXT_MESSAGE, DATE_MESSAGE, "days ago", "nested"
BODY_CASES = {
    # NUL bytes: refused on both databases (SQLite would store them, PostgreSQL cannot)
    "enc site NUL": (lambda: enc(site="BI" + NUL + "A"), "site", TEXT),
    "enc item NUL": (lambda: enc(items=[{"item": ITEM + NUL, "quantity": 1}]), "items.0.item",
                     TEXT),
    "enc participant code NUL": (lambda: enc(participant_code="AB" + NUL + "12"),
                                 "participant_code", TEXT),
    "enc referral NUL": (lambda: enc(referrals=["other" + NUL]), "referrals.0", TEXT),
    "rec lot NUL": (lambda: rec_line(lot="L" + NUL), "lines.0.lot", TEXT),
    "rec document_ref NUL": (lambda: rec(document_ref="PO" + NUL + "7"), "document_ref", TEXT),
    "rec client_id NUL": (lambda: rec(client_id=NUL), "client_id", TEXT),
    "adj note NUL": (lambda: adj(note="spilt" + NUL), "note", TEXT),
    "adj reason NUL": (lambda: adj(reason="other" + NUL), "reason", TEXT),
    # lone UTF-16 surrogates (valid JSON escapes, not encodable as UTF-8)
    "enc site surrogate": (lambda: enc(site=SURROGATE), "site", TEXT),
    "enc participant code surrogate": (lambda: enc(participant_code="AB" + SURROGATE),
                                       "participant_code", TEXT),
    "rec item surrogate": (lambda: rec_line(item=ITEM + "\udfff"), "lines.0.item", TEXT),
    "adj note surrogate": (lambda: adj(note=SURROGATE + "x"), "note", TEXT),
    "key surrogate": (lambda: enc(**{SURROGATE: 1}), "body", TEXT),
    # dates at the edges of Python's calendar, and far in the past
    "enc occurred_at year 1 with offset": (lambda: enc(occurred_at=YEAR_1), "occurred_at", DATE),
    "enc occurred_at 9999-12-31": (lambda: enc(occurred_at=LAST_INSTANT), "occurred_at", DATE),
    "enc occurred_at year 1000": (lambda: enc(occurred_at="1000-06-01T12:00:00Z"),
                                  "occurred_at", DATE),
    "enc occurred_at 400 days ago": (lambda: enc(occurred_at=days_ago(400)), "occurred_at", OLD),
    "rec occurred_at year 1 with offset": (lambda: rec(occurred_at=YEAR_1), "occurred_at", DATE),
    "rec occurred_at 2 years ago": (lambda: rec(occurred_at=days_ago(730)), "occurred_at", OLD),
    "rec expires_on 9999-12-31": (lambda: rec_line(expires_on="9999-12-31"),
                                  "lines.0.expires_on", DATE),
    "rec expires_on year 1": (lambda: rec_line(expires_on="0001-01-01"), "lines.0.expires_on",
                              DATE),
    "adj occurred_at 9999-12-31": (lambda: adj(occurred_at=LAST_INSTANT), "occurred_at", DATE),
    "adj occurred_at year 1000": (lambda: adj(occurred_at="1000-01-01T00:00:00+00:00"),
                                  "occurred_at", DATE),
    # JSON nested deeper than the limit (32 levels), inside a real body
    "enc nested 40 deep": (lambda: enc(referrals=_nested(40)), "body", DEEP),
}


def _nested(depth: int):
    value = []
    for _ in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("case", sorted(BODY_CASES))
def test_bad_body_is_4xx_problem_naming_field_and_writes_nothing(client, headers, case):
    build, field, message = BODY_CASES[case]
    url, body = build()
    before = row_counts()
    response = client.post(url, headers=headers, json=body)
    problem = assert_problem(response, (400, 422), field)
    # The rule itself answered (not, say, an unknown-site lookup that a NUL happened to fail).
    assert any(message in m for m in problem["errors"][field]), problem
    assert row_counts() == before


@pytest.mark.parametrize("url", ["/api/v1/encounters", "/api/v1/receipts"])
def test_json_nested_past_the_parser_stack_is_400(client, headers, url):
    """About 1,000 levels exhaust Python's JSON parser (RecursionError): a 400, not a 500."""
    before = row_counts()
    for data in ('{"a":' * 5000 + "1" + "}" * 5000, "[" * 100_000):
        response = client.post(url, headers={**headers, "Content-Type": "application/json"},
                               data=data)
        assert_problem(response, 400, "body")
    assert row_counts() == before


# (GET url, expected status, field named or None, what its message says)
QUERY_CASES = {
    "encounter id past 32 bits": (f"/api/v1/encounters/{BIG}", 404, None, None),
    "encounter id past 64 bits": (f"/api/v1/encounters/{HUGE}", 404, None, None),
    "page past 32 bits": (f"/api/v1/encounters?page={BIG}", 422, "page", "less than"),
    "page past 64 bits": (f"/api/v1/encounters?page={HUGE}", 422, "page", "less than"),
    "page_size past 64 bits": (f"/api/v1/encounters?page_size={HUGE}", 422, "page_size",
                               "less than"),
    "from year 1": ("/api/v1/encounters?from=0001-01-01", 422, "from", DATE),
    "to 9999-12-31": ("/api/v1/encounters?to=9999-12-31", 422, "to", DATE),
    "site filter NUL": ("/api/v1/encounters?site=BI%00A", 422, "site", TEXT),
    "stock site NUL": ("/api/v1/stock?site=%00", 422, "site", TEXT),
    # Werkzeug leaves bytes that are not UTF-8 percent-encoded: an unknown item, no surrogate.
    "stock item surrogate bytes": ("/api/v1/stock?item=%ED%A0%80", 422, "item", "Unknown"),
    "flag NUL": ("/api/v1/sites?include_inactive=%00", 422, "include_inactive", TEXT),
}


@pytest.mark.parametrize("case", sorted(QUERY_CASES))
def test_bad_query_or_path_is_4xx_problem(client, headers, case):
    url, status, field, message = QUERY_CASES[case]
    response = client.get(url, headers=headers)
    problem = assert_problem(response, status, field)
    if message:
        assert any(message in m for m in problem["errors"][field]), problem


def test_void_of_an_id_past_the_integer_range_is_404(client, headers):
    for encounter_id in (BIG, HUGE):
        response = client.post(f"/api/v1/encounters/{encounter_id}/void", headers=headers,
                               json={"reason": "typo"})
        assert_problem(response, 404)


def test_void_reason_with_nul_is_refused(client, headers):
    url, body = enc()
    created = client.post(url, headers=headers, json=body)
    assert created.status_code == 201
    encounter_id = created.get_json()["id"]
    before = row_counts()
    response = client.post(f"/api/v1/encounters/{encounter_id}/void", headers=headers,
                           json={"reason": "typo" + NUL})
    assert_problem(response, 422, "reason")
    assert row_counts() == before


def test_path_ids_are_documented_with_their_maximum(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    params = spec["paths"]["/api/v1/encounters/{encounter_id}"]["parameters"]
    assert params[0]["schema"]["maximum"] == 2**31 - 1
    listing = spec["paths"]["/api/v1/encounters"]["get"]["parameters"]
    page = next(p for p in listing if p["name"] == "page")
    assert page["schema"]["maximum"] == 2**31 - 1


# --- occurred_at: the age bound and explicit back-dating ------------------------------------

def test_coordinator_may_backdate_explicitly(client, headers):
    url, body = rec(occurred_at=days_ago(400), backdated=True)
    response = client.post(url, headers=headers, json=body)
    assert response.status_code == 201, response.get_json()
    url, body = enc(occurred_at=days_ago(400), backdated=True)
    assert client.post(url, headers=headers, json=body).status_code == 201


def test_backdated_still_refuses_the_calendar_edges(client, headers):
    before = row_counts()
    url, body = enc(occurred_at=YEAR_1, backdated=True)
    assert_problem(client.post(url, headers=headers, json=body), 422, "occurred_at")
    url, body = rec(occurred_at="1000-01-01T00:00:00Z", backdated=True)
    assert_problem(client.post(url, headers=headers, json=body), 422, "occurred_at")
    assert row_counts() == before


def test_staff_cannot_backdate(client, headers):
    staff = bearer("staff", sites=["BIA"])
    before = row_counts()
    for build in (lambda: enc(occurred_at=days_ago(400), backdated=True),
                  lambda: enc(backdated=True), lambda: adj(backdated=True)):
        url, body = build()
        assert_problem(client.post(url, headers=staff, json=body), 422, "backdated")
    assert row_counts() == before


def test_the_age_bound_comes_from_the_configuration(app, client, headers):
    url, body = enc(occurred_at=days_ago(20))
    with config(app, OCCURRED_AT_MAX_AGE_DAYS=10):
        before = row_counts()
        problem = assert_problem(client.post(url, headers=headers, json=body), 422,
                                 "occurred_at")
        assert "10 days" in problem["errors"]["occurred_at"][0]
        assert row_counts() == before
    # 364 days ago is inside the default year
    url, body = enc(occurred_at=days_ago(364))
    assert client.post(url, headers=headers, json=body).status_code == 201


# --- Pages: forms show the message; ids and query strings at the edges ---------------------

def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _snapshot(db) -> tuple:
    db.session.rollback()
    return tuple(_count(db, m) for m in (User, Site, Item, ProgramSettings, AuditEntry))


def test_anonymous_login_with_nul_shows_the_form_again(client, db, make_user):
    make_user(role="admin", email="admin@example.org")
    db.session.commit()
    for data in ({"email": "admin@example.org" + NUL, "password": "correct horse battery"},
                 {"email": "admin@example.org", "password": "correct horse" + NUL}):
        response = client.post("/login", data=data)
        assert response.status_code in (200, 422)
        assert BAD_TEXT_MESSAGE in response.get_data(as_text=True)
        assert client.get("/").status_code == 302  # still signed out


FORM_CASES = {
    "site name": ("/admin/sites/new", {"code": "NEW1", "name": "A" + NUL, "kind": "fixed"}),
    "site code": ("/admin/sites/new", {"code": "N" + NUL, "name": "New", "kind": "fixed"}),
    "item unit": ("/admin/items/new", {"code": "NEW-ITEM", "name": "New", "category": "other",
                                       "unit": "ea" + NUL, "pack_size": "1",
                                       "doses_per_unit": "1", "display_order": "0"}),
    "item pack size": ("/admin/items/new", {"code": "NEW-ITEM", "name": "New",
                                            "category": "other", "unit": "ea",
                                            "pack_size": "1" + NUL, "doses_per_unit": "1",
                                            "display_order": "0"}),
    "user email": ("/admin/users/new", {"email": "x" + NUL + "@example.org", "role": "admin",
                                        "password": "a long enough passphrase",
                                        "password_confirm": "a long enough passphrase"}),
    "settings timezone": ("/admin/settings", {
        "program_name": "P", "timezone": "UTC" + NUL, "fiscal_year_start_month": "7",
        "suppression_threshold": "11", "idle_timeout_minutes": "15"}),
}


@pytest.mark.parametrize("case", sorted(FORM_CASES))
def test_admin_form_with_nul_is_shown_again_and_writes_nothing(client, login_as, db, case):
    login_as("admin")
    url, data = FORM_CASES[case]
    before = _snapshot(db)
    response = client.post(url, data=data)
    assert response.status_code == 422
    assert BAD_TEXT_MESSAGE in response.get_data(as_text=True)
    assert _snapshot(db) == before


def test_setup_form_with_nul_is_shown_again(client, db):
    before = _snapshot(db)
    response = client.post("/setup", data={
        "program_name": "Harm" + NUL, "timezone": "UTC", "fiscal_year_start_month": "7",
        "suppression_threshold": "11", "email": "first@example.org",
        "password": "a long enough passphrase", "password_confirm": "a long enough passphrase"})
    assert response.status_code == 422
    assert BAD_TEXT_MESSAGE in response.get_data(as_text=True)
    assert _snapshot(db) == before


@pytest.mark.parametrize("url", [
    f"/admin/users/{BIG}/edit", f"/admin/users/{HUGE}/password", f"/admin/sites/{BIG}/edit",
    f"/admin/items/{HUGE}/edit", f"/admin/audit?page={HUGE}", "/sites/%00/stock"])
def test_admin_and_site_urls_past_the_range_are_404(client, login_as, url):
    login_as("admin")
    assert client.get(url).status_code == 404


REPORT_QUERIES = {
    "from year 1": ("period=range&from=0001-01-01&to=0001-01-31", "from", DATE_MESSAGE),
    "to 9999-12-31": ("period=range&from=9999-12-01&to=9999-12-31", "from", DATE_MESSAGE),
    "month 0000-01": ("period=month&month=0000-01", "month", DATE_MESSAGE),
    "month 9999-12": ("period=month&month=9999-12", "month", DATE_MESSAGE),
    "month 0001-01": ("period=month&month=0001-01", "month", DATE_MESSAGE),
    "quarter FY0000Q1": ("period=quarter&quarter=FY0000Q1", "quarter", DATE_MESSAGE),
    "quarter FY9999Q4": ("period=quarter&quarter=FY9999Q4", "quarter", DATE_MESSAGE),
    "quarter NUL": ("period=quarter&quarter=FY2026Q1%00", "quarter", BAD_TEXT_MESSAGE),
    "site NUL": ("period=quarter&quarter=FY2026Q1&site=A%00", "site", BAD_TEXT_MESSAGE),
}


@pytest.mark.parametrize("case", sorted(REPORT_QUERIES))
@pytest.mark.parametrize("path", ["/reports/", "/reports/download.xlsx", "/reports/download.zip"])
def test_reports_page_and_downloads_refuse_edges_with_the_message(client, login_as, case, path):
    login_as("coordinator")
    query, _field, message = REPORT_QUERIES[case]
    response = client.get(f"{path}?{query}")
    assert response.status_code == 422, response.get_data(as_text=True)[:500]
    if path == "/reports/":
        # The page comes back with the message next to the form.
        assert message in response.get_data(as_text=True)
