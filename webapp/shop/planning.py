"""Planning the shop: read it as the engine's problem, plan it (nothing stored), tell what a
new plan changes against the current one, and write an accepted plan as the organisation's
current plan (stored with its KPIs, planned times written to the operations) inside the
caller's transaction — accepting goes through ``webapp.shop.edits.accept``, which records the
change set so it can be undone."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from scheduler_core.progress import ProgressCallback
from scheduler_core.shop import STRATEGIES, ShopOptions, ShopProblem, ShopResult, plan
from scheduler_core.shop.codec import kpis_to_json, result_from_json, result_to_json
from scheduler_core.shop.load import PeriodLoad, period_loads
from webapp.access import acting_member
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import operations as operation_repo
from webapp.db.repos import organisations as organisation_repo
from webapp.db.repos import plans as plan_repo
from webapp.db.repos import work_centers as work_center_repo
from webapp.db.repos import work_orders as work_order_repo
from webapp.db.repos.base import Page
from webapp.errors import InputError, Problem
from webapp.shop.mapping import load_problem, plant_now
from webapp.solves import OnWait, solver_slot
from webapp.views import PlanView, ShopSummary, StoredPlan, page_of

__all__ = [
    "STRATEGIES",
    "PlanDiff",
    "ShopOptions",
    "build_problem",
    "current_plan",
    "planning_now",
    "diff_plans",
    "get_plan",
    "list_plans",
    "load_by_period",
    "run_plan",
    "summary",
]


def summary(db: Db, *, user: Any) -> ShopSummary:
    """Counts of the user's shop and its current plan id."""
    with unit_of_work(db) as session:
        uid, org_id = acting_member(session, user, write=False)
        org = organisation_repo.organisation_of(session, user_id=uid)
        current = plan_repo.get_current_plan(session, organisation_id=org_id)
        return ShopSummary(
            organisation=org.name if org else "",
            work_centers=len(work_center_repo.list_work_centers(session, organisation_id=org_id)),
            work_orders=work_order_repo.count_work_orders(session, organisation_id=org_id),
            operations=operation_repo.count_operations(session, organisation_id=org_id),
            current_plan_id=current.id if current else None,
        )


def planning_now(db: Db, *, user: Any) -> datetime:
    """Now on the plant's wall clock, rounded up to the next whole minute (the default
    planning start)."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        return plant_now(session, org_id)


def build_problem(db: Db, *, user: Any, start: datetime | None = None) -> ShopProblem:
    """The organisation's shop as the engine's ``ShopProblem`` (planning from ``start``,
    plant wall-clock; default: now)."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        return load_problem(session, org_id, start)


def run_plan(
    db: Db,
    *,
    user: Any,
    options: ShopOptions | None = None,
    start: datetime | None = None,
    progress: ProgressCallback | None = None,
    problem: ShopProblem | None = None,
    on_wait: OnWait | None = None,
) -> ShopResult:
    """Plan the stored shop (or ``problem``) from ``start`` with ``options``; nothing stored.
    The planner waits for a free solver of the process (``on_wait`` hears the queue).

    Raises:
        InputError: the shop has no operations. (An order with an open operation on an
            inactive work center is left out: ``not_planned``.)
    """
    problem = problem or build_problem(db, user=user, start=start)
    if start is not None:
        problem = replace(problem, start=start)
    if not problem.operations:
        raise InputError(Problem("the shop has no operations to plan"))
    with solver_slot(on_wait):
        return plan(problem, options, progress=progress)


def current_plan(db: Db, *, user: Any) -> StoredPlan | None:
    """The organisation's current (accepted) plan, or ``None``."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        row = plan_repo.get_current_plan(session, organisation_id=org_id)
        return StoredPlan(PlanView.of(row), result_from_json(row.result)) if row is not None else None


def list_plans(db: Db, *, user: Any, limit: int = 20, offset: int = 0) -> Page[PlanView]:
    """A page of the plans this user accepted (private history), newest first."""
    with unit_of_work(db) as session:
        uid, _ = acting_member(session, user, write=False)
        return page_of(plan_repo.list_plans(session, owner_id=uid, limit=limit, offset=offset), PlanView.of)


def get_plan(db: Db, *, user: Any, plan_id: int) -> StoredPlan | None:
    """One of this user's plans, or ``None``."""
    with unit_of_work(db) as session:
        uid, _ = acting_member(session, user, write=False)
        row = plan_repo.get_plan(session, owner_id=uid, plan_id=plan_id)
        return StoredPlan(PlanView.of(row), result_from_json(row.result)) if row is not None else None


def load_by_period(db: Db, *, user: Any, period: str = "week") -> tuple[StoredPlan, tuple[PeriodLoad, ...]] | None:
    """The current plan and its load vs capacity per work center and ``period`` (``day`` or
    ``week``): planned hours and work due from the plan, capacity from the shop's calendars
    and downtime as they are now; ``None`` without a current plan.

    Raises:
        InputError: an unknown period.
    """
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        row = plan_repo.get_current_plan(session, organisation_id=org_id)
        if row is None:
            return None
        stored = StoredPlan(PlanView.of(row), result_from_json(row.result))
        problem = load_problem(session, org_id, stored.result.start)
    return stored, period_loads(problem, stored.result, period)


@dataclass
class PlanDiff:
    """What a new plan changes against the previous one: operations moved (another work
    center or a start shifted by a minute or more), new operations, orders that became late
    or on time, and the objective (weighted tardiness, hours) and late orders before/after."""

    moved: list[dict[str, Any]] = field(default_factory=list)
    new_operations: list[str] = field(default_factory=list)
    became_late: list[str] = field(default_factory=list)
    became_on_time: list[str] = field(default_factory=list)
    objective_before: float | None = None
    objective_after: float = 0.0
    late_before: int | None = None
    late_after: int = 0

    @property
    def objective_change(self) -> float | None:
        """After minus before (hours), ``None`` without a previous plan."""
        return None if self.objective_before is None else self.objective_after - self.objective_before


def diff_plans(previous: ShopResult | None, new: ShopResult) -> PlanDiff:
    """What ``new`` changes against ``previous`` (see :class:`PlanDiff`)."""
    out = PlanDiff(objective_after=new.kpis.weighted_tardiness_hours, late_after=new.kpis.late_orders)
    if previous is None:
        out.new_operations = [p.op_id for p in new.operations]
        out.became_late = [o.rn for o in new.orders if o.late]
        return out
    out.objective_before = previous.kpis.weighted_tardiness_hours
    out.late_before = previous.kpis.late_orders
    before = {p.op_id: p for p in previous.operations}
    for p in new.operations:
        b = before.get(p.op_id)
        if b is None:
            out.new_operations.append(p.op_id)
            continue
        shift = (p.start - b.start).total_seconds() / 3600
        if b.work_center != p.work_center or abs(shift) >= 1 / 60:
            out.moved.append({
                "operation": p.op_id, "from work center": b.work_center, "to work center": p.work_center,
                "old start": b.start, "new start": p.start, "shift (h)": round(shift, 2),
            })
    was_late = {o.rn: o.late for o in previous.orders}
    for o in new.orders:
        if o.rn not in was_late:
            continue
        if o.late and not was_late[o.rn]:
            out.became_late.append(o.rn)
        elif was_late[o.rn] and not o.late:
            out.became_on_time.append(o.rn)
    return out


def write_plan(session: Session, org_id: int, uid: int, result: ShopResult, name: str) -> int:
    """Store ``result`` as the organisation's current plan and write the planned times to
    the operations (inside the caller's transaction); returns the plan id."""
    k = result.kpis
    row = plan_repo.create_plan(
        session, organisation_id=org_id, owner_id=uid, strategy=result.strategy, plan_start=result.start,
        name=(name or f"{result.strategy} {result.start:%Y-%m-%d %H:%M}")[:255], due_basis=result.due_basis,
        objective=float(k.weighted_tardiness_hours), late_orders=int(k.late_orders),
        makespan_h=float(k.makespan_hours), runtime_s=float(result.runtime_s),
        kpis={key: v for key, v in kpis_to_json(k).items() if key != "weekly_load"},
        result=result_to_json(result),
    )
    plan_repo.set_current_plan(session, organisation_id=org_id, owner_id=uid, plan_id=row.id)
    write_planned_times(session, org_id, result)
    return row.id


def write_planned_times(session: Session, org_id: int, result: ShopResult | None) -> None:
    """Write the planned start and end of every operation of ``result`` to the operations
    (``None`` for the others, all of them when ``result`` is ``None``)."""
    planned = {p.op_id: p for p in result.operations} if result is not None else {}
    rn_of = {o.id: o.rn for o in work_order_repo.all_work_orders(session, organisation_id=org_id)}
    for op in operation_repo.list_operations(session, organisation_id=org_id):
        p = planned.get(f"{rn_of[op.work_order_id]}/{op.sequence}")
        op.planned_start, op.planned_end = (p.start, p.end) if p else (None, None)
        session.add(op)
    session.flush()
