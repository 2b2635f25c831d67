"""Engine set-up and the locking rules of the ledger.

SQLite: WAL journal, a busy timeout, and transactions opened by mode (see
:func:`set_transaction_mode`): pages and reports read one snapshot (``BEGIN``); form posts take
the write lock up front (``BEGIN IMMEDIATE``), so two writers never both read a balance and
then collide (SQLite would answer the second with "database is locked" at once, busy timeout
or not); API writes read without a transaction and take the write lock in the service, with
:func:`begin_write`. SQLite writers queue across processes on a file lock first
(:mod:`inventory.sqlite_writers`). PostgreSQL: balances are locked with ``SELECT ... FOR
UPDATE`` in the ledger service; API writes read in autocommit (no ``BEGIN``, no ``COMMIT``: two
round trips fewer) until :func:`begin_write` opens the transaction, and a write that is one
statement (a handout) runs as its own transaction.
"""
import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from weakref import WeakKeyDictionary

from sqlalchemy import event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from inventory.prepared import Prepared
from inventory.sqlite_checkpoints import SAFETY_NET_PAGES
from inventory.sqlite_writers import QueuedWriterConnection

READ, DEFERRED, WRITE = "read", "deferred", "write"
_mode: ContextVar[str] = ContextVar("sqlite_transaction_mode", default=WRITE)


def utcnow() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


@contextmanager
def read_only_transactions():
    """Open SQLite transactions in this context with a plain (deferred) BEGIN."""
    token = _mode.set(READ)
    try:
        yield
    finally:
        _mode.reset(token)


def set_transaction_mode(mode: str) -> None:
    """How SQLite transactions begin in the current context (a request).

    READ: ``BEGIN``, one snapshot for every read. WRITE: ``BEGIN IMMEDIATE`` after queueing for
    the write lock. DEFERRED: no ``BEGIN`` at all, so each read stands alone, until
    :func:`begin_write` takes the write lock; an ORM flush before that raises RuntimeError.
    """
    _mode.set(mode)


def transaction_mode() -> str:
    """The mode set for the current context (see :func:`set_transaction_mode`)."""
    return _mode.get()


# Per SQLite engine: the writers' lock file and how long to wait for it (the busy timeout).
_writer_queues: "WeakKeyDictionary[Engine, tuple[str, float]]" = WeakKeyDictionary()


# Run from the "begin" event: SQLAlchemy's transaction is being begun, not to be begun again.
_BEGIN_IMMEDIATE = Prepared(text("BEGIN IMMEDIATE"), autobegin=False)


def _begin_immediate(connection) -> None:
    """Queue for the write lock (file lock, then SQLite's) and open a write transaction."""
    raw = connection.connection.driver_connection
    queued = isinstance(raw, QueuedWriterConnection)
    if queued:
        try:
            raw.queue_for_write(*_writer_queues[connection.engine])
        except sqlite3.OperationalError as exc:
            # Wrapped like SQLite's own "database is locked", so it is answered 503 alike.
            raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc
    try:
        _BEGIN_IMMEDIATE.rows(connection)
    except Exception:
        if queued:
            raw.leave_queue()
        raise


def sqlite_file(engine: Engine) -> str | None:
    """The database file of a SQLite engine; None for an in-memory database."""
    name = engine.url.database
    return None if name in (None, "", ":memory:") else name


def configure_sqlite(engine: Engine, busy_timeout_ms: int,
                     background_checkpoints: bool = False) -> None:
    """Install WAL, foreign keys, busy timeout and the transaction modes on a SQLite engine.

    ``background_checkpoints``: a thread checkpoints the WAL (:mod:`inventory.sqlite_checkpoints`),
    so a committing connection does so itself only as a safety net, not at SQLite's 1000 pages.
    """
    autocheckpoint_pages = SAFETY_NET_PAGES if background_checkpoints else 1000

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transaction control away from pysqlite so our BEGIN is the one that runs.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if sqlite_file(engine) is not None:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(autocheckpoint_pages)}")
            # After a burst the log file is cut back to this size (16 MB at least).
            cursor.execute(f"PRAGMA journal_size_limit = {max(autocheckpoint_pages, 4096) * 4096}")
        cursor.close()

    _writer_queues[engine] = (f"{engine.url.database}-writers.lock", busy_timeout_ms / 1000)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        mode = _mode.get()
        if mode == READ:
            connection.exec_driver_sql("BEGIN")
        elif mode == WRITE:
            _begin_immediate(connection)
        # DEFERRED: pysqlite runs each statement on its own until begin_write().


def reads_only(view):
    """Mark a view whose POST changes nothing in the database (signing in or out): its request
    reads in READ mode instead of queueing for SQLite's write lock."""
    view.reads_only = True
    return view


def configure_postgresql(engine: Engine) -> None:
    """Open PostgreSQL transactions by mode: in DEFERRED mode psycopg runs in autocommit, so
    each statement stands alone, until :func:`begin_write`; otherwise as usual (``BEGIN``
    before the first statement, sent by psycopg)."""

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        raw = connection.connection.driver_connection
        autocommit = _mode.get() == DEFERRED
        if raw.autocommit != autocommit:
            raw.autocommit = autocommit  # allowed: no transaction is open on the connection


def refuse_deferred_flush(session, _flush_context, _instances) -> None:
    """A ``before_flush`` hook: ORM writes in DEFERRED mode would not be one transaction."""
    if _mode.get() == DEFERRED:
        raise RuntimeError("call begin_write() before writing in an API request")


def upsert_insert(table, dialect_name: str):
    """``INSERT`` with ``ON CONFLICT`` support for the engine's dialect (PostgreSQL or SQLite)."""
    return (postgresql if dialect_name == "postgresql" else sqlite).insert(table)


def begin_write(session, one_statement: bool = False) -> None:
    """Make what follows run in a write transaction; on SQLite, take the write lock now.

    API requests start without a transaction (DEFERRED) so that authentication, parsing and
    look-ups run beside other writers; only the ledger change itself holds SQLite's one write
    lock, taken here with ``BEGIN IMMEDIATE`` on the session's connection. In READ mode the
    snapshot is ended first (a read transaction cannot be upgraded safely: a writer that
    committed meanwhile would make ours fail at once, busy timeout or not). Call it before the
    checks that must hold at write time (balances, client_id clashes). PostgreSQL locks
    balances row by row: here its DEFERRED reads end, and the next statement opens the
    transaction; ``one_statement`` says that the write which follows is a single statement on
    PostgreSQL, which then runs in autocommit as its own transaction (the mode stays DEFERRED:
    an ORM flush is still refused). Raises RuntimeError if a READ transaction holds unflushed
    changes.
    """
    if _mode.get() == WRITE:
        return
    session = session() if callable(session) else session  # a scoped_session gives its Session
    dialect = session.get_bind().dialect.name
    if one_statement and dialect == "postgresql":
        return
    _mode.set(WRITE)
    if not session.in_transaction():
        return  # the "begin" event opens the transaction by the new mode
    connection = session.connection()
    raw = connection.connection.driver_connection
    if dialect == "postgresql":
        if raw.autocommit:
            raw.autocommit = False  # allowed: in autocommit no transaction is ever left open
        return
    if raw.in_transaction:
        # A snapshot is open (READ mode, or a test sharing the request's session).
        if session.new or session.dirty or session.deleted:
            raise RuntimeError("begin_write() after changes were made in a read transaction")
        session.commit()  # ends it; the next statement opens BEGIN IMMEDIATE
        return
    _begin_immediate(connection)


def pg_rows(prefix: str, **columns):
    """A PostgreSQL row source from parallel array parameters: ``unnest(:prefix_col, ...) AS
    prefix(col, ...)``. Bind each ``prefix_col`` to a list; one statement then writes many rows.
    """
    from sqlalchemy import bindparam, func
    from sqlalchemy.dialects.postgresql import ARRAY

    arrays = [bindparam(f"{prefix}_{name}", type_=ARRAY(type_)) for name, type_ in columns.items()]
    return func.unnest(*arrays).table_valued(*columns).render_derived(name=prefix)
