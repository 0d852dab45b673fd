"""Stored filling rows <-> domain objects: a result as the columns of ``schedule_results``,
and a stored schedule rebuilt as the ``ScheduleResult`` the pages and exports use."""

from __future__ import annotations

from typing import Any

from scheduler_core.filling import ActivityKind, Kpis, ScheduleResult
from scheduler_core.filling.codec import (
    activity_from_json,
    activity_to_json,
    blocks_of,
    config_from_json,
    lots_from_json,
)
from scheduler_core.filling.kpis import due_kpis
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
        "activities": [activity_to_json(a) for a in result.activities],
    }


def result_from_row(row: ScheduleResultRow, schedule: Schedule) -> ScheduleResult:
    """The :class:`ScheduleResult` of a stored result row and its schedule (config, lots);
    the due-date KPIs are measured again on the stored FILLs (their ``lateness_h``) with the
    lots' weights, as the planner measured them."""
    activities = tuple(activity_from_json(a) for a in row.activities)
    lots = tuple(lots_from_json(schedule.input_data))
    fills = [a for a in activities if a.kind is ActivityKind.FILL]
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
        **due_kpis(fills, {lot.lot_id: lot.weight for lot in lots}),
    )
    return ScheduleResult(
        strategy=schedule.strategy,
        activities=activities,
        kpis=kpis,
        proven_optimal=row.proven_optimal,
        runtime_s=row.runtime_s,
        solver_status=row.solver_status,
        config=config_from_json(schedule.config),
        lots=lots,
        blocks=blocks_of(activities),
    )
