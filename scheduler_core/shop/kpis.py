"""From a decoded schedule to the ``ShopResult``: order outcomes, the open orders a plan
leaves out and why (``orders_not_planned``), and the KPIs of a plan (weighted tardiness,
late orders, max lateness, makespan, utilisation per work center and weekly load vs
capacity per work center)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from scheduler_core.shop.builder import Decoded
from scheduler_core.shop.model import CLOSED_STATUSES, ShopProblem
from scheduler_core.shop.prepared import Prepared, orders_on_inactive
from scheduler_core.shop.result import (
    NO_ROUTING,
    NOTHING_LEFT,
    ON_INACTIVE,
    NotPlanned,
    OrderOutcome,
    PlannedOperation,
    ShopKpis,
    ShopResult,
    WeekLoad,
)

#: Weekly load is reported for at most this many weeks from the plan start.
MAX_WEEKS = 104


def _overlap(pieces: list[tuple[int, int]], a: int, b: int) -> int:
    return sum(max(0, min(e, b) - max(s, a)) for s, e in pieces)


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def compute_kpis(prep: Prepared, dec: Decoded, outcomes: list[OrderOutcome]) -> ShopKpis:
    """KPIs of decoded schedule ``dec`` (minutes from the plan start) with its order
    ``outcomes``; weekly load for at most :data:`MAX_WEEKS` weeks."""
    wt_min, makespan = 0, 0
    for rn, idx in prep.order_ops.items():
        comp = max(dec.end[i] for i in idx)
        makespan = max(makespan, comp)
        d = prep.due_min[rn]
        if d is not None:
            wt_min += prep.weight[rn] * max(0, comp - d)
    lateness = [o.lateness_hours for o in outcomes if o.lateness_hours is not None]
    wt_hours = sum(o.weight * o.tardiness_hours for o in outcomes)

    by_wc: dict[str, list[int]] = {}
    for i, w in enumerate(dec.wc or prep.wc):
        by_wc.setdefault(w, []).append(i)
    util: dict[str, float] = {}
    loads: list[WeekLoad] = []
    origin: datetime = prep.origin
    first_week = week_start(origin.date())
    last_day = prep.clock.to_datetime(makespan).date()
    weeks = min(MAX_WEEKS, (last_day - first_week).days // 7 + 1) if by_wc else 0
    for w in [c.code for c in prep.problem.work_centers if c.code in by_wc]:
        tl = prep.timelines[w]
        idx = by_wc[w]
        busy = sum(prep.dur[i] + (dec.setup[i] if dec.setup else 0) for i in idx)
        avail = tl.working_between(0, makespan) if makespan > 0 else 0
        util[w] = round(busy / avail, 4) if avail else 0.0
        pieces = [p for i in idx for p in dec.intervals[i]]
        due_work: dict[int, int] = {}
        for i in idx:
            d = prep.due_min[prep.ops[i].rn]
            if d is None:
                continue
            due_day = prep.clock.to_datetime(max(0, d - 1)).date()
            k = max(0, (due_day - first_week).days // 7)
            due_work[k] = due_work.get(k, 0) + prep.dur[i]
        for k in range(weeks):
            ws = first_week + timedelta(days=7 * k)
            a = max(0, tl.to_minute(datetime.combine(ws, datetime.min.time())))
            b = tl.to_minute(datetime.combine(ws + timedelta(days=7), datetime.min.time()))
            cap = tl.working_between(a, b)
            loads.append(
                WeekLoad(
                    work_center=w,
                    week_start=ws,
                    capacity_hours=round(cap / 60, 2),
                    planned_hours=round(_overlap(pieces, a, b) / 60, 2),
                    due_hours=round(due_work.get(k, 0) / 60, 2),
                )
            )
    return ShopKpis(
        weighted_tardiness_minutes=wt_min,
        weighted_tardiness_hours=round(wt_hours, 4),
        late_orders=sum(1 for o in outcomes if o.late),
        orders=len(outcomes),
        operations=prep.n,
        max_lateness_hours=round(max(lateness), 4) if lateness else None,
        makespan_minutes=makespan,
        makespan_hours=round(makespan / 60, 4),
        utilisation=util,
        weekly_load=tuple(loads),
    )


def _not_planned(rn: str, with_ops: set[str], with_open: set[str], blocked: dict) -> NotPlanned | None:
    if rn not in with_ops:
        return NotPlanned(rn, NO_ROUTING)
    if rn not in with_open:
        return NotPlanned(rn, NOTHING_LEFT)
    if rn in blocked:
        return NotPlanned(rn, ON_INACTIVE, "; ".join(
            f"operation {op.op_id} is on inactive work center {op.work_center}" for op in blocked[rn]))
    return None


def orders_not_planned(problem: ShopProblem) -> tuple[NotPlanned, ...]:
    """The open work orders (not completed or cancelled) a plan leaves out, in the problem's
    order, each with the reason: :data:`NO_ROUTING` (no operations at all),
    :data:`NOTHING_LEFT` (every operation finished while the order is still open) or
    :data:`ON_INACTIVE` (an open operation is on an inactive work center; the detail names
    it: ``operation WO-1/20 is on inactive work center MILL``)."""
    with_ops: set[str] = {op.rn for op in problem.operations}
    with_open = {op.rn for op in problem.open_operations()}
    blocked = orders_on_inactive(problem)
    found = (_not_planned(o.rn, with_ops, with_open, blocked)
             for o in problem.work_orders if o.status not in CLOSED_STATUSES)
    return tuple(n for n in found if n is not None)


def to_result(
    prep: Prepared,
    dec: Decoded,
    strategy: str,
    *,
    proven_optimal: bool = False,
    runtime_s: float = 0.0,
    status: str = "",
    warnings: list[str] | None = None,
    best_found_s: float | None = None,
) -> ShopResult:
    """The ``ShopResult`` of decoded schedule ``dec``: planned operations with their working
    intervals, each order's completion against its due moment, and the KPIs."""
    origin = prep.origin
    at = prep.clock.to_datetime

    planned = []
    for i, op in enumerate(prep.ops):
        began = op.actual_start if prep.in_progress[i] and op.actual_start and op.actual_start < origin else None
        planned.append(
            PlannedOperation(
                op_id=op.op_id,
                rn=op.rn,
                sequence=op.sequence,
                name=op.name,
                work_center=dec.wc[i] if dec.wc else op.work_center,
                start=began or at(dec.start[i]),
                end=at(dec.end[i]),
                duration_minutes=prep.dur[i],
                setup_minutes=dec.setup[i] if dec.setup else 0,
                intervals=tuple((at(s), at(e)) for s, e in dec.intervals[i]),
                in_progress=prep.in_progress[i],
                pinned=prep.pinned[i] is not None,
            )
        )
    outcomes = []
    for o in prep.orders:
        idx = prep.order_ops[o.rn]
        comp = max(dec.end[i] for i in idx)
        d = prep.due_min[o.rn]
        outcomes.append(
            OrderOutcome(
                rn=o.rn,
                priority_level=o.priority_level,
                weight=prep.weight[o.rn],
                urgency_rank=o.urgency_rank,
                due=o.due(prep.due_basis),
                completion=at(comp),
                lateness_hours=None if d is None else (comp - d) / 60,
                kpl=o.kpl,
                product_name=o.product_name,
            )
        )
    kpis = compute_kpis(prep, dec, outcomes)
    all_warnings = list(dict.fromkeys([*dec.warnings, *(warnings or [])]))
    return ShopResult(
        strategy=strategy,
        due_basis=prep.due_basis,
        start=origin,
        operations=tuple(planned),
        orders=tuple(outcomes),
        kpis=kpis,
        proven_optimal=proven_optimal,
        runtime_s=runtime_s,
        status=status,
        warnings=tuple(all_warnings),
        best_found_s=best_found_s,
        time_zone=prep.problem.time_zone,
        not_planned=orders_not_planned(prep.problem),
    )
