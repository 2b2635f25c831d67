"""Every sheet of a report as a CSV file, zipped.

Text that a spreadsheet program could read as a formula gets a leading single quote
(:func:`reports.safe_text.csv_text`); hidden counts show the same mark as the workbook.
"""
import io
import re
import zipfile

import pandas as pd

from reports.model import Report
from reports.safe_text import csv_text


def _filename(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".csv"


def write_csv_zip(report: Report, target) -> None:
    """Write ``report`` to ``target`` (a path or a binary file object) as a zip of CSV files."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet in report.sheets:
            # Cell by cell into an object frame: DataFrame.map would re-infer a column of ints
            # and blanks as floats (0 written as 0.0).
            frame = pd.DataFrame([[csv_text(v) for v in row]
                                  for row in sheet.frame.itertuples(index=False)],
                                 columns=[csv_text(str(c)) for c in sheet.frame.columns],
                                 dtype=object)
            buffer = io.StringIO()
            # CRLF, as RFC 4180 has it: a field holding a carriage return is then quoted too.
            frame.to_csv(buffer, index=False, lineterminator="\r\n")
            archive.writestr(_filename(sheet.name), buffer.getvalue().encode("utf-8-sig"))
