"""What the CSV and XLSX files share: Dutch wall-clock times, safe text cells, the header row.

Every row of every sheet goes through ``sheet_row`` and every CSV through ``csv_bytes``: the one
writer that keeps a cell a user typed from ever starting a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill

from imv.clock import AMSTERDAM

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="154273")


def local(moment: datetime) -> datetime:
    """A moment as Dutch wall-clock time without tzinfo (Excel and readers of a CSV know no zones)."""
    return moment.astimezone(AMSTERDAM).replace(tzinfo=None)


def text_cell(value: object) -> str:
    """A cell as text; one starting like a formula is quoted, so a spreadsheet never runs it."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}"
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def cell_value(value: object) -> object:
    """An XLSX cell: numbers and dates as themselves (Excel can count and sort them), all else as safe text."""
    if value is None or isinstance(value, (bool, int, float, datetime, date)):
        return value
    return text_cell(value)


def sheet_row(sheet: Any, values: Iterable[object]) -> None:
    """Append one row to an openpyxl sheet, every cell through ``cell_value``."""
    sheet.append([cell_value(value) for value in values])


def csv_bytes(header: Sequence[str], records: Iterable[Sequence[object]]) -> bytes:
    """CSV for Dutch Excel: UTF-8 with BOM, semicolons (its list separator); formula-like cells quoted."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([text_cell(h) for h in header])
    for record in records:
        writer.writerow([text_cell(value) for value in record])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def header_style(cells: Any, *, wrap: bool = True) -> None:
    """White bold text on the portal's blue, as in every sheet's first row."""
    for cell in cells:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        if wrap:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
