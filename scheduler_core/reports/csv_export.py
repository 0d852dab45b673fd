"""CSV export of a schedule's activities (UTF-8, header row, ISO-8601 times)."""

from __future__ import annotations

import csv
import io

from scheduler_core.filling.model import ScheduleResult
from scheduler_core.reports.rows import ACTIVITY_COLUMNS, activity_rows, iso_seconds
from scheduler_core.reports.text import neutralise

#: Text columns that carry user input and are neutralised against formula injection.
_TEXT_COLUMNS = ("lot_id", "lot_type")


def to_csv(result: ScheduleResult, *, bom: bool = False) -> bytes:
    """Activities as CSV bytes: columns ``block, kind, lot_id, lot_type, vials, start, end,
    duration_h, due, lateness_h``; times ISO-8601 to the second, ``duration_h`` and
    ``lateness_h`` (hours from the due date to the fill's end, negative = early) to 6
    decimals. Lot fields are empty for ``CLEAN``; ``due``/``lateness_h`` only on a FILL of a
    lot with a due date. Text cells starting with ``= + - @``, tab or CR get a leading ``'``;
    numbers never do. ``bom=True`` prepends a UTF-8 BOM (helps Excel guess the encoding).
    """
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(ACTIVITY_COLUMNS)
    for row in activity_rows(result):
        cells = []
        for col in ACTIVITY_COLUMNS:
            value = row[col]
            if value is None:
                cells.append("")
            elif col in ("start", "end", "due"):
                cells.append(iso_seconds(value))
            elif col in _TEXT_COLUMNS:
                cells.append(neutralise(str(value)))
            elif col in ("duration_h", "lateness_h"):
                cells.append(repr(round(value, 6)))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    data = buf.getvalue().encode("utf-8", errors="replace")
    return (b"\xef\xbb\xbf" + data) if bom else data
