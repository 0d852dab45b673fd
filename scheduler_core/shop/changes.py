"""A planner's edits as data: a ``Change`` names one edit of ``shop.edits`` and its arguments
(plain JSON values), so a list of them — a change set — can be kept, shown, stored, applied
to a shop again later (a proposal, an accepted change, a what-if scenario rebased onto the
current shop) and undone.

``apply_changes(problem, changes)`` applies them in order with the pure edit functions; a
change that cannot apply raises ``InputError`` naming the change. ``revert(current, before,
after)`` undoes what going from ``before`` to ``after`` changed, on a shop that may have moved
on since.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from scheduler_core.errors import InputError, Problem, UnknownReference
from scheduler_core.shop import edits
from scheduler_core.shop.model import Downtime, ShopProblem


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def downtime_of(a: Mapping[str, Any], prefix: str = "") -> Downtime:
    """The period of arguments ``work_center``, ``start``, ``end``, ``reason`` (with
    ``prefix``: ``new_start`` …; a missing ``new_work_center`` is the old one)."""
    return Downtime(a.get(f"{prefix}work_center", a["work_center"]), datetime.fromisoformat(a[f"{prefix}start"]),
                    datetime.fromisoformat(a[f"{prefix}end"]), a.get(f"{prefix}reason", ""))


def _neighbour(a: Mapping[str, Any], step: int) -> str:
    """`` (before X)`` / `` (after X)``: the operation a move passes, when there is one."""
    queue, op_id = list(a["queue"]), a["op_id"]
    k = queue.index(op_id) + step if op_id in queue else -1
    if not 0 <= k < len(queue) or k == queue.index(op_id):
        return ""
    return f" ({'before' if step < 0 else 'after'} {queue[k]})"


def _shown(text: str | None) -> str:
    """An ISO date-time argument as the planner reads it: ``2026-12-02 12:00``."""
    if not text:
        return ""
    moment = datetime.fromisoformat(text)
    return f"{moment:%Y-%m-%d %H:%M}"


#: Every kind of change: (what it does to a problem, how it reads), arguments by name.
KINDS: dict[str, tuple[Callable[[ShopProblem, Mapping[str, Any]], ShopProblem], Callable[[Mapping[str, Any]], str]]] = {
    "move_up": (lambda p, a: edits.move_up(p, a["queue"], a["op_id"]),
                lambda a: f"{a['op_id']} moved up{_neighbour(a, -1)}"),
    "move_down": (lambda p, a: edits.move_down(p, a["queue"], a["op_id"]),
                  lambda a: f"{a['op_id']} moved down{_neighbour(a, 1)}"),
    "resequence": (lambda p, a: edits.resequence(p, a["queue"], a["new_queue"]),
                   lambda a: f"new order of {len(a['queue'])} operations"),
    "release_pin": (lambda p, a: edits.release_pin(p, a["first"], a["then"]),
                    lambda a: f"pin {a['first']} -> {a['then']} released"),
    "release_pins": (lambda p, a: edits.release_pins(p, a.get("work_center")),
                     lambda a: f"pins released on {a['work_center']}" if a.get("work_center") else "all pins released"),
    "move_operation": (lambda p, a: edits.move_operation(p, a["op_id"], a["work_center"], a.get("confirmed", False)),
                       lambda a: f"{a['op_id']} moved to {a['work_center']}"
                                 + (" (another category, confirmed)" if a.get("confirmed") else "")),
    "fix_start": (lambda p, a: edits.pin_operation(p, a["op_id"], _moment(a.get("start"))),
                  lambda a: f"{a['op_id']} fixed to start {_shown(a['start'])}" if a.get("start") else f"{a['op_id']} start released"),
    "finish_operation": (lambda p, a: edits.finish_operation(p, a["op_id"], datetime.fromisoformat(a["at"])),
                         lambda a: f"{a['op_id']} finished"),
    "finish_order": (lambda p, a: edits.finish_order(p, a["rn"], datetime.fromisoformat(a["at"])),
                     lambda a: f"work order {a['rn']} finished"),
    "add_downtime": (lambda p, a: edits.add_downtime(p, downtime_of(a)),
                     lambda a: f"{a['work_center']} down {_shown(a['start'])} – {_shown(a['end'])}"),
    "remove_downtime": (lambda p, a: edits.remove_downtime(p, downtime_of(a)),
                        lambda a: f"downtime of {a['work_center']} from {_shown(a['start'])} removed"),
    "edit_downtime": (lambda p, a: edits.edit_downtime(p, downtime_of(a), downtime_of(a, "new_")),
                      lambda a: f"downtime of {a['work_center']} from {_shown(a['start'])} changed to "
                                f"{a.get('new_work_center', a['work_center'])} {_shown(a['new_start'])} – {_shown(a['new_end'])}"),
    "set_shifts": (lambda p, a: edits.set_shifts(p, a["work_center"], a["shifts"], a["weekdays"]),
                   lambda a: f"{a['work_center']}: shifts {','.join(sorted(a['shifts']))}, "
                             f"days {','.join(edits.DAY_NAMES[d] for d in sorted(a['weekdays']))}"),
    "set_calendar": (lambda p, a: edits.set_calendar(p, a["work_center"], date.fromisoformat(a["first"]),
                                                     date.fromisoformat(a["last"]), a["shifts"], a["working"]),
                     lambda a: f"{a['work_center']}: {a['first']}" + (f" – {a['last']}" if a["last"] != a["first"] else "")
                               + f" {','.join(a['shifts'])} {'working' if a['working'] else 'not working'}"
                               + (f" ({a['note']})" if a.get("note") else "")),
    "clear_calendar_mark": (lambda p, a: edits.clear_calendar_mark(p, a["work_center"], date.fromisoformat(a["day"]),
                                                                   a["shift"]),
                            lambda a: f"{a['work_center']}: calendar mark of {a['shift']} on {a['day']} removed"),
    "set_urgency": (lambda p, a: edits.set_urgency(p, a["rn"], a.get("urgency_rank"), a["priority_level"]),
                    lambda a: f"{a['rn']}: urgency rank {a.get('urgency_rank') or '-'}, priority {a['priority_level']}"),
    "move_urgency": (lambda p, a: edits.move_urgency(p, a["rn"], a["step"]),
                     lambda a: f"{a['rn']} {'more' if a['step'] < 0 else 'less'} urgent"),
}


def _plain(value: Any) -> Any:
    """``value`` with dates and datetimes as ISO text and tuples as lists (JSON values)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return [_plain(v) for v in items]
    return value


@dataclass(frozen=True)
class Change:
    """One planner edit: ``kind`` (a key of :data:`KINDS`) and its arguments as JSON values.
    Build one with :func:`change`."""

    kind: str
    args: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """The change in the planner's words, e.g. ``RN-4/2 moved up (before RN-1/1)``."""
        return KINDS[self.kind][1](self.args)

    def to_json(self) -> dict[str, Any]:
        """``{"kind": ..., "args": {...}}``."""
        return {"kind": self.kind, "args": dict(self.args)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Change:
        """The change of :meth:`to_json`. Raises ``InputError`` for an unknown kind."""
        return change(data["kind"], **data.get("args", {}))


def change(kind: str, **args: Any) -> Change:
    """A change of ``kind`` with ``args`` (dates, datetimes and sets are stored as JSON values).

    Raises:
        InputError: an unknown kind (the valid ones are listed).
    """
    if kind not in KINDS:
        raise InputError(Problem(f"unknown change '{kind}'; valid: {', '.join(KINDS)}"))
    return Change(kind, {k: _plain(v) for k, v in args.items()})


def apply_change(problem: ShopProblem, item: Change) -> ShopProblem:
    """``problem`` after ``item``. Raises ``InputError`` (``UnknownReference`` when it names
    something that no longer exists) whose problems start with the change's description."""
    try:
        return KINDS[item.kind][0](problem, item.args)
    except InputError as exc:
        kind = UnknownReference if isinstance(exc, UnknownReference) else InputError
        raise kind([Problem(f"{item.describe()}: {p.reason}", p.row, p.column) for p in exc.problems]) from exc


def apply_changes(problem: ShopProblem, items: Iterable[Change]) -> ShopProblem:
    """``problem`` after every change of ``items`` in order (the first that cannot apply
    raises, as :func:`apply_change`)."""
    for item in items:
        problem = apply_change(problem, item)
    return problem


def conflicts(problem: ShopProblem, items: Sequence[Change]) -> tuple[ShopProblem, list[tuple[Change, str]]]:
    """Apply what still applies of ``items`` to ``problem``: the resulting problem and, for
    each change that no longer applies, the change and why (nothing is skipped silently)."""
    skipped: list[tuple[Change, str]] = []
    for item in items:
        try:
            problem = KINDS[item.kind][0](problem, item.args)
        except InputError as exc:
            skipped.append((item, "; ".join(p.reason for p in exc.problems)))
    return problem, skipped


def revert(current: ShopProblem, before: ShopProblem, after: ShopProblem) -> ShopProblem:
    """``current`` with what ``before`` -> ``after`` changed put back as it was in ``before``
    (work center calendars and capacity, downtime, order status / urgency / priority,
    operation work center / progress / fixed start, pins); everything else of ``current``
    (later changes to other things, new orders) stays."""
    old_wc, new_wc = {w.code: w for w in before.work_centers}, {w.code: w for w in after.work_centers}
    centers = tuple(
        replace(w, calendar=old_wc[w.code].calendar, capacity_hours_per_day=old_wc[w.code].capacity_hours_per_day)
        if w.code in old_wc and new_wc.get(w.code) != old_wc[w.code] else w
        for w in current.work_centers
    )
    old_o, new_o = {o.rn: o for o in before.work_orders}, {o.rn: o for o in after.work_orders}
    orders = tuple(
        replace(o, status=old_o[o.rn].status, urgency_rank=old_o[o.rn].urgency_rank,
                priority_level=old_o[o.rn].priority_level)
        if o.rn in old_o and new_o.get(o.rn) != old_o[o.rn] else o
        for o in current.work_orders
    )
    old_op, new_op = {op.op_id: op for op in before.operations}, {op.op_id: op for op in after.operations}
    ops = tuple(
        replace(op, work_center=old_op[op.op_id].work_center, status=old_op[op.op_id].status,
                quantity_completed=old_op[op.op_id].quantity_completed, pinned_start=old_op[op.op_id].pinned_start,
                actual_start=old_op[op.op_id].actual_start, actual_end=old_op[op.op_id].actual_end)
        if op.op_id in old_op and new_op.get(op.op_id) != old_op[op.op_id] else op
        for op in current.operations
    )
    downtime = list(current.downtime)
    for d in (Counter(after.downtime) - Counter(before.downtime)).elements():
        if d in downtime:
            downtime.remove(d)
    downtime += list((Counter(before.downtime) - Counter(after.downtime)).elements())
    added, dropped = set(after.pins) - set(before.pins), set(before.pins) - set(after.pins)
    where = {op.op_id: op.work_center for op in ops}
    pins = [pin for pin in current.pins if pin not in added]
    pins += [
        pin for pin in before.pins
        if pin in dropped and pin not in pins and pin[0] in where and where[pin[0]] == where.get(pin[1])
    ]
    return replace(current, work_centers=centers, work_orders=orders, operations=ops, downtime=tuple(downtime),
                   pins=tuple(pins))
