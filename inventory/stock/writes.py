"""The rows of one ledger event: its header, its lines and the balances it leaves.

SQLite runs three statements on the database it has locked. PostgreSQL runs them as one
statement (data-modifying CTEs over array parameters): one round trip instead of three. (An
encounter's handout is written on PostgreSQL by the ``record_handout`` function with the visit:
see inventory.encounters.writes.)
"""
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Connection, Integer, bindparam, select, true

from inventory.database import pg_rows
from inventory.prepared import Prepared
from inventory.stock.models import StockBalance, StockEvent, StockEventLine

EVENT_COLUMNS = ("kind", "site_id", "occurred_at", "recorded_at", "client_id", "user_id",
                 "discrepancy", "fingerprint", "reverses_id", "counterpart_site_id",
                 "document_ref", "reason_code", "note")

_event, _line, _balance = (m.__table__ for m in (StockEvent, StockEventLine, StockBalance))
_INSERT_EVENT = Prepared(_event.insert().values({c: bindparam(c) for c in EVENT_COLUMNS})
                         .returning(_event.c.id))
_INSERT_LINE = Prepared(_line.insert().values(
    {c: bindparam(c) for c in ("event_id", "item_id", "lot_id", "quantity")}))
_UPDATE_BALANCE = Prepared(_balance.update().where(_balance.c.id == bindparam("b_id")).values(
    on_hand=bindparam("b_on_hand"), updated_at=bindparam("b_updated_at")))


@dataclass(frozen=True)
class EventRows:
    """One ledger event ready to write: ``header`` (every name in EVENT_COLUMNS), ``lines``
    (item, lot, quantity) and ``balances`` (balance id, new on hand), whose rows the writer
    has locked."""

    header: dict
    lines: list[tuple[int, int | None, int]]
    balances: list[tuple[int, int]]

    def pg_params(self) -> dict:
        """The parameters of :func:`_pg_statement`."""
        return {
            **{f"event_{column}": value for column, value in self.header.items()},
            "line_item_id": [i for i, _, _ in self.lines],
            "line_lot_id": [lot for _, lot, _ in self.lines],
            "line_quantity": [q for _, _, q in self.lines],
            "balance_id": [b for b, _ in self.balances],
            "balance_on_hand": [n for _, n in self.balances],
        }


@cache
def _pg_statement() -> Prepared:
    """PostgreSQL: one statement of CTEs that writes one event, its lines and balances
    (parameters: :meth:`EventRows.pg_params`) and returns the new id."""
    # Parameters are prefixed: SQLAlchemy would turn a parameter named like a column of the
    # updated table (site_id) into one more SET clause.
    event = (_event.insert().values({c: bindparam(f"event_{c}") for c in EVENT_COLUMNS})
             .returning(_event.c.id).cte("event"))
    lines = pg_rows("line", item_id=Integer, lot_id=Integer, quantity=Integer)
    insert_lines = _line.insert().from_select(
        ["event_id", "item_id", "lot_id", "quantity"],
        # The event CTE is one row: every line gets its id.
        select(event.c.id, lines.c.item_id, lines.c.lot_id, lines.c.quantity)
        .select_from(event.join(lines, true())),
    ).cte("lines")
    balances = pg_rows("balance", id=Integer, on_hand=Integer)
    update_balances = (_balance.update().where(_balance.c.id == balances.c.id)
                       .values(on_hand=balances.c.on_hand, updated_at=bindparam("event_recorded_at"))
                       .cte("balances"))
    return Prepared(select(event.c.id).add_cte(insert_lines, update_balances))


def write_event(conn: Connection, rows: EventRows) -> int:
    """Write the event ``rows`` and return its id. Raises IntegrityError when the client_id is
    taken."""
    if conn.dialect.name == "postgresql":
        return _pg_statement().scalar(conn, rows.pg_params())
    now: datetime = rows.header["recorded_at"]
    event_id = _INSERT_EVENT.scalar(conn, rows.header)
    _INSERT_LINE.many(conn, [{"event_id": event_id, "item_id": i, "lot_id": lot, "quantity": q}
                             for i, lot, q in rows.lines])
    _UPDATE_BALANCE.many(conn, [{"b_id": b, "b_on_hand": n, "b_updated_at": now}
                                for b, n in rows.balances])
    return event_id
