"""How PostgreSQL transactions begin (inventory.database): an API write reads in autocommit; a
handout is one statement, its own transaction; other writes open one transaction for the
ledger change. Seen on the wire, in libpq's trace of the request's connection."""
import tempfile

import pytest
from psycopg import pq
from sqlalchemy import event, func, select

from inventory.encounters.models import Encounter
from inventory.stock.models import StockBalance, StockEvent
from tests import factories
from tests.api_helpers import (adjustment_body, bearer, encounter_body, in_own_context,
                               receipt_body, receipt_line, site_id, stocked_site)

SITE, ITEM = "PGT", "SYR-1ML-28G"


@pytest.fixture
def postgres_only(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only: SQLite's transactions are traced in test_transaction_modes")


def _traced(app, db, request):
    """Run ``request(client)`` in its own context; return its answer and the protocol messages
    on the connections it used, as (direction, message, detail) tuples."""
    files = []

    def trace(dbapi_connection, _record, _proxy):
        f = tempfile.TemporaryFile("w+")
        files.append((dbapi_connection, f))
        dbapi_connection.pgconn.trace(f.fileno())
        dbapi_connection.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS
                                                | pq.Trace.REGRESS_MODE)

    event.listen(db.engine, "checkout", trace)
    try:
        response = in_own_context(app, lambda: request(app.test_client()))
    finally:
        event.remove(db.engine, "checkout", trace)
    messages = []
    for dbapi_connection, f in files:
        dbapi_connection.pgconn.untrace()
        f.seek(0)
        for line in f.read().splitlines():
            fields = line.split("\t")
            if len(fields) >= 3:  # a message; libpq may add a line of detail to some
                messages.append((fields[0], fields[2], " ".join(fields[3:]).strip()))
        f.close()
    return response, messages


def _queries(messages) -> list[str]:
    """Simple-protocol queries the client sent (psycopg sends BEGIN and COMMIT so)."""
    return [detail.strip('"') for direction, message, detail in messages
            if direction == "F" and message == "Query"]


def _statuses(messages) -> list[str]:
    """The transaction status after each statement: I (idle, none open), T (in one)."""
    return [detail for direction, message, detail in messages
            if direction == "B" and message == "ReadyForQuery"]


@pytest.fixture
def stocked(app, db, client, postgres_only):
    return stocked_site(client, SITE, ITEM, 50)


def test_api_handout_is_one_statement_outside_any_transaction(app, db, stocked):
    response, messages = _traced(app, db, lambda client: client.post(
        "/api/v1/encounters", headers=stocked,
        json=encounter_body(SITE, [(ITEM, 3)], participant_code="PG01")))

    assert response.status_code == 201, response.get_json()
    assert _queries(messages) == []  # no BEGIN, no COMMIT
    # The token, the site with its items, then record_handout(): each stands alone.
    assert _statuses(messages) == ["I", "I", "I"]
    db.session.rollback()
    encounter = db.session.get(Encounter, response.get_json()["id"])
    assert encounter.stock_event_id is not None and encounter.participant_id is not None
    assert [line.quantity for line in db.session.get(StockEvent, encounter.stock_event_id).lines
            ] == [-3]


def test_api_receipt_opens_one_transaction_for_the_ledger_change(app, db, stocked):
    response, messages = _traced(app, db, lambda client: client.post(
        "/api/v1/receipts", headers=stocked,
        json=receipt_body(SITE, [receipt_line(ITEM, 5), receipt_line("NARCAN-4MG", 2, "N-1")])))

    assert response.status_code == 201, response.get_json()
    assert _queries(messages) == ["BEGIN", "COMMIT"]
    statuses = _statuses(messages)
    begin = statuses.index("T")  # the first status after BEGIN
    # Look-ups stand alone; from BEGIN to COMMIT every statement is in the one transaction.
    assert set(statuses[:begin]) == {"I"} and len(statuses[:begin]) >= 2
    assert set(statuses[begin:-1]) == {"T"} and statuses[-1] == "I"


def test_refused_adjustment_leaves_no_balance_rows(app, db, client, postgres_only):
    """Locking creates balance rows (the unknown-lot anchors) before the stock check refuses:
    they must go with the transaction, not be committed statement by statement."""
    factories.make_site(SITE)
    db.session.commit()
    response = client.post("/api/v1/adjustments", headers=bearer("coordinator"),
                           json=adjustment_body(SITE, "lost", [(ITEM, None, -5)]))

    assert response.status_code == 422, response.get_json()
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(StockBalance)
                             .where(StockBalance.site_id == site_id(SITE))) == 0
