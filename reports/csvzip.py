"""Every sheet of a report as a CSV file, zipped."""
import io
import re
import zipfile

from reports.model import Report


def _filename(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".csv"


def write_csv_zip(report: Report, target) -> None:
    """Write ``report`` to ``target`` (a path or a binary file object) as a zip of CSV files."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet in report.sheets:
            buffer = io.StringIO()
            sheet.frame.to_csv(buffer, index=False)
            archive.writestr(_filename(sheet.name), buffer.getvalue().encode("utf-8-sig"))
