"""Every planner edit of a shop, as a pure function ``ShopProblem -> ShopProblem``.

Reorder a work center's queue, move an operation to another work center, pin or unpin an
operation's start, mark an operation or a whole order finished, record or remove downtime,
change a work center's shifts and working days or the calendar of some dates, change an
order's urgency rank and priority. Each edit checks its arguments, never changes its input,
and returns a new problem (which validates itself). The scheduling board and the what-if
scenarios of the app both apply these functions; re-planning is the caller's choice
(``planner.plan`` with ``planner.options_of`` the previous plan).

``roll_forward`` is the edit time makes: the problem as it stands at a later moment if the
previous plan was executed as planned.

Raises (every edit): ``UnknownReference`` (an ``InputError``) for a work center, work order
or operation that does not exist; ``InputError`` for any other bad argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from scheduler_core.errors import InputError, Problem, UnknownReference
from scheduler_core.shop.model import DEFAULT_SHIFTS, Downtime, Operation, ShopProblem, WorkCenter, WorkOrder
from scheduler_core.shop.result import ShopResult

#: Names of the shifts a calendar edit may name.
SHIFT_NAMES: tuple[str, ...] = tuple(s.name for s in DEFAULT_SHIFTS)
#: A calendar edit spans at most this many days.
MAX_CALENDAR_DAYS = 366


def _operation(problem: ShopProblem, op_id: str) -> Operation:
    try:
        return problem.operation(op_id)
    except KeyError:
        raise UnknownReference(Problem(f"unknown operation '{op_id}'")) from None


def _work_center(problem: ShopProblem, code: str) -> WorkCenter:
    try:
        return problem.wc(code)
    except KeyError:
        raise UnknownReference(Problem(f"unknown work center '{code}'")) from None


def _order(problem: ShopProblem, rn: str) -> WorkOrder:
    try:
        return problem.order(rn)
    except KeyError:
        raise UnknownReference(Problem(f"unknown work order '{rn}'")) from None


def _without(manual: dict[str, tuple[str, ...]], op_ids: set[str]) -> dict[str, tuple[str, ...]]:
    """Manual sequences without ``op_ids`` (a work center left with none drops out)."""
    kept = {w: tuple(i for i in ids if i not in op_ids) for w, ids in manual.items()}
    return {w: ids for w, ids in kept.items() if ids}


def _with_operations(problem: ShopProblem, changed: dict[str, Operation], **changes: object) -> ShopProblem:
    ops = tuple(changed.get(op.op_id, op) for op in problem.operations)
    return replace(problem, operations=ops, **changes)


def _with_work_center(problem: ShopProblem, wc: WorkCenter) -> ShopProblem:
    return replace(problem, work_centers=tuple(wc if w.code == wc.code else w for w in problem.work_centers))


def _with_order(problem: ShopProblem, order: WorkOrder) -> ShopProblem:
    return replace(problem, work_orders=tuple(order if o.rn == order.rn else o for o in problem.work_orders))


def _check_shifts(shifts: Iterable[str]) -> frozenset[str]:
    chosen = frozenset(shifts)
    if not chosen or not chosen <= set(SHIFT_NAMES):
        raise InputError(Problem(f"shifts must be some of {', '.join(SHIFT_NAMES)}"))
    return chosen


# ------------------------------------------------------------------------ queues


def moved(queue: Sequence[str], item: str, step: int) -> list[str]:
    """``queue`` with ``item`` moved ``step`` places (−1 = one earlier), clamped to the ends."""
    q = list(queue)
    i = q.index(item)
    j = max(0, min(len(q) - 1, i + step))
    q.insert(j, q.pop(i))
    return q


def reorder(problem: ShopProblem, work_center: str, op_ids: Sequence[str]) -> ShopProblem:
    """The planner's order of ``op_ids`` on ``work_center``, kept by every re-plan (an empty
    list clears the work center's manual order)."""
    _work_center(problem, work_center)
    for i in op_ids:
        _operation(problem, i)
    if len(set(op_ids)) != len(op_ids):
        raise InputError(Problem("an operation is listed twice"))
    foreign = [i for i in op_ids if problem.operation(i).work_center != work_center]
    if foreign:
        raise InputError([Problem(f"operation '{i}' is not on {work_center}") for i in foreign])
    manual = dict(problem.manual_sequences)
    if op_ids:
        manual[work_center] = tuple(op_ids)
    else:
        manual.pop(work_center, None)
    return replace(problem, manual_sequences=manual)


def move_operation(problem: ShopProblem, op_id: str, work_center: str) -> ShopProblem:
    """Run ``op_id`` on the active ``work_center`` instead (it leaves its manual order)."""
    target = _work_center(problem, work_center)
    if not target.active:
        raise InputError(Problem(f"work center '{work_center}' is inactive"))
    op = _operation(problem, op_id)
    manual = _without(problem.manual_sequences, {op_id})
    return _with_operations(problem, {op_id: replace(op, work_center=work_center)}, manual_sequences=manual)


def pin_operation(problem: ShopProblem, op_id: str, start: datetime | None) -> ShopProblem:
    """Pin ``op_id`` to start at ``start`` (plant-local); ``None`` releases the pin."""
    op = _operation(problem, op_id)
    return _with_operations(problem, {op_id: replace(op, pinned_start=start)})


# ---------------------------------------------------------------------- progress


def _finished(op: Operation, at: datetime) -> Operation:
    return replace(op, status="completed", quantity_completed=op.quantity, actual_end=op.actual_end or at)


def finish_operation(problem: ShopProblem, op_id: str, at: datetime) -> ShopProblem:
    """Mark ``op_id`` completed at ``at`` (kept if it has an actual end): it drops out of
    planning and of its work center's manual order."""
    op = _operation(problem, op_id)
    manual = _without(problem.manual_sequences, {op_id})
    return _with_operations(problem, {op_id: _finished(op, at)}, manual_sequences=manual)


def finish_order(problem: ShopProblem, rn: str, at: datetime) -> ShopProblem:
    """Mark work order ``rn`` and all its operations completed at ``at`` (they leave the
    manual orders)."""
    order = _order(problem, rn)
    changed = {op.op_id: _finished(op, at) for op in problem.operations if op.rn == rn}
    manual = _without(problem.manual_sequences, set(changed))
    return _with_operations(_with_order(problem, replace(order, status="completed")), changed, manual_sequences=manual)


def roll_forward(problem: ShopProblem, previous: ShopResult, at: datetime) -> ShopProblem:
    """The problem as it stands at ``at`` if ``previous`` was executed as planned: what had
    ended is completed, what was running is in progress with the work done by then counted,
    and the plan starts at ``at``."""
    planned = {p.op_id: p for p in previous.operations}
    changed: dict[str, Operation] = {}
    for op in problem.operations:
        p = planned.get(op.op_id)
        if p is None or not op.is_open:
            continue
        if p.end <= at:
            changed[op.op_id] = replace(
                op, status="completed", quantity_completed=op.quantity, actual_start=op.actual_start or p.start,
                actual_end=p.end,
            )
        elif p.start < at:
            worked = sum(max(0.0, (min(e, at) - s).total_seconds() / 60) for s, e in p.intervals)
            remaining = max(0.0, op.remaining_minutes - worked)
            # quantity done such that norma × (1 − done / quantity) = remaining minutes
            done = op.quantity * (1 - remaining / op.norma) if op.norma else op.quantity
            done = min(float(op.quantity), max(float(op.quantity_completed), done))
            changed[op.op_id] = replace(
                op, status="in_progress", quantity_completed=done, actual_start=op.actual_start or p.start
            )
    return _with_operations(problem, changed, start=at)


# ---------------------------------------------------------------------- capacity


def add_downtime(problem: ShopProblem, downtime: Downtime) -> ShopProblem:
    """Record a breakdown or maintenance period on a work center."""
    _work_center(problem, downtime.work_center)
    if downtime.end <= downtime.start:
        raise InputError(Problem("the downtime must end after it starts"))
    return replace(problem, downtime=(*problem.downtime, downtime))


def remove_downtime(problem: ShopProblem, downtime: Downtime) -> ShopProblem:
    """Remove one recorded downtime period (an identical one, if listed twice, stays)."""
    rest = list(problem.downtime)
    if downtime not in rest:
        raise UnknownReference(Problem(f"no such downtime on '{downtime.work_center}'"))
    rest.remove(downtime)
    return replace(problem, downtime=tuple(rest))


def set_shifts(problem: ShopProblem, work_center: str, shifts: Iterable[str], weekdays: Iterable[int]) -> ShopProblem:
    """Work center ``work_center`` works ``shifts`` (S1..S3) on ``weekdays`` (0 = Monday);
    its daily capacity becomes the working hours of those shifts."""
    wc = _work_center(problem, work_center)
    chosen = _check_shifts(shifts)
    days = frozenset(int(d) for d in weekdays)
    if not days <= set(range(7)):
        raise InputError(Problem("working days must be 0 (Monday) .. 6 (Sunday)"))
    calendar = replace(wc.calendar, shift_names=chosen, weekdays=days)
    return _with_work_center(problem, replace(wc, calendar=calendar, capacity_hours_per_day=calendar.hours_per_working_day))


def calendar_days(first: date, last: date) -> list[date]:
    """The dates ``first``..``last`` (inclusive), at most :data:`MAX_CALENDAR_DAYS`.

    Raises:
        InputError: the range ends before it starts or is longer than a year.
    """
    if last < first:
        raise InputError(Problem("the date range ends before it starts"))
    if (last - first).days > MAX_CALENDAR_DAYS:
        raise InputError(Problem("at most one year at a time"))
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def set_calendar(
    problem: ShopProblem, work_center: str, first: date, last: date, shifts: Iterable[str], working: bool
) -> ShopProblem:
    """Mark ``shifts`` of every date ``first``..``last`` on ``work_center`` working or not
    (holidays, extra shifts)."""
    wc = _work_center(problem, work_center)
    chosen = sorted(_check_shifts(shifts))
    calendar = wc.calendar
    for day in calendar_days(first, last):
        for shift in chosen:
            calendar = calendar.with_override(day, shift, bool(working))
    return _with_work_center(problem, replace(wc, calendar=calendar))


# ----------------------------------------------------------------------- urgency


def set_urgency(problem: ShopProblem, rn: str, urgency_rank: int | None, priority_level: int) -> ShopProblem:
    """Give work order ``rn`` an urgency rank (``None``: off the list) and a priority 1..3."""
    order = _order(problem, rn)
    if priority_level not in (1, 2, 3):
        raise InputError(Problem("priority must be 1, 2 or 3"))
    if urgency_rank is not None and urgency_rank < 1:
        raise InputError(Problem("the urgency rank must be 1 or more"))
    return _with_order(problem, replace(order, urgency_rank=urgency_rank, priority_level=priority_level))


def urgency_list(problem: ShopProblem) -> list[str]:
    """Work orders on the urgency list, most urgent first (ties in the problem's order)."""
    ranked = [(o.urgency_rank, k, o.rn) for k, o in enumerate(problem.work_orders) if o.urgency_rank is not None]
    return [rn for _, _, rn in sorted(ranked)]


def move_urgency(problem: ShopProblem, rn: str, step: int) -> ShopProblem:
    """Move ``rn`` ``step`` places on the urgency list (−1 = more urgent; an order not on
    the list joins at its end, and cannot move further down). Ranks become 1..n."""
    _order(problem, rn)
    ranked = urgency_list(problem)
    if rn not in ranked:
        ranked.append(rn)
        step = min(step, 0)
    rank = {r: k for k, r in enumerate(moved(ranked, rn, step), 1)}
    orders = tuple(replace(o, urgency_rank=rank.get(o.rn)) for o in problem.work_orders)
    return replace(problem, work_orders=orders)
