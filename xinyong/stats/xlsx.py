"""One chart's figures as an XLSX workbook (openpyxl): the title, the period and
department it was filtered by, then the table the page shows (names, never codes). Text
cells are made formula-safe, as the CSV exports are."""

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font

from xinyong.core.exports import spreadsheet_safe
from xinyong.stats.schemas import Chart


def chart_xlsx(chart: Chart, *, period: str, department: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = re.sub(r"[][:*?/\\]", "", str(chart.title))[:31]  # what Excel allows
    ws.append([spreadsheet_safe(chart.title)])
    ws["A1"].font = Font(bold=True)
    ws.append([spreadsheet_safe(period)])
    ws.append([spreadsheet_safe(department)])
    ws.append([])
    ws.append([spreadsheet_safe(c) for c in chart.columns])
    for cell in ws[5]:
        cell.font = Font(bold=True)
    for row in chart.rows:
        ws.append([v if isinstance(v, (int, float)) or v is None else spreadsheet_safe(v)
                   for v in row])  # fmt: skip
    if chart.note:
        ws.append([])
        ws.append([spreadsheet_safe(chart.note)])
    for i, _c in enumerate(chart.columns):
        ws.column_dimensions[chr(ord("A") + i)].width = 20
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
