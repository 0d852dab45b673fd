"""CSV export of a schedule's activities (UTF-8, header row, plant times to the second with
the zone in the time columns' headings)."""

from __future__ import annotations

import csv
import io

from scheduler_core.filling.model import ScheduleResult
from scheduler_core.reports.rows import ACTIVITY_COLUMNS, activity_rows, time_text, zone_heading
from scheduler_core.reports.text import neutralise
from scheduler_core.zones import DEFAULT_ZONE

#: Text columns that carry user input and are neutralised against formula injection.
_TEXT_COLUMNS = ("lot_id", "lot_type")


def to_csv(result: ScheduleResult, *, bom: bool = False, time_zone: str = DEFAULT_ZONE) -> bytes:
    """Activities as CSV bytes: columns ``block, kind, lot_id, lot_type, vials,
    start (<time_zone>), end (<time_zone>), duration_h, due (<time_zone>), lateness_h``; times
    are plant wall-clock time in ``time_zone`` (an IANA name; the filling default is UTC)
    written ``2026-01-05 07:23:41`` (``rows.TIME_FORMAT``, ISO-8601 with a space),
    ``duration_h`` and ``lateness_h`` (hours from the due date to the fill's end, negative =
    early) to 6 decimals. Lot fields are empty for ``CLEAN``; ``due``/``lateness_h`` only on
    a FILL of a lot with a due date. Text cells starting with ``= + - @``, tab or CR get a leading ``'``;
    numbers never do. ``bom=True`` prepends a UTF-8 BOM (helps Excel guess the encoding).
    """
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([zone_heading(c, time_zone) if c in ("start", "end", "due") else c for c in ACTIVITY_COLUMNS])
    for row in activity_rows(result):
        cells = []
        for col in ACTIVITY_COLUMNS:
            value = row[col]
            if value is None:
                cells.append("")
            elif col in ("start", "end", "due"):
                cells.append(time_text(value))
            elif col in _TEXT_COLUMNS:
                cells.append(neutralise(str(value)))
            elif col in ("duration_h", "lateness_h"):
                cells.append(repr(round(value, 6)))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    data = buf.getvalue().encode("utf-8", errors="replace")
    return (b"\xef\xbb\xbf" + data) if bom else data
