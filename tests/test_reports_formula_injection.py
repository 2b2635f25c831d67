"""Names typed by an admin never become live formulas: in the workbook they are string cells (with
the quote prefix), in the CSV zip they start with a single quote (OWASP), and LibreOffice opening
either file keeps them as text - no formula, no hyperlink."""
import csv
import io
import zipfile
from datetime import UTC, datetime

import openpyxl
import pytest

from inventory.catalog.models import Item, Site
from inventory.extensions import db as _db
from inventory.settings.models import ProgramSettings
from reports.csvzip import write_csv_zip
from reports.periods import parse_quarter
from reports.safe_text import csv_text, looks_like_formula
from reports.xlsx import write_xlsx
from tests import report_factories as f
from tests import report_golden_data as golden
from tests.test_reports_print import convert

HYPERLINK = '=HYPERLINK("http://x","y")'
NAMES = {  # where the name goes -> the name
    ("site", "A"): HYPERLINK, ("site", "B"): "@SUM(A1)",
    ("item", "SYR-1ML-28G"): "+1", ("item", "FTS"): "-1", ("item", "XTS"): "\tTab strip",
    ("item", "CONDOM-EXT"): "\rCR condom", ("program", None): "=1+2",
}


def _rename():
    for (kind, code), name in NAMES.items():
        if kind == "site":
            _db.session.query(Site).filter_by(code=code).one().name = name
        elif kind == "item":
            _db.session.query(Item).filter_by(code=code).one().name = name
        else:
            _db.session.query(ProgramSettings).one().program_name = name


@pytest.fixture
def report(db):
    golden.build()
    _rename()
    db.session.commit()
    return f.run_report("funder", parse_quarter("FY2027Q1", 7, golden.TZ),
                        generated_at=datetime(2026, 11, 27, 9, 30, tzinfo=UTC))


def test_the_risky_starts_are_those_owasp_lists():
    for text in ("=1", "+1", "-1", "@A1", "\t=1", "\r=1"):
        assert looks_like_formula(text) and csv_text(text) == "'" + text
    for value in ("Site A", "1 mL", "", 5, -80, None, 0.5):
        assert not looks_like_formula(value) and csv_text(value) == value


def _text_cells(wb) -> dict[str, list]:
    found = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    found.setdefault(cell.value, []).append(cell)
        assert not ws._hyperlinks, ws.title
    return found


def test_workbook_writes_every_name_as_a_string_cell(report, tmp_path):
    path = tmp_path / "funder.xlsx"
    write_xlsx(report, path)
    cells = _text_cells(openpyxl.load_workbook(path))
    for name in NAMES.values():
        name = name.replace("\r", "\n")  # XML reads a carriage return back as a line feed
        assert name in cells, name
        assert all(c.data_type == "s" and c.quotePrefix for c in cells[name]), name
    # Site A's name in By site and Items, the item names as Items headers and Inventory rows.
    assert len(cells[HYPERLINK]) == 2 and len(cells["+1"]) >= 3
    # The raw XML holds no formula element at all.
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.startswith("xl/worksheets/sheet"):
                assert "<f>" not in archive.read(member).decode(), member


def test_csv_zip_prefixes_risky_text_with_a_quote(report):
    buffer = io.BytesIO()
    write_csv_zip(report, buffer)
    with zipfile.ZipFile(buffer) as archive:
        by_site = list(csv.reader(io.StringIO(archive.read("by-site.csv").decode("utf-8-sig"))))
        items = list(csv.reader(io.StringIO(archive.read("items.csv").decode("utf-8-sig"),
                                            newline="")))
        notes = dict(csv.reader(io.StringIO(archive.read("notes.csv").decode("utf-8-sig"))))
    assert [r[1] for r in by_site[1:3]] == ["'" + HYPERLINK, "'@SUM(A1)"]
    assert "'+1" in items[0] and "'-1" in items[0] and "'\tTab strip" in items[0]
    assert "'\rCR condom" in items[0]
    assert notes["Program"] == "'=1+2"
    assert by_site[-1][2] == "7" and by_site[1][0] == "A"  # figures and codes as they were


def test_libreoffice_keeps_the_names_as_text(report, tmp_path):
    """LibreOffice re-saves the workbook and imports by-site.csv: still no formula or link."""
    write_xlsx(report, tmp_path / "funder.xlsx")
    buffer = io.BytesIO()
    write_csv_zip(report, buffer)
    with zipfile.ZipFile(buffer) as archive:
        (tmp_path / "by-site.csv").write_bytes(archive.read("by-site.csv"))
    out = tmp_path / "out"
    out.mkdir()
    convert(tmp_path / "funder.xlsx", out, to="xlsx")
    resaved = _text_cells(openpyxl.load_workbook(out / "funder.xlsx"))
    assert HYPERLINK in resaved and "@SUM(A1)" in resaved and "+1" in resaved
    assert "-1" in resaved and "=1+2" in resaved
    convert(tmp_path / "by-site.csv", out, to="xlsx")
    imported = _text_cells(openpyxl.load_workbook(out / "by-site.xlsx"))
    site_names = [v for v in imported if "HYPERLINK" in v or "SUM(A1)" in v]
    assert len(site_names) == 2, imported.keys()  # text, whether or not the quote is kept
