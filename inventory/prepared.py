"""Core statements run straight on the DBAPI cursor, for the few that every API write runs.

SQLAlchemy's execution path (cache look-up, events, execution context, result object) costs
about 50 µs a statement, several times what SQLite needs for a one-row insert, and recording an
encounter runs a dozen. A :class:`Prepared` statement is compiled once per dialect. Each run
converts the parameters with the column types' own bind processors, so values are stored exactly
as the ORM stores them; runs the SQL on the cursor of the session's connection, in its
transaction; converts results with the types' result processors; and raises DBAPI errors as
SQLAlchemy's (IntegrityError, OperationalError, ...), as :meth:`Connection.execute` would.
No engine events fire for them: they are neither echoed nor counted.
"""
from collections import namedtuple
from dataclasses import dataclass
from typing import Any, Callable

from sqlalchemy import Connection, exc


@dataclass(frozen=True)
class _Plan:
    sql: str
    order: tuple[str, ...] | None  # positional parameter names, None for named parameters
    processors: tuple[tuple[str, Callable], ...]  # (name, bind processor) where one is needed
    defaults: dict[str, Any]  # values the statement itself holds
    row: type | None  # a named tuple of the result columns
    results: tuple[tuple[int, Callable], ...]  # (position, result processor)


class Prepared:
    """``statement`` (a Core select, insert, update or upsert, or a text()) compiled once per
    dialect.

    Parameters are passed by bind name as with :meth:`Connection.execute`; expanding (``IN``)
    parameters are not supported: see :class:`PreparedIn`. Raises ValueError for one. Like
    :meth:`Connection.execute`, a run begins SQLAlchemy's transaction on the connection if none
    is open, so that its commit and rollback reach the database; ``autobegin=False`` is for the
    statement that runs while that transaction is being begun (``BEGIN IMMEDIATE``).
    """

    def __init__(self, statement, *, autobegin: bool = True):
        self.statement = statement
        self.autobegin = autobegin
        self._plans: dict[tuple[str, str], _Plan] = {}

    def _plan(self, dialect) -> _Plan:
        key = (dialect.name, dialect.driver)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._compile(dialect)
        return plan

    def _compile(self, dialect) -> _Plan:
        compiled = self.statement.compile(dialect=dialect)
        processors, defaults = [], {}
        for name, bind in compiled.binds.items():
            if bind.expanding:
                raise ValueError(f"expanding parameter {name!r}: use PreparedIn")
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                processors.append((name, processor))
            if not bind.required:
                defaults[name] = bind.effective_value
        row, results = None, ()
        # A select's columns, or the RETURNING columns of an insert or update (else none).
        columns = list(getattr(self.statement, "exported_columns", ()))
        if columns:
            row = namedtuple("PreparedRow", [c.key for c in columns], rename=True)
            results = tuple(
                (position, processor) for position, column in enumerate(columns)
                if (processor := column.type.dialect_impl(dialect)
                    .result_processor(dialect, None)) is not None
            )
        order = tuple(compiled.positiontup) if compiled.positional else None
        return _Plan(compiled.string, order, tuple(processors), defaults, row, results)

    def _args(self, plan: _Plan, params: dict):
        values = {**plan.defaults, **params} if plan.defaults else dict(params)
        for name, processor in plan.processors:
            values[name] = processor(values[name])
        return values if plan.order is None else tuple(values[name] for name in plan.order)

    def _call(self, conn: Connection, run):
        if self.autobegin and not conn.in_transaction():
            conn.begin()
        dialect = conn.dialect
        plan = self._plan(dialect)
        cursor = conn.connection.dbapi_connection.cursor()
        try:
            return plan, run(plan, cursor)
        except dialect.loaded_dbapi.Error as error:
            if dialect.is_disconnect(error, conn.connection.dbapi_connection, cursor):
                conn.invalidate(error)
            raise exc.DBAPIError.instance(plan.sql, None, error, dialect.loaded_dbapi.Error,
                                          dialect=dialect) from error
        finally:
            cursor.close()

    def rows(self, conn: Connection, params: dict | None = None) -> list:
        """Run the statement once; return its rows as named tuples (none for plain DML)."""

        def run(plan, cursor):
            cursor.execute(plan.sql, self._args(plan, params or {}))
            return cursor.fetchall() if plan.row is not None else []

        plan, raw = self._call(conn, run)
        if plan.row is None:
            return []
        if not plan.results:
            return [plan.row(*values) for values in raw]
        out = []
        for values in raw:
            values = list(values)
            for position, processor in plan.results:
                values[position] = processor(values[position])
            out.append(plan.row(*values))
        return out

    def first(self, conn: Connection, params: dict | None = None):
        """The first row, or None."""
        found = self.rows(conn, params)
        return found[0] if found else None

    def scalar(self, conn: Connection, params: dict | None = None):
        """The first column of the first row, or None."""
        found = self.first(conn, params)
        return None if found is None else found[0]

    def many(self, conn: Connection, rows: list[dict]) -> None:
        """Run the statement once per parameter set (``executemany``); nothing is returned."""
        if rows:
            self._call(conn, lambda plan, cursor: cursor.executemany(
                plan.sql, [self._args(plan, params) for params in rows]))


class PreparedIn:
    """A statement with one ``IN`` list, prepared once per list length.

    ``build(names)`` returns the statement for the bind names given (``<prefix>_0``, ...);
    :meth:`rows` spreads the list's values over those names.
    """

    def __init__(self, prefix: str, build: Callable[[list[str]], Any]):
        self.prefix, self.build = prefix, build
        self._by_length: dict[int, Prepared] = {}

    def __call__(self, length: int) -> Prepared:
        prepared = self._by_length.get(length)
        if prepared is None:
            names = [f"{self.prefix}_{n}" for n in range(length)]
            prepared = self._by_length[length] = Prepared(self.build(names))
        return prepared

    def params(self, values: list) -> dict:
        return {f"{self.prefix}_{n}": value for n, value in enumerate(values)}

    def rows(self, conn: Connection, values: list, params: dict | None = None) -> list:
        """Rows for ``values`` in the list (plus any other ``params``)."""
        return self(len(values)).rows(conn, {**(params or {}), **self.params(values)})
