"""Checkpoint SQLite's write-ahead log in a background thread, off the request path.

By default the connection whose commit takes the WAL past 1000 pages copies them into the
database file and syncs it, inside its request and while it still holds the writers' queue
(:mod:`inventory.sqlite_writers`): one handout in forty paid for the others, and every writer
queued behind it waited too (py-spy: 6% of an encounter's CPU was checkpointing). A process that
serves requests instead runs a PASSIVE checkpoint every ``interval`` seconds in a daemon thread
with its own connection. PASSIVE never blocks readers or writers: it copies what no reader still
needs and leaves the rest for the next round. Connections keep checkpointing themselves as a
safety net, only when the WAL passes :data:`SAFETY_NET_PAGES` (a stalled thread, a CLI process).
"""
import logging
import os
import sqlite3
import threading

SAFETY_NET_PAGES = 10_000  # 40 MB of 4 KiB pages

log = logging.getLogger(__name__)


class Checkpointer:
    """Runs ``PRAGMA wal_checkpoint(PASSIVE)`` on ``path`` every ``interval`` seconds once
    :meth:`ensure_running` has been called in a process (again after a fork)."""

    def __init__(self, path: str, interval: float):
        self.path, self.interval = path, interval
        self._pid: int | None = None
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self.rounds = 0

    def ensure_running(self) -> None:
        """Start the thread in this process if it is not running here yet."""
        if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
            return
        self._pid, self._stop = os.getpid(), threading.Event()
        self._thread = threading.Thread(target=self._run, args=(self._stop,),
                                        name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _run(self, stop: threading.Event) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            while not stop.wait(self.interval):
                try:
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                    self.rounds += 1
                except sqlite3.Error as error:  # the next round tries again
                    log.warning("WAL checkpoint failed: %s", error)
        finally:
            connection.close()
