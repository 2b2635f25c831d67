"""A reorder request as a file for the supplier: CSV and .xlsx (pandas + openpyxl). Text cells
pass through the formula-injection guard (reports/safe_text.py)."""
import io

import pandas as pd
from openpyxl.styles import Font

from inventory.reorder.models import ReorderRequest
from reports.safe_text import csv_text

COLUMNS = ["Item code", "Item", "Unit", "Pack size", "Packs", "Units"]


def request_frame(request: ReorderRequest) -> pd.DataFrame:
    rows = [[csv_text(line.item.code), csv_text(line.item.name), csv_text(line.item.unit),
             line.item.pack_size, line.packs, line.units] for line in request.lines]
    return pd.DataFrame(rows, columns=COLUMNS)


def _heading(request: ReorderRequest) -> list[tuple[str, str]]:
    return [("Reorder request", str(request.id)),
            ("Deliver to", csv_text(f"{request.site.name} ({request.site.code})")),
            ("Status", request.status),
            ("Created", request.created_at.date().isoformat())]


def request_csv(request: ReorderRequest) -> str:
    out = io.StringIO()
    for label, value in _heading(request):
        out.write(f"{label},{value}\n" if "," not in value else f'{label},"{value}"\n')
    out.write("\n")
    request_frame(request).to_csv(out, index=False)
    return out.getvalue()


def request_xlsx(request: ReorderRequest) -> bytes:
    out = io.BytesIO()
    frame = request_frame(request)
    start = len(_heading(request)) + 1
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="Order", index=False, startrow=start)
        sheet = writer.sheets["Order"]
        for row, (label, value) in enumerate(_heading(request), start=1):
            sheet.cell(row=row, column=1, value=label).font = Font(bold=True)
            sheet.cell(row=row, column=2, value=value)
        for column, width in zip("ABCDEF", (18, 44, 10, 10, 8, 10)):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = sheet.cell(row=start + 2, column=1)
    return out.getvalue()
