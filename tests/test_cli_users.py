"""flask create-user and flask create-token."""
import hashlib

import pytest
from sqlalchemy import func, select

from inventory.auth.models import ApiToken, User
from inventory.auth.passwords import verify_password


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def _users(db):
    return db.session.scalar(select(func.count()).select_from(User))


def test_create_user_with_sites(cli, db, make_site):
    make_site("DT"), make_site("VAN1")
    db.session.commit()
    result = cli.invoke(args=["create-user", "Ana@Example.org", "--role", "staff", "--site", "DT",
                              "--site", "VAN1", "--password", "long enough pw"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "ana@example.org"))
    assert user.role == "staff" and [s.code for s in user.sites] == ["DT", "VAN1"]
    assert verify_password(user.password_hash, "long enough pw")


def test_create_user_prompts_for_the_password_twice(cli, db):
    result = cli.invoke(args=["create-user", "rep@example.org", "--role", "reporter"],
                        input="s3cret-passphrase\ns3cret-passphrase\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "rep@example.org"))
    assert verify_password(user.password_hash, "s3cret-passphrase")


@pytest.mark.parametrize("args, message", [
    (["--role", "boss"], "boss"),
    (["--role", "staff", "--site", "NOPE"], "NOPE"),
    (["--role", "admin", "--password", "short"], "at least"),
])
def test_create_user_refuses_bad_input_and_writes_nothing(cli, db, args, message):
    if "--password" not in args:
        args = [*args, "--password", "long enough pw"]
    result = cli.invoke(args=["create-user", "x@example.org", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert _users(db) == 0


def test_create_user_refuses_a_taken_email(cli, db, make_user):
    make_user(role="admin", email="taken@example.org")
    db.session.commit()
    result = cli.invoke(args=["create-user", "taken@example.org", "--role", "staff",
                              "--password", "long enough pw"])
    assert result.exit_code != 0 and "already exists" in result.output
    assert _users(db) == 1


def test_create_token_prints_a_working_bearer_token(cli, db, client, make_user):
    make_user(role="coordinator", email="coord@example.org")
    db.session.commit()
    result = cli.invoke(args=["create-token", "coord@example.org"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token == token.strip() and len(token) >= 32
    stored = db.session.scalar(select(ApiToken.token_hash))
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    response = client.get("/api/v1/items", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert any(item["code"] == "NARCAN-4MG" for item in response.get_json())
    assert client.get("/api/v1/items", headers={"Authorization": "Bearer wrong"}).status_code == 401


def test_create_token_for_unknown_user_fails(cli, db):
    result = cli.invoke(args=["create-token", "ghost@example.org"])
    assert result.exit_code != 0 and "ghost@example.org" in result.output
    assert db.session.scalar(select(func.count()).select_from(ApiToken)) == 0
