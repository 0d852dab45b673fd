"""Stored shop rows <-> the engine's ``ShopProblem``.

* :func:`load_problem` reads an organisation's shop (work centers with calendars and their
  exceptions, work orders with products, operations with fixed starts, sequence pins,
  downtime) as one validated problem.
* :func:`store_problem` replaces an organisation's shop with a problem (imports, demo);
  ``add_work_center`` / ``add_work_order`` / ``add_operations`` write new items (also for
  an import that adds to the shop, ``webapp.shop.import_store``).
* :func:`save_changes` writes what an edited problem changes against the problem it was
  made from: the planner's edits are pure functions of ``scheduler_core.shop.edits``, and
  this is the one place their outcome reaches the tables (board, machines, promote).

All functions work inside the caller's session (one transaction).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from scheduler_core.shop import Calendar, Downtime, Operation, ShopProblem, WorkCenter, WorkOrder, clock
from scheduler_core.shop.edits import SHIFT_NAMES
from webapp.db.repos import operations as operation_repo
from webapp.db.repos import organisations as organisation_repo
from webapp.db.repos import pins as pin_repo
from webapp.db.repos import products as product_repo
from webapp.db.repos import work_centers as work_center_repo
from webapp.db.repos import work_orders as work_order_repo
from webapp.db.shop_models import ShopOperation
from webapp.settings import get_settings


def plant_zone(session: Session, org_id: int) -> str:
    """The organisation's plant time zone: its main plant's, else ``PSS_TIMEZONE``, else UTC."""
    plant = organisation_repo.main_plant(session, organisation_id=org_id)
    return (plant.time_zone if plant is not None and plant.time_zone else None) or get_settings().time_zone


def plant_now(session: Session, org_id: int) -> datetime:
    """Now on the plant's wall clock, rounded up to the next whole minute (the default
    planning start)."""
    return clock.now(plant_zone(session, org_id))


def weekdays_of(text: str) -> frozenset[int]:
    """``"0,1,2"`` -> ``{0, 1, 2}`` (0 = Monday)."""
    return frozenset(int(x) for x in text.split(",") if x.strip() != "")


def shifts_of(text: str) -> frozenset[str]:
    """``"S1,S2"`` -> ``{"S1", "S2"}``."""
    return frozenset(x.strip() for x in text.split(",") if x.strip())


def shifts_text(calendar: Calendar) -> str:
    """The ``shifts`` column of a calendar (all shifts when it names none)."""
    return ",".join(sorted(calendar.shift_names)) if calendar.shift_names else ",".join(SHIFT_NAMES)


def weekdays_text(calendar: Calendar) -> str:
    """The ``working_days`` column of a calendar."""
    return ",".join(str(d) for d in sorted(calendar.weekdays))


def load_problem(session: Session, org_id: int, start: datetime | None = None) -> ShopProblem:
    """The organisation's shop planning from ``start`` (plant wall-clock; default: now, see
    :func:`plant_now`), with the planner's sequence pins, in the plant's time zone."""
    wcs = work_center_repo.list_work_centers(session, organisation_id=org_id)
    cats = work_center_repo.category_names(session, organisation_id=org_id)
    code_of = {w.id: w.code for w in wcs}
    exceptions: dict[int, list] = {}
    for x in work_center_repo.list_calendar_exceptions(session, organisation_id=org_id):
        exceptions.setdefault(x.work_center_id, []).append((x.day, x.shift, x.working))
    work_centers = tuple(
        WorkCenter(
            w.code, w.name, cats.get(w.category_id, "") if w.category_id else "", w.capacity_hours_per_day,
            w.setup_time_minutes, w.cost_per_hour, w.is_active,
            Calendar(weekdays=weekdays_of(w.working_days), shift_names=shifts_of(w.shifts),
                     overrides=tuple(exceptions.get(w.id, ()))),
        )
        for w in wcs
    )
    prods = product_repo.products(session, organisation_id=org_id)
    orders = work_order_repo.all_work_orders(session, organisation_id=org_id)
    rn_of = {o.id: o.rn for o in orders}
    work_orders = tuple(
        WorkOrder(
            rn=o.rn, quantity=o.quantity, priority_level=o.priority_level,
            kpl=prods[o.product_id].kpl if o.product_id in prods else "",
            product_name=prods[o.product_id].name if o.product_id in prods else "",
            delivery_date=o.delivery_date, assembly_date=o.assembly_date, third_date=o.third_date,
            status=o.status, urgency_rank=o.urgency_rank,
        )
        for o in orders
    )
    ops, op_id_of = [], {}
    for r in operation_repo.list_operations(session, organisation_id=org_id):
        op = Operation(
            rn=rn_of[r.work_order_id], sequence=r.sequence, work_center=code_of[r.work_center_id], norma=r.norma,
            name=r.name, quantity=r.quantity, quantity_completed=r.quantity_completed, status=r.status,
            pinned_start=r.pinned_start, actual_start=r.actual_start, actual_end=r.actual_end,
            alternatives=tuple(a for a in r.alternatives.split(",") if a),
        )
        ops.append(op)
        op_id_of[r.id] = op.op_id
    downtime = tuple(
        Downtime(code_of[d.work_center_id], d.start_at, d.end_at, d.reason)
        for d in work_center_repo.list_downtimes(session, organisation_id=org_id)
    )
    pins = tuple(
        (op_id_of[p.before_operation_id], op_id_of[p.after_operation_id])
        for p in pin_repo.list_pins(session, organisation_id=org_id)
    )
    zone = plant_zone(session, org_id)
    return ShopProblem(work_centers, work_orders, tuple(ops), downtime, pins=pins,
                       start=clock.to_plant(start, zone) if start else clock.now(zone), name="shop", time_zone=zone)


def _as_date(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def store_problem(session: Session, org_id: int, problem: ShopProblem) -> dict[str, int]:
    """Replace the organisation's shop with ``problem`` (no plan is current afterwards);
    returns the counts stored (``work_centers``, ``work_orders``, ``operations``)."""
    organisation_repo.clear_shop(session, organisation_id=org_id)
    wc_ids = {w.code: add_work_center(session, org_id, w) for w in problem.work_centers}
    for d in problem.downtime:
        work_center_repo.add_downtime(session, organisation_id=org_id, work_center_id=wc_ids[d.work_center],
                                      start_at=d.start, end_at=d.end, reason=d.reason)
    wo_ids = {o.rn: add_work_order(session, org_id, o) for o in problem.work_orders}
    rows = add_operations(session, org_id, problem.operations, wo_ids, wc_ids)
    for first, then in problem.pins:
        pin_repo.add_pin(session, organisation_id=org_id, before_operation_id=rows[first].id,
                         after_operation_id=rows[then].id)
    return {"work_centers": len(wc_ids), "work_orders": len(wo_ids), "operations": len(problem.operations)}


def work_center_fields(session: Session, org_id: int, w: WorkCenter) -> dict[str, Any]:
    """The columns of work center ``w`` (its category created when missing)."""
    cal = w.calendar
    return dict(
        name=w.name or w.code,
        category_id=work_center_repo.category_id(session, organisation_id=org_id, code=w.category),
        capacity_hours_per_day=float(w.capacity_hours_per_day), setup_time_minutes=int(w.setup_time_minutes),
        cost_per_hour=w.cost_per_hour, is_active=w.active, shifts=shifts_text(cal), working_days=weekdays_text(cal),
    )


def set_calendar_marks(session: Session, org_id: int, work_center_id: int, calendar: Calendar) -> None:
    """Write the calendar marks of ``calendar`` to work center ``work_center_id`` (a mark of
    the same date and shift is replaced; other marks stay)."""
    for (day, shift), flag in _overrides(calendar).items():
        work_center_repo.set_calendar_exception(
            session, organisation_id=org_id, work_center_id=work_center_id, day=day, shift=shift, working=flag
        )


def add_work_center(session: Session, org_id: int, w: WorkCenter) -> int:
    """Insert work center ``w`` with its calendar marks; returns its id."""
    row = work_center_repo.create_work_center(session, organisation_id=org_id, code=w.code,
                                              **work_center_fields(session, org_id, w))
    set_calendar_marks(session, org_id, row.id, w.calendar)
    return row.id


def work_order_fields(session: Session, org_id: int, o: WorkOrder) -> dict[str, Any]:
    """The columns of work order ``o`` (its product created when missing)."""
    return dict(
        quantity=o.quantity, priority_level=o.priority_level,
        product_id=product_repo.product_id(session, organisation_id=org_id, kpl=o.kpl, name=o.product_name),
        delivery_date=_as_date(o.delivery_date), assembly_date=_as_date(o.assembly_date),
        third_date=_as_date(o.third_date), status=o.status, urgency_rank=o.urgency_rank,
    )


def add_work_order(session: Session, org_id: int, o: WorkOrder) -> int:
    """Insert work order ``o``; returns its id."""
    return work_order_repo.create_work_order(session, organisation_id=org_id, rn=o.rn,
                                             **work_order_fields(session, org_id, o)).id


def add_operations(session: Session, org_id: int, operations: Iterable[Operation], wo_ids: Mapping[str, int],
                   wc_ids: Mapping[str, int]) -> dict[str, ShopOperation]:
    """Insert ``operations`` (their orders and work centers by ``wo_ids`` / ``wc_ids``);
    returns the rows by operation id (flushed, with ids)."""
    rows = {}
    for op in operations:
        rows[op.op_id] = ShopOperation(
            organisation_id=org_id, work_order_id=wo_ids[op.rn], work_center_id=wc_ids[op.work_center],
            sequence=op.sequence, name=op.name[:500], norma=float(op.norma), quantity=op.quantity,
            quantity_completed=float(op.quantity_completed), status=op.status,
            pinned_start=op.pinned_start,
            alternatives=",".join(op.alternatives)[:200], actual_start=op.actual_start, actual_end=op.actual_end,
        )
        session.add(rows[op.op_id])
    session.flush()
    return rows


def _overrides(calendar: Calendar) -> dict[tuple[date, str], bool]:
    """The effective (date, shift) -> working marks of a calendar (the last mark wins)."""
    return {(day, shift): flag for day, shift, flag in calendar.overrides}


def _gone_marks(before: Calendar, after: Calendar) -> set[tuple[date, str]]:
    """The (date, shift) marks ``before`` has and ``after`` no longer has (an undo, a removed
    exception)."""
    return set(_overrides(before)) - set(_overrides(after))


def _new_marks(before: Calendar, after: Calendar) -> dict[tuple[date, str], bool]:
    """The (date, shift) marks ``after`` makes: every mark an edit appended (even one that
    repeats the flag, so its note is written), else every mark whose flag differs."""
    was = before.overrides
    if after.overrides[: len(was)] == was:
        return {(day, shift): flag for day, shift, flag in after.overrides[len(was):]}
    old = _overrides(before)
    return {key: flag for key, flag in _overrides(after).items() if old.get(key) != flag}


# ----------------------------------------------------------------------- changes

_OPERATION_FIELDS = ("status", "quantity_completed", "pinned_start", "actual_start", "actual_end")


def save_changes(session: Session, org_id: int, before: ShopProblem, after: ShopProblem, *,
                 notes: Mapping[str, str] | None = None) -> None:
    """Write what ``after`` changes against ``before`` (a problem :func:`load_problem` read
    in this session): work center calendars and capacity, calendar exceptions (new ones get
    the note ``notes`` gives their work center code, also a mark that repeats a date's
    flag), downtime added or removed, work order status / urgency / priority, and
    operation work center, progress and fixed start, sequence pins added or released.
    Nothing else is touched."""
    _save_work_centers(session, org_id, before, after, notes or {})
    _save_downtime(session, org_id, before, after)
    _save_work_orders(session, org_id, before, after)
    _save_operations(session, org_id, before, after)
    _save_pins(session, org_id, before, after)
    session.flush()


def _save_work_centers(session: Session, org_id: int, before: ShopProblem, after: ShopProblem,
                       notes: Mapping[str, str]) -> None:
    rows = {w.code: w for w in work_center_repo.list_work_centers(session, organisation_id=org_id)}
    old = {w.code: w for w in before.work_centers}
    for w in after.work_centers:
        prev, row = old.get(w.code), rows.get(w.code)
        if prev is None or row is None or prev == w:
            continue
        fields: dict[str, Any] = {}
        if (w.calendar.shift_names, w.calendar.weekdays) != (prev.calendar.shift_names, prev.calendar.weekdays):
            fields.update(shifts=shifts_text(w.calendar), working_days=weekdays_text(w.calendar))
        if w.capacity_hours_per_day != prev.capacity_hours_per_day:
            fields["capacity_hours_per_day"] = float(w.capacity_hours_per_day)
        if fields:
            work_center_repo.update_work_center(session, organisation_id=org_id, work_center_id=row.id, **fields)
        gone = _gone_marks(prev.calendar, w.calendar)
        if gone:
            for mark in work_center_repo.list_calendar_exceptions(session, organisation_id=org_id, work_center_id=row.id):
                if (mark.day, mark.shift) in gone:
                    work_center_repo.delete_calendar_exception(session, organisation_id=org_id, exception_id=mark.id)
        for (day, shift), flag in _new_marks(prev.calendar, w.calendar).items():
            work_center_repo.set_calendar_exception(
                session, organisation_id=org_id, work_center_id=row.id, day=day, shift=shift, working=flag,
                note=notes.get(w.code, ""),
            )


def _save_downtime(session: Session, org_id: int, before: ShopProblem, after: ShopProblem) -> None:
    added = Counter(after.downtime) - Counter(before.downtime)
    removed = Counter(before.downtime) - Counter(after.downtime)
    if not added and not removed:
        return
    codes = {w.code: w.id for w in work_center_repo.list_work_centers(session, organisation_id=org_id)}
    if removed:
        for row in work_center_repo.list_downtimes(session, organisation_id=org_id):
            code = next((c for c, i in codes.items() if i == row.work_center_id), None)
            key = Downtime(code or "", row.start_at, row.end_at, row.reason)
            if removed[key] > 0:
                removed[key] -= 1
                work_center_repo.delete_downtime(session, organisation_id=org_id, downtime_id=row.id)
    for d, count in added.items():
        for _ in range(count):
            work_center_repo.add_downtime(session, organisation_id=org_id, work_center_id=codes[d.work_center],
                                          start_at=d.start, end_at=d.end, reason=d.reason)


def _save_work_orders(session: Session, org_id: int, before: ShopProblem, after: ShopProblem) -> None:
    old = {o.rn: o for o in before.work_orders}
    changed = [o for o in after.work_orders if o.rn in old and o != old[o.rn]]
    if not changed:
        return
    ids = {o.rn: o.id for o in work_order_repo.all_work_orders(session, organisation_id=org_id)}
    for o in changed:
        prev = old[o.rn]
        fields = {
            name: getattr(o, name)
            for name in ("status", "urgency_rank", "priority_level")
            if getattr(o, name) != getattr(prev, name)
        }
        if fields:
            work_order_repo.update_work_order(session, organisation_id=org_id, work_order_id=ids[o.rn], **fields)


def _save_operations(session: Session, org_id: int, before: ShopProblem, after: ShopProblem) -> None:
    old = {op.op_id: op for op in before.operations}
    todo: dict[str, dict[str, Any]] = {}
    for op in after.operations:
        prev = old.get(op.op_id)
        if prev is None:
            continue
        fields = {name: getattr(op, name) for name in _OPERATION_FIELDS if getattr(op, name) != getattr(prev, name)}
        if op.work_center != prev.work_center:
            fields["work_center"] = op.work_center
        if fields:
            todo[op.op_id] = fields
    if not todo:
        return
    wc_ids = {w.code: w.id for w in work_center_repo.list_work_centers(session, organisation_id=org_id)}
    for op_id, row in _operation_rows(session, org_id).items():
        fields = todo.get(op_id)
        if fields is None:
            continue
        if "work_center" in fields:
            fields["work_center_id"] = wc_ids[fields.pop("work_center")]
        if "quantity_completed" in fields:
            fields["quantity_completed"] = float(fields["quantity_completed"])
        operation_repo.update_operation(session, organisation_id=org_id, operation_id=row.id, **fields)


def _operation_rows(session: Session, org_id: int) -> dict[str, ShopOperation]:
    """Operation id (``rn/sequence``) -> its row."""
    rn_of = {o.id: o.rn for o in work_order_repo.all_work_orders(session, organisation_id=org_id)}
    return {f"{rn_of[r.work_order_id]}/{r.sequence}": r
            for r in operation_repo.list_operations(session, organisation_id=org_id)}


def _save_pins(session: Session, org_id: int, before: ShopProblem, after: ShopProblem) -> None:
    added = [pin for pin in after.pins if pin not in set(before.pins)]
    released = [pin for pin in before.pins if pin not in set(after.pins)]
    if not added and not released:
        return
    rows = _operation_rows(session, org_id)
    for first, then in released:
        pin_repo.delete_pin(session, organisation_id=org_id, before_operation_id=rows[first].id,
                            after_operation_id=rows[then].id)
    for first, then in added:
        pin_repo.add_pin(session, organisation_id=org_id, before_operation_id=rows[first].id,
                         after_operation_id=rows[then].id)
