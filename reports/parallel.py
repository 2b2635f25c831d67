"""Run a report's independent aggregate queries at the same time, on separate connections.

The database does the work (sqlite3 and psycopg release the GIL while a statement runs), so the
encounter statement and the ledger queries overlap instead of adding up.

Consistency: on PostgreSQL every worker imports one snapshot exported by the report's own
connection (``pg_export_snapshot`` / ``SET TRANSACTION SNAPSHOT``, REPEATABLE READ, read-only),
so all figures are of the same instant. On SQLite each worker has its own read transaction
(WAL readers, never blocked by writers); they start within milliseconds of each other, and all
ledger figures (Items, categories, Inventory) come from one of them, so the Inventory sheet always
adds up; a write committed in between can only make encounter counts and ledger units of one run
disagree by that write, as a re-run would. Workers see committed data only: a caller whose own
transaction holds uncommitted changes the report must include passes
``conn.execution_options(report_serial=True)``; that, and an in-memory SQLite database, run the
parts one after the other on ``conn``.
"""
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack

from sqlalchemy import Connection

from inventory.database import read_only_transactions


def tune_report_transaction(conn: Connection) -> None:
    """On PostgreSQL (a no-op elsewhere), for this transaction only: JIT off, work_mem 64MB.

    The planner's cost guesses for the report's CASE buckets switch on JIT compilation, which
    costs more than the queries; sorts fit in memory with 64MB.
    """
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET LOCAL jit = off")
        conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")


def _can_fan_out(conn: Connection) -> bool:
    if conn.dialect.name == "postgresql":
        return True
    database = conn.engine.url.database
    return conn.dialect.name == "sqlite" and database not in (None, "", ":memory:")


def _worker(conn: Connection, snapshot: str | None, stack: ExitStack) -> Connection:
    with read_only_transactions():
        worker = stack.enter_context(conn.engine.connect())
        if snapshot is not None:
            worker = worker.execution_options(isolation_level="REPEATABLE READ")
            worker.exec_driver_sql("SET TRANSACTION READ ONLY")
            worker.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            tune_report_transaction(worker)
    return worker


def run_together(conn: Connection, *parts):
    """Call each ``part(connection)`` and return their results in order.

    Parts run at once, each on its own connection, when the database allows it (see the module
    docstring); otherwise one after the other on ``conn``.
    """
    serial = conn.get_execution_options().get("report_serial")
    if len(parts) < 2 or serial or not _can_fan_out(conn):
        return [part(conn) for part in parts]
    snapshot = None
    if conn.dialect.name == "postgresql":
        snapshot = conn.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
    with ExitStack() as stack, ThreadPoolExecutor(len(parts)) as pool:
        workers = [_worker(conn, snapshot, stack) for _ in parts]

        def run(part, worker):
            with read_only_transactions():
                try:
                    return part(worker)
                finally:
                    worker.rollback()

        futures = [pool.submit(run, part, worker) for part, worker in zip(parts, workers)]
        return [future.result() for future in futures]
