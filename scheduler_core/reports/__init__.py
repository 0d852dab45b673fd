"""Export any filling schedule result to CSV, Excel or PDF.

Public API::

    to_csv(result) -> bytes                    # activities, UTF-8, ISO-8601 times
    to_excel(result) -> bytes                  # sheets Summary, Activities, Lots
    to_pdf(result, title="...") -> bytes       # summary, KPIs, Gantt, activity table
    export(result, path)                       # by suffix: .csv / .xlsx / .pdf
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

#: Suffix -> exporter. Every exporter takes ``(result, title=...)`` except CSV.
EXPORTERS: dict[str, Callable[..., bytes]] = {
    ".csv": lambda result, title=None: to_csv(result),
    ".xlsx": lambda result, title=None: to_excel(result, title=title),
    ".pdf": lambda result, title=None: to_pdf(result, title=title),
}
FORMATS: tuple[str, ...] = tuple(EXPORTERS)


def export_bytes(result: ScheduleResult, suffix: str, *, title: str | None = None) -> bytes:
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
    return exporter(result, title=title)


def export(result: ScheduleResult, path: str | Path, *, title: str | None = None) -> Path:
    """Write ``result`` to ``path``, the format chosen by its suffix (``.csv``, ``.xlsx``,
    ``.pdf``). Nothing is written for an unknown suffix (:class:`InputError`). Returns the
    path written."""
    target = Path(path)
    data = export_bytes(result, target.suffix, title=title)
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
