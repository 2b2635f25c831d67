"""Golden test: a hand-built dataset whose every figure is computed by hand
(tests/report_golden_data.py), compared cell by cell with the workbook read back with openpyxl
and with pandas.read_excel."""
import io
import zipfile
from datetime import UTC, datetime

import openpyxl
import pandas as pd
import pytest

from inventory.catalog.seed import STANDARD_ITEMS
from reports import queries
from reports.periods import parse_quarter
from reports.xlsx import write_xlsx
from reports.csvzip import write_csv_zip
from tests import report_factories as f
from tests import report_golden_data as golden

GENERATED = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
ITEM_NAMES = [name for _, name, *_ in STANDARD_ITEMS]


@pytest.fixture
def workbook_bytes(db):
    golden.build()
    db.session.commit()
    period = parse_quarter("FY2027Q1", 7, golden.TZ)
    report = f.run_report("funder", period, generated_at=GENERATED)
    buffer = io.BytesIO()
    write_xlsx(report, buffer)
    return buffer.getvalue()


def _rows(ws):
    """The table's body: the rows under the header, up to the blank row before the footnotes."""
    rows = []
    for row in ws.iter_rows(min_row=2, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(list(row))
    return rows


def _footnotes(ws) -> list[str]:
    return [ws.cell(row=r, column=1).value for r in range(len(_rows(ws)) + 3, ws.max_row + 1)
            if ws.cell(row=r, column=1).value]


FOOTNOTE = ("* hidden to protect privacy: counts of 1–2, and cells from which such a count "
            "could be worked out.")


def _same(actual, expected):
    if isinstance(expected, float):
        return actual == pytest.approx(expected, abs=1e-4)
    return actual == expected


def test_summary_by_site_and_by_month_cell_by_cell(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    assert wb.sheetnames == ["Summary", "By site", "By month", "Items", "Inventory",
                             "Demographics", "Activities", "Notes"]
    summary = wb["Summary"]
    assert [c.value for c in summary[1]] == ["Indicator", "Value"]
    assert [tuple(r) for r in _rows(summary)] == [
        (label, pytest.approx(v) if isinstance(v, float) else v)
        for label, v in golden.SUMMARY + golden.LINKAGE + golden.BREAKDOWN]

    by_site = wb["By site"]
    assert [c.value for c in by_site[1]] == ["Site", "Site name", *golden._LABELS,
                                             *golden.SITE_COLUMNS]
    for actual, expected in zip(_rows(by_site), golden.BY_SITE, strict=True):
        for column, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert _same(a, e), (actual[0], column, a, e)

    by_month = wb["By month"]
    header = [c.value for c in by_month[1]]
    assert header[:1 + len(golden._LABELS)] == ["Month", *golden._LABELS]
    assert header[-9:][0] == "Distributed: Syringes"
    for actual, expected in zip(_rows(by_month), golden.BY_MONTH, strict=True):
        for column, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert _same(a, e), (actual[0], header[column], a, e)


def test_items_inventory_and_demographics(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    items = wb["Items"]
    header = [c.value for c in items[1]]
    assert header == ["Site", "Site name", *ITEM_NAMES, "Total"]
    rows = {r[0]: dict(zip(header, r)) for r in _rows(items)}
    for site, expected in golden.ITEMS.items():
        for name in ITEM_NAMES:
            assert rows[site][name] == expected.get(name, 0), (site, name)
        assert rows[site]["Total"] == sum(expected.values())
    assert rows["Total"]["Total"] == 50 + 1 + 5 + 12 + 30 + 2 + 4 + 2 + 3

    inventory = [tuple(r[:2]) + tuple(r[3:]) for r in _rows(wb["Inventory"])]
    assert inventory == golden.INVENTORY

    demo = {(r[0], r[1]): r[2] for r in _rows(wb["Demographics"])}
    for key, value in demo.items():
        assert value == golden.DEMOGRAPHICS.get(key, 0), key
    # Every value of each characteristic plus "not recorded": 16 stored age values (12 bands,
    # 4 older ones), 7 genders (6 + 1), 10 races (9 + 1); NHBS: under 18, 5 bands, older band,
    # declined, not recorded.
    assert len(demo) == 17 + 7 + 10 + 9


def test_pandas_reads_the_same_figures(workbook_bytes):
    lengths = {"Summary": len(golden.SUMMARY + golden.LINKAGE + golden.BREAKDOWN), "By site": 3,
               "By month": 4,
               "Inventory": len(golden.INVENTORY)}
    sheets = {name: pd.read_excel(io.BytesIO(workbook_bytes), sheet_name=name,
                                  nrows=lengths.get(name))
              for name in ["Summary", "By site", "By month", "Inventory", "Notes"]}
    summary = sheets["Summary"]
    assert summary["Indicator"].tolist() == [
        label for label, _ in golden.SUMMARY + golden.LINKAGE + golden.BREAKDOWN]
    for (label, expected), actual in zip(golden.SUMMARY + golden.LINKAGE + golden.BREAKDOWN,
                                         summary["Value"].tolist(), strict=True):
        assert _same(actual, expected), label
    by_site = sheets["By site"].set_index("Site")
    assert by_site.loc["A", "Encounters"] == 4 and by_site.loc["B", "Encounters"] == 3
    assert by_site.loc["Total", "Syringes distributed"] == 80
    assert by_site.loc["A", "Unique participants"] == "*"
    by_month = sheets["By month"].set_index("Month")
    for row in golden.BY_MONTH:
        for column, expected in zip(by_month.columns, row[1:], strict=True):
            actual = by_month.loc[row[0], column]
            if expected is None:
                assert pd.isna(actual), (row[0], column)
            else:
                assert _same(actual, expected), (row[0], column, actual, expected)
    inventory = sheets["Inventory"]
    assert (inventory["Opening"] + inventory["Received"] + inventory["Transferred in"]
            - inventory["Transferred out"] - inventory["Distributed"] - inventory["Disposed"]
            + inventory["Adjusted / counted"] == inventory["Closing"]).all()
    notes = dict(zip(sheets["Notes"]["Field"], sheets["Notes"]["Value"]))
    assert notes["Period"] == "FY2027 Q1 (Jul–Sep 2026)"
    assert notes["Timezone"] == "America/New_York"
    assert notes["Generated at (UTC)"] == "2026-11-27T09:30:00+00:00"
    assert notes["Sites"] == "All sites"
    rule = notes["Suppression rule"]
    assert "from 1 to 2 are hidden and shown as *" in rule and "Secondary suppression" in rule
    assert "<3" not in rule
    assert notes["Hidden cells (*)"] == FOOTNOTE
    assert notes["Inventory: closing below zero"].startswith("A closing balance below zero")
    for label in golden._LABELS:
        assert f"Definition: {label}" in notes


def test_workbook_styling_and_chart(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    for ws in wb.worksheets:
        assert ws.freeze_panes is not None and ws.freeze_panes != "A1"
        assert ws["A1"].font.bold
    assert wb["By site"].freeze_panes == "C2"
    assert wb["By site"]["G2"].value == 50 and wb["By site"]["G2"].number_format == "#,##0"
    assert wb["By site"]["E2"].value == "*" and wb["By site"]["E2"].alignment.horizontal == "right"
    for name in ("Summary", "By site", "By month", "Demographics"):
        assert _footnotes(wb[name]) == [FOOTNOTE], name
    assert _footnotes(wb["Items"]) == [] and _footnotes(wb["Notes"]) == []
    inventory = wb["Inventory"]
    assert _footnotes(inventory) == [
        "Below zero: the ledger shows more handed out or moved away than was recorded as "
        "received; a stock count or a late receipt resolves it."]
    flagged = [r for r in range(2, 12) if inventory.cell(row=r, column=1).fill.fgColor.rgb
               == "00FCE4D6"]
    assert flagged == [5, 8, 9, 10, 11]  # the five rows of golden.INVENTORY below zero
    assert wb["Summary"]["B8"].number_format == "0.00"  # the return ratio
    assert wb["By month"]["A5"].value == "Total" and wb["By month"]["A5"].font.bold
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        charts = [n for n in archive.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        chart = archive.read(charts[0]).decode()
        drawing_rels = archive.read("xl/worksheets/_rels/sheet3.xml.rels").decode()
    assert "<barChart>" in chart and '<grouping val="stacked"' in chart
    assert chart.count("<ser>") == 9 and "'By month'!$A$2:$A$4" in chart
    assert "drawing" in drawing_rels  # the chart hangs off the third sheet, By month
    assert wb["Notes"].column_dimensions["B"].width == 110
    assert wb["Notes"]["B2"].alignment.wrap_text


def test_both_ways_of_finding_closing_stock_agree(db):
    golden.build()
    db.session.commit()
    period = parse_quarter("FY2027Q1", 7, golden.TZ)
    conn = db.session.connection()
    history = queries.closing_by_lot(conn, period, None, strategy="history")
    live = queries.closing_by_lot(conn, period, None, strategy="balances")
    key = ["site_id", "item_id", "lot_id"]
    history = history.sort_values(key).reset_index(drop=True)
    live = live[live["quantity"] != 0].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(history.astype("int64"), live.astype("int64"))


def test_site_filter_and_csv_zip(db):
    golden.build()
    db.session.commit()
    period = parse_quarter("FY2027Q1", 7, golden.TZ)
    site_b = db.session.execute(queries.SITE.select().where(queries.SITE.c.code == "B")).first()
    report = f.run_report("funder", period, [site_b.id], ["B"], generated_at=GENERATED)
    summary = dict(zip(report.sheet("Summary").frame["Indicator"],
                       report.sheet("Summary").frame["Value"]))
    # Only site B: 3 encounters, one a month -> the months are hidden, the total is not.
    assert summary["Encounters"] == 3 and summary["Syringes distributed"] == 30
    assert report.sheet("By month").frame["Encounters"].tolist() == ["*", "*", "*", 3]
    assert summary["New participants"] == "*"  # p0 was first seen in June, so only p3
    assert report.sheet("By site").frame["Site"].tolist() == ["B", "Total"]
    buffer = io.BytesIO()
    write_csv_zip(report, buffer)
    with zipfile.ZipFile(buffer) as archive:
        names = archive.namelist()
        assert names == ["summary.csv", "by-site.csv", "by-month.csv", "items.csv",
                         "inventory.csv", "demographics.csv", "activities.csv", "notes.csv"]
        summary_csv = pd.read_csv(io.BytesIO(archive.read("summary.csv")), encoding="utf-8-sig")
    assert summary_csv["Value"].tolist()[:3] == ["3", "*", "*"]
