"""Independent validator of a shop plan: a list of small named rules (it does not use the
planners' code).

Rules (``Violation.rule``):

* ``missing`` – an open operation is not planned (an order with an open operation on an
  inactive work center is not planned at all: its operations count as not open); ``unknown`` – a planned operation is not
  an open operation of the problem; ``duplicate`` – planned twice;
* ``work-center`` – planned on a work center that is neither the operation's own nor one
  of its alternatives;
* ``intervals`` – work intervals empty, unordered, overlapping, or not spanning start..end
  (an operation in progress may start before its first interval: its actual start);
* ``duration`` – working minutes ≠ setup minutes + ``norma × (1 − qty_completed /
  quantity)`` (rounded up);
* ``setup`` – an operation has less setup than it needs: the work center's
  ``setup_time_minutes`` unless the operation before it there is of the same product or it
  is in progress;
* ``working-time`` – an interval uses time that is not working time of the work center
  (shift, break, non-working date, downtime);
* ``overlap`` – two operations overlap on one work center;
* ``precedence`` – an operation starts before the previous open operation of its order ends;
* ``before-start`` – work planned before the plan start;

Times are plant wall-clock time of the problem's zone; minutes are real elapsed minutes.
* ``pin`` – an operation pinned after another on a work center starts before that one ends;
* ``in-progress`` – an operation in progress is not the first on its work center.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from scheduler_core.shop.calendar import Timeline
from scheduler_core.shop.clock import elapsed_minutes, to_utc
from scheduler_core.shop.model import Downtime, Operation, ShopProblem
from scheduler_core.shop.result import PlannedOperation, ShopResult


@dataclass(frozen=True)
class Violation:
    """One broken rule instance: the rule's name, a message and the operation concerned."""

    rule: str
    message: str
    op_id: str | None = None

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass
class Checked:
    """What the rules check: the problem's open operations by id, the plan, and the planned
    operations that are open operations (first occurrence of each)."""

    problem: ShopProblem
    result: ShopResult
    open_ops: dict[str, Operation]
    planned: list[PlannedOperation]

    @classmethod
    def of(cls, problem: ShopProblem, result: ShopResult) -> Checked:
        """Index ``result`` against the open operations of ``problem`` that are to be planned
        (those of an order with an open operation on an inactive work center are not)."""
        inactive = {w.code for w in problem.work_centers if not w.active}
        left_out = {op.rn for op in problem.open_operations() if op.work_center in inactive}
        open_ops = {op.op_id: op for op in problem.open_operations() if op.rn not in left_out}
        first: dict[str, PlannedOperation] = {}
        for p in result.operations:
            first.setdefault(p.op_id, p)
        planned = [p for p in first.values() if p.op_id in open_ops]
        return cls(problem, result, open_ops, planned)

    def utc(self, moment: datetime) -> datetime:
        """``moment`` (plant wall-clock) in UTC, so times across a switch compare right."""
        return to_utc(moment, self.problem.time_zone)

    def well_formed(self) -> list[PlannedOperation]:
        """Planned operations whose intervals are consistent (the others fail ``intervals``)."""
        return [p for p in self.planned if _intervals_ok(p)]

    def by_work_center(self) -> dict[str, list[PlannedOperation]]:
        """Planned operations per work center code."""
        out: dict[str, list[PlannedOperation]] = {}
        for p in self.planned:
            out.setdefault(p.work_center, []).append(p)
        return out


def _intervals_ok(p: PlannedOperation) -> bool:
    ivs = list(p.intervals)
    ok = bool(ivs) and all(s < e for s, e in ivs)
    ok = ok and all(ivs[k][1] <= ivs[k + 1][0] for k in range(len(ivs) - 1))
    return ok and (ivs[0][0] == p.start or (p.in_progress and p.start < ivs[0][0])) and ivs[-1][1] == p.end


def planned_once(c: Checked) -> Iterator[Violation]:
    """No operation is planned twice."""
    seen: set[str] = set()
    for p in c.result.operations:
        if p.op_id in seen:
            yield Violation("duplicate", f"{p.op_id} is planned twice", p.op_id)
        seen.add(p.op_id)


def only_open_operations(c: Checked) -> Iterator[Violation]:
    """Only open operations of the problem are planned."""
    seen: set[str] = set()
    for p in c.result.operations:
        if p.op_id not in seen and p.op_id not in c.open_ops:
            yield Violation("unknown", f"{p.op_id} is not an open operation", p.op_id)
        seen.add(p.op_id)


def every_open_operation_planned(c: Checked) -> Iterator[Violation]:
    """Every open operation is planned."""
    planned = {p.op_id for p in c.result.operations}
    for op_id in c.open_ops:
        if op_id not in planned:
            yield Violation("missing", f"{op_id} is not planned", op_id)


def allowed_work_center(c: Checked) -> Iterator[Violation]:
    """An operation runs on its own work center or one of its alternatives."""
    for p in c.planned:
        op = c.open_ops[p.op_id]
        if p.work_center != op.work_center and p.work_center not in op.alternatives:
            allowed = ", ".join((op.work_center, *op.alternatives))
            yield Violation("work-center", f"{p.op_id} planned on {p.work_center}, allowed: {allowed}", p.op_id)


def consistent_intervals(c: Checked) -> Iterator[Violation]:
    """Work intervals are non-empty, ordered, disjoint and span start..end."""
    for p in c.planned:
        if not _intervals_ok(p):
            yield Violation("intervals", f"{p.op_id}: inconsistent work intervals", p.op_id)


def not_before_start(c: Checked) -> Iterator[Violation]:
    """No work is planned before the plan start."""
    for p in c.well_formed():
        if c.utc(p.intervals[0][0]) < c.utc(c.result.start):
            yield Violation("before-start", f"{p.op_id} starts before the plan start", p.op_id)


def duration_matches(c: Checked) -> Iterator[Violation]:
    """The working minutes planned are the setup plus the operation's remaining minutes."""
    zone = c.problem.time_zone
    for p in c.well_formed():
        op = c.open_ops[p.op_id]
        work = sum(round(elapsed_minutes(s, e, zone)) for s, e in p.intervals)
        if work != op.remaining_minutes + p.setup_minutes:
            yield Violation(
                "duration",
                f"{p.op_id}: {work} working minutes planned, needs {op.remaining_minutes}"
                + (f" + {p.setup_minutes} setup" if p.setup_minutes else ""),
                p.op_id,
            )


def setup_kept(c: Checked) -> Iterator[Violation]:
    """An operation gets its work center's setup unless the one before it there is of the
    same product (or it is in progress)."""
    product = {o.rn: o.kpl for o in c.problem.work_orders}
    for code, ops in c.by_work_center().items():
        try:
            needed = c.problem.wc(code).setup_time_minutes
        except KeyError:
            continue
        previous = None
        for p in sorted(ops, key=lambda p: (c.utc(p.start), c.utc(p.end))):
            same = previous is not None and product.get(p.rn) and product.get(previous.rn) == product.get(p.rn)
            if needed and not same and c.open_ops[p.op_id].status != "in_progress" and p.setup_minutes < needed:
                after = f"after {previous.op_id} (another product)" if previous is not None else "first"
                yield Violation("setup", f"{p.op_id}: {p.setup_minutes} setup minutes on {code} {after}, "
                                         f"needs {needed}", p.op_id)
            previous = p


def _timeline(c: Checked, code: str, first: datetime, cache: dict[str, Timeline]) -> Timeline | None:
    if code not in cache:
        try:
            wc = c.problem.wc(code)
        except KeyError:
            return None
        down: list[Downtime] = [d for d in c.problem.downtime if d.work_center == code]
        cache[code] = Timeline(wc.calendar, first, down, name=code, zone_name=c.problem.time_zone)
    return cache[code]


def within_working_time(c: Checked) -> Iterator[Violation]:
    """Every work interval lies in working time of its work center (shifts, breaks,
    non-working dates and downtime excluded)."""
    cache: dict[str, Timeline] = {}
    for p in c.well_formed():
        tl = _timeline(c, p.work_center, min(c.result.start, p.intervals[0][0]), cache)
        if tl is None:
            continue
        for s, e in p.intervals:
            a, b = tl.to_minute(s), tl.to_minute(e)
            if a < 0 or tl.working_between(a, b) != b - a:
                yield Violation(
                    "working-time",
                    f"{p.op_id}: {s:%Y-%m-%d %H:%M}–{e:%H:%M} is not all working time of {p.work_center}",
                    p.op_id,
                )
                break


def no_overlap(c: Checked) -> Iterator[Violation]:
    """Two operations never work at the same time on one work center."""
    for code, ops in c.by_work_center().items():
        pieces = sorted((c.utc(s), c.utc(e), p.op_id) for p in ops for s, e in p.intervals)
        for (_s1, e1, a), (s2, _e2, b) in zip(pieces, pieces[1:], strict=False):
            if s2 < e1 and a != b:
                yield Violation("overlap", f"{a} and {b} overlap on {code}", b)


def in_progress_first(c: Checked) -> Iterator[Violation]:
    """An operation in progress comes before every not-started operation of its work center."""
    for code, ops in c.by_work_center().items():
        ordered = sorted(ops, key=lambda p: (p.start, p.end))
        for k, p in enumerate(ordered):
            if c.open_ops[p.op_id].status == "in_progress" and any(
                q.start < p.start and c.open_ops[q.op_id].status != "in_progress" for q in ordered[:k]
            ):
                yield Violation("in-progress", f"{p.op_id} is in progress but not first on {code}", p.op_id)


def pins_kept(c: Checked) -> Iterator[Violation]:
    """An operation pinned after another on one work center starts after that one ends
    (unless it is in progress: running work stays first)."""
    planned = {p.op_id: p for p in c.planned}
    for first, then in c.problem.pins:
        a, b = planned.get(first), planned.get(then)
        if a is None or b is None or a.work_center != b.work_center or c.open_ops[then].status == "in_progress":
            continue
        if c.utc(b.start) < c.utc(a.end):
            yield Violation("pin", f"{then} must follow {first} on {a.work_center}", then)


def routing_precedence(c: Checked) -> Iterator[Violation]:
    """An operation starts after the previous open operation of its order ends."""
    by_order: dict[str, list[tuple[int, PlannedOperation]]] = {}
    for p in c.planned:
        by_order.setdefault(p.rn, []).append((c.open_ops[p.op_id].sequence, p))
    for rn, ops in by_order.items():
        ops.sort(key=lambda t: t[0])
        for (_, a), (_, b) in zip(ops, ops[1:], strict=False):
            if c.utc(b.intervals[0][0] if b.intervals else b.start) < c.utc(a.end):
                yield Violation("precedence", f"{b.op_id} starts before {a.op_id} of order {rn} ends", b.op_id)


#: Every rule a plan must satisfy, in the order violations are reported.
PLAN_RULES = (
    planned_once,
    only_open_operations,
    every_open_operation_planned,
    allowed_work_center,
    consistent_intervals,
    not_before_start,
    duration_matches,
    setup_kept,
    within_working_time,
    no_overlap,
    in_progress_first,
    pins_kept,
    routing_precedence,
)


def validate_plan(problem: ShopProblem, result: ShopResult) -> list[Violation]:
    """Every violation of :data:`PLAN_RULES` by ``result`` for ``problem``; ``[]`` = valid."""
    checked = Checked.of(problem, result)
    return [v for rule in PLAN_RULES for v in rule(checked)]
