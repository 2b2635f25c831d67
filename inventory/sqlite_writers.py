"""Queue SQLite writers on an OS file lock, so the write lock passes on at once.

SQLite lets one writer in at a time and makes the others poll for the lock, sleeping up to
100 ms between tries; with several gunicorn workers the lock is mostly free while they sleep.
Writers (connections about to run ``BEGIN IMMEDIATE``) therefore queue on a ``flock`` of a
file beside the database, polling it every 0.05-0.2 ms, and leave the queue when their
transaction commits or rolls back. (Polling at up to 1 ms left a core idle a good part of the
time: a writer holds the lock for about a millisecond, and the next one overslept it.) A writer
that waits longer than the busy timeout gets SQLite's own "database is locked", which the app
answers with 503.
"""
import fcntl
import os
import sqlite3
import time


class QueuedWriterConnection(sqlite3.Connection):
    """A pysqlite connection that can hold the writers' file lock for one transaction."""

    _lock_fd: int | None = None
    _holding = False

    def queue_for_write(self, lock_path: str, timeout_s: float) -> None:
        """Wait for the writers' lock. Raises sqlite3.OperationalError after ``timeout_s``."""
        if self._lock_fd is None:
            self._lock_fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + timeout_s
        pause = 0.00005
        while True:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._holding = True
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise sqlite3.OperationalError("database is locked") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.0002)

    def leave_queue(self) -> None:
        if self._holding:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            self._holding = False

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.leave_queue()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.leave_queue()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.leave_queue()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None


def engine_options(options: dict) -> dict:
    """Engine options that make pysqlite open :class:`QueuedWriterConnection` connections."""
    connect_args = {**options.get("connect_args", {}), "factory": QueuedWriterConnection}
    return {**options, "connect_args": connect_args}
