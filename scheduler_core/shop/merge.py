"""Adding an imported shop to the current one (an import that does not replace the shop).

:func:`merge` is pure: the current shop plus an imported one gives the shop after the import,
and says what it added and updated.

* Work orders are matched by ``rn``: a new one is added; an existing one takes the imported
  values **and the imported routing** (its operations are replaced: progress, fixed starts
  and status come from the file). Orders the file does not name are kept as they are.
* Only what the file gives overwrites (:class:`Given`): an updated order or work center
  keeps every stored field the file does not give (its column is absent, or the cell is
  blank — see ``webapp.shop.imports`` for the columns where a blank is a value), and an
  operation whose quantity the file does not give takes the merged order's quantity.
* Work centers are matched by code: a new one is added; an existing one takes the imported
  master data (name, category, capacity, setup, cost, active, shifts and working days); its
  calendar marks are kept and the imported marks added (a mark of the same date and shift
  is replaced). A work center the file only names in operation rows (the flat sheet's
  *implied* work centers, with a default calendar) is added when missing and never changes
  an existing one.
* Downtime of the file is added (an identical interval is not added twice).
* The planner's sequence pins stay, except those on an updated order's operations (their
  operations are replaced; the pins are *released* and reported).

The result is a ``ShopProblem`` and so validated as a whole; an imported change that
leaves an existing order's open operation on an inactive work center is refused
(``prepared.PLAN_RULES``) with every problem at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace

from scheduler_core.errors import check, raise_problems
from scheduler_core.shop.model import Calendar, Operation, ShopProblem, WorkCenter, WorkOrder
from scheduler_core.shop.prepared import PLAN_RULES

__all__ = ["Given", "Merge", "merge"]

#: Work order fields a file can give (all but the number it is matched by).
ORDER_FIELDS = tuple(f.name for f in fields(WorkOrder) if f.name != "rn")
#: Work center fields a file can give; ``weekdays`` and ``shift_names`` are its calendar's.
WORK_CENTER_FIELDS = (*(f.name for f in fields(WorkCenter) if f.name not in ("code", "calendar")),
                      "weekdays", "shift_names")


@dataclass(frozen=True)
class Given:
    """Which fields an imported file gives: ``orders`` (rn -> ``ORDER_FIELDS`` given),
    ``work_centers`` (code -> ``WORK_CENTER_FIELDS`` given) and ``op_quantities`` (the op
    ids whose quantity the file gives). ``None`` (or an item missing from a mapping) means
    every field is given."""

    orders: Mapping[str, frozenset[str]] | None = None
    work_centers: Mapping[str, frozenset[str]] | None = None
    op_quantities: frozenset[str] | None = None

    def order(self, old: WorkOrder, new: WorkOrder) -> WorkOrder:
        """``new`` with ``old``'s values for the fields the file does not give."""
        given = (self.orders or {}).get(new.rn, frozenset(ORDER_FIELDS))
        return replace(new, **{f: getattr(old, f) for f in ORDER_FIELDS if f not in given})

    def work_center(self, old: WorkCenter, new: WorkCenter) -> WorkCenter:
        """``new`` with ``old``'s master data and weekdays/shifts for the fields the file
        does not give (calendar marks: see :func:`merge`)."""
        given = (self.work_centers or {}).get(new.code, frozenset(WORK_CENTER_FIELDS))
        cal = replace(new.calendar, **{f: getattr(old.calendar, f) for f in ("weekdays", "shift_names")
                                       if f not in given})
        return replace(new, calendar=cal, **{f: getattr(old, f) for f in WORK_CENTER_FIELDS
                                             if f not in given and f not in ("weekdays", "shift_names")})

    def operation(self, op: Operation, order: WorkOrder) -> Operation:
        """``op`` with ``order``'s quantity when the file does not give its own."""
        if self.op_quantities is None or op.op_id in self.op_quantities:
            return op
        return replace(op, quantity=order.quantity)


@dataclass(frozen=True)
class Merge:
    """The shop after an import that adds to it (``problem``) and what changed: orders and
    work centers added / updated (by rn and code), the operations the updated orders had
    (replaced by the imported routing), the pins released with them and the downtime added."""

    problem: ShopProblem
    added_orders: tuple[str, ...] = ()
    updated_orders: tuple[str, ...] = ()
    added_work_centers: tuple[str, ...] = ()
    updated_work_centers: tuple[str, ...] = ()
    replaced_operations: int = 0
    released_pins: tuple[tuple[str, str], ...] = ()
    added_downtime: int = 0


def _updated_center(old: WorkCenter, new: WorkCenter) -> WorkCenter:
    """``new``'s master data with ``old``'s calendar marks kept and ``new``'s added."""
    marks = {(day, shift): flag for day, shift, flag in old.calendar.overrides}
    marks.update({(day, shift): flag for day, shift, flag in new.calendar.overrides})
    calendar = Calendar(weekdays=new.calendar.weekdays, shift_names=new.calendar.shift_names,
                        overrides=tuple((day, shift, flag) for (day, shift), flag in marks.items()))
    return replace(new, calendar=calendar)


def merge(current: ShopProblem, imported: ShopProblem, implied: frozenset[str] = frozenset(),
          given: Given = Given()) -> Merge:
    """``current`` with ``imported`` added (see the module's rules); ``implied`` = the
    imported work centers known only from operation rows; ``given`` = the fields the file
    gives (default: all). The current shop's start and time zone stay.

    Raises:
        InputError: the merged shop breaks a rule (every problem at once).
    """
    old_wcs = {w.code: w for w in current.work_centers}
    wcs = dict(old_wcs)
    added_wcs, updated_wcs = [], []
    for w in imported.work_centers:
        if w.code not in old_wcs:
            wcs[w.code] = w
            added_wcs.append(w.code)
        elif w.code not in implied:
            new = _updated_center(old_wcs[w.code], given.work_center(old_wcs[w.code], w))
            if new != old_wcs[w.code]:
                wcs[w.code] = new
                updated_wcs.append(w.code)
    old_orders = {o.rn: o for o in current.work_orders}
    orders = dict(old_orders)
    for o in imported.work_orders:
        orders[o.rn] = given.order(old_orders[o.rn], o) if o.rn in old_orders else o
    new_ops = tuple(given.operation(op, orders[op.rn]) if op.rn in old_orders else op for op in imported.operations)
    updated = [o.rn for o in imported.work_orders if o.rn in old_orders]
    touched = set(updated)
    kept_ops = [op for op in current.operations if op.rn not in touched]
    replaced = len(current.operations) - len(kept_ops)
    gone = {op.op_id for op in current.operations if op.rn in touched}
    pins = tuple(pin for pin in current.pins if pin[0] not in gone and pin[1] not in gone)
    have = set(current.downtime)
    new_downtime = tuple(dict.fromkeys(d for d in imported.downtime if d not in have))
    problem = ShopProblem(
        tuple(wcs.values()), tuple(orders.values()), (*kept_ops, *new_ops),
        (*current.downtime, *new_downtime), pins=pins, start=current.start, name=current.name,
        time_zone=current.time_zone,
    )
    raise_problems(check(PLAN_RULES, problem))
    return Merge(
        problem,
        added_orders=tuple(o.rn for o in imported.work_orders if o.rn not in old_orders),
        updated_orders=tuple(updated),
        added_work_centers=tuple(added_wcs),
        updated_work_centers=tuple(updated_wcs),
        replaced_operations=replaced,
        released_pins=tuple(pin for pin in current.pins if pin not in pins),
        added_downtime=len(new_downtime),
    )
