"""Bulk loading for the demo generator: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

Rows are plain tuples in driver form, written on the connection of the current session
transaction, so the whole load commits (or rolls back) once. Ids are allocated here rather
than by the database, so related rows can be built before anything is written.
"""
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection
from sqlalchemy.schema import AddConstraint, DropConstraint, ForeignKeyConstraint


class BulkWriter:
    """Writes tuples straight to the DBAPI connection behind ``connection``."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.sqlite = connection.dialect.name == "sqlite"
        self.raw = connection.connection.driver_connection
        self.written: Counter[str] = Counter()
        self._days: dict[int, str] = {}
        # SQLAlchemy stores SQLite timestamps as naive UTC text in exactly this format.
        self._suffix = ".000000" if self.sqlite else ".000000+00"
        if self.sqlite:
            # A bigger page cache keeps the unique indexes (random UUIDs) in memory during the load.
            self.connection.exec_driver_sql("PRAGMA cache_size = -262144")

    def ts(self, epoch: int) -> str:
        """A UTC timestamp (whole seconds since the epoch) as the column expects it."""
        day, seconds = divmod(epoch, 86400)
        prefix = self._days.get(day)
        if prefix is None:  # formatting by hand is several times faster than strftime
            prefix = self._days[day] = datetime.fromtimestamp(day * 86400, UTC).strftime("%Y-%m-%d")
        hours, seconds = divmod(seconds, 3600)
        minutes, seconds = divmod(seconds, 60)
        return f"{prefix} {hours:02d}:{minutes:02d}:{seconds:02d}{self._suffix}"

    def uuid(self, value: UUID) -> str:
        # SQLAlchemy's Uuid type is CHAR(32) hex on SQLite and native uuid on PostgreSQL.
        return value.hex if self.sqlite else str(value)

    def next_id(self, table: str) -> int:
        """The first free id of ``table`` (the load appends after any existing rows)."""
        return self.connection.scalar(text(f"SELECT coalesce(max(id), 0) + 1 FROM {table}"))

    def write(self, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(columns)
        if self.sqlite:
            marks = ", ".join("?" * len(columns))
            cursor = self.raw.cursor()
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            cursor.close()
        else:
            with self.raw.cursor() as cursor:
                with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
        self.written[table] += len(rows)

    @contextmanager
    def foreign_keys_checked_after(self, tables: list[Table]) -> Iterator[None]:
        """PostgreSQL: check the foreign keys of ``tables`` once, after the load.

        PostgreSQL checks a foreign key with a trigger per row, which costs several times the
        COPY itself; the constraints are dropped and added back (validating every row in one
        pass) inside the same transaction, so nobody ever sees the table without them. If the
        load fails, the rollback restores them. SQLite's checks are cheap and stay on.
        """
        if self.sqlite:
            yield
            return
        keys = [c for table in tables for c in table.constraints
                if isinstance(c, ForeignKeyConstraint)]
        for key in keys:
            self.connection.execute(DropConstraint(key))
        yield
        for key in keys:
            self.connection.execute(AddConstraint(key))

    def fix_sequences(self, tables: list[str]) -> None:
        """PostgreSQL: move each serial past the ids written here, so later inserts succeed."""
        if self.sqlite:
            return
        for table in tables:
            self.connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            ))
