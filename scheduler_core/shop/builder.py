"""Shared machinery of every shop strategy: prepare a problem for planning, turn per-work-
center sequences into an exact calendar schedule ("decode"), and wrap it as a ``ShopResult``.

A strategy only decides the *order* of operations on each work center; ``decode`` then
starts every operation as early as its work center, its predecessor in the order and its
pinned start allow, using only working time of the work center's calendar. So every
strategy produces a valid plan by construction and all strategies share one result type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from scheduler_core.errors import InputError, Problem
from scheduler_core.shop.calendar import Timeline
from scheduler_core.shop.model import (
    DUE_BASES,
    Operation,
    OrderOutcome,
    PlannedOperation,
    ShopProblem,
    ShopResult,
    WorkOrder,
)


def natural_key(text: str) -> tuple:
    """Sort key that puts ``RN-2`` before ``RN-10``."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", text)
        if part
    )


def resolve_start(problem: ShopProblem, start: datetime | None) -> datetime:
    """Plan start: the argument, else the problem's, else now (next whole minute)."""
    moment = start or problem.start
    if moment is None:
        now = datetime.now()
        moment = now.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return moment.replace(second=0, microsecond=0)


@dataclass
class Prepared:
    """A problem ready for planning: open operations indexed 0..n-1, times in minutes."""

    problem: ShopProblem
    origin: datetime
    due_basis: str
    ops: list[Operation]
    dur: list[int]
    wc: list[str]
    pred: list[int | None]
    in_progress: list[bool]
    pinned: list[int | None]
    orders: list[WorkOrder]
    order_ops: dict[str, list[int]]
    due_min: dict[str, int | None]
    weight: dict[str, int]
    timelines: dict[str, Timeline]
    index: dict[str, int] = field(default_factory=dict)
    #: Work centers each operation may run on (its own first, then active alternatives).
    #: ``wc`` is the current assignment; strategies may change it within ``allowed``.
    allowed: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.ops)

    def work_centers(self) -> list[str]:
        """Work centers with open operations, in the problem's order."""
        used = set(self.wc)
        return [w.code for w in self.problem.work_centers if w.code in used]

    def exact_time(self) -> bool:
        """True when every used work center is always working and has no downtime."""
        down = {d.work_center for d in self.problem.downtime}
        return all(
            self.problem.wc(c).calendar.always_working and c not in down
            for c in self.work_centers()
        )


def prepare(problem: ShopProblem, start: datetime | None = None, due: str = "assembly") -> Prepared:
    if due not in DUE_BASES:
        raise InputError(Problem(f"unknown due basis '{due}'; valid: {', '.join(DUE_BASES)}"))
    problem.check()
    origin = resolve_start(problem, start)
    open_ops = problem.open_operations()
    open_ops.sort(key=lambda op: (natural_key(op.rn), op.sequence))
    orders_by_rn = {o.rn: o for o in problem.work_orders}
    ops: list[Operation] = []
    pred: list[int | None] = []
    order_ops: dict[str, list[int]] = {}
    for op in open_ops:
        lst = order_ops.setdefault(op.rn, [])
        pred.append(lst[-1] if lst else None)
        lst.append(len(ops))
        ops.append(op)
    downtime_by_wc: dict[str, list] = {}
    for d in problem.downtime:
        downtime_by_wc.setdefault(d.work_center, []).append(d)
    timelines = {
        w.code: Timeline(w.calendar, origin, downtime_by_wc.get(w.code, ()), name=w.code)
        for w in problem.work_centers
    }
    pinned = []
    for op in ops:
        if op.pinned_start is None:
            pinned.append(None)
        else:
            pinned.append(max(0, int((op.pinned_start - origin).total_seconds() // 60)))
    orders = [orders_by_rn[rn] for rn in order_ops]
    due_min: dict[str, int | None] = {}
    for o in orders:
        d = o.due(due)
        due_min[o.rn] = None if d is None else int((d - origin).total_seconds() // 60)
    prep = Prepared(
        problem=problem,
        origin=origin,
        due_basis=due,
        ops=ops,
        dur=[op.remaining_minutes for op in ops],
        wc=[op.work_center for op in ops],
        pred=pred,
        in_progress=[op.status == "in_progress" for op in ops],
        pinned=pinned,
        orders=orders,
        order_ops=order_ops,
        due_min=due_min,
        weight={o.rn: o.tardiness_weight for o in orders},
        timelines=timelines,
    )
    prep.index = {op.op_id: i for i, op in enumerate(ops)}
    active = {w.code for w in problem.work_centers if w.active}
    prep.allowed = [
        (op.work_center,)
        if prep.in_progress[i] or prep.pinned[i] is not None
        else (op.work_center,) + tuple(
            dict.fromkeys(a for a in op.alternatives if a in active and a != op.work_center))
        for i, op in enumerate(ops)
    ]
    return prep


@dataclass
class Decoded:
    start: list[int]
    end: list[int]
    intervals: list[list[tuple[int, int]]]
    sequences: dict[str, list[int]]
    warnings: list[str]
    #: The work center of every operation in this schedule.
    wc: list[str] = field(default_factory=list)

    def key(self, prep: Prepared) -> tuple[int, int]:
        """(weighted tardiness in minutes, makespan in minutes): smaller is better."""
        return objective(prep, self.end)


def objective(prep: Prepared, end: list[int]) -> tuple[int, int]:
    wt = 0
    for rn, idx in prep.order_ops.items():
        d = prep.due_min[rn]
        if d is not None:
            wt += prep.weight[rn] * max(0, max(end[i] for i in idx) - d)
    return wt, max(end, default=0)


def decode(prep: Prepared, sequences: dict[str, list[int]]) -> Decoded:
    """Semi-active schedule that follows ``sequences`` (op indices per work center).

    Operations missing from ``sequences`` are appended; a sequence that contradicts the
    order routings (a cycle) is repaired by pulling the first startable operation forward,
    with a warning.
    """
    n = prep.n
    seqs: dict[str, list[int]] = {w: list(sequences.get(w, [])) for w in prep.work_centers()}
    listed = {i for s in seqs.values() for i in s}
    for i in range(n):
        if i not in listed:
            seqs.setdefault(prep.wc[i], []).append(i)
    start = [0] * n
    end = [-1] * n
    ivs: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    warnings: list[str] = []
    pos = dict.fromkeys(seqs, 0)
    free = dict.fromkeys(seqs, 0)
    left = n
    while left:
        progressed = False
        for w, seq in seqs.items():
            tl = prep.timelines[w]
            k = pos[w]
            while k < len(seq):
                i = seq[k]
                p = prep.pred[i]
                if p is not None and end[p] < 0:
                    break
                est = free[w]
                if p is not None and end[p] > est:
                    est = end[p]
                pin = prep.pinned[i]
                if pin is not None:
                    if pin > est:
                        est = pin
                    elif pin < est:
                        warnings.append(
                            f"operation {prep.ops[i].op_id}: pinned start not possible, "
                            f"starts later"
                        )
                s = tl.next_working(est)
                pieces = tl.intervals(s, prep.dur[i])
                start[i] = pieces[0][0]
                end[i] = pieces[-1][1]
                ivs[i] = pieces
                free[w] = end[i]
                k += 1
                left -= 1
                progressed = True
            pos[w] = k
        if left and not progressed:
            for w, seq in seqs.items():
                k0 = pos[w]
                for k in range(k0 + 1, len(seq)):
                    p = prep.pred[seq[k]]
                    if p is None or end[p] >= 0:
                        i = seq.pop(k)
                        seq.insert(k0, i)
                        warnings.append(
                            f"sequence on {w} contradicts the routing: operation "
                            f"{prep.ops[i].op_id} moved forward"
                        )
                        break
                else:
                    continue
                break
            else:  # pragma: no cover - impossible: some routing head is always startable
                raise RuntimeError("decode deadlock")
    return Decoded(start, end, ivs, seqs, warnings, list(prep.wc))


def to_result(
    prep: Prepared,
    dec: Decoded,
    strategy: str,
    *,
    proven_optimal: bool = False,
    runtime_s: float = 0.0,
    status: str = "",
    warnings: list[str] | None = None,
) -> ShopResult:
    from scheduler_core.shop.kpis import compute_kpis

    origin = prep.origin

    def at(m: int) -> datetime:
        return origin + timedelta(minutes=m)

    planned = []
    for i, op in enumerate(prep.ops):
        planned.append(
            PlannedOperation(
                op_id=op.op_id,
                rn=op.rn,
                sequence=op.sequence,
                name=op.name,
                work_center=dec.wc[i] if dec.wc else op.work_center,
                start=at(dec.start[i]),
                end=at(dec.end[i]),
                duration_minutes=prep.dur[i],
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
            )
        )
    kpis = compute_kpis(prep, dec, outcomes)
    all_warnings = list(dict.fromkeys([*dec.warnings, *(warnings or [])]))
    return ShopResult(
        strategy=strategy,
        due_basis=prep.due_basis,
        start=origin,
        operations=planned,
        orders=outcomes,
        kpis=kpis,
        proven_optimal=proven_optimal,
        runtime_s=runtime_s,
        status=status,
        warnings=all_warnings,
    )
