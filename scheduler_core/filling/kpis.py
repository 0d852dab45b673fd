"""KPIs of a schedule and assembly of the shared result type."""

from __future__ import annotations

from datetime import datetime

from scheduler_core.filling.bounds import LowerBound
from scheduler_core.filling.model import Activity, ActivityKind, Kpis, ScheduleResult
from scheduler_core.filling.rules import Instance, build_activities


def kpis_from_activities(activities: tuple[Activity, ...], lower_bound_h: float) -> Kpis:
    """KPIs measured on the activities themselves (so they describe what is shown)."""
    fill = sum(a.duration_h for a in activities if a.kind is ActivityKind.FILL)
    changeover = [a for a in activities if a.kind is ActivityKind.CHANGEOVER]
    clean = sum(a.duration_h for a in activities if a.kind is ActivityKind.CLEAN)
    fills = [a for a in activities if a.kind is ActivityKind.FILL]
    makespan = (fills[-1].end - activities[0].start).total_seconds() / 3600 if fills else 0.0
    blocks = sum(1 for a in activities if a.kind is ActivityKind.CLEAN)
    gap = 100.0 * (makespan - lower_bound_h) / lower_bound_h if lower_bound_h > 0 else 0.0
    return Kpis(
        makespan_h=round(makespan, 6),
        blocks=blocks,
        changeovers=len(changeover),
        changeover_h=round(sum(a.duration_h for a in changeover), 6),
        fill_h=round(fill, 6),
        clean_h=round(clean, 6),
        utilisation=round(fill / makespan, 6) if makespan > 0 else 0.0,
        lots=len(fills),
        lower_bound_h=round(lower_bound_h, 6),
        gap_pct=round(max(gap, 0.0), 6),
    )


def make_result(
    inst: Instance,
    blocks: list[list[int]],
    *,
    strategy: str,
    bound: LowerBound,
    runtime_s: float,
    solver_status: str,
    start: datetime,
    proven_optimal: bool | None = None,
) -> ScheduleResult:
    """Result of a packing whose blocks are in line order (lots in line order inside).

    Optimality is proven when the makespan meets the lower bound (exact tick arithmetic),
    or when the caller says so (an exact solver's proof)."""
    blocks = [b for b in blocks if b]
    activities = build_activities(inst, blocks, start)
    if proven_optimal is None:
        proven_optimal = False
    proven_optimal = proven_optimal or inst.makespan_ticks(blocks) <= bound.ticks
    return ScheduleResult(
        strategy=strategy,
        activities=activities,
        kpis=kpis_from_activities(activities, bound.hours),
        proven_optimal=proven_optimal,
        runtime_s=round(runtime_s, 4),
        solver_status=solver_status,
        config=inst.config,
        lots=tuple(inst.lots),
        blocks=tuple(tuple(inst.lots[i].lot_id for i in b) for b in blocks),
    )
