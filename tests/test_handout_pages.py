"""The handout screen's pages: who may open them, what they carry, and the PWA files."""
import json
import re

from inventory.extensions import db
from tests import factories


def _config(html: str) -> dict:
    found = re.search(r"data-config='(.*?)'", html, re.S)
    return json.loads(found.group(1))


def test_staff_open_the_screen_of_their_site(client, login_as, make_site):
    site = make_site("VAN1")
    login_as("staff", sites=[site])
    response = client.get("/sites/VAN1/handout")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert _config(html) == {"site": "VAN1", "site_name": site.name, "timezone": "UTC",
                             "idle_minutes": 15}
    assert '<button type="submit" class="primary save" id="save-handout">Save handout</button>' in html
    assert 'name="csrf-token"' in html and 'rel="manifest"' in html
    assert "<script>" not in html and "style=" not in html  # the CSP allows neither
    assert html.count('inputmode="numeric"') >= 4 + 2  # the four counts and the digit prompts


def test_staff_are_refused_other_sites_and_unknown_sites_are_404(client, login_as, make_site):
    mine, other = make_site("VAN1"), make_site("VAN2")
    login_as("staff", sites=[mine])
    assert client.get(f"/sites/{other.code}/handout").status_code == 403
    assert client.get("/sites/NOPE/handout").status_code == 404


def test_reporters_cannot_log_handouts(client, login_as, make_site):
    make_site("VAN1")
    login_as("reporter")
    assert client.get("/sites/VAN1/handout").status_code == 403
    assert client.get("/handout").status_code == 403


def test_picker_lists_only_the_staff_members_active_sites(client, login_as, make_site):
    mine, closed, other = make_site("VAN1"), make_site("VAN3"), make_site("VAN2")
    closed.active = False
    login_as("staff", sites=[mine, closed])
    html = client.get("/handout").get_data(as_text=True)
    assert 'data-site="VAN1"' in html
    assert 'data-site="VAN3"' not in html and 'data-site="VAN2"' not in html


def test_coordinator_picker_lists_every_active_site(client, login_as, make_site):
    make_site("VAN1")
    make_site("VAN2")
    login_as("coordinator")
    html = client.get("/handout").get_data(as_text=True)
    assert 'data-site="VAN1"' in html and 'data-site="VAN2"' in html


def test_anonymous_visitors_are_sent_to_sign_in(client, make_site):
    make_site("VAN1")
    response = client.get("/sites/VAN1/handout")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_staff_home_links_to_the_handout_screen(client, login_as, make_site):
    site = make_site("VAN1")
    login_as("staff", sites=[site])
    html = client.get("/").get_data(as_text=True)
    assert 'href="/sites/VAN1/handout"' in html


def test_service_worker_is_served_from_the_root_uncached(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    source = response.get_data(as_text=True)
    # Only GET requests are answered, and no /api/ call other than the catalogue and kits.
    assert 'request.method !== "GET"' in source
    assert 'const CATALOGUE = ["/api/v1/items", "/api/v1/kits"];' in source


def test_every_file_the_worker_precaches_exists(client, db):
    source = client.get("/sw.js").get_data(as_text=True)
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", source, re.S).group(1)
                       .replace(",\n]", "\n]"))
    for path in shell:
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


def test_manifest_names_the_app_and_its_icons(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json(force=True)
    assert manifest["start_url"] == "/handout" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        icon_response = client.get(icon["src"])
        assert icon_response.status_code == 200, icon["src"]
        if icon["type"] == "image/png":
            width = int.from_bytes(icon_response.data[16:20], "big")
            assert f"{width}x{width}" == icon["sizes"]
        icon_response.close()


# --- What the screen can send -----------------------------------------------------------------

def _screen_body(**fields):
    """A body as static/js/handout/form.js builds it (every key it may send)."""
    from tests.api_helpers import encounter_body

    body = encounter_body("VAN1", [("SYR-1ML-28G", 10), ("COOKER", 10)])
    body.update(fields)
    return body


def test_the_steppers_stop_where_the_api_does(client, api_headers, make_site):
    """The screen's maxima (LIMITS, in the page) are accepted; one more is refused naming the
    field, so a queued handout is never a conflict because of a stepper."""
    from inventory.handout.services import LIMITS
    from tests.api_helpers import assert_problem

    make_site("VAN1")
    headers = api_headers("coordinator")
    people, quantity = LIMITS["max_people"], LIMITS["max_quantity"]
    at_limits = _screen_body(syringes_returned=quantity, secondary_people=people,
                             naloxone_used=people, reversals_reported=people,
                             items=[{"item": "SYR-1ML-28G", "quantity": quantity}],
                             participant_code="Q" * 40, returns_estimated=True,
                             referrals=["housing", "medical"], age_range="declined",
                             gender="declined", race_ethnicity="declined")
    assert client.post("/api/v1/encounters", json=at_limits, headers=headers).status_code == 201
    for field, value in (("syringes_returned", quantity + 1), ("secondary_people", people + 1),
                         ("naloxone_used", people + 1), ("reversals_reported", people + 1),
                         ("participant_code", "Q" * 41)):
        response = client.post("/api/v1/encounters", json=_screen_body(**{field: value}),
                               headers=headers)
        assert_problem(response, 422, field)
    response = client.post("/api/v1/encounters", headers=headers, json=_screen_body(
        items=[{"item": "SYR-1ML-28G", "quantity": quantity + 1}]))
    assert_problem(response, 422, "items.0.quantity")


def test_a_replayed_handout_is_confirmed_and_a_changed_one_is_a_conflict(client, api_headers,
                                                                         make_site):
    """What the outbox relies on: the same client_id and body again answers 200 (the record
    leaves the outbox), a different body 409 (the record is shown as a conflict)."""
    make_site("VAN1")
    headers = api_headers("coordinator")
    body = _screen_body()
    first = client.post("/api/v1/encounters", json=body, headers=headers)
    again = client.post("/api/v1/encounters", json=body, headers=headers)
    changed = client.post("/api/v1/encounters", headers=headers,
                          json={**body, "items": [{"item": "COOKER", "quantity": 1}]})
    assert (first.status_code, again.status_code, changed.status_code) == (201, 200, 409)
    assert again.get_json()["id"] == first.get_json()["id"]


def test_odd_site_codes_in_the_address_are_404_not_500(client, login_as, make_site):
    make_site("VAN1")
    login_as("coordinator")
    for code in ("%00", "A" * 5000, "%ED%A0%80", "VAN1%00", "..%2F..", "%F0%9F%92%89"):
        assert client.get(f"/sites/{code}/handout").status_code == 404, code
