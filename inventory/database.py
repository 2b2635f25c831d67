"""Engine set-up and the locking rules of the ledger.

SQLite: WAL journal, a busy timeout, and every transaction opened with ``BEGIN IMMEDIATE`` unless the
request is read-only, so two writers never both read a balance and then collide (SQLite would
answer the second with "database is locked" at once, busy timeout or not). PostgreSQL: balances
are locked with ``SELECT ... FOR UPDATE`` in the ledger service. SQLite writers queue across
processes on a file lock first (:mod:`inventory.sqlite_writers`).
"""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from inventory.sqlite_writers import QueuedWriterConnection

_read_only: ContextVar[bool] = ContextVar("read_only_transaction", default=False)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


@contextmanager
def read_only_transactions():
    """Open SQLite transactions in this context with a plain (deferred) BEGIN."""
    token = _read_only.set(True)
    try:
        yield
    finally:
        _read_only.reset(token)


def set_read_only(flag: bool) -> None:
    """Mark the current context (a request) as read-only or writing."""
    _read_only.set(flag)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Install WAL, foreign keys, busy timeout and BEGIN IMMEDIATE on a SQLite engine."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transaction control away from pysqlite so our BEGIN is the one that runs.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    lock_path = f"{engine.url.database}-writers.lock"

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if _read_only.get():
            connection.exec_driver_sql("BEGIN")
            return
        raw = connection.connection.driver_connection
        queued = isinstance(raw, QueuedWriterConnection)
        if queued:
            raw.queue_for_write(lock_path, busy_timeout_ms / 1000)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except Exception:
            if queued:
                raw.leave_queue()
            raise


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def upsert_insert(table, dialect_name: str):
    """``INSERT`` with ``ON CONFLICT`` support for the engine's dialect (PostgreSQL or SQLite)."""
    return (postgresql if dialect_name == "postgresql" else sqlite).insert(table)


def begin_write(session) -> None:
    """Make what follows run in a write transaction; on SQLite, take the write lock now.

    API requests start with a plain BEGIN so that authentication, parsing and look-ups run
    beside other writers; only the ledger change itself holds SQLite's one write lock. A read
    transaction cannot be upgraded safely (a writer that committed meanwhile would make ours
    fail at once, busy timeout or not), so it is ended first and the next statement opens
    ``BEGIN IMMEDIATE``. Call it before the checks that must hold at write time (client_id
    replays, balances). No-op on PostgreSQL, whose balances are locked row by row.
    Raises RuntimeError if the read transaction holds unflushed changes.
    """
    if not _read_only.get():
        return
    _read_only.set(False)
    session = session() if callable(session) else session  # a scoped_session gives its Session
    if session.get_bind().dialect.name != "sqlite" or not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("begin_write() after changes were made in a read transaction")
    session.commit()  # ends the read snapshot; nothing was written in it


def pg_rows(prefix: str, **columns):
    """A PostgreSQL row source from parallel array parameters: ``unnest(:prefix_col, ...) AS
    prefix(col, ...)``. Bind each ``prefix_col`` to a list; one statement then writes many rows.
    """
    from sqlalchemy import bindparam, func
    from sqlalchemy.dialects.postgresql import ARRAY

    arrays = [bindparam(f"{prefix}_{name}", type_=ARRAY(type_)) for name, type_ in columns.items()]
    return func.unnest(*arrays).table_valued(*columns).render_derived(name=prefix)
