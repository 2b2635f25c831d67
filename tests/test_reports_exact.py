"""Exact counts for a regulator: admins only (403 for everyone else, page, downloads and the
command), every use in the audit log, the marking on every printed page (openpyxl and the text
of LibreOffice's PDF), nothing hidden."""
import io
import re
import subprocess

import openpyxl
import pytest
from sqlalchemy import select

from inventory.audit.models import AuditEntry
from tests import report_factories as f
from tests.api_helpers import fast_user
from tests.test_reports_print import _page_text, convert
from tests.test_reports_web_cli import data  # noqa: F401  (the fixture: 13 handouts, 2 sites)

NAME = "Utah DHHS & Partners"
MARK = f"Exact counts for {NAME} — not for publication"
QUERY = "period=quarter&quarter=FY2027Q1&exact_for=Utah+DHHS+%26+Partners"


def _audits():
    return f.db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "exact_counts").order_by(AuditEntry.id)).all()


def _workbook(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return openpyxl.load_workbook(io.BytesIO(response.data))


@pytest.mark.parametrize("role", ["reporter", "coordinator", "staff"])
def test_refused_to_everyone_but_admins(client, login_as, data, role):  # noqa: F811
    login_as(role, sites=["A"] if role == "staff" else ())
    for url in (f"/reports/?{QUERY}", "/reports/?exact_for=X", f"/reports/download.xlsx?{QUERY}",
                f"/reports/download.zip?{QUERY}"):
        assert client.get(url).status_code == 403, url
    assert _audits() == []


def test_admin_download_is_exact_marked_and_audited(client, login_as, data):  # noqa: F811
    admin = login_as("admin")
    f.settings("America/New_York", threshold=20)  # 12 July encounters at A would be hidden
    f.db.session.commit()
    suppressed = _workbook(client.get("/reports/download.xlsx?period=quarter&quarter=FY2027Q1"))
    assert suppressed["By site"]["C2"].value == "*"
    assert _audits() == []

    response = client.get(f"/reports/download.xlsx?{QUERY}")
    assert "-exact.xlsx" in response.headers["Content-Disposition"]
    wb = _workbook(response)
    assert wb["Summary"]["B2"].value == 12 + 1
    assert wb["By site"]["C2"].value == 12 and wb["By site"]["C3"].value == 1
    for ws in wb.worksheets:
        assert ws.oddHeader.left.text == MARK.replace("&", "&&"), ws.title
        assert ws.oddFooter.left.text == f"{ws.title} · {MARK}".replace("&", "&&"), ws.title
        assert ws.oddFooter.center.text == "Page &P of &N"
        for row in ws.iter_rows(values_only=True):
            assert "*" not in row, (ws.title, row)
    notes = {r[0]: r[1] for r in wb["Notes"].iter_rows(min_row=2, values_only=True)}
    assert notes["Suppression"] == f"None: {MARK}"
    assert "Suppression threshold" not in notes
    [entry] = _audits()
    assert entry.user_id == admin.id and entry.entity == "report"
    assert entry.details["recipient"] == NAME and entry.details["output"] == "xlsx"
    assert entry.details["period"] == "FY2027 Q1 (Jul–Sep 2026)"

    page = client.get(f"/reports/?{QUERY}")
    assert page.status_code == 200 and MARK.replace("&", "&amp;") in page.get_data(as_text=True)
    assert [e.details["output"] for e in _audits()] == ["xlsx", "preview"]
    assert client.get(f"/reports/download.zip?{QUERY}").status_code == 422
    for bad in ("%00", "", "x" * 81):
        response = client.get(f"/reports/download.xlsx?period=quarter&quarter=FY2027Q1"
                              f"&exact_for={bad}")
        assert response.status_code in ((200,) if bad == "" else (422,)), bad
    assert len(_audits()) == 2


def test_cli_needs_an_admin_and_audits(app, data, tmp_path):  # noqa: F811
    runner = app.test_cli_runner()
    out = tmp_path / "exact.xlsx"
    base = ["report", "--quarter", "FY2027Q1", "--out", str(out), "--exact-for", NAME]
    reporter = fast_user("reporter")
    admin = fast_user("admin")
    for extra in ([], ["--admin", reporter.email], ["--admin", "nobody@example.org"]):
        result = runner.invoke(args=base + extra)
        assert result.exit_code == 2 and "needs --admin" in result.output, result.output
    assert _audits() == [] and not out.exists()
    result = runner.invoke(args=base + ["--admin", admin.email])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert all(ws.oddHeader.left.text == MARK.replace("&", "&&") for ws in wb.worksheets)
    [entry] = _audits()
    assert entry.user_id == admin.id and entry.details["output"] == "cli"
    result = runner.invoke(args=base[:-2] + ["--admin", admin.email])
    assert result.exit_code == 2 and "--admin goes with --exact-for" in result.output


def test_every_printed_page_says_exact_counts(db, tmp_path):
    from tests import report_golden_data as golden
    from reports.periods import parse_quarter
    from reports.xlsx import write_xlsx

    golden.build()
    db.session.commit()
    report = f.run_report("funder", parse_quarter("FY2027Q1", 7, golden.TZ), exact_for=NAME)
    workbook = tmp_path / "exact.xlsx"
    write_xlsx(report, workbook)
    convert(workbook, tmp_path)
    pdf = tmp_path / "exact.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    count = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    assert count >= len(report.sheets)
    for number in range(1, count + 1):
        # pdftotext may break a long line; the words are on every page at least twice: the
        # header and the footer (a page that ends a table also has the footnote).
        text = " ".join(_page_text(pdf, number).split())
        assert f"Page {number} of {count}" in text
        assert text.count("Exact counts for Utah DHHS & Partners") >= 2, (number, text[:400])
        assert text.count("not for publication") >= 2, number
