"""KPIs of a schedule and assembly of the shared result type."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from scheduler_core.filling.bounds import LowerBound
from scheduler_core.filling.model import Activity, ActivityKind, Kpis, ScheduleResult
from scheduler_core.filling.rules import Instance, build_activities


def kpis_from_activities(
    activities: tuple[Activity, ...], lower_bound_h: float, weights: Mapping[str, int] | None = None,
    start: datetime | None = None,
) -> Kpis:
    """KPIs measured on the activities themselves (so they describe what is shown); the
    makespan from ``start`` (the plan's start; default: the first activity's start, the
    same unless a release put the first clean off) to the last fill's end; the due-date KPIs
    from each FILL's ``lateness_h``, weighted by ``weights`` (lot id -> 4 - priority; a lot
    not listed weighs 1)."""
    fill = sum(a.duration_h for a in activities if a.kind is ActivityKind.FILL)
    changeover = [a for a in activities if a.kind is ActivityKind.CHANGEOVER]
    clean = sum(a.duration_h for a in activities if a.kind is ActivityKind.CLEAN)
    fills = [a for a in activities if a.kind is ActivityKind.FILL]
    origin = start if start is not None else (activities[0].start if activities else None)
    makespan = (fills[-1].end - origin).total_seconds() / 3600 if fills and origin is not None else 0.0
    blocks = sum(1 for a in activities if a.kind is ActivityKind.CLEAN)
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
        gap_pct=gap_pct(makespan, lower_bound_h),
        **due_kpis(fills, weights or {}),
    )


def gap_pct(makespan_h: float, lower_bound_h: float) -> float:
    """``100 * (makespan - bound) / bound`` (%, 0 when the bound is 0 or above the plan)."""
    gap = 100.0 * (makespan_h - lower_bound_h) / lower_bound_h if lower_bound_h > 0 else 0.0
    return round(max(gap, 0.0), 6)


def shared_bound(results: list[ScheduleResult]) -> list[ScheduleResult]:
    """``results`` of one input (same lots, configuration and start; any strategies), each
    reported against the strongest lower bound any of them proved: a bound holds for every
    plan of the input, and ``best`` may prove a stronger one (the pattern LP) than a quick
    strategy's run. A result that now meets the bound with no lot late is proven optimal."""
    bound = max((r.kpis.lower_bound_h for r in results), default=0.0)
    shared = []
    for r in results:
        k = replace(r.kpis, lower_bound_h=bound, gap_pct=gap_pct(r.kpis.makespan_h, bound))
        meets = k.makespan_h <= bound + 1e-6 and k.weighted_tardiness_h == 0
        shared.append(replace(r, kpis=k, proven_optimal=r.proven_optimal or meets))
    return shared


def due_kpis(fills: list[Activity], weights: Mapping[str, int]) -> dict[str, Any]:
    """``late_lots``, ``tardiness_h``, ``weighted_tardiness_h`` and ``max_lateness_h`` of the
    FILL activities (DESIGN.md §1; ``max_lateness_h`` is ``None`` when no lot has a due date)."""
    dated = [a for a in fills if a.lateness_h is not None]
    late = [a for a in dated if a.lateness_h > 0]
    return {
        "late_lots": len(late),
        "tardiness_h": round(sum(a.lateness_h for a in late), 6),
        "weighted_tardiness_h": round(sum(weights.get(a.lot_id or "", 1) * a.lateness_h for a in late), 6),
        "max_lateness_h": round(max(a.lateness_h for a in dated), 6) if dated else None,
    }


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

    Optimality is proven when the makespan meets the lower bound (exact tick arithmetic) and
    no lot is late (so neither objective can improve), or when the caller says so (an exact
    solver's proof of the run's objective)."""
    blocks = [b for b in blocks if b]
    activities = build_activities(inst, blocks, start)
    kpis = kpis_from_activities(activities, bound.hours, {lot.lot_id: lot.weight for lot in inst.lots}, start)
    meets_bound = inst.makespan_ticks(blocks) <= bound.ticks and kpis.weighted_tardiness_h == 0
    return ScheduleResult(
        strategy=strategy,
        activities=activities,
        kpis=kpis,
        proven_optimal=bool(proven_optimal) or meets_bound,
        runtime_s=round(runtime_s, 4),
        solver_status=solver_status,
        config=replace(inst.config, start_time=start),
        lots=tuple(inst.lots),
        blocks=tuple(tuple(inst.lots[i].lot_id for i in b) for b in blocks),
    )
