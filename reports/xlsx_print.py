"""Page setup of every sheet: how the workbook prints.

Landscape, one page wide (any number tall; the Summary on one page), the header row and the
name column(s) repeated on every page, a header naming program, report and period, and a footer
"Page X of Y" with the generated-at time.
"""
from zoneinfo import ZoneInfo

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from reports.exact import marking
from reports.model import Report, Sheet


def _header_text(text: str) -> str:
    """Literal text for a header or footer: '&' starts a code there, so it is doubled."""
    return text.replace("&", "&&")


def header_line(report: Report) -> str:
    return f"{report.settings.program_name} · {report.template_label} · {report.period.label}"


def generated_line(report: Report) -> str:
    local = report.generated_at.astimezone(ZoneInfo(report.settings.timezone))
    return f"Generated {local:%Y-%m-%d %H:%M} {report.settings.timezone}"


def set_up_page(ws, sheet: Sheet, report: Report) -> None:
    """Apply the print settings to ``ws``, which holds ``sheet``."""
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if sheet.name == "Summary" else 0  # 0: as many as needed
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.75, bottom=0.75, header=0.3,
                                  footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = "1:1"
    ws.print_title_cols = f"A:{get_column_letter(max(1, sheet.frozen_columns))}"
    ws.oddHeader.center.text = _header_text(header_line(report))
    ws.oddHeader.center.size = 10
    ws.oddFooter.left.text = _header_text(sheet.name)
    if report.exact_for:
        # Every printed page says who the exact counts are for (header and footer).
        ws.oddHeader.left.text = _header_text(marking(report.exact_for))
        ws.oddHeader.left.size = 10
        ws.oddHeader.left.font = "Calibri,Bold"
        ws.oddFooter.left.text = _header_text(f"{sheet.name} · {marking(report.exact_for)}")
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddFooter.right.text = _header_text(generated_line(report))
    for part in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right):
        part.size = 9
