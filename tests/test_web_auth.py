"""Sign in and out, per-role home pages, site scoping of pages, and CSRF on forms."""
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from inventory.catalog.models import Site
from inventory.database import utcnow
from inventory.encounters.models import Encounter
from inventory.stock.models import StockBalance
from tests import factories
from tests.web_helpers import PASSWORD, config, csrf_token_from


def _login(client, email, password=PASSWORD, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_anonymous_is_sent_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.location.startswith("/login")
    page = client.get("/login")
    assert page.status_code == 200
    assert 'name="password"' in page.get_data(as_text=True)


def test_login_ok_then_logout(client, make_user, db):
    user = make_user(role="coordinator", email="coord@example.org")
    db.session.commit()
    response = _login(client, "Coord@Example.org ")  # case and spacing do not matter
    assert response.status_code == 302 and response.location == "/"
    home = client.get("/")
    assert home.status_code == 200 and user.email in home.get_data(as_text=True)

    response = client.post("/logout")
    assert response.status_code == 302 and response.location == "/login"
    assert not _signed_in(client)


@pytest.mark.parametrize("email, password", [
    ("who@example.org", "wrong password"),
    ("nobody@example.org", PASSWORD),
    ("who@example.org", ""),
])
def test_bad_login_shows_form_again_with_message(client, make_user, db, email, password):
    make_user(email="who@example.org")
    db.session.commit()
    response = _login(client, email, password)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="password"' in html
    assert "Wrong email or password" in html or "This field is required" in html
    assert not _signed_in(client)


def test_deactivated_user_cannot_log_in(client, make_user, db):
    user = make_user(email="gone@example.org")
    user.active = False
    db.session.commit()
    response = _login(client, "gone@example.org")
    assert response.status_code == 200
    assert "Wrong email or password" in response.get_data(as_text=True)
    assert not _signed_in(client)


def test_deactivating_ends_an_open_session(client, login_as, db):
    user = login_as("coordinator")
    assert _signed_in(client)
    user.active = False
    db.session.commit()
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_logout_needs_post(client, login_as):
    login_as("staff")
    assert client.get("/logout").status_code == 405
    assert _signed_in(client)


@pytest.mark.parametrize("next_url, expected", [
    ("/admin/users", "/admin/users"),
    ("https://evil.example/x", "/"),
    ("//evil.example/x", "/"),
])
def test_login_follows_only_local_next(client, make_user, db, next_url, expected):
    make_user(role="admin", email="boss@example.org")
    db.session.commit()
    response = _login(client, "boss@example.org", next_url=next_url)
    assert response.location == expected


# --- Home pages --------------------------------------------------------------------------------

def _encounter(site, occurred_at, voided=False):
    return Encounter(client_id=uuid.uuid4(), fingerprint="0" * 64, site_id=site.id,
                     occurred_at=occurred_at, encounter_type="site",
                     voided_at=utcnow() if voided else None)


def test_staff_home_shows_only_their_sites_and_todays_counts(client, login_as, make_site, db):
    mine, other = make_site("MINE", name="Harbor Street"), make_site("OTHER", name="Elm Van")
    now = utcnow()
    db.session.add_all([_encounter(mine, now), _encounter(mine, now),
                        _encounter(mine, now, voided=True),
                        _encounter(mine, now - timedelta(days=3)),
                        _encounter(other, now)])
    login_as("staff", sites=[mine])
    html = client.get("/").get_data(as_text=True)
    assert "Harbor Street" in html and "Elm Van" not in html
    assert 'data-site="MINE">2<' in html  # two live encounters today; void and old not counted
    assert "/admin/" not in html


def test_bearer_token_opens_the_api_but_never_a_page(client, api_headers, make_site):
    make_site("MINE", name="Harbor Street"), make_site("OTHER", name="Elm Van")
    headers = api_headers("staff", sites=["MINE"])
    response = client.get("/", headers=headers)
    assert response.status_code == 302 and response.location.startswith("/login")
    sites = client.get("/api/v1/sites", headers=headers).get_json()
    assert [(s["code"], s["name"]) for s in sites] == [("MINE", "Harbor Street")]


def test_coordinator_home_lists_sites_with_stock_links(client, login_as, make_site):
    make_site("AAA", name="Alpha"), make_site("BBB", name="Beta")
    login_as("coordinator")
    html = client.get("/").get_data(as_text=True)
    assert "Alpha" in html and "Beta" in html
    assert 'href="/sites/AAA/stock"' in html and 'href="/reports/"' in html
    assert "/admin/users" not in html


def test_home_reads_the_settings_row_once(client, login_as, make_site, db):
    from sqlalchemy import event

    from inventory.settings.services import save_settings

    save_settings("Harbor", "America/Chicago", 7)
    make_site("AAA", name="Alpha")
    login_as("coordinator")
    reads = []

    def count(_conn, _cursor, statement, *_args):
        if "program_settings" in statement:
            reads.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        html = client.get("/").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert "Harbor" in html and "(America/Chicago)" in html
    assert len(reads) == 1, reads


def test_reporter_home_links_to_reports_only(client, login_as, make_site):
    make_site("AAA", name="Alpha")
    login_as("reporter")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/reports/"' in html
    assert "Alpha" not in html and "/sites/" not in html and "/admin/users" not in html


def test_admin_home_links_to_admin_pages(client, login_as):
    login_as("admin")
    html = client.get("/").get_data(as_text=True)
    for path in ("/admin/users", "/admin/sites", "/admin/items", "/admin/settings",
                 "/admin/audit"):
        assert f'href="{path}"' in html


def test_site_stock_page_is_scoped_to_staff_sites(client, login_as, make_site, db):
    mine, other = make_site("MINE"), make_site("OTHER")
    item = factories.item("NARCAN-4MG")
    db.session.add(StockBalance(site_id=mine.id, item_id=item.id, lot_key=0, on_hand=37))
    login_as("staff", sites=[mine])
    page = client.get("/sites/MINE/stock")
    assert page.status_code == 200
    assert "37" in page.get_data(as_text=True) and item.name in page.get_data(as_text=True)
    assert client.get("/sites/OTHER/stock").status_code == 403
    assert client.get("/sites/NOPE/stock").status_code == 404
    assert other.id  # exists, yet staff of MINE cannot see it


def test_reporter_cannot_open_stock_pages(client, login_as, make_site):
    make_site("AAA")
    login_as("reporter")
    assert client.get("/sites/AAA/stock").status_code == 403


# --- CSRF --------------------------------------------------------------------------------------

def test_csrf_is_enforced_on_forms(app, client, login_as, db):
    with config(app, WTF_CSRF_ENABLED=True):
        login_as("admin")
        data = {"code": "CSRF1", "name": "No token", "kind": "fixed", "active": "y"}
        refused = client.post("/admin/sites/new", data=data)
        assert refused.status_code == 400
        assert db.session.scalar(select(func.count()).select_from(Site)) == 0

        token = csrf_token_from(client.get("/admin/sites/new").get_data(as_text=True))
        accepted = client.post("/admin/sites/new", data=dict(data, csrf_token=token))
        assert accepted.status_code == 302
        assert db.session.scalar(select(Site.code)) == "CSRF1"

        # Sign-out and sign-in forms carry and need the token too.
        assert client.post("/logout").status_code == 400
        token = csrf_token_from(client.get("/").get_data(as_text=True))
        assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def test_login_form_needs_csrf_when_enabled(app, client, make_user, db):
    make_user(email="csrf@example.org")
    db.session.commit()
    with config(app, WTF_CSRF_ENABLED=True):
        assert _login(client, "csrf@example.org").status_code == 400
        token = csrf_token_from(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"email": "csrf@example.org", "password": PASSWORD,
                                               "csrf_token": token})
        assert response.status_code == 302
