"""Reading the lots of a filling campaign from a CSV file or an Excel workbook.

Files, encodings, rows and cell values are read by ``scheduler_core.tabular``; this module
only maps the columns (Lot ID, Type, Vials; optional Priority, Due, Release) to ``Lot`` objects. It
either returns fully valid lots or raises ``InputError`` carrying *every* problem found
(row, column, reason), so a user fixes a file in one go.
"""

from __future__ import annotations

from typing import Any

from scheduler_core.cells import is_blank, norm_header, to_datetime, to_int, to_text
from scheduler_core.errors import InputError, Problem
from scheduler_core.filling.model import MAX_VIALS, Lot
from scheduler_core.tabular import Row, Source, capped, read_table
from scheduler_core.zones import default_zone_name, to_plant

__all__ = ["COLUMNS", "MAX_LOTS", "MAX_VIALS", "lots_from_table", "parse_lots"]

#: More lots than this are refused (the planner targets up to a few thousand).
MAX_LOTS = 20_000

_REQUIRED = {"lot_id": "Lot ID", "lot_type": "Type", "vials": "Vials"}
_OPTIONAL = {"priority": "Priority", "due": "Due", "release": "Release"}
_DISPLAY = {**_REQUIRED, **_OPTIONAL}
#: The column headings of a lots table, in order (as the users' files name them).
COLUMNS = tuple(_DISPLAY.values())
#: Accepted headers after ``norm_header`` -> column.
_HEADER_ALIASES = {
    "lotid": "lot_id",
    "lot": "lot_id",
    "lotnumber": "lot_id",
    "type": "lot_type",
    "lottype": "lot_type",
    "producttype": "lot_type",
    "vials": "vials",
    "vialcount": "vials",
    "numvials": "vials",
    "quantity": "vials",
    "priority": "priority",
    "due": "due",
    "duedate": "due",
    "release": "release",
    "releasedate": "release",
    "releasetime": "release",
    "earlieststart": "release",
}


def parse_lots(source: Source, filename: str | None = None) -> list[Lot]:
    """Read lots from a CSV file (``,`` ``;`` or tab; UTF-8 with/without BOM, UTF-16 with
    BOM) or an Excel workbook (the sheet called ``lots``, else the first sheet).

    ``source`` is a path, bytes or file object; ``filename`` names it in messages and, for
    bytes, tells CSV from Excel. Vials are whole numbers > 0 (``12,000`` is twelve thousand;
    ``1.000`` is refused as ambiguous); Priority 1 (high), 2 or 3 (low); Due and Release
    dates/times (one with an offset is converted to the plant zone, ``PSS_TIMEZONE``). Returns the lots in
    file order, each with its row. Raises ``InputError`` with every problem
    (at most ``tabular.MAX_PROBLEMS`` listed), or at once for a file-level problem (size,
    encoding, more than ``MAX_LOTS`` lots, missing/duplicate columns).
    """
    table = read_table(source, filename, sheet="lots", max_rows=MAX_LOTS, what="lots", check_formulas=True)
    sheet = table.sheets[0]
    if not sheet.rows and sheet.name is not None:
        raise InputError(
            f"sheet {sheet.name!r} is empty (lots are read from the first sheet, or from a "
            "sheet named 'lots')",
            source=table.filename,
        )
    return _lots_from_rows(sheet.rows, table.filename)


def lots_from_table(records: list[list[Any]], *, header: tuple[str, ...] = COLUMNS) -> list[Lot]:
    """Lots of a table typed in the app (e.g. the what-if's lot editor): ``records`` hold
    the cells of ``header`` in order (``None`` for a blank cell), read with the same
    converters and rules as a file; the first record is row 1. Raises ``InputError`` with
    every problem (row, column, reason), ``"no lots to schedule"`` for no records."""
    if not records:
        raise InputError("no lots to schedule")
    if len(records) > MAX_LOTS:
        raise InputError(f"at most {MAX_LOTS:,} lots can be planned, got {len(records):,}")
    return _lots_from_rows([Row(0, list(header)), *(Row(i, list(r)) for i, r in enumerate(records, 1))], None)


def _columns(header: Row, filename: str | None) -> dict[str, int]:
    """Column key -> index from the header row; raises ``InputError`` for duplicate or
    missing required columns."""
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for idx, name in enumerate(header.cells):
        key = _HEADER_ALIASES.get(norm_header(name))
        if key is None:
            continue
        if key in columns:
            problems.append(
                Problem(
                    f"duplicate column for {_DISPLAY[key]!r} (also column {columns[key] + 1})",
                    row=header.number,
                    column=str(name),
                )
            )
        else:
            columns[key] = idx
    missing = [disp for key, disp in _REQUIRED.items() if key not in columns]
    if missing:
        found = ", ".join(repr(str(h)) for h in header.cells if not is_blank(h)) or "none"
        problems.append(
            Problem(
                f"missing required column(s) {', '.join(missing)} (found: {found}); "
                "expected headers Lot ID, Type, Vials",
                row=header.number,
            )
        )
    if problems:
        raise InputError(problems, source=filename)
    return columns


def _lots_from_rows(rows: list[Row], filename: str | None) -> list[Lot]:
    if not rows:
        raise InputError("file is empty", source=filename)
    columns = _columns(rows[0], filename)
    if len(rows) == 1:
        raise InputError("file has a header but no lots", source=filename)

    lots: list[Lot] = []
    problems: list[Problem] = []
    first_row_of: dict[str, int] = {}
    for row_no, record in rows[1:]:

        def cell(key: str, record: list[Any] = record) -> Any:
            idx = columns.get(key)
            return record[idx] if idx is not None and idx < len(record) else None

        row_problems: list[Problem] = []
        lot_id = to_text(cell("lot_id"))
        if lot_id is None:
            row_problems.append(Problem("Lot ID is blank", row_no, "Lot ID"))
        elif lot_id in first_row_of:
            row_problems.append(
                Problem(
                    f"duplicate Lot ID {lot_id!r} (first seen in row {first_row_of[lot_id]})",
                    row_no,
                    "Lot ID",
                )
            )
        else:
            first_row_of[lot_id] = row_no
        lot_type = to_text(cell("lot_type"))
        if lot_type is None:
            row_problems.append(Problem("Type is blank", row_no, "Type"))
        vials = priority = None
        moments: dict[str, Any] = {}
        try:
            vials = to_int(cell("vials"), what="vials", minimum=1, limit=MAX_VIALS, comma_thousands=True)
        except ValueError as exc:
            row_problems.append(Problem(str(exc), row_no, "Vials"))
        if not is_blank(cell("priority")):
            try:
                priority = to_int(cell("priority"), what="priority", minimum=1, limit=3)
            except ValueError as exc:
                row_problems.append(Problem(f"{exc} (1 high, 2, 3 low)", row_no, "Priority"))
        for key in ("due", "release"):
            if not is_blank(cell(key)):
                try:
                    moments[key] = to_plant(to_datetime(cell(key), what=key, keep_offset=True), default_zone_name())
                except ValueError as exc:
                    row_problems.append(Problem(str(exc), row_no, _DISPLAY[key]))
        if row_problems:
            problems.extend(row_problems)
            continue
        assert lot_id is not None and lot_type is not None and vials is not None
        lots.append(Lot(lot_id, lot_type, vials, priority=priority, row=row_no, **moments))
    if problems:
        raise InputError(capped(problems), source=filename)
    return lots
