"""Export any filling schedule result to CSV, Excel or PDF.

Public API::

    to_csv(result, time_zone=...) -> bytes     # activities, UTF-8, times to the second
    to_excel(result, time_zone=...) -> bytes   # sheets Summary, Activities, Lots
    to_pdf(result, title="...", time_zone=...) # summary, KPIs, Gantt, activity table
    export(result, path, time_zone=...)        # by suffix: .csv / .xlsx / .pdf

Every format names ``time_zone``, the plant zone the (naive, wall-clock) times are in.
    activity_rows(result) -> list[dict]        # the rows every format is built from

Text a user typed (lot ids, types, titles) is neutralised for spreadsheets (no formula
injection) and sanitised for the PDF's latin-1 fonts; see :mod:`scheduler_core.reports.rows`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from scheduler_core.errors import InputError, Problem
from scheduler_core.filling.model import ScheduleResult
from scheduler_core.reports.csv_export import to_csv
from scheduler_core.reports.excel import to_excel
from scheduler_core.reports.pdf import to_pdf
from scheduler_core.reports.rows import ACTIVITY_COLUMNS, activity_rows
from scheduler_core.zones import DEFAULT_ZONE

#: Suffix -> exporter ``(result, title=..., time_zone=...)`` (CSV has no title).
EXPORTERS: dict[str, Callable[..., bytes]] = {
    ".csv": lambda result, title=None, time_zone=DEFAULT_ZONE: to_csv(result, time_zone=time_zone),
    ".xlsx": lambda result, title=None, time_zone=DEFAULT_ZONE: to_excel(result, title=title, time_zone=time_zone),
    ".pdf": lambda result, title=None, time_zone=DEFAULT_ZONE: to_pdf(result, title=title, time_zone=time_zone),
}
FORMATS: tuple[str, ...] = tuple(EXPORTERS)


def export_bytes(result: ScheduleResult, suffix: str, *, title: str | None = None,
                 time_zone: str = DEFAULT_ZONE) -> bytes:
    """The export for a file suffix (``.csv``, ``.xlsx``, ``.pdf``, case-insensitive, the
    dot optional). Unknown suffix: :class:`InputError` naming the allowed ones."""
    key = suffix.lower() if suffix.startswith(".") else "." + suffix.lower()
    exporter = EXPORTERS.get(key)
    if exporter is None:
        shown = suffix or "(none)"
        raise InputError(
            Problem(
                f"unsupported export format {shown!r}; "
                f"allowed: {', '.join(FORMATS)}"
            )
        )
    return exporter(result, title=title, time_zone=time_zone)


def export(result: ScheduleResult, path: str | Path, *, title: str | None = None,
           time_zone: str = DEFAULT_ZONE) -> Path:
    """Write ``result`` to ``path``, the format chosen by its suffix (``.csv``, ``.xlsx``,
    ``.pdf``). Nothing is written for an unknown suffix (:class:`InputError`). Returns the
    path written."""
    target = Path(path)
    data = export_bytes(result, target.suffix, title=title, time_zone=time_zone)
    target.write_bytes(data)
    return target


__all__ = [
    "ACTIVITY_COLUMNS",
    "FORMATS",
    "activity_rows",
    "export",
    "export_bytes",
    "to_csv",
    "to_excel",
    "to_pdf",
]
