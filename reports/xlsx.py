"""Write a :class:`~reports.model.Report` to one ``.xlsx`` file with openpyxl.

Styled header row, frozen panes, number formats, column widths, a bold Total row, suppressed
cells right-aligned like numbers, footnotes under each table, flagged rows highlighted, native
Excel bar charts where a sheet asks for one, and print settings (:mod:`reports.xlsx_print`).
Text is always written as text: a name starting with ``=`` never becomes a formula.
"""
import math

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from reports.model import Report, Sheet
from reports.safe_text import looks_like_formula
from reports.xlsx_print import set_up_page

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
FONT = "Calibri"  # named, or LibreOffice falls back to a serif face for styled cells
HEADER_FONT = Font(name=FONT, bold=True, color="FFFFFF")
TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
FLAG_FILL = PatternFill("solid", fgColor="FCE4D6")
THIN = Side(style="thin", color="A6A6A6")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
DEFAULT_COUNT = "#,##0"
RATIO_FORMAT = "0.00"
MAX_WIDTH = 60
WIDE_COLUMNS = 10
ROTATED_HEADER_HEIGHT = 150
NOTES_WIDTHS = (40, 110)
# Chart size in cm: wide enough for the legend's names, tall enough for the axes' labels.
CHART_WIDTH, CHART_HEIGHT = 26, 13


def _cell_value(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _put(ws, row: int, column: int, value):
    """Write one cell; text stays text (openpyxl reads a leading '=' as a formula otherwise)."""
    cell = ws.cell(row=row, column=column, value=_cell_value(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if looks_like_formula(cell.value):
            cell.quotePrefix = True  # and LibreOffice / Excel keep it text when it is edited
    return cell


def _width(header: str, values, upright: bool = True) -> float:
    """A column wide enough for its values and, when the header is upright, its longest word."""
    longest = max([len(f"{v:,}" if isinstance(v, int) else str(v)) for v in values
                   if v is not None] + [0])
    if not upright:
        return min(MAX_WIDTH, max(7, longest + 2))
    head = max((len(w) for w in str(header).split()), default=0)
    return min(MAX_WIDTH, max(8, longest + 2, head + 2, min(len(str(header)), 24) + 2))


def _wide(sheet: Sheet) -> bool:
    """A sheet whose value columns get upright-turned headers so that it prints one page wide."""
    return len(sheet.frame.columns) - sheet.frozen_columns > WIDE_COLUMNS


def _row_height(texts_and_widths) -> float:
    """Points for a row of wrapped text: LibreOffice keeps the stored height when it opens the
    file, so wrapped lines would overlap the next row without it."""
    # A width unit is one '0'; ordinary text fits about 1.1 characters per unit.
    lines = max(math.ceil(len(str(t or "")) / (w * 1.1)) for t, w in texts_and_widths)
    return 15 * max(1, lines)


def _write_table(ws, sheet: Sheet) -> None:
    frame = sheet.frame
    columns = list(frame.columns)
    wide = _wide(sheet)
    for index, name in enumerate(columns, start=1):
        cell = _put(ws, 1, index, str(name))
        cell.fill, cell.font, cell.border = HEADER_FILL, HEADER_FONT, GRID
        turned = wide and index > sheet.frozen_columns
        cell.alignment = Alignment(wrap_text=True, vertical="bottom" if turned else "center",
                                   horizontal="center", text_rotation=90 if turned else 0)
    ws.row_dimensions[1].height = ROTATED_HEADER_HEIGHT if wide else 45
    flag_at = columns.index(sheet.flag_column) if sheet.flag_column in columns else None
    right = Alignment(horizontal="right")
    for row_number, row in enumerate(frame.itertuples(index=False), start=2):
        flagged = flag_at is not None and row[flag_at] not in (None, "") and \
            not (isinstance(row[flag_at], float) and math.isnan(row[flag_at]))
        for index, (name, value) in enumerate(zip(columns, row, strict=True), start=1):
            cell = _put(ws, row_number, index, value)
            cell.border = GRID
            if flagged:
                cell.fill = FLAG_FILL
            if isinstance(cell.value, bool):
                continue
            fmt = sheet.formats.get(name)
            if isinstance(cell.value, int):
                cell.number_format = fmt or DEFAULT_COUNT
            elif isinstance(cell.value, float):
                # A ratio in a column of counts (the Summary) keeps its decimals.
                cell.number_format = fmt if fmt and "." in fmt else RATIO_FORMAT
            elif name in sheet.person_columns and isinstance(cell.value, str):
                cell.alignment = right  # a suppressed count sits where the number would


def _set_widths(ws, sheet: Sheet) -> None:
    frame = sheet.frame
    if sheet.name == "Notes":
        for index, width in enumerate(NOTES_WIDTHS, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        for row in ws.iter_rows(min_row=2, max_col=len(NOTES_WIDTHS)):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
            ws.row_dimensions[row[0].row].height = _row_height(
                (cell.value, width) for cell, width in zip(row, NOTES_WIDTHS, strict=True))
        return
    wide = _wide(sheet)
    for index, column in enumerate(frame.columns, start=1):
        upright = not wide or index <= sheet.frozen_columns
        ws.column_dimensions[get_column_letter(index)].width = sheet.wrap_columns.get(
            column) or _width(column, frame[column].tolist() if len(frame) else [], upright)
    if sheet.wrap_columns:
        _wrap(ws, sheet)


def _wrap(ws, sheet: Sheet) -> None:
    """Wrap the long-text columns and make each row tall enough for its text."""
    columns = list(sheet.frame.columns)
    at = {columns.index(c) + 1: w for c, w in sheet.wrap_columns.items() if c in columns}
    for row in ws.iter_rows(min_row=2, max_row=len(sheet.frame) + 1):
        for cell in row:
            if cell.column in at:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row[0].row].height = _row_height(
            (row[c - 1].value, w) for c, w in at.items())


def _write_footnotes(ws, sheet: Sheet) -> int:
    """Footnotes one row below the table, unwrapped (they run across the columns to their right);
    returns the last row used."""
    row = ws.max_row
    for offset, text in enumerate(sheet.footnotes, start=2):
        cell = _put(ws, row + offset, 1, text)
        cell.font = Font(name=FONT, italic=True, size=9)
        row_used = row + offset
    return row_used if sheet.footnotes else row


def _write_sheet(ws, sheet: Sheet, report: Report) -> None:
    _write_table(ws, sheet)
    _set_widths(ws, sheet)
    if sheet.total_row and len(sheet.frame):
        for cell in ws[len(sheet.frame) + 1]:
            cell.font = Font(name=FONT, bold=True)
            cell.fill = TOTAL_FILL
    last_row = _write_footnotes(ws, sheet)
    ws.freeze_panes = ws.cell(row=2, column=sheet.frozen_columns + 1)
    ws.auto_filter.ref = None
    if sheet.chart is not None and sheet.chart.rows > 0:
        _add_chart(ws, sheet, last_row + 2)
    set_up_page(ws, sheet, report)


def _add_chart(ws, sheet: Sheet, anchor_row: int) -> None:
    spec = sheet.chart
    columns = list(sheet.frame.columns)
    chart = BarChart()
    chart.type = "col"
    chart.title = spec.title
    chart.y_axis.title = spec.y_title
    chart.x_axis.title = spec.category_column
    # openpyxl hides both axes by default (delete=True); a printed chart needs its scale.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.numFmt = DEFAULT_COUNT
    chart.legend.position = "b"
    if spec.stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    for name in spec.value_columns:
        col = columns.index(name) + 1
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=spec.rows + 1),
                       titles_from_data=True)
    cat_col = columns.index(spec.category_column) + 1
    chart.set_categories(Reference(ws, min_col=cat_col, min_row=2, max_row=spec.rows + 1))
    chart.height, chart.width = CHART_HEIGHT, CHART_WIDTH
    ws.add_chart(chart, f"A{anchor_row}")


def write_xlsx(report: Report, target) -> None:
    """Write ``report`` to ``target``: a path or a binary file object."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = report.title
    workbook.properties.creator = report.settings.program_name
    for sheet in report.sheets:
        _write_sheet(workbook.create_sheet(sheet.name), sheet, report)
    workbook.save(target)
