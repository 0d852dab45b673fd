"""Every planner edit of a shop, as a pure function ``ShopProblem -> ShopProblem``.

Move an operation up or down its work center's queue or give the queue a new order (only
the operations moved are pinned to their new neighbours; pins can be released one by one or
all at once), move an operation to another work center, fix or release an operation's
start, mark an operation or a whole order finished, record, change or remove downtime (from
``shop.downtime``),
change a work center's shifts and working days or the calendar of some dates, change an
order's urgency rank and priority. Each edit checks its arguments, never changes its input,
and returns a new problem (which validates itself). The scheduling board and the what-if
scenarios of the app both apply these functions; re-planning is the caller's choice
(``planner.plan`` with ``planner.options_of`` the previous plan).

``roll_forward`` is the edit time makes: the problem as it stands at a later moment if the
previous plan was executed as planned; ``freeze`` keeps the operations a previous plan
starts within a frozen horizon where they are.

Raises (every edit): ``UnknownReference`` (an ``InputError``) for a work center, work order
or operation that does not exist; ``InputError`` for any other bad argument.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta

from scheduler_core.errors import InputError, Problem, UnknownReference
from scheduler_core.shop.clock import elapsed_minutes
from scheduler_core.shop.downtime import add_downtime, edit_downtime, remove_downtime  # noqa: F401 - part of edits
from scheduler_core.shop.model import (
    DEFAULT_SHIFTS,
    Operation,
    ShopProblem,
    WorkCenter,
    WorkOrder,
)
from scheduler_core.shop.pins import pin_cycle
from scheduler_core.shop.result import ShopResult

#: Day names, Monday first (index = weekday number).
DAY_NAMES: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: Names of the shifts a calendar edit may name.
SHIFT_NAMES: tuple[str, ...] = tuple(s.name for s in DEFAULT_SHIFTS)
#: A calendar edit spans at most this many days.
MAX_CALENDAR_DAYS = 366


def _operation(problem: ShopProblem, op_id: str) -> Operation:
    try:
        return problem.operation(op_id)
    except KeyError:
        raise UnknownReference(Problem(f"unknown operation '{op_id}'")) from None


def _open_operation(problem: ShopProblem, op_id: str) -> Operation:
    op = _operation(problem, op_id)
    if op_id not in {o.op_id for o in problem.open_operations()}:
        raise InputError(Problem(f"operation '{op_id}' is finished; only open work can be changed"))
    return op


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


def _unpinned(pins: tuple[tuple[str, str], ...], op_ids: set[str]) -> tuple[tuple[str, str], ...]:
    """``pins`` without those of ``op_ids``."""
    return tuple(pin for pin in pins if pin[0] not in op_ids and pin[1] not in op_ids)


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


def _check_pin(problem: ShopProblem, first: str, then: str) -> None:
    """Why ``then`` cannot be pinned after ``first`` (``InputError``), if it cannot."""
    a, b = _operation(problem, first), _operation(problem, then)
    open_ids = {op.op_id for op in problem.open_operations()}
    closed = [i for i in (first, then) if i not in open_ids]
    if closed:
        raise InputError(Problem(f"operation '{closed[0]}' is finished; only open work can be changed"))
    if a.work_center != b.work_center:
        raise InputError(Problem(
            f"operations '{first}' ({a.work_center}) and '{then}' ({b.work_center}) are on different work centers "
            "(one may be planned here as an alternative): move it to this work center first to pin them"))
    if b.status == "in_progress":
        raise InputError(Problem(f"operation '{then}' is in progress: it stays first on {b.work_center}"))
    if a.rn == b.rn and b.sequence < a.sequence:
        raise InputError(Problem(f"operation '{then}' comes before '{first}' in the routing of {a.rn}"))


def _with_pins(problem: ShopProblem, add: Sequence[tuple[str, str]], drop: Iterable[tuple[str, str]] = ()) -> ShopProblem:
    """``problem`` with the pins ``add`` (checked; a duplicate is kept once) and without
    ``drop``. Raises ``InputError`` for a pin that cannot hold, naming the operations."""
    for first, then in add:
        _check_pin(problem, first, then)
    gone = set(drop)
    pins = [pin for pin in problem.pins if pin not in gone]
    pins += [pin for pin in add if pin not in pins]
    cycle = pin_cycle(pins)
    if cycle:
        raise InputError(Problem(f"the pins would form a cycle: {' -> '.join(cycle)}"))
    return replace(problem, pins=tuple(pins))


def _place(queue: Sequence[str], op_id: str, problem: ShopProblem) -> int:
    _operation(problem, op_id)
    try:
        return list(queue).index(op_id)
    except ValueError:
        raise InputError(Problem(f"operation '{op_id}' is not in this queue")) from None


def move_up(problem: ShopProblem, queue: Sequence[str], op_id: str) -> ShopProblem:
    """``op_id`` pinned before the operation just ahead of it in ``queue`` (a work center's
    planned order): only that pair is constrained, every other operation stays free."""
    k = _place(queue, op_id, problem)
    if k == 0:
        raise InputError(Problem(f"operation '{op_id}' is already first"))
    ahead = queue[k - 1]
    return _with_pins(problem, [(op_id, ahead)], drop=[(ahead, op_id)])


def move_down(problem: ShopProblem, queue: Sequence[str], op_id: str) -> ShopProblem:
    """``op_id`` pinned after the operation just behind it in ``queue``."""
    k = _place(queue, op_id, problem)
    if k == len(queue) - 1:
        raise InputError(Problem(f"operation '{op_id}' is already last"))
    behind = queue[k + 1]
    return _with_pins(problem, [(behind, op_id)], drop=[(op_id, behind)])


def _kept_in_order(old: Sequence[str], new: Sequence[str]) -> set[str]:
    """The longest run of operations whose order ``new`` keeps from ``old`` (a longest
    common subsequence): the operations the planner did not move."""
    rank = {op: k for k, op in enumerate(old)}
    seq = [rank[op] for op in new]
    tails: list[int] = []  # longest increasing subsequence, patience sorting
    tail_at: list[int] = []
    parent: list[int] = [-1] * len(seq)
    for k, value in enumerate(seq):
        j = bisect_left(tails, value)
        if j == len(tails):
            tails.append(value)
            tail_at.append(k)
        else:
            tails[j], tail_at[j] = value, k
        parent[k] = tail_at[j - 1] if j else -1
    kept: set[str] = set()
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        kept.add(new[k])
        k = parent[k]
    return kept


def resequence(problem: ShopProblem, queue: Sequence[str], new_queue: Sequence[str]) -> ShopProblem:
    """The planner's new order of a work center's ``queue``: each operation they moved is
    pinned between its new neighbours; the others stay free."""
    if sorted(queue) != sorted(new_queue) or len(set(new_queue)) != len(new_queue):
        raise InputError(Problem("the new order must list each operation of the queue once"))
    moved_ops = set(new_queue) - _kept_in_order(queue, new_queue)
    add: list[tuple[str, str]] = []
    for k, op_id in enumerate(new_queue):
        if op_id in moved_ops:
            if k > 0:
                add.append((new_queue[k - 1], op_id))
            if k + 1 < len(new_queue):
                add.append((op_id, new_queue[k + 1]))
    add = list(dict.fromkeys(add))
    return _with_pins(problem, add, drop=[(b, a) for a, b in add])


def release_pin(problem: ShopProblem, first: str, then: str) -> ShopProblem:
    """The pin ``then`` after ``first`` released."""
    if (first, then) not in problem.pins:
        raise UnknownReference(Problem(f"no pin {first} -> {then}"))
    return replace(problem, pins=tuple(pin for pin in problem.pins if pin != (first, then)))


def release_pins(problem: ShopProblem, work_center: str | None = None) -> ShopProblem:
    """Every pin released (of ``work_center`` only, when given)."""
    if work_center is None:
        return replace(problem, pins=())
    _work_center(problem, work_center)
    on_wc = {op.op_id for op in problem.operations if op.work_center == work_center}
    return replace(problem, pins=tuple(pin for pin in problem.pins if pin[0] not in on_wc))


def move_targets(problem: ShopProblem, op_id: str) -> list[tuple[str, bool]]:
    """The active work centers ``op_id`` may move to, each with whether it is of the same
    category as the operation's own: same category first (its alternatives ahead), then the
    others, by code."""
    op = _operation(problem, op_id)
    own = _work_center(problem, op.work_center).category
    alt = {code: k for k, code in enumerate(op.alternatives)}
    others = [w for w in problem.work_centers if w.active and w.code != op.work_center]
    others.sort(key=lambda w: (w.category != own, alt.get(w.code, len(alt)), w.code))
    return [(w.code, w.category == own) for w in others]


def category_change(problem: ShopProblem, op_id: str, work_center: str) -> str | None:
    """Why moving ``op_id`` to ``work_center`` needs a confirmation (the work center is of
    another category and not one of the operation's alternatives), or ``None``."""
    op = _operation(problem, op_id)
    own, target = _work_center(problem, op.work_center), _work_center(problem, work_center)
    if target.category == own.category or work_center in op.alternatives:
        return None
    return (f"operation '{op_id}' ({op.name or 'no name'}) runs on {own.code}, a "
            f"'{own.category or 'uncategorised'}' work center; {work_center} is "
            f"'{target.category or 'uncategorised'}'")


def move_operation(problem: ShopProblem, op_id: str, work_center: str, confirmed: bool = False) -> ShopProblem:
    """Run ``op_id`` on the active ``work_center`` instead (its pins are released). A work
    center of another category (not one of the operation's alternatives) needs
    ``confirmed=True``; without it the move is refused with the reason."""
    target = _work_center(problem, work_center)
    if not target.active:
        raise InputError(Problem(f"work center '{work_center}' is inactive"))
    op = _open_operation(problem, op_id)
    if op.work_center == work_center:
        raise InputError(Problem(f"operation '{op_id}' already runs on {work_center}"))
    why = category_change(problem, op_id, work_center)
    if why and not confirmed:
        raise InputError(Problem(f"{why}: confirm to move it across categories"))
    pins = _unpinned(problem.pins, {op_id})
    return _with_operations(problem, {op_id: replace(op, work_center=work_center)}, pins=pins)


def pin_operation(problem: ShopProblem, op_id: str, start: datetime | None) -> ShopProblem:
    """Fix ``op_id`` to start at ``start`` (plant-local); ``None`` releases it."""
    op = _open_operation(problem, op_id)
    return _with_operations(problem, {op_id: replace(op, pinned_start=start)})


# ---------------------------------------------------------------------- progress


def _finished(op: Operation, at: datetime) -> Operation:
    return replace(op, status="completed", quantity_completed=op.quantity, actual_end=op.actual_end or at)


def finish_operation(problem: ShopProblem, op_id: str, at: datetime) -> ShopProblem:
    """Mark ``op_id`` completed at ``at`` (kept if it has an actual end): it drops out of
    planning and its pins are released."""
    op = _open_operation(problem, op_id)
    return _with_operations(problem, {op_id: _finished(op, at)}, pins=_unpinned(problem.pins, {op_id}))


def finish_order(problem: ShopProblem, rn: str, at: datetime) -> ShopProblem:
    """Mark work order ``rn`` and its operations completed at ``at`` (cancelled operations
    stay cancelled; their pins are released). Refused for an order already closed."""
    order = _order(problem, rn)
    if order.status in ("completed", "cancelled"):
        raise InputError(Problem(f"work order '{rn}' is already {order.status}"))
    changed = {op.op_id: _finished(op, at) for op in problem.operations if op.rn == rn and op.status != "cancelled"}
    pins = _unpinned(problem.pins, set(changed))
    return _with_operations(_with_order(problem, replace(order, status="completed")), changed, pins=pins)


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
            worked = sum(max(0.0, elapsed_minutes(s, min(e, at), problem.time_zone)) for s, e in p.intervals if s < at)
            remaining = max(0.0, op.remaining_minutes - worked)
            # quantity done such that norma × (1 − done / quantity) = remaining minutes
            done = op.quantity * (1 - remaining / op.norma) if op.norma else op.quantity
            done = min(float(op.quantity), max(float(op.quantity_completed), done))
            changed[op.op_id] = replace(
                op, status="in_progress", quantity_completed=done, actual_start=op.actual_start or p.start
            )
    return _with_operations(problem, changed, start=at)


def freeze(problem: ShopProblem, previous: ShopResult, until: datetime) -> ShopProblem:
    """The frozen horizon: every open operation that ``previous`` plans to start from the
    problem's start up to ``until`` (exclusive) on the work center it is still on keeps that
    start (a fixed start); operations with a fixed start of their own keep theirs."""
    planned = {p.op_id: p for p in previous.operations}
    lo = problem.start or datetime.min
    changed = {
        op.op_id: replace(op, pinned_start=planned[op.op_id].start)
        for op in problem.open_operations()
        if op.pinned_start is None and op.status != "in_progress" and op.op_id in planned
        and planned[op.op_id].work_center == op.work_center and lo <= planned[op.op_id].start < until
    }
    return _with_operations(problem, changed)


# ---------------------------------------------------------------------- capacity


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


def clear_calendar_mark(problem: ShopProblem, work_center: str, day: date, shift: str) -> ShopProblem:
    """Remove the mark of ``shift`` on ``day`` from ``work_center``'s calendar (the date
    follows its weekdays and shifts again). Refused when there is no such mark."""
    wc = _work_center(problem, work_center)
    kept = tuple(o for o in wc.calendar.overrides if (o[0], o[1]) != (day, shift))
    if len(kept) == len(wc.calendar.overrides):
        raise UnknownReference(Problem(f"{work_center} has no calendar mark for {shift} on {day:%Y-%m-%d}"))
    return _with_work_center(problem, replace(wc, calendar=replace(wc.calendar, overrides=kept)))


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
    """Move ``rn`` ``step`` places on the urgency list (−1 = more urgent). An order not on the
    list joins it at its end (its first step up); moving it down, or any closed order, is
    refused. Ranks become 1..n."""
    order = _order(problem, rn)
    if order.status in ("completed", "cancelled"):
        raise InputError(Problem(f"work order '{rn}' is {order.status}; only open orders are ranked"))
    ranked = urgency_list(problem)
    if rn not in ranked:
        if step >= 0:
            raise InputError(Problem(f"work order '{rn}' is not on the urgency list: it already comes after "
                                     "every listed order"))
        ranked.append(rn)
        step += 1  # joining the list at its end is the first step up
    rank = {r: k for k, r in enumerate(moved(ranked, rn, step), 1)}
    orders = tuple(replace(o, urgency_rank=rank.get(o.rn)) for o in problem.work_orders)
    return replace(problem, work_orders=orders)
