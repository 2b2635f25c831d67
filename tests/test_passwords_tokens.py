"""Passwords, forced resets, API tokens and the CSRF rule (issue 14, point 6)."""
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from inventory.audit.models import AuditEntry
from inventory.auth.models import ApiToken, User
from inventory.auth.services import create_user, set_password
from inventory.errors import InvalidInput
from tests import factories
from tests.api_helpers import assert_problem
from tests.web_helpers import PASSWORD, csrf_token_from

NEW_PASSWORD = "a fresh long passphrase"


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def _tokens(db) -> int:
    return db.session.scalar(select(func.count()).select_from(ApiToken))


# --- Password rule -------------------------------------------------------------------------------

@pytest.mark.parametrize("password, message", [
    ("12345678", "at least 12"),
    ("password", "at least 12"),
    ("elevenchars", "at least 12"),
    ("password1234", "common passwords"),
    ("PASSWORD1234", "common passwords"),   # in any case
    ("qwerty123456", "common passwords"),
    ("Q1W2E3R4T5Y6", "common passwords"),
])
def test_short_or_common_passwords_are_refused(db, password, message):
    with pytest.raises(InvalidInput) as error:
        create_user("new@example.org", "staff", (), password)
    assert error.value.field == "password" and message in error.value.message
    assert db.session.scalar(select(User).where(User.email == "new@example.org")) is None


def test_a_long_uncommon_password_is_accepted(db):
    user = create_user("new@example.org", "staff", (), "tide pool lantern 7")
    assert user.id is not None


def test_the_admin_form_and_the_cli_say_why(client, login_as, cli, db):
    login_as("admin")
    response = client.post("/admin/users/new", data={
        "email": "x@example.org", "role": "staff", "password": "password1234",
        "password_confirm": "password1234"})
    assert response.status_code == 422
    assert "common passwords" in response.get_data(as_text=True)
    result = cli.invoke(args=["create-user", "y@example.org", "--role", "staff",
                              "--password", "123456654321"])
    assert result.exit_code != 0 and "common passwords" in result.output


# --- Forced password change ---------------------------------------------------------------------

def _sign_in(app, email, password=PASSWORD):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302
    return client


def test_an_admin_reset_makes_the_user_choose_a_new_password(app, client, login_as, db):
    admin = login_as("admin")
    user = factories.make_user(role="coordinator", email="c@example.org")
    db.session.commit()
    response = client.post(f"/admin/users/{user.id}/password", data={
        "password": "temporary passphrase 1", "password_confirm": "temporary passphrase 1",
        "require_change": "y"})
    assert response.status_code == 302
    token = factories.make_token(db.session.get(User, user.id))
    db.session.commit()

    them = _sign_in(app, "c@example.org", "temporary passphrase 1")
    for path in ("/", "/reports/", "/account/tokens"):
        page = them.get(path)
        assert page.status_code == 302 and page.location == "/account/password", path
    assert_problem(them.get("/api/v1/sites"), 403)
    # A token is not a sign-in: the program using it keeps working.
    assert client.get("/api/v1/sites", headers={"Authorization": f"Bearer {token}"}
                      ).status_code == 200
    assert them.get("/account/password").status_code == 200

    refused = them.post("/account/password", data={
        "current_password": "temporary passphrase 1", "password": "password1234",
        "password_confirm": "password1234"})
    assert refused.status_code == 422 and "common passwords" in refused.get_data(as_text=True)
    done = them.post("/account/password", data={
        "current_password": "temporary passphrase 1", "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.location == "/"
    assert them.get("/").status_code == 200
    assert db.session.get(User, user.id).must_change_password is False
    actions = list(db.session.scalars(select(AuditEntry.action).where(
        AuditEntry.entity_id == str(user.id)).order_by(AuditEntry.id)))
    assert actions[-2:] == ["login", "change_password"]
    assert admin.id != user.id


def test_require_new_password_button_ends_sessions_and_forces_the_change(app, client, login_as,
                                                                          db):
    login_as("admin")
    user = factories.make_user(role="staff", email="s@example.org")
    db.session.commit()
    old = _sign_in(app, "s@example.org")
    assert client.post(f"/admin/users/{user.id}/require-new-password").status_code == 302
    assert old.get("/").location.startswith("/login")
    fresh = _sign_in(app, "s@example.org")
    assert fresh.get("/").location == "/account/password"


def test_the_current_password_must_be_right(client, login_as):
    login_as("staff")
    response = client.post("/account/password", data={
        "current_password": "not it at all", "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD})
    assert response.status_code == 422
    assert "current password is not right" in response.get_data(as_text=True)


def test_reset_without_require_change_lets_the_user_in(app, db):
    user = factories.make_user(email="r@example.org")
    set_password(user, NEW_PASSWORD)
    db.session.commit()
    assert _sign_in(app, "r@example.org", NEW_PASSWORD).get("/").status_code == 200


# --- Tokens on the web ---------------------------------------------------------------------------

def test_own_tokens_page_creates_lists_and_revokes(client, login_as, db):
    login_as("coordinator")
    response = client.post("/account/tokens", data={"name": "van tablet", "expires_days": "30"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    row = db.session.scalar(select(ApiToken))
    token = html.split('<code class="token-value">')[1].split("</code>")[0]
    assert token.startswith(row.prefix) and row.name == "van tablet"
    left = row.expires_at - datetime.now(UTC)
    assert timedelta(days=29, hours=23) < left <= timedelta(days=30)
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/sites", headers=headers).status_code == 200
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert "van tablet" in listing and token not in listing and row.prefix in listing

    assert client.post(f"/account/tokens/{row.id}/revoke").status_code == 302
    assert_problem(client.get("/api/v1/sites", headers=headers), 401)
    assert "revoked" in client.get("/account/tokens").get_data(as_text=True)


def test_nobody_revokes_anothers_token_from_their_own_page(client, login_as, db):
    login_as("admin")
    other = factories.make_user(role="staff")
    factories.make_token(other)
    db.session.commit()
    token_id = db.session.scalar(select(ApiToken.id))
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404
    assert db.session.get(ApiToken, token_id).revoked_at is None
    # The admin page can.
    assert client.post(f"/admin/tokens/{token_id}/revoke").status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, token_id).revoked_at is not None


def test_admin_lists_every_token(client, login_as, db):
    login_as("admin")
    for email in ("a@example.org", "b@example.org"):
        factories.make_token(factories.make_user(email=email))
    db.session.commit()
    html = client.get("/admin/tokens").get_data(as_text=True)
    assert "a@example.org" in html and "b@example.org" in html


def test_bad_token_form_input_is_shown_again(client, login_as, db):
    login_as("staff")
    response = client.post("/account/tokens", data={"name": "x" * 81, "expires_days": "7"})
    assert response.status_code == 422
    assert _tokens(db) == 0


def test_an_expired_token_is_401(client, db):
    user = factories.make_user(role="admin")
    token = factories.make_token(user)
    row = db.session.scalar(select(ApiToken))
    row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    assert_problem(client.get("/api/v1/sites", headers={"Authorization": f"Bearer {token}"}), 401)
    row.expires_at = datetime.now(UTC) + timedelta(minutes=5)
    db.session.commit()
    assert client.get("/api/v1/sites",
                      headers={"Authorization": f"Bearer {token}"}).status_code == 200


# --- Tokens on the command line ------------------------------------------------------------------

def test_cli_create_with_name_and_expiry_list_and_revoke(cli, client, db):
    factories.make_user(role="coordinator", email="coord@example.org")
    db.session.commit()
    result = cli.invoke(args=["create-token", "coord@example.org", "--name", "sync job",
                              "--expires-days", "90"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    row = db.session.scalar(select(ApiToken))
    assert row.name == "sync job"
    assert timedelta(days=89, hours=23) < row.expires_at - datetime.now(UTC) <= timedelta(days=90)

    listing = cli.invoke(args=["list-tokens"])
    assert listing.exit_code == 0
    line = next(line for line in listing.output.splitlines() if "sync job" in line)
    assert line.split()[:3] == [str(row.id), "active", row.prefix]
    assert token not in listing.output
    assert "sync job" in cli.invoke(args=["list-tokens", "coord@example.org"]).output
    assert cli.invoke(args=["list-tokens", "ghost@example.org"]).exit_code != 0

    revoked = cli.invoke(args=["revoke-token", str(row.id)])
    assert revoked.exit_code == 0 and "revoked" in revoked.output
    assert_problem(client.get("/api/v1/sites", headers={"Authorization": f"Bearer {token}"}), 401)
    assert "revoked" in cli.invoke(args=["list-tokens"]).output
    assert cli.invoke(args=["revoke-token", "99999999999"]).exit_code != 0


@pytest.mark.parametrize("days", ["0", "-1", "3651", "soon"])
def test_cli_refuses_a_bad_expiry(cli, db, days):
    factories.make_user(email="coord@example.org")
    db.session.commit()
    result = cli.invoke(args=["create-token", "coord@example.org", "--expires-days", days])
    assert result.exit_code != 0
    assert _tokens(db) == 0


# --- CSRF by how the request was actually authenticated ------------------------------------------

@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def _body():
    return {"client_id": str(uuid.uuid4()), "site": "A",
            "occurred_at": datetime.now(UTC).isoformat(),
            "items": [{"item": "CONDOM-EXT", "quantity": 1}]}


def _encounters(db) -> int:
    from inventory.encounters.models import Encounter

    return db.session.scalar(select(func.count()).select_from(Encounter))


@pytest.mark.parametrize("authorization", ["Bearer invalid", "Bearer ", "Basic abc"])
def test_a_session_call_with_a_bad_authorization_header_is_401(client, login_as, make_site, db,
                                                               csrf_on, authorization):
    make_site("A")
    login_as("coordinator")
    response = client.post("/api/v1/encounters", json=_body(),
                           headers={"Authorization": authorization})
    assert_problem(response, 401)
    assert _encounters(db) == 0


def test_a_session_call_with_a_valid_token_acts_as_the_tokens_owner(client, login_as, make_site,
                                                                    db, csrf_on):
    make_site("A")
    login_as("reporter")  # may not record handouts
    writer = factories.make_user(role="coordinator")
    token = factories.make_token(writer)
    db.session.commit()
    response = client.post("/api/v1/encounters", json=_body(),
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 201
    from inventory.encounters.models import Encounter

    assert db.session.scalar(select(Encounter.user_id)) == writer.id


def test_a_session_call_needs_the_csrf_token_and_works_with_it(client, login_as, make_site, db,
                                                              csrf_on):
    make_site("A")
    login_as("coordinator")
    assert client.post("/api/v1/encounters", json=_body()).status_code == 400
    csrf = csrf_token_from(client.get("/account/tokens").get_data(as_text=True))
    response = client.post("/api/v1/encounters", json=_body(), headers={"X-CSRFToken": csrf})
    assert response.status_code == 201
