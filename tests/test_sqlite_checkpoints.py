"""SQLite's WAL is checkpointed by a background thread, not by the request whose commit fills it."""
import os
import sqlite3
import time

import pytest
from sqlalchemy import text

from inventory.sqlite_checkpoints import SAFETY_NET_PAGES, Checkpointer
from tests.api_helpers import bearer


@pytest.fixture
def sqlite_only(database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite only: PostgreSQL has no WAL checkpoints to schedule")


def _wait_for(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def wal_database(tmp_path):
    """A WAL database whose writer never checkpoints: only the thread under test can."""
    path = str(tmp_path / "wal.db")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("CREATE TABLE t (body TEXT)")
    yield path, writer
    writer.close()


def test_the_thread_copies_the_log_into_the_database_file(wal_database):
    path, writer = wal_database
    writer.executemany("INSERT INTO t VALUES (?)", [("x" * 1000,) for _ in range(400)])
    size_before = os.path.getsize(path)
    checkpointer = Checkpointer(path, interval=0.02)
    checkpointer.ensure_running()
    try:
        # 400 KB of rows reach the database file, which held only the schema before.
        assert _wait_for(lambda: os.path.getsize(path) > size_before + 300_000)
    finally:
        checkpointer.stop()
    log_frames, checkpointed = writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1:]
    assert log_frames == checkpointed


def test_a_forked_process_starts_its_own_thread(wal_database):
    checkpointer = Checkpointer(wal_database[0], interval=0.02)
    checkpointer.ensure_running()
    first = checkpointer._thread
    checkpointer.ensure_running()
    assert checkpointer._thread is first  # one per process
    checkpointer._pid = -1  # as seen from a child after gunicorn forks: the thread is not there
    checkpointer.ensure_running()
    try:
        assert checkpointer._thread is not first and checkpointer._thread.is_alive()
    finally:
        checkpointer.stop()
        first.join(timeout=5)


def test_requests_start_it_and_leave_checkpoints_to_it(app, db, client, sqlite_only):
    checkpointer = app.extensions["sqlite_checkpointer"]
    assert client.get("/api/v1/sites", headers=bearer("admin")).status_code == 200
    assert checkpointer._pid == os.getpid() and checkpointer._thread.is_alive()
    rounds = checkpointer.rounds
    assert _wait_for(lambda: checkpointer.rounds > rounds)
    # Request connections checkpoint only as a safety net for a much larger log.
    autocheckpoint = db.session.execute(text("PRAGMA wal_autocheckpoint")).scalar_one()
    assert autocheckpoint == SAFETY_NET_PAGES


def test_without_an_interval_requests_checkpoint_as_sqlite_does(database_url, sqlite_only):
    from inventory import create_app

    other = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SQLITE_CHECKPOINT_INTERVAL": 0,
                        "AUTO_UPGRADE_SQLITE": False, "SECRET_KEY": "k",
                        "PARTICIPANT_CODE_SECRET": "p"})
    assert "sqlite_checkpointer" not in other.extensions
    with other.app_context():
        from inventory.extensions import db

        assert db.session.execute(text("PRAGMA wal_autocheckpoint")).scalar_one() == 1000
        db.session.remove()
        db.engine.dispose()
