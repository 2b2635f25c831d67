"""Eight threads, each with its own connection, write to the same site and item at once.

Runs on the suite's database: a SQLite file in WAL mode by default, PostgreSQL when
TEST_DATABASE_URL is set. Each request runs in its own app context in its thread, so it takes its
own session and pooled connection. No update may be lost, the ledger invariant must hold, a
replayed client_id makes one record, and nothing answers 500 (SQLite's "database is locked"
included). A 503 asks the client to retry: the test does, with the same client_id, as a device
would, and then fails, because with a long busy timeout and one lock order none should occur.
"""
import random
import threading
import time
import uuid

import pytest
from sqlalchemy import func, select

from inventory.encounters.models import Encounter
from inventory.extensions import db as _db
from inventory.stock.models import StockEvent
from tests import factories
from tests.api_helpers import (adjustment_body, bearer, encounter_body, ledger_mismatches,
                               ledger_sums, on_hand_total, receipt_body, receipt_line, row_counts,
                               site_id)

THREADS = 8
SITE = "CONC"
ITEM, OTHER = "SYR-1ML-28G", "NARCAN-4MG"
LOT, OTHER_LOT = "CL-1", "CN-1"


def _pool_is_big_enough():
    """Each thread needs a connection of its own, and the main thread holds one too."""
    pool = _db.engine.pool
    if hasattr(pool, "size"):  # QueuePool; NullPool and friends open one per checkout
        assert pool.size() + max(pool._max_overflow, 0) >= THREADS + 1, pool.status()


@pytest.fixture
def setup(app, db, client):
    _pool_is_big_enough()
    factories.make_site(SITE)
    db.session.commit()
    headers = bearer("coordinator")
    body = receipt_body(SITE, [receipt_line(ITEM, 5000, LOT), receipt_line(OTHER, 500, OTHER_LOT)])
    response = client.post("/api/v1/receipts", headers=headers, json=body)
    assert response.status_code == 201, response.get_json()
    # The main thread must hold no transaction (nor SQLite's write lock) while threads run.
    db.session.commit()
    return headers


class Caller:
    """Runs one thread's requests with its own test client; records every answer."""

    def __init__(self, app, headers):
        self.client = app.test_client()
        self.headers = headers
        self.results: list[tuple[str, int, dict | None]] = []
        self.errors: list[str] = []
        self.retries = 0

    def post(self, url: str, body: dict, tag: str = "") -> tuple[int, dict | None]:
        for _ in range(50):
            try:
                response = self.client.post(url, headers=self.headers, json=body)
            except Exception as exc:  # TESTING propagates what would have been a 500
                self.errors.append(f"{url}: {type(exc).__name__}: {exc}")
                return 500, None
            if response.status_code == 503:
                self.retries += 1
                time.sleep(0.05 + random.random() * 0.1)
                continue
            if response.status_code >= 500:
                self.errors.append(f"{url}: {response.status_code} {response.get_data()[:200]}")
            result = (response.status_code, response.get_json(silent=True))
            self.results.append((tag, *result))
            return result
        self.errors.append(f"{url}: still 503 after 50 tries")
        return 503, None


def _run(app, headers, work):
    """Start THREADS callers at the same moment; ``work(caller, index)`` runs in each."""
    barrier = threading.Barrier(THREADS)
    callers = [Caller(app, headers) for _ in range(THREADS)]

    def target(caller, index):
        try:
            barrier.wait(timeout=30)
            work(caller, index)
        except Exception as exc:  # pragma: no cover - reported below
            caller.errors.append(f"thread {index}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=target, args=(c, i)) for i, c in enumerate(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    errors = [e for c in callers for e in c.errors]
    assert not errors, errors
    # With the suite's long busy timeout and balances locked in one order, nobody should ever
    # be asked to retry: a 503 here is a deadlock (PostgreSQL) or a lock upgrade (SQLite).
    retried = sum(c.retries for c in callers)
    assert retried == 0, f"{retried} answers were 503 (deadlock or lock timeout)"
    return callers


def test_no_lost_update_under_concurrent_writes(app, setup):
    """Encounters, adjustments and receipts at once: the final balance is exact."""
    rng = random.Random(20261127)
    plans = []
    for _ in range(THREADS):
        plan = []
        for _ in range(10):
            kind = rng.choice(["encounter", "encounter", "encounter", "lost", "found", "receipt"])
            plan.append((kind, rng.randint(1, 5)))
        plans.append(plan)

    def work(caller, index):
        for kind, qty in plans[index]:
            if kind == "encounter":
                # Two items, so the lock order of several balances is exercised too.
                body = encounter_body(SITE, [(ITEM, qty), (OTHER, 1)],
                                      participant_code=f"CC{index}{qty}X")
                caller.post("/api/v1/encounters", body, kind)
            elif kind == "receipt":
                caller.post("/api/v1/receipts",
                            receipt_body(SITE, [receipt_line(ITEM, qty * 10, LOT)]), kind)
            else:
                sign = -1 if kind == "lost" else 1
                caller.post("/api/v1/adjustments",
                            adjustment_body(SITE, kind, [(ITEM, LOT, sign * qty)]), kind)

    callers = _run(app, setup, work)
    results = [r for c in callers for r in c.results]
    assert len(results) == THREADS * 10
    assert all(status == 201 for _, status, _ in results), [r for r in results if r[1] != 201]

    expected, expected_other = 5000, 500
    for plan in plans:
        for kind, qty in plan:
            expected += {"encounter": -qty, "lost": -qty, "found": qty, "receipt": qty * 10}[kind]
            expected_other -= kind == "encounter"
    assert on_hand_total(SITE, ITEM) == expected
    assert on_hand_total(SITE, OTHER) == expected_other
    assert ledger_mismatches() == []
    listing = app.test_client().get(f"/api/v1/stock?site={SITE}", headers=setup).get_json()
    stock = {}
    for row in listing:
        stock[row["item"]] = stock.get(row["item"], 0) + row["on_hand"]
    assert stock == {ITEM: expected, OTHER: expected_other}
    encounters = sum(kind == "encounter" for plan in plans for kind, _ in plan)
    assert row_counts(("encounter",))["encounter"] == encounters


@pytest.mark.parametrize("url,make_body", [
    ("/api/v1/encounters", lambda: encounter_body(SITE, [(ITEM, 3)], participant_code="RP0101Q")),
    ("/api/v1/adjustments", lambda: adjustment_body(SITE, "damaged", [(ITEM, LOT, -3)])),
    ("/api/v1/receipts", lambda: receipt_body(SITE, [receipt_line(ITEM, 30, "CL-NEW")])),
], ids=["encounter", "adjustment", "receipt"])
def test_replayed_client_id_makes_one_record(app, setup, url, make_body):
    """Every thread posts the same body with the same client_id at the same moment."""
    body = make_body()
    before = on_hand_total(SITE, ITEM)
    _db.session.commit()

    callers = _run(app, setup, lambda caller, _: caller.post(url, body))
    results = [(status, result) for c in callers for _, status, result in c.results]
    statuses = sorted(status for status, _ in results)
    assert statuses == [200] * (THREADS - 1) + [201], statuses
    assert len({result["id"] for _, result in results}) == 1

    client_id = uuid.UUID(body["client_id"])
    _db.session.rollback()
    model = Encounter if url.endswith("encounters") else StockEvent
    count = _db.session.scalar(select(func.count()).select_from(model)
                               .where(model.client_id == client_id))
    assert count == 1
    assert _db.session.scalar(select(func.count()).select_from(StockEvent)
                              .where(StockEvent.client_id == client_id)) == 1
    delta = {"encounters": -3, "adjustments": -3, "receipts": 30}[url.rsplit("/", 1)[1]]
    assert on_hand_total(SITE, ITEM) == before + delta
    assert ledger_mismatches() == []


def _count_shelf_to(client, headers, level: int) -> None:
    """A count variance that leaves ``level`` of ITEM at SITE, all of it in LOT."""
    change = level - on_hand_total(SITE, ITEM)
    response = client.post("/api/v1/adjustments", headers=headers,
                           json=adjustment_body(SITE, "count_variance", [(ITEM, LOT, change)]))
    assert response.status_code == 201, response.get_json()
    _db.session.commit()


def test_racing_adjustments_never_go_below_zero(app, setup, client):
    """Ten units left in a lot and eight threads each removing two: exactly five succeed."""
    _count_shelf_to(client, setup, 10)

    def work(caller, _):
        caller.post("/api/v1/adjustments", adjustment_body(SITE, "lost", [(ITEM, LOT, -2)]))

    callers = _run(app, setup, work)
    statuses = sorted(status for c in callers for _, status, _ in c.results)
    assert statuses == [201] * 5 + [422] * 3, statuses
    sums = ledger_sums()
    assert all(v >= 0 for (s, _, _), v in sums.items() if s == site_id(SITE))
    assert on_hand_total(SITE, ITEM) == 0
    assert ledger_mismatches() == []


def test_racing_handouts_go_negative_and_are_flagged(app, setup, client):
    """Distribution is never blocked: eight handouts of 5 from a shelf of 20 all succeed, the
    unknown lot ends at -20, and exactly the handouts that found the shelf short are flagged."""
    _count_shelf_to(client, setup, 20)

    def work(caller, _):
        caller.post("/api/v1/encounters", encounter_body(SITE, [(ITEM, 5)]))

    callers = _run(app, setup, work)
    results = [result for c in callers for _, status, result in c.results if status == 201]
    assert len(results) == THREADS
    assert sum(r["stock_discrepancy"] for r in results) == THREADS - 4
    assert on_hand_total(SITE, ITEM) == 20 - 5 * THREADS
    unknown = (site_id(SITE), factories.item(ITEM).id, 0)
    assert ledger_sums()[unknown] == 20 - 5 * THREADS
    assert ledger_mismatches() == []


@pytest.mark.parametrize("same_reason", [True, False], ids=["same-reason", "other-reasons"])
def test_racing_voids_reverse_once(app, setup, client, same_reason):
    """Eight threads void one encounter at once: one reversal, stock given back once; repeats
    of the same void answer 200, a void with another reason 409; never a 500."""
    before = on_hand_total(SITE, ITEM)
    created = client.post("/api/v1/encounters", headers=setup,
                          json=encounter_body(SITE, [(ITEM, 7)]))
    assert created.status_code == 201, created.get_json()
    enc_id = created.get_json()["id"]
    _db.session.commit()

    def work(caller, index):
        reason = "entered twice" if same_reason else f"reason {index}"
        caller.post(f"/api/v1/encounters/{enc_id}/void", {"reason": reason})

    callers = _run(app, setup, work)
    statuses = sorted(status for c in callers for _, status, _ in c.results)
    if same_reason:
        assert statuses == [200] * THREADS, statuses
    else:
        assert statuses == [200] + [409] * (THREADS - 1), statuses
    _db.session.rollback()
    reversals = _db.session.scalar(select(func.count()).select_from(StockEvent)
                                   .where(StockEvent.kind == "reversal"))
    assert reversals == 1
    assert on_hand_total(SITE, ITEM) == before
    assert ledger_mismatches() == []


@pytest.fixture
def impatient(app, database_url):
    """A second app on the suite's SQLite file whose writers give up after 200 ms."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only")
    from inventory import create_app

    impatient = create_app({**{k: app.config[k] for k in (
        "SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "PARTICIPANT_CODE_SECRET")},
        "TESTING": True, "AUTO_UPGRADE_SQLITE": False, "WTF_CSRF_ENABLED": False,
        "SQLITE_BUSY_TIMEOUT_MS": 200})
    yield impatient
    with impatient.app_context():
        _db.engine.dispose()


def test_sqlite_lock_timeout_is_503_not_500(setup, impatient, database_url):
    """When another process holds SQLite's write lock past the busy timeout, writers get a
    503 problem+json asking to retry (never a 500) and readers are not blocked (WAL)."""
    import sqlite3

    before = row_counts()
    _db.session.commit()  # our own session must not be the one holding the lock
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None,
                             timeout=10)
    try:
        holder.execute("BEGIN IMMEDIATE")
        client = impatient.test_client()
        response = client.post("/api/v1/encounters", headers=setup,
                               json=encounter_body(SITE, [(ITEM, 1)]))
        assert response.status_code == 503, response.get_data(as_text=True)[:300]
        assert response.mimetype == "application/problem+json"
        assert response.headers.get("Retry-After")
        assert client.get(f"/api/v1/stock?site={SITE}", headers=setup).status_code == 200
    finally:
        holder.rollback()
        holder.close()
    assert row_counts() == before


def test_writers_queue_timeout_is_503_not_500(setup, impatient, database_url):
    """A writer that waits past the busy timeout in the writers' queue (another worker holds
    its file lock) gets the same 503 as one that waits for SQLite's own lock: API writes and
    form posts alike."""
    import fcntl
    import os

    admin = factories.make_user(role="admin")
    before = row_counts()
    _db.session.commit()
    web = impatient.test_client()
    factories.sign_in(web, admin)
    fd = os.open(database_url.removeprefix("sqlite:///") + "-writers.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        response = impatient.test_client().post("/api/v1/encounters", headers=setup,
                                                json=encounter_body(SITE, [(ITEM, 1)]))
        assert response.status_code == 503, response.get_data(as_text=True)[:300]
        assert response.mimetype == "application/problem+json"
        # A form post takes the lock at its first statement: the same wait, an error page.
        page = web.post("/admin/sites/new", data={"code": "QTO", "name": "Queue", "kind": "fixed"})
        assert page.status_code == 503, page.get_data(as_text=True)[:300]
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    assert row_counts() == before


def test_racing_first_sightings_make_one_row_each(app, setup):
    """A new participant code and a new lot, met by eight devices at once: one participant, one
    lot, one balance row for it, and every handout and receipt recorded."""
    from inventory.catalog.models import Lot
    from inventory.participants.models import Participant
    from inventory.stock.models import StockBalance

    before = on_hand_total(SITE, OTHER)
    _db.session.commit()

    def work(caller, index):
        caller.post("/api/v1/encounters",
                    encounter_body(SITE, [(ITEM, 1)], participant_code="NW 0707 K"))
        caller.post("/api/v1/receipts",
                    receipt_body(SITE, [receipt_line(OTHER, 4, "CN-NEW", "2031-01-31")]))

    callers = _run(app, setup, work)
    statuses = [status for c in callers for _, status, _ in c.results]
    assert statuses == [201] * (2 * THREADS), statuses
    _db.session.rollback()
    assert _db.session.scalar(select(func.count()).select_from(Participant)) == 1
    assert _db.session.scalar(select(func.count()).select_from(Encounter)
                              .where(Encounter.participant_id.is_not(None))) == THREADS
    lot_ids = _db.session.scalars(select(Lot.id).where(Lot.lot_code == "CN-NEW")).all()
    assert len(lot_ids) == 1
    assert _db.session.scalar(select(func.count()).select_from(StockBalance)
                              .where(StockBalance.lot_id == lot_ids[0])) == 1
    assert on_hand_total(SITE, OTHER) == before + 4 * THREADS
    assert ledger_mismatches() == []


def test_no_deadlock_while_balance_rows_are_being_created(app, setup):
    """Balance rows are locked in one order (item, lot), so writers never deadlock, even while
    other writers are creating rows (a first handout makes the unknown-lot row, a receipt a new
    lot's row). A deadlock would come back as a 503: none is expected, and none may be a 500."""
    for round_ in range(4):
        site = f"DL{round_}"
        factories.make_site(site)
        _db.session.commit()

        def work(caller, index, site=site):
            receipt = receipt_body(site, [receipt_line(ITEM, 20, f"DL-{round_}-{index % 2}")])
            caller.post("/api/v1/receipts", receipt)
            caller.post("/api/v1/encounters", encounter_body(site, [(ITEM, 3), (OTHER, 1)]))
            caller.post("/api/v1/adjustments", adjustment_body(site, "found", [(ITEM, None, 2)]))
            caller.post("/api/v1/encounters", encounter_body(site, [(OTHER, 1), (ITEM, 2)]))

        callers = _run(app, setup, work)
        statuses = [status for c in callers for _, status, _ in c.results]
        assert statuses == [201] * (4 * THREADS), statuses
        assert on_hand_total(site, ITEM) == THREADS * (20 - 3 + 2 - 2)
        assert on_hand_total(site, OTHER) == -2 * THREADS
    assert ledger_mismatches() == []
