"""Excel (.xlsx) export: sheets ``Summary``, ``Activities`` and ``Lots`` (openpyxl).

Every text cell that may hold user input goes through :func:`rows.excel_text` and is forced
to the string data type, so a lot id like ``=cmd|' /C calc'!A0`` is stored as the text
``'=cmd|' /C calc'!A0`` and never as a formula; ``001`` stays the text ``001``.

Times are Excel date-times (rounded to the second, shown ``yyyy-mm-dd hh:mm:ss`` like
``rows.TIME_FORMAT``); their headings and the Summary name the plant zone.
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scheduler_core.filling.model import ScheduleResult
from scheduler_core.reports.rows import (
    activity_rows,
    config_items,
    input_items,
    kpi_items,
    lot_rows,
    round_seconds,
    summary_items,
    zone_heading,
)
from scheduler_core.reports.text import excel_text
from scheduler_core.zones import DEFAULT_ZONE

#: ``rows.TIME_FORMAT`` in Excel's notation.
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
HOURS_FORMAT = "0.00"
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="305496")
_SECTION_FONT = Font(bold=True, size=12)
#: A late lot's lateness (red, as the web Gantt's outline).
_LATE_FONT = Font(bold=True, color="C00000")


def to_excel(result: ScheduleResult, *, title: str | None = None, time_zone: str = DEFAULT_ZONE) -> bytes:
    """The schedule as an .xlsx workbook (bytes). ``title`` (optional, any text) is shown on
    the Summary sheet; ``time_zone`` (IANA name) is the plant zone its times are in."""
    wb = Workbook()
    summary = wb.active
    summary.title = "Summary"
    _summary_sheet(summary, result, title, time_zone)
    _activities_sheet(wb.create_sheet("Activities"), result, time_zone)
    _lots_sheet(wb.create_sheet("Lots"), result, time_zone)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------------------ cells

def _put(ws: Worksheet, row: int, col: int, value: Any, number_format: str | None = None):
    """Write one cell. Text is sanitised and forced to string type; numbers, booleans and
    datetimes are written natively."""
    cell = ws.cell(row=row, column=col)
    if value is None:
        return cell
    if isinstance(value, str):
        cell.value = excel_text(value)
        cell.data_type = "s"  # never a formula, whatever openpyxl would guess
    elif isinstance(value, datetime):
        cell.value = round_seconds(value)  # the second every other format shows
    elif isinstance(value, bool | int | float):
        cell.value = value
    else:
        cell.value = excel_text(str(value))
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def _header(ws: Worksheet, row: int, names: list[str]) -> None:
    for col, name in enumerate(names, start=1):
        cell = _put(ws, row, col, name)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")


def _widths(ws: Worksheet, widths: dict[int, float]) -> None:
    for col, width in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width


def _text_width(values: list[Any], header: str, lo: float = 8, hi: float = 40) -> float:
    longest = max([len(header)] + [len(str(v)) for v in values[:2000] if v is not None])
    return float(min(hi, max(lo, longest + 2)))


# ------------------------------------------------------------------------------ sheets

def _summary_sheet(ws: Worksheet, result: ScheduleResult, title: str | None, time_zone: str) -> None:
    row = 1
    head = _put(ws, row, 1, title if title else "Filling schedule")
    head.font = Font(bold=True, size=14)
    row += 2

    def section(name: str) -> None:
        nonlocal row
        _put(ws, row, 1, name).font = _SECTION_FONT
        row += 1

    section("Schedule")
    for label, value in summary_items(result):
        _put(ws, row, 1, label)
        fmt = DATETIME_FORMAT if isinstance(value, datetime) else None
        _put(ws, row, 2, value, fmt)
        row += 1
    _put(ws, row, 1, "Time zone")
    _put(ws, row, 2, f"{time_zone} (every time in this workbook is plant time there)")
    row += 2

    section("KPIs")
    _header(ws, row, ["KPI", "Value", "Unit"])
    row += 1
    for label, value, unit in kpi_items(result):
        _put(ws, row, 1, label)
        if unit == "%":  # utilisation (a fraction) and gap (in percent) both as Excel percentages
            _put(ws, row, 2, value if label == "Utilisation" else value / 100, "0.00%")
        elif unit == "count":
            _put(ws, row, 2, value, "0")
        else:
            _put(ws, row, 2, value, "0.00")
        _put(ws, row, 3, unit)
        row += 1
    row += 1

    section("Inputs")
    numbers = {"Lots": (len(result.lots), "0"), "Total vials": (sum(lot.vials for lot in result.lots), "#,##0")}
    for label, value in input_items(result):
        _put(ws, row, 1, label)
        _put(ws, row, 2, *numbers.get(label, (value, None)))  # counts as numbers, not text
        row += 1
    row += 1

    section("Configuration")
    for key, value in config_items(result):
        _put(ws, row, 1, key)
        _put(ws, row, 2, value)
        row += 1

    _widths(ws, {1: 26, 2: 44, 3: 10})


def _activities_sheet(ws: Worksheet, result: ScheduleResult, time_zone: str) -> None:
    rows = activity_rows(result)
    has_due = any(d["due"] is not None for d in rows)
    names = ["Block", "Kind", "Lot ID", "Lot type", "Vials", zone_heading("Start", time_zone),
             zone_heading("End", time_zone), "Duration (h)"]
    if has_due:
        names += [zone_heading("Due", time_zone), "Lateness (h)"]
    _header(ws, 1, names)
    for r, data in enumerate(rows, start=2):
        _put(ws, r, 1, data["block"])
        _put(ws, r, 2, data["kind"])
        _put(ws, r, 3, data["lot_id"])
        _put(ws, r, 4, data["lot_type"])
        _put(ws, r, 5, data["vials"], "#,##0")
        _put(ws, r, 6, data["start"], DATETIME_FORMAT)
        _put(ws, r, 7, data["end"], DATETIME_FORMAT)
        _put(ws, r, 8, data["duration_h"], HOURS_FORMAT)
        if has_due:
            _put(ws, r, 9, data["due"], DATETIME_FORMAT)
            _lateness(ws, r, 10, data["lateness_h"])
    last = max(1, len(rows) + 1)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{last}"
    _widths(
        ws,
        {
            1: 8,
            2: 13,
            3: _text_width([d["lot_id"] for d in rows], names[2]),
            4: _text_width([d["lot_type"] for d in rows], names[3]),
            5: 11,
            6: 24,
            7: 24,
            8: 13,
            9: 24,
            10: 13,
        },
    )


def _lateness(ws: Worksheet, row: int, col: int, hours: float | None) -> None:
    """A lateness in hours (a number; red and bold when the lot is late)."""
    cell = _put(ws, row, col, hours, HOURS_FORMAT)
    if hours is not None and hours > 0:
        cell.font = _LATE_FONT


def _lots_sheet(ws: Worksheet, result: ScheduleResult, time_zone: str) -> None:
    rows = lot_rows(result)
    has_priority = any(d["priority"] is not None for d in rows)
    has_due = any(d["due"] is not None for d in rows)
    has_release = any(d["release"] is not None for d in rows)
    names = ["Lot ID", "Lot type", "Vials", "Fill (h)", "Block", zone_heading("Fill start", time_zone),
             zone_heading("Fill end", time_zone)]
    if has_priority:
        names.append("Priority")
    if has_due:
        names += [zone_heading("Due", time_zone), "Lateness (h)"]
    if has_release:
        names.append(zone_heading("Release", time_zone))
    _header(ws, 1, names)
    for r, data in enumerate(rows, start=2):
        _put(ws, r, 1, data["lot_id"])
        _put(ws, r, 2, data["lot_type"])
        _put(ws, r, 3, data["vials"], "#,##0")
        _put(ws, r, 4, data["fill_h"], HOURS_FORMAT)
        _put(ws, r, 5, data["block"])
        _put(ws, r, 6, data["start"], DATETIME_FORMAT)
        _put(ws, r, 7, data["end"], DATETIME_FORMAT)
        col = 8
        if has_priority:
            _put(ws, r, col, data["priority"])
            col += 1
        if has_due:
            _put(ws, r, col, data["due"], DATETIME_FORMAT)
            _lateness(ws, r, col + 1, data["lateness_h"])
            col += 2
        if has_release:
            _put(ws, r, col, data["release"], DATETIME_FORMAT)
    last = max(1, len(rows) + 1)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{last}"
    widths = {
        1: _text_width([d["lot_id"] for d in rows], names[0]),
        2: _text_width([d["lot_type"] for d in rows], names[1]),
        3: 11,
        4: 10,
        5: 8,
        6: 24,
        7: 24,
    }
    col = 8
    if has_priority:
        widths[col] = 10
        col += 1
    if has_due:
        widths[col], widths[col + 1] = 24, 13
        col += 2
    if has_release:
        widths[col] = 24
    _widths(ws, widths)
