"""Session cookies that hold (issue 14, point 2): dead after sign-out, sign-out everywhere and
password changes; refused when idle longer than the program setting; Secure by default;
ProxyFix from the environment."""
import time

import pytest
from flask import Flask, request, session
from sqlalchemy import select

from inventory.audit.models import AuditEntry
from inventory.auth import sessions
from inventory.settings.services import save_settings
from tests import factories
from tests.web_helpers import PASSWORD

NEW_PASSWORD = "a fresh long passphrase"


def _sign_in(app, email: str, password: str = PASSWORD):
    """A new client signed in through the form; returns it and its session cookie's value."""
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return client, client.get_cookie("session").value


def _with_cookie(app, cookie: str):
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def _signed_in(client) -> bool:
    response = client.get("/")
    if response.status_code == 302:
        assert response.location.startswith("/login")
        return False
    assert response.status_code == 200
    return True


def _api_status(client) -> int:
    return client.get("/api/v1/sites").status_code


@pytest.fixture
def user(db):
    user = factories.make_user(role="coordinator", email="coord@example.org")
    db.session.commit()
    return user


def test_a_copied_cookie_dies_when_its_user_signs_out(app, user):
    client, cookie = _sign_in(app, user.email)
    copy = _with_cookie(app, cookie)
    assert _signed_in(copy) and _api_status(copy) == 200
    assert client.post("/logout").status_code == 302
    assert not _signed_in(_with_cookie(app, cookie))
    assert _api_status(_with_cookie(app, cookie)) == 401


def test_sign_out_everywhere_by_an_admin_ends_every_session(app, user, db):
    tablet, tablet_cookie = _sign_in(app, user.email)
    phone, _ = _sign_in(app, user.email)
    admin = factories.make_user(role="admin")
    db.session.commit()
    admin_client = app.test_client()
    factories.sign_in(admin_client, admin)
    response = admin_client.post(f"/admin/users/{user.id}/end-sessions")
    assert response.status_code == 302
    assert not _signed_in(tablet) and not _signed_in(phone)
    assert not _signed_in(_with_cookie(app, tablet_cookie))
    assert _signed_in(admin_client)  # only that user's sessions end
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "end_sessions"))
    assert entry.entity_id == str(user.id) and entry.user_id == admin.id


def test_an_admin_password_reset_ends_the_users_sessions(app, user, db):
    _, cookie = _sign_in(app, user.email)
    admin = factories.make_user(role="admin")
    db.session.commit()
    admin_client = app.test_client()
    factories.sign_in(admin_client, admin)
    response = admin_client.post(f"/admin/users/{user.id}/password", data={
        "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert not _signed_in(_with_cookie(app, cookie))
    assert _api_status(_with_cookie(app, cookie)) == 401


def test_changing_ones_password_keeps_this_browser_and_ends_the_others(app, user):
    here, _ = _sign_in(app, user.email)
    _, other_cookie = _sign_in(app, user.email)
    response = here.post("/account/password", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.location == "/"
    assert _signed_in(here)
    assert not _signed_in(_with_cookie(app, other_cookie))
    _sign_in(app, user.email, NEW_PASSWORD)


def test_a_session_id_without_the_token_is_refused(app, user):
    client = app.test_client()
    with client.session_transaction() as sess:  # the format before the session token
        sess["_user_id"], sess["_last_seen"] = str(user.id), int(time.time())
    assert not _signed_in(client)


def _aged(app, user, seconds: int):
    """A client whose session was last used ``seconds`` ago."""
    client = app.test_client()
    factories.sign_in(client, user)
    with client.session_transaction() as sess:
        sess["_last_seen"] = int(time.time()) - seconds
    return client


@pytest.mark.parametrize("seconds, alive", [
    (14 * 60, True),          # default 15 minutes: still within
    (15 * 60 + 30, False),
    (30 * 24 * 3600, False),  # the 30-day-old cookie of the report
])
def test_idle_sessions_end_after_the_program_setting(app, user, seconds, alive):
    assert _signed_in(_aged(app, user, seconds)) is alive
    assert (_api_status(_aged(app, user, seconds)) == 200) is alive


def test_the_idle_limit_follows_the_setting(app, user, db):
    save_settings("Harbor", "UTC", 7, idle_timeout_minutes=60)
    db.session.commit()
    assert _signed_in(_aged(app, user, 59 * 60))
    assert not _signed_in(_aged(app, user, 61 * 60))


def test_an_idle_page_goes_to_sign_in_with_a_message_and_the_api_gets_401(app, user):
    response = _aged(app, user, 3600).get("/admin/users?x=1", follow_redirects=False)
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    page = _aged(app, user, 3600).get("/", follow_redirects=True)
    assert "signed out after a while without activity" in page.get_data(as_text=True)
    api = _aged(app, user, 3600).get("/api/v1/sites")
    assert api.status_code == 401 and api.mimetype == "application/problem+json"


def test_every_request_counts_as_activity(app, user):
    client = _aged(app, user, 10 * 60)
    assert _signed_in(client)
    with client.session_transaction() as sess:
        assert time.time() - sess["_last_seen"] < 5


def _bare_app(**config) -> Flask:
    bare = Flask("bare")
    bare.config.update({"SECRET_KEY": "x", "SESSION_COOKIE_SECURE": None,
                        "PROXY_FIX": dict.fromkeys(("for", "proto", "host", "port", "prefix"), 0)})
    bare.config.update(config)
    sessions.init_app(bare)

    @bare.route("/set")
    def _set():
        session["hello"] = "world"
        return f"{request.scheme} {request.remote_addr}"

    return bare


def test_the_session_cookie_is_secure_unless_debugging_or_testing():
    assert _bare_app().config["SESSION_COOKIE_SECURE"] is True
    response = _bare_app().test_client().get("/set", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]
    assert _bare_app(TESTING=True).config["SESSION_COOKIE_SECURE"] is False
    assert _bare_app(DEBUG=True).config["SESSION_COOKIE_SECURE"] is False
    # The environment decides when set (Config reads SESSION_COOKIE_SECURE).
    assert _bare_app(SESSION_COOKIE_SECURE=False).config["SESSION_COOKIE_SECURE"] is False


def test_env_flag_reads_yes_and_no(monkeypatch):
    from inventory.config import env_flag

    for value, expected in (("1", True), ("on", True), ("0", False), ("no", False), ("", None)):
        monkeypatch.setenv("SESSION_COOKIE_SECURE", value)
        assert env_flag("SESSION_COOKIE_SECURE") is expected
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "maybe")
    with pytest.raises(ValueError):
        env_flag("SESSION_COOKIE_SECURE")


def test_proxy_fix_trusts_forwarded_headers_only_when_configured():
    headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    plain = _bare_app().test_client().get("/set", headers=headers)
    assert plain.get_data(as_text=True) == "http 127.0.0.1"
    proxied = _bare_app(PROXY_FIX={"for": 1, "proto": 1, "host": 0, "port": 0, "prefix": 0})
    response = proxied.test_client().get("/set", headers=headers)
    assert response.get_data(as_text=True) == "https 203.0.113.9"
