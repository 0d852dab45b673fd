"""A shop problem made ready for planning: open operations indexed 0..n-1, durations,
setups, routing predecessors, pins, due moments and timelines in integer real minutes from
the plan start (plant wall-clock time of the problem's zone, ``clock.Clock``).

A work order with an open operation on an inactive work center is left out of the plan
(``orders_on_inactive``; the plan lists it as not planned, ``kpis.orders_not_planned``),
the other orders are planned. The same condition as a rule (:data:`PLAN_RULES`) is what an
import must satisfy (``merge``, ``io.partial``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from scheduler_core.errors import Problem
from scheduler_core.shop import clock
from scheduler_core.shop.calendar import Timeline
from scheduler_core.shop.clock import Clock
from scheduler_core.shop.model import Operation, ShopProblem, WorkOrder


def natural_key(text: str) -> tuple:
    """Sort key that puts ``RN-2`` before ``RN-10``."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", text)
        if part
    )


def resolve_start(problem: ShopProblem) -> datetime:
    """Plan start: the problem's (seconds dropped), else now in the plant's time zone
    rounded up to the next whole minute."""
    if problem.start is None:
        return clock.now(problem.time_zone)
    return problem.start.replace(second=0, microsecond=0)


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
    #: Minutes <-> plant wall-clock moments (real minutes across daylight-saving switches).
    clock: Clock | None = None
    #: Product (``kpl``) of each operation's order; "" when unknown (always a setup).
    product: list[str] = field(default_factory=list)
    #: Setup minutes of each work center (``setup_time_minutes``).
    setup_of_wc: dict[str, int] = field(default_factory=dict)
    #: Operation index -> the operations pinned before it (whether they bind: ``pin_preds``).
    pins_before: dict[int, list[int]] = field(default_factory=dict)
    #: Work centers each operation may run on (its own first, then active alternatives).
    #: ``wc`` is the current assignment; strategies may change it within ``allowed``.
    allowed: list[tuple[str, ...]] = field(default_factory=list)
    #: The planner's pins between open operations: (first, then) indices; a pin binds only
    #: while both operations are on one work center (``wc``).
    pins: list[tuple[int, int]] = field(default_factory=list)

    @property
    def n(self) -> int:
        """Number of open operations."""
        return len(self.ops)

    def work_centers(self) -> list[str]:
        """Work centers with open operations, in the problem's order."""
        used = set(self.wc)
        return [w.code for w in self.problem.work_centers if w.code in used]

    def exact_time(self) -> bool:
        """True when every used work center is always working, without downtime and without
        setup (then the solver's model is exact)."""
        down = {d.work_center for d in self.problem.downtime}
        return all(
            self.problem.wc(c).calendar.always_working and c not in down and not self.setup_of_wc.get(c)
            for c in self.work_centers()
        )

    def pin_preds(self, i: int) -> list[int]:
        """The operations pinned before ``i`` that bind now (on ``i``'s work center)."""
        return [a for a in self.pins_before.get(i, ()) if self.wc[a] == self.wc[i]]

    def setup(self, i: int, previous: int | None, work_center: str | None = None) -> int:
        """Setup minutes operation ``i`` needs on ``work_center`` (default: its own) after
        operation ``previous`` there (``None``: the first): none when ``i`` is in progress
        or ``previous`` is of the same product, else the work center's setup time."""
        if self.in_progress[i]:
            return 0
        if previous is not None and self.product[i] and self.product[previous] == self.product[i]:
            return 0
        return self.setup_of_wc.get(work_center or self.wc[i], 0)

    def longest_setup(self, i: int, work_center: str | None = None) -> int:
        """The most setup operation ``i`` can need on ``work_center`` (default: its own)."""
        return 0 if self.in_progress[i] else self.setup_of_wc.get(work_center or self.wc[i], 0)


def open_on_inactive(problem: ShopProblem) -> list[Operation]:
    """The open operations of ``problem`` that sit on a known but inactive work center."""
    active = {w.code for w in problem.work_centers if w.active}
    known = {w.code for w in problem.work_centers}
    return [op for op in problem.open_operations() if op.work_center in known and op.work_center not in active]


def inactive_reason(op: Operation) -> str:
    """Why ``op`` (open, on an inactive work center) cannot be planned."""
    return (f"operation '{op.op_id}': work center '{op.work_center}' is inactive; "
            "move the operation to an active work center")


def open_operations_on_active_work_centers(problem: ShopProblem) -> Iterator[Problem]:
    """Every open operation runs on an active work center (an inactive one is not planned)."""
    for op in open_on_inactive(problem):
        yield Problem(inactive_reason(op))


def orders_on_inactive(problem: ShopProblem) -> dict[str, list[Operation]]:
    """The open work orders with open operations on an inactive work center -> those
    operations: the plan leaves these orders out (as not planned)."""
    blocked: dict[str, list[Operation]] = {}
    for op in open_on_inactive(problem):
        blocked.setdefault(op.rn, []).append(op)
    return blocked


#: Rules an imported shop must satisfy (planning leaves such orders out instead).
PLAN_RULES = (open_operations_on_active_work_centers,)


def prepare(problem: ShopProblem, due: str = "assembly") -> Prepared:
    """The planning view of ``problem`` from its start (or now) with due moments of basis
    ``due`` (one of ``DUE_BASES``, as ``ShopOptions`` checked). The orders of
    :func:`orders_on_inactive` are left out."""
    origin = resolve_start(problem)
    blocked = orders_on_inactive(problem)
    open_ops = [op for op in problem.open_operations() if op.rn not in blocked]
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
        w.code: Timeline(w.calendar, origin, downtime_by_wc.get(w.code, ()), name=w.code, zone_name=problem.time_zone)
        for w in problem.work_centers
    }
    clk = Clock(origin, problem.time_zone)
    # a fixed start before the plan start stays negative: decode starts at the start and says so
    pinned = [None if op.pinned_start is None else clk.to_minute(op.pinned_start) for op in ops]
    orders = [orders_by_rn[rn] for rn in order_ops]
    due_min: dict[str, int | None] = {}
    for o in orders:
        d = o.due(due)
        due_min[o.rn] = None if d is None else clk.to_minute(d)
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
        clock=clk,
        product=[orders_by_rn[op.rn].kpl for op in ops],
        setup_of_wc={w.code: int(w.setup_time_minutes) for w in problem.work_centers},
    )
    prep.index = {op.op_id: i for i, op in enumerate(ops)}
    prep.pins = [(prep.index[a], prep.index[b]) for a, b in problem.pins if a in prep.index and b in prep.index]
    for a, b in prep.pins:
        prep.pins_before.setdefault(b, []).append(a)
    active = {w.code for w in problem.work_centers if w.active}
    prep.allowed = [
        (op.work_center,)
        if prep.in_progress[i] or prep.pinned[i] is not None
        else (op.work_center,) + tuple(
            dict.fromkeys(a for a in op.alternatives if a in active and a != op.work_center))
        for i, op in enumerate(ops)
    ]
    return prep


