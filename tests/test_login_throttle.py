"""Sign-in throttling and the sign-in audit (issue 14, point 3).

At most 5 failed sign-ins per account per 15 minutes and per client address per minute; past
either, every sign-in there is answered 429 with the form and a message, the right password
included. Memory storage in the suite; one test runs two app processes on real Redis.
"""
import os
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select

from inventory.audit.models import AuditEntry
from tests import factories
from tests.web_helpers import PASSWORD

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


def _attempt(app, email, password, address="10.0.0.1"):
    client = app.test_client()
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def user(db):
    user = factories.make_user(role="staff", email="who@example.org")
    factories.make_user(role="staff", email="other@example.org")
    db.session.commit()
    return user


def test_five_failures_lock_the_account_even_for_the_right_password(app, user):
    # From five addresses, so that only the per-account limit is reached.
    for n in range(5):
        assert _attempt(app, "who@example.org", "wrong guess", f"10.0.1.{n}").status_code == 200
    refused = _attempt(app, "Who@Example.org ", PASSWORD, "10.0.1.99")  # same account
    assert refused.status_code == 429
    html = refused.get_data(as_text=True)
    assert "Too many failed sign-ins" in html and 'name="password"' in html
    # Another account from a fresh address is not affected.
    assert _attempt(app, "other@example.org", PASSWORD, "10.0.1.98").status_code == 302


def test_five_failures_from_one_address_lock_that_address(app, user):
    for n in range(5):
        assert _attempt(app, f"guess{n}@example.org", "wrong", "10.0.2.1").status_code == 200
    assert _attempt(app, "who@example.org", PASSWORD, "10.0.2.1").status_code == 429
    assert _attempt(app, "who@example.org", PASSWORD, "10.0.2.2").status_code == 302


def test_four_failures_then_the_right_password_signs_in(app, user):
    for _ in range(4):
        assert _attempt(app, "who@example.org", "wrong").status_code == 200
    assert _attempt(app, "who@example.org", PASSWORD).status_code == 302


def test_successful_sign_ins_do_not_count(app, user):
    for _ in range(8):
        assert _attempt(app, "who@example.org", PASSWORD).status_code == 302


def test_the_limit_window_comes_from_the_settings(app, user):
    # One failure per account per day: the second attempt is refused.
    app.config["LOGIN_LIMIT_ACCOUNT"] = "1 per day"
    try:
        assert _attempt(app, "who@example.org", "wrong", "10.0.3.1").status_code == 200
        assert _attempt(app, "who@example.org", PASSWORD, "10.0.3.2").status_code == 429
    finally:
        app.config["LOGIN_LIMIT_ACCOUNT"] = "5 per 15 minutes"


def test_sign_ins_are_audited_without_the_password(app, user, db):
    _attempt(app, "who@example.org", "not-my-password", "10.0.4.1")
    _attempt(app, "nobody@example.org", "x", "10.0.4.2")
    _attempt(app, "who@example.org", PASSWORD, "10.0.4.3")
    entries = list(db.session.scalars(
        select(AuditEntry).where(AuditEntry.action.in_(("login", "login_failed")))
        .order_by(AuditEntry.id)))
    assert [(e.action, e.details["email"], e.details["address"]) for e in entries] == [
        ("login_failed", "who@example.org", "10.0.4.1"),
        ("login_failed", "nobody@example.org", "10.0.4.2"),
        ("login", "who@example.org", "10.0.4.3"),
    ]
    assert entries[2].user_id == user.id and entries[0].user_id is None
    assert not any("password" in str(e.details) for e in entries)


# --- Real Redis: two app processes share the counters ------------------------------------------

_PROCESS = textwrap.dedent("""
    import sys
    from inventory import create_app
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sys.argv[1],
                      "AUTO_UPGRADE_SQLITE": False, "SECRET_KEY": "k",
                      "PARTICIPANT_CODE_SECRET": "p", "WTF_CSRF_ENABLED": False,
                      "REDIS_URL": sys.argv[2]})
    statuses = []
    for n in range(int(sys.argv[3])):
        response = app.test_client().post(
            "/login", data={"email": "who@example.org", "password": sys.argv[4]},
            environ_base={"REMOTE_ADDR": f"10.9.{sys.argv[5]}.{n}"})
        statuses.append(response.status_code)
    print(" ".join(map(str, statuses)))
""")


def _redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is not reachable at 127.0.0.1:6379 (CI must run this test)")
        pytest.skip("Redis is not reachable at 127.0.0.1:6379")
    return client


@pytest.mark.skipif(not (os.environ.get("REDIS_URL") or os.environ.get("CI") == "true"),
                    reason="set REDIS_URL (or CI=true) to run against Redis at 127.0.0.1:6379")
def test_two_app_processes_share_the_counters_in_redis(app, user, database_url):
    redis_client = _redis_or_skip()
    redis_client.flushdb()  # database 15 is this test's own
    try:
        def run(count, password, group):
            done = subprocess.run(
                [sys.executable, "-c", _PROCESS, database_url, REDIS_TEST_URL, str(count),
                 password, group], capture_output=True, text=True, timeout=120,
                env={**os.environ, "PYTHONWARNINGS": "ignore"})
            assert done.returncode == 0, done.stderr[-2000:]
            return done.stdout.split()

        assert run(3, "wrong", "1") == ["200", "200", "200"]
        # The second process sees the first one's 3 failures: 2 more, then refused.
        assert run(3, "wrong", "2") == ["200", "200", "429"]
        assert run(1, PASSWORD, "3") == ["429"]
        assert redis_client.dbsize() > 0
    finally:
        redis_client.flushdb()


def test_with_redis_down_sign_ins_still_work_and_are_counted_in_memory(app, user, database_url):
    # Nothing listens on port 6399: the limiter falls back to this process's memory.
    done = subprocess.run(
        [sys.executable, "-c", _PROCESS, database_url, "redis://127.0.0.1:6399/0", "7", "wrong",
         "5"], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["200"] * 5 + ["429", "429"]
