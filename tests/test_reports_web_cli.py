"""The reports page (who may see it, preview, downloads) and the ``report`` command."""
import io
import zipfile
from datetime import UTC, datetime

import openpyxl
import pytest

from tests import report_factories as f


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def data(db):
    f.settings("America/New_York")
    for day in range(1, 13):
        f.handout("A", utc(2026, 7, day, 16), {"SYR-1ML-28G": 10, "NARCAN-4MG": 1})
    f.handout("B", utc(2026, 8, 3, 16), {"FTS": 5})
    db.session.commit()


def test_anonymous_goes_to_login_and_staff_is_refused(client, login_as, data):
    response = client.get("/reports/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get("/reports/download.xlsx?period=quarter&quarter=FY2027Q1").status_code == 302
    login_as("staff", sites=["A"])
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/download.xlsx?period=quarter&quarter=FY2027Q1").status_code == 403
    assert client.get("/reports/download.zip?period=quarter&quarter=FY2027Q1").status_code == 403


@pytest.mark.parametrize("role", ["reporter", "coordinator", "admin"])
def test_preview_table_and_chart(client, login_as, data, role):
    login_as(role)
    page = client.get("/reports/")
    assert page.status_code == 200 and b'name="quarter"' in page.data
    page = client.get("/reports/?period=quarter&quarter=FY2027Q1&template=funder")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "FY2027 Q1 (Jul–Sep 2026)" in html
    assert "<td>Encounters</td><td class=\"num\">13</td>" in html
    assert "<td>Syringes distributed</td><td class=\"num\">120</td>" in html
    assert "<svg" in html and "<rect" in html and "2026-07 · Distributed: Syringes: 120" in html
    assert "download.xlsx?period=quarter&amp;quarter=FY2027Q1" in html
    assert "cdn" not in html.lower() and "<script src=\"http" not in html


def test_site_filter_month_and_errors(client, login_as, data):
    login_as("reporter")
    html = client.get("/reports/?period=month&month=2026-08&site=B").get_data(as_text=True)
    assert "Aug 2026" in html and "Sites: B" in html
    assert "<td>Fentanyl test strips distributed</td><td class=\"num\">5</td>" in html
    bad = client.get("/reports/?period=month&month=2026-13")
    assert bad.status_code == 422 and "Month must be 1-12" in bad.get_data(as_text=True)
    bad = client.get("/reports/?period=range&from=2026-08-01")
    assert bad.status_code == 422 and "Give both" in bad.get_data(as_text=True)
    bad = client.get("/reports/?period=quarter&quarter=FY2027Q1&site=NOPE")
    assert bad.status_code == 422 and "Unknown site code(s): NOPE" in bad.get_data(as_text=True)


def test_downloads(client, login_as, data):
    login_as("coordinator")
    xlsx = client.get("/reports/download.xlsx?period=range&from=2026-07-01&to=2026-09-30")
    assert xlsx.status_code == 200
    assert xlsx.mimetype.endswith("spreadsheetml.sheet")
    assert "funder-2026-07-01-to-2026-09-30.xlsx" in xlsx.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    assert wb["Summary"]["B2"].value == 13
    zipped = client.get("/reports/download.zip?period=quarter&quarter=FY2027Q1&template=naloxone")
    assert zipped.status_code == 200 and zipped.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(zipped.data)) as archive:
        assert "summary.csv" in archive.namelist() and "site-x-month.csv" in archive.namelist()
        assert "Naloxone kits distributed,12" in archive.read("summary.csv").decode("utf-8-sig")


def test_cli_report(app, data, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "q1.xlsx"
    result = runner.invoke(args=["report", "--quarter", "FY2027Q1", "--site", "A", "--site", "B",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Aggregating FY2027 Q1 (Jul–Sep 2026) in SQL" in result.output
    assert "Writing 7 sheets" in result.output and str(out) in result.output
    wb = openpyxl.load_workbook(out)
    assert wb["Summary"]["B2"].value == 13
    notes = {r[0]: r[1] for r in wb["Notes"].iter_rows(min_row=2, values_only=True)}
    assert notes["Sites"] == "A, B"

    out = tmp_path / "july.xlsx"
    result = runner.invoke(args=["report", "--from", "2026-07-01", "--to", "2026-07-31",
                                 "--template", "naloxone", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(out)["Summary"]["B2"].value == 12

    for bad, message in [
        (["--quarter", "FY2027Q1", "--from", "2026-07-01", "--to", "2026-07-02"], "either"),
        (["--from", "2026-07-01"], "--from and --to go together"),
        (["--quarter", "Q1"], "is not like FY2027Q1"),
        (["--quarter", "FY2027Q1", "--site", "ZZ"], "Unknown site code(s): ZZ"),
    ]:
        result = runner.invoke(args=["report", *bad, "--out", str(tmp_path / "x.xlsx")])
        assert result.exit_code == 2 and message in result.output, (bad, result.output)
