"""What a reader sees is true: every displayed cell of every sheet of the workbook and of the CSV
zip equals the true figure, and every hidden cell shows the one mark.

The true figures are the same report built with nothing suppressed (threshold 1: no count lies
between 1 and 0). Each cell of the suppressed report, as written and read back, is either the
true value or the mark - and the mark only in a person-count column, over a true count of people.
"""
import csv
import io
import zipfile
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.participants.models import AGE_RANGES, GENDERS, RACE_ETHNICITIES
from reports import build_report, load_settings
from reports.csvzip import _filename, write_csv_zip
from reports.periods import parse_quarter
from reports.suppression import SUPPRESSED_MARK
from reports.xlsx import write_xlsx
from tests import report_factories as f
from tests.test_reports_suppression import _wipe

THRESHOLD = 11
GENERATED = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
# Notes rows that name the threshold itself differ between the two builds by design.
THRESHOLD_NOTES = {"Suppression threshold", f"Hidden cells ({SUPPRESSED_MARK})",
                   "Suppression rule"}

people = st.lists(st.tuples(st.none() | st.sampled_from(AGE_RANGES),
                            st.none() | st.sampled_from(GENDERS),
                            st.none() | st.sampled_from(RACE_ETHNICITIES)), max_size=12)
# (site index, day of quarter, participant index or None, reversals, kits used, voided)
visits = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 91), st.none() | st.integers(0, 11),
                            st.integers(0, 3), st.integers(0, 2), st.booleans()), max_size=60)


def _xlsx_tables(data: bytes) -> dict[str, list[list]]:
    """Each sheet's header and body as displayed (up to the blank row before the footnotes)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    tables = {}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows(values_only=True):
            if all(v is None for v in row):
                break
            rows.append(list(row))
        tables[ws.title] = rows
        assert all(c.data_type != "f" for r in ws.iter_rows() for c in r), ws.title
    return tables


def _csv_tables(data: bytes, names) -> dict[str, list[list]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: list(csv.reader(io.StringIO(
            archive.read(_filename(name)).decode("utf-8-sig")))) for name in names}


def _as_csv(value) -> str:
    if value is None:
        return ""
    return str(value)


def _check(shown, true, person: bool, where, as_text=False) -> bool:
    """True when the cell is hidden; fails unless it shows the true value or the mark."""
    expected = _as_csv(true) if as_text else true
    if shown == SUPPRESSED_MARK and expected != SUPPRESSED_MARK:
        assert person and isinstance(true, int), (where, shown, true)
        return True
    if isinstance(true, float) and not as_text:
        assert abs(shown - true) < 1e-9, (where, shown, true)
    else:
        assert shown == expected, (where, shown, true)
    return False


@given(who=people, rows=visits, template=st.sampled_from(["funder", "naloxone"]))
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_displayed_cell_is_true_and_every_hidden_cell_shows_the_mark(db, who, rows,
                                                                           template):
    _wipe(db)
    f.settings("America/Chicago", threshold=THRESHOLD)
    start = datetime(2026, 7, 1, 17, tzinfo=UTC)
    participants = [f.participant(f"d{i:02d}x", start, age=a, gender=g, race=r)
                    for i, (a, g, r) in enumerate(who)]
    for site, day, person, reversals, used, voided in rows:
        enc = f.handout("ABC"[site], start + timedelta(days=day), {"SYR-1ML-28G": 2, "FTS": 1},
                        who=participants[person] if person is not None and person < len(who)
                        else None, reversals=reversals, used=used,
                        referrals=["housing"] if day % 3 == 0 else [])
        if voided:
            f.void(enc, start + timedelta(days=100))
    db.session.flush()
    conn = db.session.connection()
    period = parse_quarter("FY2027Q1", 7, "America/Chicago")
    program = load_settings(conn)
    shown = build_report(conn, template, period, settings=program, generated_at=GENERATED)
    true = build_report(conn, template, period, settings=replace(program, suppression_threshold=1),
                        generated_at=GENERATED)
    xlsx, zipped = io.BytesIO(), io.BytesIO()
    write_xlsx(shown, xlsx)
    write_csv_zip(shown, zipped)
    names = [s.name for s in shown.sheets]
    assert names == [s.name for s in true.sheets]
    written = {"xlsx": _xlsx_tables(xlsx.getvalue()), "csv": _csv_tables(zipped.getvalue(), names)}

    for sheet, truth in zip(shown.sheets, true.sheets, strict=True):
        columns = list(truth.frame.columns)
        for kind, tables in written.items():
            header, *body = tables[sheet.name]
            assert header == columns, (kind, sheet.name)
            assert len(body) == len(truth.frame), (kind, sheet.name)
            for r, (cells, true_row) in enumerate(zip(body, truth.frame.itertuples(index=False))):
                if sheet.name == "Notes" and true_row[0] in THRESHOLD_NOTES:
                    continue
                for column, cell, true_value in zip(columns, cells, true_row, strict=True):
                    where = (kind, sheet.name, r, column)
                    person = column in sheet.person_columns
                    hidden = _check(cell, true_value, person, where, as_text=kind == "csv")
                    small = isinstance(true_value, int) and 0 < true_value < THRESHOLD
                    if person and small:
                        assert hidden, where  # a small count is never shown
                    assert not str(cell).startswith("<"), where  # no bound, true or false
    db.session.rollback()
