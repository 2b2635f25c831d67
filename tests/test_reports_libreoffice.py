"""The workbook opens in a real spreadsheet program: LibreOffice converts it to PDF.

Skipped only when ``soffice`` is missing and the environment variable CI is not "true"; on CI
(``.ci/run`` installs Debian's libreoffice-calc) a missing soffice is a failure.
"""
import os
import shutil
import subprocess

import pytest

from reports.periods import parse_quarter
from reports.xlsx import write_xlsx
from tests import report_golden_data as golden
from tests import report_factories as f


def _soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("soffice (libreoffice-calc) is required on CI but was not found")
        pytest.skip("soffice not installed (set CI=true to make this a failure)")
    return path


@pytest.mark.parametrize("template", ["funder", "naloxone"])
def test_libreoffice_converts_the_workbook_to_pdf(db, tmp_path, template):
    soffice = _soffice()
    golden.build()
    db.session.commit()
    report = f.run_report(template, parse_quarter("FY2027Q1", 7, golden.TZ))
    workbook = tmp_path / f"{template}.xlsx"
    write_xlsx(report, workbook)
    profile = tmp_path / "lo-profile"  # a private profile: no clash with another running soffice
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(workbook)],
        capture_output=True, text=True, timeout=180)
    pdf = tmp_path / f"{template}.pdf"
    assert result.returncode == 0, result.stderr
    assert pdf.exists(), (result.stdout, result.stderr)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000
