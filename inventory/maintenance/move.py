"""Moving a whole program to another database (SQLite to PostgreSQL when it outgrows one
machine): every table of the schema, ids kept, in foreign-key order.

The target must be empty; it is brought to the migrations' head first, and its id sequences
are set past the copied ids afterwards. Tables are taken from the models' metadata, so a
table added to the schema is copied without a change here.
Errors: :class:`MoveError` with a message for the person at the terminal.
"""
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Integer, func, select, text
from sqlalchemy.engine import Connection

from inventory.extensions import db
from inventory.maintenance.restore import tables_with_rows

BATCH = 5_000


class MoveError(Exception):
    """The move was refused; the target was not written."""


@dataclass(frozen=True)
class TableCount:
    table: str
    source: int
    target: int


def target_url(url: str) -> str:
    """``url`` with psycopg 3 as driver; MoveError unless it is a PostgreSQL URL."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    if not url.startswith("postgresql+"):
        raise MoveError("--to must be a PostgreSQL URL, e.g. "
                        "postgresql://outreach:secret@db.example.org/outreach")
    return url


def ensure_empty(connection: Connection) -> None:
    filled = tables_with_rows(connection)
    if filled:
        raise MoveError("The target database is not empty (" + ", ".join(filled) + "); "
                        "move-data only writes into an empty database.")


def copy_tables(source: Connection, target: Connection,
                progress: Callable[[str, int], None] = lambda table, rows: None) -> None:
    """Copy every row of every table, parents before children, in batches."""
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows = source.execution_options(yield_per=BATCH).execute(
            select(table).order_by(*order))
        copied = 0
        for batch in rows.partitions(BATCH):
            target.execute(table.insert(), [row._asdict() for row in batch])
            copied += len(batch)
        progress(table.name, copied)


def reset_sequences(target: Connection) -> None:
    """Set each id sequence to the largest copied id, so new rows get the next ones."""
    for table in db.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        sequence = target.execute(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                  {"table": table.name, "column": keys[0].name}).scalar()
        if sequence is None:
            continue
        top = target.execute(select(func.max(keys[0]))).scalar()
        target.execute(text("SELECT setval(:sequence, :value, :called)"),
                       {"sequence": sequence, "value": top or 1, "called": top is not None})


def count_rows(source: Connection, target: Connection) -> list[TableCount]:
    counts = []
    for table in db.metadata.sorted_tables:
        query = select(func.count()).select_from(table)
        counts.append(TableCount(table.name, source.execute(query).scalar(),
                                 target.execute(query).scalar()))
    return counts
