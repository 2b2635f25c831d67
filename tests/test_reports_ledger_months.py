"""The report ledger month cache: equal to the ledger, invisible in the figures, and never stale
(a month that gained an event after it was summed is read from the ledger again)."""
import io
from datetime import UTC, datetime

import openpyxl
import pandas as pd
from sqlalchemy import func, select

from reports import ledger_months, queries
from reports.periods import parse_quarter
from reports.xlsx import write_xlsx
from tests import report_factories as f
from tests import report_golden_data as golden

GENERATED = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _period():
    return parse_quarter("FY2027Q1", 7, golden.TZ)


def _sheets(period, serial=False) -> dict:
    """Every sheet's cell values, read back from the written workbook."""
    from reports import build_report

    conn = f.db.session.connection()
    if serial:
        conn = conn.execution_options(report_serial=True)
    report = build_report(conn, "funder", period, generated_at=GENERATED)
    buffer = io.BytesIO()
    write_xlsx(report, buffer)
    book = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book}


def _refresh(db, timezone=golden.TZ):
    db.session.commit()  # the refresh writes on its own connection: release the write lock
    counts = ledger_months.refresh(db.engine, timezone, NOW)
    db.session.commit()
    return counts


def _ledger_by_month(conn, start, end) -> pd.DataFrame:
    lot_key = func.coalesce(queries.LINE.c.lot_id, 0)
    stmt = select(queries.EVENT.c.site_id, queries.LINE.c.item_id, lot_key,
                  func.sum(queries.LINE.c.quantity)
                  ).select_from(queries.LINE.join(queries.EVENT,
                                                  queries.LINE.c.event_id == queries.EVENT.c.id)
                  ).where(queries.EVENT.c.occurred_at >= start,
                          queries.EVENT.c.occurred_at < end).group_by(
        queries.EVENT.c.site_id, queries.LINE.c.item_id, lot_key)
    rows = [tuple(r) for r in conn.execute(stmt).all()]
    return pd.DataFrame(rows, columns=["site_id", "item_id", "lot_key", "quantity"])


def _sorted(frame):
    key = list(frame.columns[:-1])
    frame = frame[frame["quantity"] != 0]
    return frame.sort_values(key).reset_index(drop=True).astype("int64")


def test_cached_months_equal_the_ledger(db):
    golden.build()
    db.session.commit()
    counts = _refresh(db)
    conn = db.session.connection()
    months = conn.execute(select(ledger_months.MONTH)).mappings().all()
    # Jun, Jul, Aug, Sep and Oct 2026 hold events and have ended by NOW; Nov has not.
    assert counts == {"kept": 0, "summed": 5, "dropped": 0}
    assert [m["start_utc"].month for m in sorted(months, key=lambda m: m["start_utc"])] == \
        [6, 7, 8, 9, 10]
    for month in months:
        cached = ledger_months.cached_frame(conn, [month["id"]], ["site_id", "item_id", "lot_key"],
                                            None)
        ledger = _ledger_by_month(conn, month["start_utc"], month["end_utc"])
        pd.testing.assert_frame_equal(_sorted(cached), _sorted(ledger))
    # Reversals are stored as the kind they reverse: the voided handout un-distributes.
    kinds = set(conn.execute(select(ledger_months.TOTAL.c.kind)).scalars())
    assert "reversal" not in kinds and "distribution" in kinds
    assert _refresh(db) == {"kept": 5, "summed": 0, "dropped": 0}


def test_workbook_is_the_same_with_and_without_the_cache(db):
    golden.build()
    db.session.commit()
    without = _sheets(_period())
    serial = _sheets(_period(), serial=True)
    _refresh(db)
    months, gaps = ledger_months.coverage(db.session.connection(), _period().start_utc,
                                          _period().end_utc)
    assert len(months) == 3 and gaps == []  # the whole quarter comes from the cache
    assert _sheets(_period()) == without == serial
    assert len(without["Inventory"]) > 5 and without["Summary"][1] == ["Encounters", 7]


def test_back_dated_event_is_read_from_the_ledger_until_refreshed(db):
    golden.build()
    db.session.commit()
    _refresh(db)
    f.event("receipt", "A", golden.utc(2026, 8, 20, 16), [("SYR-1ML-28G", 500)])
    db.session.commit()
    conn = db.session.connection()
    months, gaps = ledger_months.coverage(conn, _period().start_utc, _period().end_utc)
    assert [m[1].month for m in months] == [7, 9] and len(gaps) == 1  # August is stale
    stale = _sheets(_period())
    received = [row for row in stale["Inventory"] if row[:2] == ["A", "SYR-1ML-28G"]][0][4]
    assert received == 500
    db.session.execute(ledger_months.TOTAL.delete())
    db.session.execute(ledger_months.MONTH.delete())
    db.session.commit()
    assert _sheets(_period()) == stale
    assert _refresh(db)["summed"] == 5
    f.event("adjustment", "B", golden.utc(2026, 8, 21, 16), [("SYR-1ML-27G", -1)])
    db.session.commit()
    assert _refresh(db) == {"kept": 4, "summed": 1, "dropped": 0}
    assert _sheets(_period()) != stale


def test_a_new_timezone_replaces_the_months(db):
    golden.build()
    db.session.commit()
    _refresh(db)
    counts = _refresh(db, "America/Los_Angeles")
    # October has no event in Los Angeles time (the 1 Oct UTC ones are still September there).
    assert counts["dropped"] == 5 and counts["summed"] == 4
    months, _ = ledger_months.coverage(db.session.connection(), None, None)
    assert all(m[1].hour == 7 for m in months)  # local midnight in Los Angeles (PDT)
    # Los Angeles months inside the New York quarter may serve ledger sums; the 3-hour edges and
    # every movement month (which must match exactly) are read live; same figures either way.
    before = _sheets(_period())
    inside, gaps = ledger_months.coverage(db.session.connection(), _period().start_utc,
                                          _period().end_utc)
    assert len(inside) == 2 and len(gaps) == 2
    db.session.execute(ledger_months.TOTAL.delete())
    db.session.execute(ledger_months.MONTH.delete())
    db.session.commit()
    assert _sheets(_period()) == before


def test_cli_report_cache(app, db):
    golden.build()
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["report-cache"])
    assert result.exit_code == 0, result.output
    # Jun-Oct 2026 have ended by any date this test runs on; later months hold no event.
    assert "Ledger months: 5 summed, 0 unchanged, 0 dropped" in result.output
    result = runner.invoke(args=["report-cache"])
    assert "Ledger months: 0 summed, 5 unchanged, 0 dropped" in result.output
