"""Bulk loading for the demo generator: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

Rows are plain tuples in driver form, written on the connection of the current session
transaction, so the whole load commits (or rolls back) once. Ids are allocated here rather
than by the database, so related rows can be built before anything is written.
"""
from collections import Counter
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.engine import Connection


class BulkWriter:
    """Writes tuples straight to the DBAPI connection behind ``connection``."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.sqlite = connection.dialect.name == "sqlite"
        self.raw = connection.connection.driver_connection
        self.written: Counter[str] = Counter()
        if self.sqlite:
            # A bigger page cache keeps the unique indexes (random UUIDs) in memory during the load.
            self.connection.exec_driver_sql("PRAGMA cache_size = -262144")

    def ts(self, epoch: int) -> str:
        """A UTC timestamp (seconds since the epoch) as the column type expects it."""
        text_ = datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        # SQLAlchemy stores SQLite timestamps as naive UTC text in exactly this format.
        return text_ if self.sqlite else text_ + "+00"

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

    def fix_sequences(self, tables: list[str]) -> None:
        """PostgreSQL: move each serial past the ids written here, so later inserts succeed."""
        if self.sqlite:
            return
        for table in tables:
            self.connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
            ))
