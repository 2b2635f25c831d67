"""How SQLite transactions begin (inventory.database): an API write reads outside any
transaction and holds the write lock only for the ledger change; nothing writes before it."""
import pytest
from flask import request_finished
from sqlalchemy import event, select

from inventory.catalog.models import Site
from inventory.database import DEFERRED, READ, WRITE, set_transaction_mode, transaction_mode
from tests import factories
from tests.api_helpers import (bearer, encounter_body, in_own_context, receipt_body,
                               receipt_line, stocked_site)

SITE, ITEM = "TXM", "SYR-1ML-28G"


@pytest.fixture
def sqlite_only(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only: PostgreSQL locks balances row by row")


def test_api_write_reads_first_then_takes_the_write_lock_once(app, db, client, sqlite_only):
    headers = stocked_site(client, SITE, ITEM, 50)
    seen, traced = [], []

    # Traced by SQLite itself: the hot statements run on the DBAPI cursor, past SQLAlchemy's events.
    def trace(dbapi_connection, _record, _proxy):
        traced.append(dbapi_connection)
        dbapi_connection.set_trace_callback(lambda statement: seen.append(
            (statement.split()[0].upper(), statement, dbapi_connection.in_transaction)))

    event.listen(db.engine, "checkout", trace)
    try:
        response = in_own_context(app, lambda: app.test_client().post(
            "/api/v1/encounters", headers=headers,
            json=encounter_body(SITE, [(ITEM, 2)], participant_code="TX01")))
    finally:
        event.remove(db.engine, "checkout", trace)
        for dbapi_connection in traced:
            dbapi_connection.set_trace_callback(None)
    assert response.status_code == 201, response.get_json()

    begins = [i for i, (verb, statement, _) in enumerate(seen) if verb == "BEGIN"]
    assert [seen[i][1] for i in begins] == ["BEGIN IMMEDIATE"], seen
    reads, rest = seen[:begins[0]], seen[begins[0] + 1:]
    # The token, then the site with its items (one query), are looked up with no transaction
    # open, beside other writers.
    assert len(reads) == 2 and all(verb == "SELECT" and not in_tx for verb, _, in_tx in reads)
    assert "FROM user_account" in reads[0][1] and "FROM site LEFT OUTER JOIN item" in reads[1][1]
    writes = [verb for verb, _, _ in rest if verb in ("INSERT", "UPDATE", "DELETE")]
    assert len(writes) >= 5
    assert all(in_tx for _, _, in_tx in rest)


def test_orm_write_before_begin_write_is_refused(app, db):
    """Without BEGIN (SQLite) or in autocommit (PostgreSQL), each statement would commit on its
    own: half a change could land."""
    set_transaction_mode(DEFERRED)
    try:
        with pytest.raises(RuntimeError, match="begin_write"):
            factories.make_site("TXN")
            db.session.flush()
    finally:
        db.session.rollback()
        set_transaction_mode(WRITE)


def test_a_request_leaves_the_default_mode_behind(app, db, client):
    """Code that runs after an API request (CLI, tests) writes in one transaction again: the
    request ran in READ (GET) or DEFERRED (API POST) mode, and afterwards the mode is WRITE."""
    factories.make_site(SITE)
    db.session.commit()
    during = []

    def record(_sender, **_extra):  # sent after the view, before the request's teardown
        during.append(transaction_mode())

    with request_finished.connected_to(record, app):
        response = client.get("/api/v1/sites", headers=bearer("admin"))
        assert response.status_code == 200
        assert transaction_mode() == WRITE
        response = client.post("/api/v1/encounters", headers=bearer("admin"), json={})
        assert response.status_code == 422
        assert transaction_mode() == WRITE
    assert during == [READ, DEFERRED]
    factories.make_site("TXN")
    db.session.flush()  # would raise RuntimeError in DEFERRED mode
    db.session.commit()
    assert db.session.scalar(select(Site.code).where(Site.code == "TXN")) == "TXN"


def test_a_stock_write_answers_without_reading_after_its_commit(app, db, client, sqlite_only):
    """The event and what its answer shows (site, lines, items, lots) are read inside the write
    transaction; reading them after the commit would take the write lock a second time."""
    factories.make_site(SITE)
    db.session.commit()
    headers = bearer("coordinator")
    db.session.commit()
    seen = []

    def record(_conn, _cursor, statement, *_):
        seen.append(statement.split()[0].upper())

    def committed(_conn):
        seen.append("COMMIT")

    event.listen(db.engine, "before_cursor_execute", record)
    event.listen(db.engine, "commit", committed)
    try:
        response = in_own_context(app, lambda: app.test_client().post(
            "/api/v1/receipts", headers=headers,
            json=receipt_body(SITE, [receipt_line(ITEM, 50), receipt_line("NARCAN-4MG", 5,
                                                                          "N-1")])))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
        event.remove(db.engine, "commit", committed)
    assert response.status_code == 201, response.get_json()
    assert [line["lot"] for line in response.get_json()["lines"]] == ["LOT-1", "N-1"]
    assert "COMMIT" in seen and seen[seen.index("COMMIT") + 1:] == [], seen


def test_signing_in_does_not_take_the_write_lock(app, db, client, sqlite_only):
    """The password check (argon2, tenths of a second) must not hold SQLite's one write lock:
    a sign-in reads in a plain transaction."""
    user = factories.make_user(role="staff", password="correct horse battery")
    db.session.commit()
    begins = []

    def record(_conn, _cursor, statement, *_):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        response = in_own_context(app, lambda: app.test_client().post(
            "/login", data={"email": user.email, "password": "correct horse battery"}))
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert begins and "BEGIN IMMEDIATE" not in begins, begins
