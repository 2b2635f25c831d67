"""How the workbook prints: page setup read back with openpyxl, and the seed-demo quarter's
workbook converted to PDF by LibreOffice headless, its pages counted and the first page of each
sheet rendered to PNG with pdftoppm (kept under artifacts/workbook/ for a person to look at).

LibreOffice and poppler-utils are required on CI (CI=true): missing there is a failure.
"""
import io
import os
import re
import shutil
import subprocess
from datetime import UTC, datetime

import openpyxl
import pytest

from inventory.demo import seed_demo
from inventory.reporting import services
from reports.periods import parse_quarter
from reports.xlsx import write_xlsx
from tests import report_factories as f
from tests import report_golden_data as golden
from tests.browser.conftest import artifact_path

GENERATED = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)
MAX_DEMO_PAGES = 20


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required on CI but was not found")
        pytest.skip(f"{name} not installed (set CI=true to make this a failure)")
    return path


def soffice() -> str:
    return _tool("soffice")


def convert(workbook, outdir, to: str = "pdf") -> None:
    """LibreOffice headless, with a private profile (no clash with another running soffice)."""
    profile = outdir / "lo-profile"
    result = subprocess.run(
        [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", to, "--outdir", str(outdir), str(workbook)],
        capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr


def _golden_workbook(db, template="funder"):
    golden.build()
    db.session.commit()
    report = f.run_report(template, parse_quarter("FY2027Q1", 7, golden.TZ),
                          generated_at=GENERATED)
    buffer = io.BytesIO()
    write_xlsx(report, buffer)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


@pytest.mark.parametrize("template", ["funder", "naloxone"])
def test_every_sheet_prints_landscape_one_page_wide_with_titles_header_and_footer(db, template):
    wb = _golden_workbook(db, template)
    frozen = {"By site": "B", "Items": "B", "Inventory": "C", "Demographics": "B",
              "Site x month": "B"}
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert setup.fitToWidth == 1, ws.title
        assert setup.fitToHeight == (1 if ws.title == "Summary" else 0), ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.print_title_cols == f"$A:${frozen.get(ws.title, 'A')}", ws.title
        label = "Funder workbook" if template == "funder" else "Naloxone report"
        assert ws.oddHeader.center.text == f"Test Program · {label} · FY2027 Q1 (Jul–Sep 2026)"
        assert ws.oddFooter.center.text == "Page &P of &N"
        # 09:30 UTC on 27 November is 04:30 in New York (EST, UTC-5).
        assert ws.oddFooter.right.text == "Generated 2026-11-27 04:30 America/New_York"
        assert ws.oddFooter.left.text == ws.title
    if template == "funder":
        notes = wb["Notes"]
        assert notes.column_dimensions["B"].width >= 100
        assert all(notes.cell(row=r, column=2).alignment.wrap_text
                   for r in range(2, notes.max_row + 1))
        anchor = wb["By month"]._charts[0].anchor._from
        assert anchor.col == 0 and anchor.row > 5  # column A, below the table and footnote


def test_an_ampersand_in_the_program_name_prints_as_itself(db):
    f.settings(golden.TZ, threshold=3).program_name = "Harm & Hope"
    wb = _golden_workbook(db)
    assert wb["Summary"].oddHeader.center.text.startswith("Harm && Hope · ")


def _page_text(pdf, number: int) -> str:
    return subprocess.run([_tool("pdftotext"), "-layout", "-f", str(number), "-l", str(number),
                           str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def _pages_by_sheet(pdf, sheet_names) -> dict[str, list[int]]:
    """PDF page numbers per sheet, from the footer's sheet name at the start of a text line."""
    pdfinfo = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True,
                             check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", pdfinfo, re.M).group(1))
    pages: dict[str, list[int]] = {name: [] for name in sheet_names}
    for number in range(1, count + 1):
        text = _page_text(pdf, number)
        footer = [line.strip() for line in text.splitlines() if "Page " in line][-1]
        name = next(n for n in sorted(sheet_names, key=len, reverse=True)
                    if footer.startswith(n))
        pages[name].append(number)
    assert sum(len(p) for p in pages.values()) == count
    return pages


def test_seed_demo_quarter_prints_in_at_most_twenty_pages(app, db, tmp_path):
    soffice()
    seed_demo(5000, password="demo-password-1", echo=lambda _m: None)
    db.session.commit()
    settings = services.settings()
    quarter = services.recent_quarters(settings)[1]  # the last complete quarter
    report = services.make_report(services.ReportRequest(quarter=quarter.code))
    db.session.rollback()
    workbook = tmp_path / "funder.xlsx"
    write_xlsx(report, workbook)
    convert(workbook, tmp_path)
    pdf = tmp_path / "funder.pdf"
    shutil.copy(pdf, artifact_path("workbook", "seed-demo-funder.pdf"))

    names = [s.name for s in report.sheets]
    assert len(report.sheet("By site").frame) == 8  # 7 sites and the Total row
    pages = _pages_by_sheet(pdf, names)
    total = sum(len(p) for p in pages.values())
    assert total <= MAX_DEMO_PAGES, pages
    assert pages["Summary"] == [1] and all(pages[n] for n in names), pages
    for name in names:  # every page repeats the header row and names its rows
        first_column = str(report.sheet(name).frame.columns[0])
        for number in pages[name]:
            text = _page_text(pdf, number)
            assert first_column in text and "Riverside Harm Reduction Program" in text, number
    inventory = [_page_text(pdf, n) for n in pages["Inventory"]]
    assert len(inventory) > 1 and all("Item code" in t for t in inventory)
    for index, name in enumerate(names, start=1):
        first = pages[name][0]
        stem = artifact_path("workbook", f"{index}-{name.lower().replace(' ', '-')}")
        subprocess.run([_tool("pdftoppm"), "-png", "-r", "70", "-f", str(first), "-l",
                        str(first), "-singlefile", str(pdf), str(stem)], check=True)
        assert stem.with_suffix(".png").stat().st_size > 5000
