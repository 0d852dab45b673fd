"""Downloads the pages offer, as bytes: a filling schedule as CSV, Excel or PDF (and the
activity rows its table shows), and a shop plan as Excel or PDF. The formats themselves
live in ``scheduler_core.reports``; user text is neutralised there."""

from __future__ import annotations

from typing import Any

from scheduler_core.filling import ScheduleResult
from scheduler_core.reports import activity_rows, to_csv, to_excel, to_pdf
from scheduler_core.reports.shop_plan import shop_plan_excel, shop_plan_pdf

__all__ = ["schedule_activity_rows", "schedule_csv", "schedule_excel", "schedule_pdf", "shop_plan_excel",
           "shop_plan_pdf"]


def schedule_activity_rows(result: ScheduleResult) -> list[dict[str, Any]]:
    """One dict per activity (block, kind, lot, type, vials, start, end, hours, and for a
    FILL its lot's due date and lateness in hours)."""
    return activity_rows(result)


def schedule_csv(result: ScheduleResult, *, time_zone: str) -> bytes:
    """The activities as UTF-8 CSV, times to the second in the plant zone ``time_zone``
    (named in the time columns' headings)."""
    return to_csv(result, time_zone=time_zone)


def schedule_excel(result: ScheduleResult, *, title: str, time_zone: str) -> bytes:
    """An .xlsx workbook: Summary, Activities, Lots; times in the plant zone ``time_zone``."""
    return to_excel(result, title=title, time_zone=time_zone)


def schedule_pdf(result: ScheduleResult, *, title: str, time_zone: str) -> bytes:
    """A PDF: summary, KPIs, Gantt, activity table; times in the plant zone ``time_zone``."""
    return to_pdf(result, title=title, time_zone=time_zone)
