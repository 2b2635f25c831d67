"""Prepared statements store and read values exactly as SQLAlchemy does, and fail like it."""
import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import (Boolean, Column, Date, Integer, MetaData, String, Table, Uuid, bindparam,
                        insert, literal, select, text)
from sqlalchemy.exc import IntegrityError

from inventory.prepared import Prepared, PreparedIn
from inventory.types import UTCDateTime

metadata = MetaData()
probe = Table("prepared_probe", metadata, Column("id", Integer, primary_key=True),
              Column("token", Uuid, unique=True), Column("at", UTCDateTime), Column("day", Date),
              Column("label", String(20)), Column("flag", Boolean))
COLUMNS = ("token", "at", "day", "label", "flag")
INSERT = Prepared(probe.insert().values({c: bindparam(c) for c in COLUMNS}).returning(probe.c.id))


@pytest.fixture
def conn(db):
    with db.engine.connect() as connection:
        metadata.create_all(connection)
        connection.commit()
        try:
            yield connection
        finally:
            connection.rollback()
            metadata.drop_all(connection)
            connection.commit()


def _values(n: int) -> dict:
    # An offset other than UTC: the column stores UTC, whichever way the row is written.
    return {"token": uuid.uuid4(), "at": datetime(2026, 3, 1, 9, 30, n, 123456,
                                                  tzinfo=timezone(timedelta(hours=-5))),
            "day": date(2027, 1, n + 1), "label": f"row {n}", "flag": n % 2 == 0}


def test_stored_values_match_the_orm_path(conn):
    prepared, plain = _values(1), _values(2)
    INSERT.scalar(conn, prepared)
    conn.execute(insert(probe), plain)
    # The raw stored form (SQLite keeps text) is the same for both ways of writing.
    raw = conn.execute(text("SELECT token, at, day, flag FROM prepared_probe ORDER BY id")).all()
    assert [type(value) for value in raw[0]] == [type(value) for value in raw[1]]
    assert len(str(raw[0][0])) == len(str(raw[1][0]))
    rows = Prepared(select(probe).order_by(probe.c.id)).rows(conn)
    assert rows == [tuple(r) for r in conn.execute(select(probe).order_by(probe.c.id))]
    assert rows[0].token == prepared["token"] and rows[0].day == prepared["day"]
    assert rows[0].at == prepared["at"] and rows[0].at.tzinfo == UTC
    assert rows[0].flag is False and rows[1].flag is True


def test_in_lists_and_many(conn):
    ids = [INSERT.scalar(conn, _values(n)) for n in range(4)]
    by_id = PreparedIn("id", lambda names: select(probe.c.id, probe.c.label).where(
        probe.c.id.in_([bindparam(name) for name in names])).order_by(probe.c.id))
    assert [r.label for r in by_id.rows(conn, ids[1:3])] == ["row 1", "row 2"]
    assert [r.id for r in by_id.rows(conn, ids)] == ids
    rename = Prepared(probe.update().where(probe.c.id == bindparam("b_id"))
                      .values(label=bindparam("b_label")))
    rename.many(conn, [{"b_id": ids[0], "b_label": "first"}, {"b_id": ids[3], "b_label": "last"}])
    labels = conn.execute(select(probe.c.label).order_by(probe.c.id)).scalars().all()
    assert labels == ["first", "row 1", "row 2", "last"]


def test_errors_are_sqlalchemys(conn):
    values = _values(1)
    INSERT.scalar(conn, values)
    with pytest.raises(IntegrityError):
        INSERT.scalar(conn, {**values, "label": "again"})
    with pytest.raises(ValueError, match="naive"):  # the column type's own check still runs
        INSERT.scalar(conn, {**_values(2), "at": datetime(2026, 1, 1)})


def test_expanding_parameters_are_refused(conn):
    stmt = select(probe.c.id).where(probe.c.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(ValueError, match="PreparedIn"):
        Prepared(stmt).rows(conn, {"ids": [1]})


def test_a_run_begins_sqlalchemys_transaction(db):
    """Else SQLAlchemy's rollback would not reach a transaction the driver began on its own."""
    with db.engine.connect() as connection:
        assert not connection.in_transaction()
        assert Prepared(select(literal(1))).scalar(connection) == 1
        assert connection.in_transaction()
