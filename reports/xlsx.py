"""Write a :class:`~reports.model.Report` to one ``.xlsx`` file with openpyxl.

Styled header row, frozen panes, number formats, column widths, a bold Total row, suppressed
cells right-aligned like numbers, and native Excel bar charts where a sheet asks for one.
"""
import math

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from reports.model import Report, Sheet

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")
DEFAULT_COUNT = "#,##0"
RATIO_FORMAT = "0.00"
MAX_WIDTH = 60


def _cell_value(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    return value


def _width(header: str, values) -> float:
    longest = max([len(str(v)) for v in values if v is not None] + [0])
    head = max((len(w) for w in str(header).split()), default=0)
    return min(MAX_WIDTH, max(8, longest + 2, head + 2, min(len(str(header)), 24) + 2))


def _write_sheet(ws, sheet: Sheet) -> None:
    frame = sheet.frame
    columns = list(frame.columns)
    ws.append([str(c) for c in columns])
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.row_dimensions[1].height = 45
    for row in frame.itertuples(index=False):
        ws.append([_cell_value(v) for v in row])

    right = Alignment(horizontal="right")
    for index, column in enumerate(columns, start=1):
        fmt = sheet.formats.get(column)
        person = column in sheet.person_columns
        for (cell,) in ws.iter_rows(min_row=2, min_col=index, max_col=index):
            if isinstance(cell.value, bool):
                continue
            if isinstance(cell.value, int):
                cell.number_format = fmt or DEFAULT_COUNT
            elif isinstance(cell.value, float):
                # A ratio in a column of counts (the Summary) keeps its decimals.
                cell.number_format = fmt if fmt and "." in fmt else RATIO_FORMAT
            elif person and isinstance(cell.value, str):
                cell.alignment = right  # a suppressed count sits where the number would
        letter = get_column_letter(index)
        if sheet.name == "Notes" and index == 2:
            ws.column_dimensions[letter].width = 100
            for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        else:
            ws.column_dimensions[letter].width = _width(column, frame[column].tolist()
                                                        if len(frame) else [])

    if sheet.total_row and len(frame):
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
            cell.fill = TOTAL_FILL
            cell.border = Border(top=THIN)
    ws.freeze_panes = ws.cell(row=2, column=sheet.frozen_columns + 1)
    ws.auto_filter.ref = None
    if sheet.chart is not None and sheet.chart.rows > 0:
        _add_chart(ws, sheet)


def _add_chart(ws, sheet: Sheet) -> None:
    spec = sheet.chart
    columns = list(sheet.frame.columns)
    chart = BarChart()
    chart.type = "col"
    chart.title = spec.title
    chart.y_axis.title = spec.y_title
    chart.x_axis.title = spec.category_column
    if spec.stacked:
        chart.grouping = "stacked"
        chart.overlap = 100
    for name in spec.value_columns:
        col = columns.index(name) + 1
        chart.add_data(Reference(ws, min_col=col, min_row=1, max_row=spec.rows + 1),
                       titles_from_data=True)
    cat_col = columns.index(spec.category_column) + 1
    chart.set_categories(Reference(ws, min_col=cat_col, min_row=2, max_row=spec.rows + 1))
    chart.height, chart.width = 9, 22
    ws.add_chart(chart, f"A{ws.max_row + 3}")


def write_xlsx(report: Report, target) -> None:
    """Write ``report`` to ``target``: a path or a binary file object."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = report.title
    workbook.properties.creator = report.settings.program_name
    for sheet in report.sheets:
        _write_sheet(workbook.create_sheet(sheet.name), sheet)
    workbook.save(target)
