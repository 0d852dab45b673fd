"""Planner actions as pure functions: each returns a new problem and its re-plan.

``reorder`` / ``move_operation`` / ``finish_operation`` / ``finish_order`` /
``add_downtime`` change the problem (never in place) and re-plan it with the strategy,
due basis and start of the given plan. ``replan`` re-plans from a later moment: what the
previous plan had finished by then is marked completed, what was running keeps running
(in progress, first on its work center, with the work already done counted).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import NamedTuple

from scheduler_core.errors import InputError, Problem
from scheduler_core.shop import plan
from scheduler_core.shop.model import Downtime, Operation, ShopProblem, ShopResult


class Replanned(NamedTuple):
    problem: ShopProblem
    result: ShopResult


def _again(problem: ShopProblem, previous: ShopResult, time_limit_s: float,
           start: datetime | None = None) -> Replanned:
    result = plan(problem, previous.strategy, due=previous.due_basis,
                  start=start or previous.start, time_limit_s=time_limit_s)
    return Replanned(problem, result)


def _op(problem: ShopProblem, op_id: str) -> Operation:
    for op in problem.operations:
        if op.op_id == op_id:
            return op
    raise InputError(Problem(f"unknown operation '{op_id}'"))


def _with_ops(problem: ShopProblem, ops: list[Operation], **changes) -> ShopProblem:
    return replace(problem, operations=tuple(ops), **changes)


def reorder(problem: ShopProblem, previous: ShopResult, work_center: str, op_ids: list[str],
            *, time_limit_s: float = 10.0) -> Replanned:
    """The planner's order of ``op_ids`` on ``work_center`` (kept by every re-plan)."""
    bad = [i for i in op_ids if _op(problem, i).work_center != work_center]
    if bad:
        raise InputError([Problem(f"operation '{i}' is not on {work_center}") for i in bad])
    if len(set(op_ids)) != len(op_ids):
        raise InputError(Problem("an operation is listed twice"))
    manual = dict(problem.manual_sequences)
    manual[work_center] = tuple(op_ids)
    return _again(replace(problem, manual_sequences=manual), previous, time_limit_s)


def move_operation(problem: ShopProblem, previous: ShopResult, op_id: str, work_center: str,
                   *, time_limit_s: float = 10.0) -> Replanned:
    """Run ``op_id`` on ``work_center`` instead (it leaves its old manual sequence)."""
    try:
        wc = problem.wc(work_center)
    except KeyError:
        raise InputError(Problem(f"unknown work center '{work_center}'")) from None
    if not wc.active:
        raise InputError(Problem(f"work center '{work_center}' is inactive"))
    _op(problem, op_id)
    ops = [replace(op, work_center=work_center) if op.op_id == op_id else op
           for op in problem.operations]
    manual = {w: tuple(i for i in ids if i != op_id)
              for w, ids in problem.manual_sequences.items()}
    return _again(_with_ops(problem, ops, manual_sequences=manual), previous, time_limit_s)


def finish_operation(problem: ShopProblem, previous: ShopResult, op_id: str,
                     *, time_limit_s: float = 10.0) -> Replanned:
    """Mark an operation completed: it drops out of planning."""
    _op(problem, op_id)
    ops = [replace(op, status="completed", quantity_completed=op.quantity)
           if op.op_id == op_id else op for op in problem.operations]
    return _again(_with_ops(problem, ops), previous, time_limit_s)


def finish_order(problem: ShopProblem, previous: ShopResult, rn: str,
                 *, time_limit_s: float = 10.0) -> Replanned:
    """Mark a work order and all its operations completed."""
    try:
        problem.order(rn)
    except KeyError:
        raise InputError(Problem(f"unknown work order '{rn}'")) from None
    orders = tuple(replace(o, status="completed") if o.rn == rn else o
                   for o in problem.work_orders)
    ops = [replace(op, status="completed", quantity_completed=op.quantity)
           if op.rn == rn else op for op in problem.operations]
    return _again(_with_ops(problem, ops, work_orders=orders), previous, time_limit_s)


def add_downtime(problem: ShopProblem, previous: ShopResult, downtime: Downtime,
                 *, time_limit_s: float = 10.0) -> Replanned:
    """Record a breakdown / maintenance period."""
    changed = replace(problem, downtime=(*problem.downtime, downtime))
    changed.check()
    return _again(changed, previous, time_limit_s)


def roll_forward(problem: ShopProblem, previous: ShopResult, at: datetime) -> ShopProblem:
    """The problem as it stands at ``at`` if ``previous`` was executed as planned."""
    planned = {p.op_id: p for p in previous.operations}
    ops = []
    for op in problem.operations:
        p = planned.get(op.op_id)
        if p is None or not op.is_open:
            ops.append(op)
        elif p.end <= at:
            ops.append(replace(op, status="completed", quantity_completed=op.quantity,
                               actual_start=op.actual_start or p.start, actual_end=p.end))
        elif p.start < at:
            worked = sum(
                max(0.0, (min(e, at) - s).total_seconds() / 60) for s, e in p.intervals
            )
            remaining = max(0.0, op.remaining_minutes - worked)
            # quantity done such that norma × (1 − done / quantity) = remaining minutes
            done = op.quantity * (1 - remaining / op.norma) if op.norma else op.quantity
            done = min(float(op.quantity), max(float(op.quantity_completed), done))
            ops.append(replace(op, status="in_progress", quantity_completed=done,
                               actual_start=op.actual_start or p.start))
        else:
            ops.append(op)
    return _with_ops(problem, ops, start=at)


def replan(problem: ShopProblem, previous: ShopResult, at: datetime,
           *, time_limit_s: float = 10.0) -> Replanned:
    """Re-plan from ``at``; operations running at ``at`` keep running."""
    rolled = roll_forward(problem, previous, at)
    return _again(rolled, previous, time_limit_s, start=at)
