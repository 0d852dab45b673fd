"""Work centers as master data: create one (code, name, category, capacity, setup, cost,
active, calendar = shifts + working days), change its master fields (saved at once; a
change of shifts on an existing work center stays a pending change of the planning loop),
say what deleting it takes with it, and delete it — refused while operations run on it
(they are named), else with its downtime and calendar exceptions.

Every value is checked before anything is written; all problems come in one ``InputError``
whose columns are the form's field names.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scheduler_core.shop.model import CLOSED_STATUSES
from webapp.access import acting_member
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import operations as operation_repo
from webapp.db.repos import work_centers as work_center_repo
from webapp.db.repos import work_orders as work_order_repo
from webapp.errors import InputError, NotFound, Problem
from webapp.shop.catalog import SHIFT_NAMES, WORK_CENTER_STATUSES, as_input_error
from webapp.views import DeletionImpact

#: At most this many operations are named when a deletion is refused.
NAMED = 10


def _text_problems(code: str | None, name: str | None) -> list[Problem]:
    problems = []
    if code is not None and not code.strip():
        problems.append(Problem("a code is required", column="code"))
    if code is not None and len(code.strip()) > 64:
        problems.append(Problem("at most 64 characters", column="code"))
    if name is not None and len(name) > 200:
        problems.append(Problem("at most 200 characters", column="name"))
    return problems


def work_center_problems(fields: dict[str, Any]) -> list[Problem]:
    """Every problem of work center ``fields`` (those present): a code of 1..64 characters,
    a name of at most 200, capacity above 0 and at most 24 hours a day, setup minutes a
    whole number ≥ 0, cost per hour ≥ 0 (or none), a known status, shifts some of S1..S3
    (at least one) and working days some of 0..6 (at least one)."""
    problems = _text_problems(fields.get("code"), fields.get("name"))
    if "capacity_hours_per_day" in fields:
        cap = fields["capacity_hours_per_day"]
        if cap is None or not math.isfinite(float(cap)) or not 0 < float(cap) <= 24:
            problems.append(Problem("the capacity must be more than 0 and at most 24 hours a day",
                                    column="capacity (h/day)"))
    if "setup_time_minutes" in fields:
        setup = fields["setup_time_minutes"]
        if setup is None or float(setup) < 0 or float(setup) != int(float(setup)):
            problems.append(Problem("the setup must be a whole number of minutes, 0 or more", column="setup (min)"))
    cost = fields.get("cost_per_hour")
    if cost is not None and (not math.isfinite(float(cost)) or float(cost) < 0):
        problems.append(Problem("the cost per hour must not be negative", column="cost per hour"))
    if "status" in fields and fields["status"] not in WORK_CENTER_STATUSES:
        problems.append(Problem(f"unknown status '{fields['status']}'", column="status"))
    if "shifts" in fields:
        shifts = list(fields["shifts"])
        if not shifts or any(s not in SHIFT_NAMES for s in shifts):
            problems.append(Problem(f"shifts must be some of {', '.join(SHIFT_NAMES)}", column="shifts"))
    if "working_days" in fields:
        days = list(fields["working_days"])
        if not days or any(int(d) not in range(7) for d in days):
            problems.append(Problem("choose at least one working day (0 = Monday … 6 = Sunday)",
                                    column="working days"))
    return problems


def _joined(values: Iterable[Any]) -> str:
    return ",".join(str(v) for v in sorted(values))


def create_work_center(db: Db, *, user: Any, code: str, name: str = "", category: str = "",
                       capacity_hours_per_day: float = 22.5, setup_time_minutes: int = 0,
                       cost_per_hour: float | None = None, is_active: bool = True,
                       shifts: Iterable[str] = SHIFT_NAMES, working_days: Iterable[int] = (0, 1, 2, 3, 4)) -> int:
    """Create a work center in the main plant (master data, written at once); returns its id.

    Raises:
        InputError: every problem of :func:`work_center_problems`. DuplicateName: the code
            is taken. PermissionDenied: a read-only user.
    """
    fields = {"code": code, "name": name, "capacity_hours_per_day": capacity_hours_per_day,
              "setup_time_minutes": setup_time_minutes, "cost_per_hour": cost_per_hour,
              "shifts": list(shifts), "working_days": list(working_days)}
    problems = work_center_problems(fields)
    if problems:
        raise InputError(problems)
    with unit_of_work(db) as session, as_input_error():
        _, org_id = acting_member(session, user, write=True)
        cat = work_center_repo.category_id(session, organisation_id=org_id, code=category)
        return work_center_repo.create_work_center(
            session, organisation_id=org_id, code=code.strip(), name=name.strip(), category_id=cat,
            capacity_hours_per_day=float(capacity_hours_per_day), setup_time_minutes=int(setup_time_minutes),
            cost_per_hour=None if cost_per_hour is None else float(cost_per_hour), is_active=bool(is_active),
            shifts=_joined(shifts), working_days=_joined(int(d) for d in working_days),
        ).id


def _open_work(session, org_id: int, work_center_id: int) -> tuple[int, int]:
    """(open operations, their work orders) on a work center: operations not finished and
    with work left, of orders not completed or cancelled."""
    closed = {o.id for o in work_order_repo.all_work_orders(session, organisation_id=org_id)
              if o.status in CLOSED_STATUSES}
    ops = [o for o in operation_repo.list_operations(session, organisation_id=org_id, work_center_id=work_center_id)
           if o.status not in CLOSED_STATUSES and o.work_order_id not in closed
           and o.quantity_completed < o.quantity and o.norma > 0]
    return len(ops), len({o.work_order_id for o in ops})


def save_work_center(db: Db, *, user: Any, work_center_id: int, **fields: Any) -> str | None:
    """Change master fields of a work center, written at once: ``code``, ``name``,
    ``category`` (a code; created when new, "" for none), ``capacity_hours_per_day``,
    ``setup_time_minutes``, ``cost_per_hour``, ``is_active``, ``status``.

    Returns a warning when the change deactivates a work center with open operations
    (saved anyway; plans leave their orders out until they are moved), else ``None``:
    ``12 open operations in 9 work orders are on MILL; they will not be planned until moved``.

    Raises:
        InputError: every problem of :func:`work_center_problems`, or another field.
        NotFound: no such work center. DuplicateName: a new code is taken.
    """
    unknown = set(fields) - {"code", "name", "category", "capacity_hours_per_day", "setup_time_minutes",
                             "cost_per_hour", "is_active", "status"}
    problems = [Problem(f"'{key}' cannot be changed here", column=key) for key in sorted(unknown)]
    problems += work_center_problems({k: v for k, v in fields.items() if k not in unknown})
    if problems:
        raise InputError(problems)
    with unit_of_work(db) as session, as_input_error():
        _, org_id = acting_member(session, user, write=True)
        if "category" in fields:
            fields["category_id"] = work_center_repo.category_id(session, organisation_id=org_id,
                                                                 code=fields.pop("category"))
        if "code" in fields:
            fields["code"] = fields["code"].strip()
        was_active = work_center_repo.require_work_center(session, organisation_id=org_id,
                                                          work_center_id=work_center_id).is_active
        wc = work_center_repo.update_work_center(session, organisation_id=org_id, work_center_id=work_center_id,
                                                 **fields)
        if not was_active or wc.is_active:
            return None
        ops, orders = _open_work(session, org_id, work_center_id)
        if not ops:
            return None
        return (f"{ops} open operation{'s' if ops != 1 else ''} in {orders} work order{'s' if orders != 1 else ''} "
                f"{'are' if ops != 1 else 'is'} on {wc.code}; they will not be planned until moved")


def categories(db: Db, *, user: Any) -> list[str]:
    """The organisation's work center category codes, sorted."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        return sorted(work_center_repo.category_names(session, organisation_id=org_id).values())


@dataclass(frozen=True)
class WorkCenterUsage:
    """What hangs on a work center: its operations (``RN/sequence``) in how many work
    orders, its downtime periods and calendar exceptions."""

    code: str
    operations: tuple[str, ...]
    work_orders: int
    downtimes: int
    exceptions: int

    def describe(self) -> str:
        """``work center CNC-1: 14 operations on it in 9 work orders, 2 downtime intervals, 0
        calendar exceptions``."""
        return (f"work center {self.code}: {len(self.operations)} operations on it in {self.work_orders} work "
                f"orders, {self.downtimes} downtime intervals, {self.exceptions} calendar exceptions")

    def refusal(self) -> str | None:
        """Why it cannot be deleted (operations run on it, the first :data:`NAMED` named),
        or ``None``."""
        if not self.operations:
            return None
        named = ", ".join(self.operations[:NAMED])
        more = f" and {len(self.operations) - NAMED} more" if len(self.operations) > NAMED else ""
        return (f"work center {self.code} cannot be deleted: operations {named}{more} run on it; "
                "move or delete them first")


def _usage(session, org_id: int, work_center_id: int) -> WorkCenterUsage:
    wc = work_center_repo.get_work_center(session, organisation_id=org_id, work_center_id=work_center_id)
    if wc is None:
        raise NotFound(f"work center {work_center_id} not found")
    ops = operation_repo.list_operations(session, organisation_id=org_id, work_center_id=wc.id)
    rns = {o.id: o.rn for o in work_order_repo.all_work_orders(session, organisation_id=org_id)}
    return WorkCenterUsage(
        code=wc.code,
        operations=tuple(f"{rns[o.work_order_id]}/{o.sequence}" for o in ops),
        work_orders=len({o.work_order_id for o in ops}),
        downtimes=len(work_center_repo.list_downtimes(session, organisation_id=org_id, work_center_id=wc.id)),
        exceptions=len(work_center_repo.list_calendar_exceptions(session, organisation_id=org_id,
                                                                 work_center_id=wc.id)),
    )


def work_center_impact(db: Db, *, user: Any, work_center_id: int) -> DeletionImpact:
    """What deleting the work center takes with it, or why it cannot be deleted (operations
    run on it). Raises ``NotFound``."""
    usage = work_center_usage(db, user=user, work_center_id=work_center_id)
    refusal = usage.refusal()
    if refusal:
        return DeletionImpact(refusal, possible=False)
    return DeletionImpact(f"Deleting {usage.describe()} (they go with it).")


def work_center_usage(db: Db, *, user: Any, work_center_id: int) -> WorkCenterUsage:
    """What deleting the work center would concern. Raises ``NotFound``."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        return _usage(session, org_id, work_center_id)


def delete_work_center(db: Db, *, user: Any, work_center_id: int) -> WorkCenterUsage:
    """Delete a work center with its downtime and calendar exceptions; returns what went.

    Raises:
        InputError: operations still run on it (named; nothing is deleted).
        NotFound: no such work center. PermissionDenied: a read-only user.
    """
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        usage = _usage(session, org_id, work_center_id)
        if usage.refusal():
            raise InputError(Problem(usage.refusal()))
        work_center_repo.delete_work_center(session, organisation_id=org_id, work_center_id=work_center_id)
        return usage
