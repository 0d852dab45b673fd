"""Shared row building for every filling export format.

All three exports (CSV, Excel, PDF) read a schedule through :func:`activity_rows`,
:func:`lot_rows`, :func:`summary_items` and :func:`kpi_items`, so they never disagree on
what a column means. Text a user typed is made safe for each target by ``reports.text``.

Times are the plant's wall clock: every export names the zone (:func:`zone_heading`) and
writes a time one way, to the second (:data:`TIME_FORMAT`, :func:`time_text`; Excel
cells hold the rounded value with the same display format).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from scheduler_core.filling.model import ActivityKind, ScheduleResult

#: The one way a filling time is written, in every export and on the pages (web tables
#: and Excel use the same pattern in their own notation): ``2026-01-05 07:23:41``.
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

#: Columns of :func:`activity_rows`, in order.
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "block",
    "kind",
    "lot_id",
    "lot_type",
    "vials",
    "start",
    "end",
    "duration_h",
    "due",
    "lateness_h",
)



def activity_rows(result: ScheduleResult) -> list[dict[str, Any]]:
    """One dict per activity, in line order, with the keys of :data:`ACTIVITY_COLUMNS`.

    ``start``/``end``/``due`` are ``datetime`` objects (each format renders them itself);
    ``lot_id``/``lot_type``/``vials`` are ``None`` for ``CLEAN``; ``due`` and ``lateness_h``
    (hours from the due date to the fill's end, negative = early) only on a FILL of a lot
    with a due date, else ``None``. Text is returned raw: each exporter neutralises it for
    its own target.
    """
    return [
        {
            "block": a.block,
            "kind": str(a.kind),
            "lot_id": a.lot_id,
            "lot_type": a.lot_type,
            "vials": a.vials,
            "start": a.start,
            "end": a.end,
            "duration_h": a.duration_h,
            "due": a.due if a.kind == ActivityKind.FILL else None,
            "lateness_h": a.lateness_h if a.kind == ActivityKind.FILL else None,
        }
        for a in result.activities
    ]


def lot_rows(result: ScheduleResult) -> list[dict[str, Any]]:
    """One dict per lot in fill order: lot_id, lot_type, vials, fill_h, block, fill
    start/end, priority, due, release, lateness_h (hours, ``None`` without a due date). Lots without a FILL (never in a valid result) come last with
    empty schedule fields."""
    fills = {a.lot_id: a for a in result.activities if a.kind == ActivityKind.FILL}
    rate = float(result.config.fill_rate_vph)
    rows: list[dict[str, Any]] = []
    for lot in result.lots:
        fill = fills.get(lot.lot_id)
        rows.append(
            {
                "lot_id": lot.lot_id,
                "lot_type": lot.lot_type,
                "vials": lot.vials,
                "fill_h": fill.duration_h if fill is not None else lot.vials / rate,
                "block": fill.block if fill is not None else None,
                "start": fill.start if fill is not None else None,
                "end": fill.end if fill is not None else None,
                "priority": lot.priority,
                "due": lot.due,
                "release": lot.release,
                "lateness_h": fill.lateness_h if fill is not None else None,
            }
        )
    far = datetime.max
    rows.sort(key=lambda r: r["start"] or far)  # stable: unscheduled lots keep input order
    return rows


def kpi_items(result: ScheduleResult) -> list[tuple[str, float | int, str]]:
    """``(label, value, unit)`` for every KPI. Utilisation is a fraction with unit ``%``
    (formats multiply it by 100 for display). The due-date KPIs (:func:`due_kpi_items`)
    follow when some lot has a due date."""
    return [*_base_kpi_items(result), *due_kpi_items(result)]


def due_kpi_items(result: ScheduleResult) -> list[tuple[str, float | int, str]]:
    """``(label, value, unit)`` of the due-date KPIs of DESIGN.md §1 (late lots, tardiness,
    weighted tardiness with weight 4 - priority, maximum lateness in hours); empty when no
    lot of the plan has a due date."""
    k = result.kpis
    if k.max_lateness_h is None:
        return []
    return [
        ("Late lots", k.late_lots, "count"),
        ("Tardiness", k.tardiness_h, "h"),
        ("Weighted tardiness", k.weighted_tardiness_h, "h"),
        ("Max lateness", k.max_lateness_h, "h"),
    ]


def _base_kpi_items(result: ScheduleResult) -> list[tuple[str, float | int, str]]:
    """The KPIs every plan has (makespan … lots)."""
    k = result.kpis
    return [
        ("Makespan", k.makespan_h, "h"),
        ("Lower bound", k.lower_bound_h, "h"),
        ("Gap to lower bound", k.gap_pct, "%"),
        ("Blocks (cleans)", k.blocks, "count"),
        ("Clean hours", k.clean_h, "h"),
        ("Changeovers", k.changeovers, "count"),
        ("Changeover hours", k.changeover_h, "h"),
        ("Fill hours", k.fill_h, "h"),
        ("Utilisation", k.utilisation, "%"),
        ("Lots", k.lots, "count"),
    ]


def config_items(result: ScheduleResult) -> list[tuple[str, str]]:
    """``(key, display value)`` for every config value the schedule was planned with."""
    c = result.config
    items = [
        ("fill_rate_vph", f"{_num(c.fill_rate_vph)} vials/h"),
        ("clean_hours", f"{_num(c.clean_hours)} h"),
        ("window_hours", f"{_num(c.window_hours)} h"),
        ("changeover_same_hours", f"{_num(c.changeover_same_hours)} h"),
        ("changeover_diff_hours", f"{_num(c.changeover_diff_hours)} h"),
    ]
    if c.changeover_matrix:
        pairs = "; ".join(
            f"{a} -> {b}: {_num(h)} h" for (a, b), h in sorted(c.changeover_matrix.items())
        )
        items.append(("changeover_matrix", pairs))
    else:
        items.append(("changeover_matrix", "none"))
    start = c.start_time.isoformat(sep=" ") if c.start_time else "now (at planning time)"
    items += [
        ("start_time", start),
        ("strategy", c.strategy),
        ("objective", c.objective),
        ("time_limit_s", f"{_num(c.time_limit_s)} s"),
    ]
    return items


def summary_items(result: ScheduleResult) -> list[tuple[str, Any]]:
    """Header facts of a schedule: strategy, status, proof, runtime, start and end."""
    start = result.start if result.activities else None
    end = result.end if result.activities else None
    return [
        ("Strategy", result.strategy),
        ("Solver status", result.solver_status),
        ("Proven optimal", "yes" if result.proven_optimal else "no"),
        ("Runtime (s)", round(result.runtime_s, 3)),
        ("Start", start),
        ("End", end),
    ]


def input_items(result: ScheduleResult) -> list[tuple[str, str]]:
    """Inputs summary: number of lots, types with their lot counts, total vials."""
    types = Counter(lot.lot_type for lot in result.lots)
    type_text = ", ".join(f"{t} ({n})" for t, n in sorted(types.items()))
    return [
        ("Lots", str(len(result.lots))),
        ("Lot types", f"{len(types)}: {type_text}" if types else "0"),
        ("Total vials", f"{sum(lot.vials for lot in result.lots):,}"),
    ]


def lot_types_in_order(result: ScheduleResult) -> list[str]:
    """Distinct lot types, in order of first appearance in the schedule (then the input)."""
    seen: dict[str, None] = {}
    for a in result.activities:
        if a.lot_type is not None:
            seen.setdefault(a.lot_type, None)
    for lot in result.lots:
        seen.setdefault(lot.lot_type, None)
    return list(seen)


def time_text(value: datetime | None) -> str:
    """``value`` as :data:`TIME_FORMAT`, rounded to the nearest second (consistently, so
    the end of one activity and the start of the next stay equal); ``""`` for ``None``."""
    return "" if value is None else round_seconds(value).strftime(TIME_FORMAT)


def zone_heading(name: str, time_zone: str) -> str:
    """A time column's heading naming the plant zone: ``start (Europe/Zagreb)``."""
    return f"{name} ({time_zone})"


def round_seconds(value: datetime) -> datetime:
    """``value`` rounded to the nearest whole second."""
    if value.microsecond >= 500_000:
        value += timedelta(seconds=1)
    return value.replace(microsecond=0)


def _num(value: float | int) -> str:
    """A config number without a useless ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
