"""Stored filling rows <-> domain objects: a result as the columns of ``schedule_results``,
and a stored schedule rebuilt as the ``ScheduleResult`` the pages and exports use."""

from __future__ import annotations

from typing import Any

from scheduler_core.filling import Kpis, ScheduleResult
from scheduler_core.filling.codec import (
    activity_from_json,
    activity_to_json,
    blocks_of,
    config_from_json,
    lots_from_json,
)
from webapp.db.models import Schedule, ScheduleResultRow


def result_to_row(result: ScheduleResult) -> dict[str, Any]:
    """The :class:`ScheduleResultRow` columns of ``result`` (KPIs + activities JSON)."""
    k = result.kpis
    return {
        "makespan_h": float(k.makespan_h),
        "lower_bound_h": float(k.lower_bound_h),
        "gap_pct": float(k.gap_pct),
        "proven_optimal": bool(result.proven_optimal),
        "blocks": int(k.blocks),
        "changeovers": int(k.changeovers),
        "changeover_h": float(k.changeover_h),
        "fill_h": float(k.fill_h),
        "clean_h": float(k.clean_h),
        "utilisation": float(k.utilisation),
        "lots": int(k.lots),
        "runtime_s": float(result.runtime_s),
        "solver_status": str(result.solver_status)[:128],
        "late_lots": int(k.late_lots),
        "tardiness_h": float(k.tardiness_h),
        "weighted_tardiness_h": float(k.weighted_tardiness_h),
        "max_lateness_h": None if k.max_lateness_h is None else float(k.max_lateness_h),
        "activities": [activity_to_json(a) for a in result.activities],
    }


def result_from_row(row: ScheduleResultRow, schedule: Schedule) -> ScheduleResult:
    """The :class:`ScheduleResult` of a stored result row and its schedule (config, lots).
    A row stored before the due-date KPIs were measured reads as no late lots and no
    maximum lateness (its activities carry no lateness either)."""
    activities = tuple(activity_from_json(a) for a in row.activities)
    kpis = Kpis(
        makespan_h=row.makespan_h,
        blocks=row.blocks,
        changeovers=row.changeovers,
        changeover_h=row.changeover_h,
        fill_h=row.fill_h,
        clean_h=row.clean_h,
        utilisation=row.utilisation,
        lots=row.lots,
        lower_bound_h=row.lower_bound_h if row.lower_bound_h is not None else 0.0,
        gap_pct=row.gap_pct if row.gap_pct is not None else 0.0,
        late_lots=row.late_lots or 0,
        tardiness_h=row.tardiness_h or 0.0,
        weighted_tardiness_h=row.weighted_tardiness_h or 0.0,
        max_lateness_h=row.max_lateness_h,
    )
    return ScheduleResult(
        strategy=schedule.strategy,
        activities=activities,
        kpis=kpis,
        proven_optimal=row.proven_optimal,
        runtime_s=row.runtime_s,
        solver_status=row.solver_status,
        config=config_from_json(schedule.config),
        lots=tuple(lots_from_json(schedule.input_data)),
        blocks=blocks_of(activities),
    )
