"""Service layer of the shop pages: database <-> ``scheduler_core.shop``.

Every function takes ``db`` (an engine or a unit-of-work factory, as in
:mod:`webapp.services`) and the acting ``user``; the user's organisation is resolved (and
created on first use) from ``user_organisations``. Writes need a planner or admin.

* Import: :func:`preview_workbook` parses a workbook (every row error in one
  ``InputError``, nothing stored); :func:`import_problem` replaces the organisation's shop
  data in **one** transaction, so a failing import changes nothing. :func:`load_demo`
  fills an empty organisation in one call.
* Planning: :func:`build_problem` reads the engine's ``ShopProblem`` from the database
  (calendars, exceptions, downtime, manual sequences, pins); :func:`run_plan` plans it
  (dispatch / optimise, progress callback) without storing anything; :func:`diff_plans`
  tells what a new plan changes against the previous one; :func:`accept_plan` stores it
  as the organisation's current plan and writes the planned times to the operations.
* Planner actions (reorder, move, pin, finish, downtime) change the stored shop; the
  board re-plans afterwards.
* What-if: scenarios are private copies of the shop (problem JSON) with their own plan;
  :func:`promote_scenario` applies a scenario's changes to the shop and makes its plan
  the current one.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from scheduler_core.errors import InputError, Problem
from scheduler_core.progress import ProgressCallback
from scheduler_core.shop import (
    STRATEGIES,
    Calendar,
    Downtime,
    Operation,
    OrderOutcome,
    PlannedOperation,
    ShopKpis,
    ShopProblem,
    ShopResult,
    WeekLoad,
    WorkCenter,
    WorkOrder,
    demo_shop,
    plan,
    read_workbook,
)
from webapp.db import shop_repositories as srepo
from webapp.db.engine import Db, unit_of_work
from webapp.db.repositories import DuplicateName, NotFound, Page
from webapp.db.shop_models import ShopOperation, ShopPlan, ShopScenario, ShopWorkCenter, ShopWorkOrder
from webapp.services import PermissionDenied, _acting_user

__all__ = [
    "DuplicateName",
    "NotFound",
    "Page",
    "PermissionDenied",
    "PlanDiff",
    "StoredPlan",
]

SHIFT_NAMES = ("S1", "S2", "S3")
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def default_start(now: datetime | None = None) -> datetime:
    """Planning start by default: today 07:00."""
    return datetime.combine((now or datetime.now()).date(), time(7))


def _ctx(session, user: Any, *, write: bool) -> tuple[int, int]:
    """(user id, organisation id) of the acting user."""
    row = _acting_user(session, user, write=write)
    org = srepo.ensure_organisation(session, user_id=row.id, username=row.username)
    return row.id, org.id


# ----------------------------------------------------------------- JSON converters


def _iso(v: date | datetime | None) -> str | None:
    return v.isoformat() if v is not None else None


def _dt(v: str | None) -> datetime | None:
    return datetime.fromisoformat(v) if v else None


def _date_or_dt(v: str | None) -> date | datetime | None:
    if not v:
        return None
    return datetime.fromisoformat(v) if "T" in v else date.fromisoformat(v)


def result_to_json(result: ShopResult) -> dict[str, Any]:
    k = result.kpis
    return {
        "strategy": result.strategy,
        "due_basis": result.due_basis,
        "start": _iso(result.start),
        "proven_optimal": result.proven_optimal,
        "runtime_s": result.runtime_s,
        "status": result.status,
        "warnings": list(result.warnings),
        "best_found_s": result.best_found_s,
        "operations": [
            {
                "op_id": p.op_id, "rn": p.rn, "sequence": p.sequence, "name": p.name,
                "work_center": p.work_center, "start": _iso(p.start), "end": _iso(p.end),
                "duration_minutes": p.duration_minutes,
                "intervals": [[_iso(s), _iso(e)] for s, e in p.intervals],
                "in_progress": p.in_progress, "pinned": p.pinned,
            }
            for p in result.operations
        ],
        "orders": [
            {
                "rn": o.rn, "priority_level": o.priority_level, "weight": o.weight,
                "urgency_rank": o.urgency_rank, "due": _iso(o.due), "completion": _iso(o.completion),
                "lateness_hours": o.lateness_hours,
            }
            for o in result.orders
        ],
        "kpis": kpis_to_json(k),
    }


def kpis_to_json(k: ShopKpis) -> dict[str, Any]:
    return {
        "weighted_tardiness_minutes": k.weighted_tardiness_minutes,
        "weighted_tardiness_hours": k.weighted_tardiness_hours,
        "late_orders": k.late_orders,
        "orders": k.orders,
        "operations": k.operations,
        "max_lateness_hours": k.max_lateness_hours,
        "makespan_minutes": k.makespan_minutes,
        "makespan_hours": k.makespan_hours,
        "utilisation": dict(k.utilisation),
        "weekly_load": [
            {"work_center": w.work_center, "week_start": _iso(w.week_start),
             "capacity_hours": w.capacity_hours, "planned_hours": w.planned_hours, "due_hours": w.due_hours}
            for w in k.weekly_load
        ],
    }


def result_from_json(d: dict[str, Any]) -> ShopResult:
    k = d["kpis"]
    kpis = ShopKpis(
        weighted_tardiness_minutes=k["weighted_tardiness_minutes"],
        weighted_tardiness_hours=k["weighted_tardiness_hours"],
        late_orders=k["late_orders"],
        orders=k["orders"],
        operations=k["operations"],
        max_lateness_hours=k["max_lateness_hours"],
        makespan_minutes=k["makespan_minutes"],
        makespan_hours=k["makespan_hours"],
        utilisation=dict(k["utilisation"]),
        weekly_load=tuple(
            WeekLoad(w["work_center"], date.fromisoformat(w["week_start"]), w["capacity_hours"],
                     w["planned_hours"], w["due_hours"])
            for w in k["weekly_load"]
        ),
    )
    return ShopResult(
        strategy=d["strategy"],
        due_basis=d["due_basis"],
        start=datetime.fromisoformat(d["start"]),
        operations=[
            PlannedOperation(
                op_id=p["op_id"], rn=p["rn"], sequence=p["sequence"], name=p["name"],
                work_center=p["work_center"], start=datetime.fromisoformat(p["start"]),
                end=datetime.fromisoformat(p["end"]), duration_minutes=p["duration_minutes"],
                intervals=tuple((datetime.fromisoformat(s), datetime.fromisoformat(e)) for s, e in p["intervals"]),
                in_progress=p["in_progress"], pinned=p["pinned"],
            )
            for p in d["operations"]
        ],
        orders=[
            OrderOutcome(o["rn"], o["priority_level"], o["weight"], o["urgency_rank"], _dt(o["due"]),
                         _dt(o["completion"]), o["lateness_hours"])
            for o in d["orders"]
        ],
        kpis=kpis,
        proven_optimal=d.get("proven_optimal", False),
        runtime_s=d.get("runtime_s", 0.0),
        status=d.get("status", ""),
        warnings=list(d.get("warnings", [])),
        best_found_s=d.get("best_found_s"),
    )


def problem_to_json(p: ShopProblem) -> dict[str, Any]:
    return {
        "name": p.name,
        "start": _iso(p.start),
        "work_centers": [
            {
                "code": w.code, "name": w.name, "category": w.category,
                "capacity_hours_per_day": w.capacity_hours_per_day, "setup_time_minutes": w.setup_time_minutes,
                "cost_per_hour": w.cost_per_hour, "active": w.active,
                "weekdays": sorted(w.calendar.weekdays),
                "shift_names": sorted(w.calendar.shift_names) if w.calendar.shift_names is not None else None,
                "overrides": [[_iso(d), s, f] for d, s, f in w.calendar.overrides],
                "always_working": w.calendar.always_working,
            }
            for w in p.work_centers
        ],
        "work_orders": [
            {
                "rn": o.rn, "quantity": o.quantity, "priority_level": o.priority_level, "kpl": o.kpl,
                "product_name": o.product_name, "delivery_date": _iso(o.delivery_date),
                "assembly_date": _iso(o.assembly_date), "third_date": _iso(o.third_date),
                "status": o.status, "urgency_rank": o.urgency_rank, "weight": o.weight,
            }
            for o in p.work_orders
        ],
        "operations": [
            {
                "rn": op.rn, "sequence": op.sequence, "work_center": op.work_center, "norma": op.norma,
                "name": op.name, "quantity": op.quantity, "quantity_completed": op.quantity_completed,
                "status": op.status, "pinned_start": _iso(op.pinned_start),
                "actual_start": _iso(op.actual_start), "actual_end": _iso(op.actual_end),
                "alternatives": list(op.alternatives),
            }
            for op in p.operations
        ],
        "downtime": [[d.work_center, _iso(d.start), _iso(d.end), d.reason] for d in p.downtime],
        "manual_sequences": {w: list(ids) for w, ids in p.manual_sequences.items()},
    }


def problem_from_json(d: dict[str, Any]) -> ShopProblem:
    wcs = tuple(
        WorkCenter(
            w["code"], w["name"], w["category"], w["capacity_hours_per_day"], w["setup_time_minutes"],
            w["cost_per_hour"], w["active"],
            Calendar(
                weekdays=frozenset(w["weekdays"]),
                shift_names=frozenset(w["shift_names"]) if w["shift_names"] is not None else None,
                overrides=tuple((date.fromisoformat(x), s, bool(f)) for x, s, f in w["overrides"]),
                always_working=w["always_working"],
            ),
        )
        for w in d["work_centers"]
    )
    orders = tuple(
        WorkOrder(
            rn=o["rn"], quantity=o["quantity"], priority_level=o["priority_level"], kpl=o["kpl"],
            product_name=o["product_name"], delivery_date=_date_or_dt(o["delivery_date"]),
            assembly_date=_date_or_dt(o["assembly_date"]), third_date=_date_or_dt(o["third_date"]),
            status=o["status"], urgency_rank=o["urgency_rank"], weight=o["weight"],
        )
        for o in d["work_orders"]
    )
    ops = tuple(
        Operation(
            rn=op["rn"], sequence=op["sequence"], work_center=op["work_center"], norma=op["norma"],
            name=op["name"], quantity=op["quantity"], quantity_completed=op["quantity_completed"],
            status=op["status"], pinned_start=_dt(op["pinned_start"]), actual_start=_dt(op["actual_start"]),
            actual_end=_dt(op["actual_end"]), alternatives=tuple(op["alternatives"]),
        )
        for op in d["operations"]
    )
    downtime = tuple(Downtime(w, datetime.fromisoformat(s), datetime.fromisoformat(e), r) for w, s, e, r in d["downtime"])
    return ShopProblem(wcs, orders, ops, downtime, {w: tuple(i) for w, i in d["manual_sequences"].items()},
                       start=_dt(d["start"]), name=d["name"])


# ----------------------------------------------------------------- reading the shop


@dataclass(frozen=True)
class ShopSummary:
    organisation: str
    work_centers: int
    work_orders: int
    operations: int
    current_plan_id: int | None


def summary(db: Db, *, user: Any) -> ShopSummary:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=False)
        org = srepo.organisation_of(session, user_id=_acting_user(session, user, write=False).id)
        current = srepo.get_current_plan(session, organisation_id=org_id)
        return ShopSummary(
            organisation=org.name if org else "",
            work_centers=len(srepo.list_work_centers(session, organisation_id=org_id)),
            work_orders=srepo.count_work_orders(session, organisation_id=org_id),
            operations=srepo.count_operations(session, organisation_id=org_id),
            current_plan_id=current.id if current else None,
        )


def _weekdays(text: str) -> frozenset[int]:
    return frozenset(int(x) for x in text.split(",") if x.strip() != "")


def _shifts(text: str) -> frozenset[str]:
    return frozenset(x.strip() for x in text.split(",") if x.strip())


def _problem_in(session, org_id: int, start: datetime | None) -> ShopProblem:
    wcs = srepo.list_work_centers(session, organisation_id=org_id)
    cats = srepo.category_names(session, organisation_id=org_id)
    code_of = {w.id: w.code for w in wcs}
    exceptions: dict[int, list] = {}
    for x in srepo.list_calendar_exceptions(session, organisation_id=org_id):
        exceptions.setdefault(x.work_center_id, []).append((x.day, x.shift, x.working))
    work_centers = tuple(
        WorkCenter(
            w.code, w.name, cats.get(w.category_id, "") if w.category_id else "", w.capacity_hours_per_day,
            w.setup_time_minutes, w.cost_per_hour, w.is_active,
            Calendar(weekdays=_weekdays(w.working_days), shift_names=_shifts(w.shifts),
                     overrides=tuple(exceptions.get(w.id, ()))),
        )
        for w in wcs
    )
    prods = srepo.products(session, organisation_id=org_id)
    orders = srepo.all_work_orders(session, organisation_id=org_id)
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
    rows = srepo.list_operations(session, organisation_id=org_id)
    manual: dict[str, list[tuple[int, str]]] = {}
    ops = []
    for r in rows:
        op = Operation(
            rn=rn_of[r.work_order_id], sequence=r.sequence, work_center=code_of[r.work_center_id], norma=r.norma,
            name=r.name, quantity=r.quantity, quantity_completed=r.quantity_completed, status=r.status,
            pinned_start=r.pinned_start, actual_start=r.actual_start, actual_end=r.actual_end,
            alternatives=tuple(a for a in r.alternatives.split(",") if a),
        )
        ops.append(op)
        if r.manual_position is not None and op.is_open:
            manual.setdefault(op.work_center, []).append((r.manual_position, op.op_id))
    downtime = tuple(
        Downtime(code_of[d.work_center_id], d.start_at, d.end_at, d.reason)
        for d in srepo.list_downtimes(session, organisation_id=org_id)
    )
    return ShopProblem(
        work_centers, work_orders, tuple(ops), downtime,
        {w: tuple(i for _, i in sorted(v)) for w, v in manual.items()},
        start=start or default_start(), name="shop",
    )


def build_problem(db: Db, *, user: Any, start: datetime | None = None) -> ShopProblem:
    """The organisation's shop as the engine's ``ShopProblem`` (planning from ``start``)."""
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=False)
        return _problem_in(session, org_id, start)


def add_member(db: Db, *, user: Any, username: str) -> None:
    """Share the acting admin's shop: move ``username`` into the admin's organisation
    (admins only: moving a user changes which shop they see)."""
    with unit_of_work(db) as session:
        acting = _acting_user(session, user, write=True)
        if acting.role != "admin":
            raise PermissionDenied("only an admin can add members to an organisation")
        _, org_id = _ctx(session, user, write=True)
        from webapp.db import repositories as repo

        target = repo.get_user_by_username(session, username=username)
        if target is None:
            raise NotFound(f"user '{username}' not found")
        srepo.add_member(session, organisation_id=org_id, user_id=target.id)


# ----------------------------------------------------------------- import / demo


def preview_workbook(data: bytes, filename: str) -> ShopProblem:
    """Parse a workbook (either layout). Raises ``InputError`` listing every bad row."""
    return read_workbook(data, filename=filename)


def _store_problem(session, org_id: int, problem: ShopProblem) -> dict[str, int]:
    srepo.clear_shop(session, organisation_id=org_id)
    wc_ids: dict[str, int] = {}
    for w in problem.work_centers:
        cal = w.calendar
        row = srepo.create_work_center(
            session, organisation_id=org_id, code=w.code, name=w.name or w.code,
            category_id=srepo.category_id(session, organisation_id=org_id, code=w.category),
            capacity_hours_per_day=float(w.capacity_hours_per_day), setup_time_minutes=int(w.setup_time_minutes),
            cost_per_hour=w.cost_per_hour, is_active=w.active,
            shifts=",".join(sorted(cal.shift_names)) if cal.shift_names else ",".join(SHIFT_NAMES),
            working_days=",".join(str(d) for d in sorted(cal.weekdays)),
        )
        wc_ids[w.code] = row.id
        last: dict[tuple[date, str], bool] = {}
        for day, shift, flag in cal.overrides:
            last[(day, shift)] = flag
        for (day, shift), flag in last.items():
            srepo.set_calendar_exception(session, organisation_id=org_id, work_center_id=row.id, day=day,
                                         shift=shift, working=flag)
    for d in problem.downtime:
        srepo.add_downtime(session, organisation_id=org_id, work_center_id=wc_ids[d.work_center],
                           start_at=d.start, end_at=d.end, reason=d.reason)
    wo_ids: dict[str, int] = {}

    def as_date(v):
        return v.date() if isinstance(v, datetime) else v

    for o in problem.work_orders:
        row = srepo.create_work_order(
            session, organisation_id=org_id, rn=o.rn, quantity=o.quantity, priority_level=o.priority_level,
            product_id=srepo.product_id(session, organisation_id=org_id, kpl=o.kpl, name=o.product_name),
            delivery_date=as_date(o.delivery_date), assembly_date=as_date(o.assembly_date),
            third_date=as_date(o.third_date), status=o.status, urgency_rank=o.urgency_rank,
        )
        wo_ids[o.rn] = row.id
    positions = {i: k for ids in problem.manual_sequences.values() for k, i in enumerate(ids, 1)}
    for op in problem.operations:
        session.add(ShopOperation(
            organisation_id=org_id, work_order_id=wo_ids[op.rn], work_center_id=wc_ids[op.work_center],
            sequence=op.sequence, name=op.name[:500], norma=float(op.norma), quantity=op.quantity,
            quantity_completed=float(op.quantity_completed), status=op.status,
            manual_position=positions.get(op.op_id), pinned_start=op.pinned_start,
            alternatives=",".join(op.alternatives)[:200], actual_start=op.actual_start, actual_end=op.actual_end,
        ))
    session.flush()
    return {"work_centers": len(wc_ids), "work_orders": len(wo_ids), "operations": len(problem.operations)}


def import_problem(db: Db, *, user: Any, problem: ShopProblem) -> dict[str, int]:
    """Replace the organisation's shop with ``problem`` in ONE transaction (all or nothing)."""
    problem.check()
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        return _store_problem(session, org_id, problem)


def import_workbook(db: Db, *, user: Any, data: bytes, filename: str) -> dict[str, int]:
    """Parse and store a workbook; a broken workbook raises ``InputError`` and stores nothing."""
    return import_problem(db, user=user, problem=preview_workbook(data, filename))


def load_demo(db: Db, *, user: Any, seed: int = 1, orders: int = 60, work_centers: int = 5,
              start: datetime | None = None) -> dict[str, int]:
    """Fill an EMPTY organisation with a generated demo shop (planning from ``start``)."""
    problem = demo_shop(seed, work_centers=work_centers, orders=orders, start=start or default_start())
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        if srepo.count_work_orders(session, organisation_id=org_id):
            raise InputError(Problem("the shop already has work orders; the demo fills an empty shop only"))
        return _store_problem(session, org_id, problem)


# ----------------------------------------------------------------- planning


@dataclass(frozen=True)
class StoredPlan:
    plan: ShopPlan
    result: ShopResult


def run_plan(db: Db, *, user: Any, strategy: str = "dispatch", due: str = "assembly",
             start: datetime | None = None, time_limit_s: float = 10.0,
             progress: ProgressCallback | None = None, problem: ShopProblem | None = None) -> ShopResult:
    """Plan the stored shop (or ``problem``); nothing is stored."""
    if strategy not in STRATEGIES:
        raise InputError(Problem(f"unknown strategy '{strategy}'"))
    problem = problem or build_problem(db, user=user, start=start)
    if not problem.operations:
        raise InputError(Problem("the shop has no operations to plan"))
    return plan(problem, strategy, due=due, start=start or problem.start, time_limit_s=time_limit_s,
                progress=progress)


def current_plan(db: Db, *, user: Any) -> StoredPlan | None:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=False)
        row = srepo.get_current_plan(session, organisation_id=org_id)
        return StoredPlan(row, result_from_json(row.result)) if row is not None else None


def list_plans(db: Db, *, user: Any, limit: int = 20, offset: int = 0) -> Page[ShopPlan]:
    with unit_of_work(db) as session:
        uid, _ = _ctx(session, user, write=False)
        return srepo.list_plans(session, owner_id=uid, limit=limit, offset=offset)


def get_plan(db: Db, *, user: Any, plan_id: int) -> StoredPlan | None:
    with unit_of_work(db) as session:
        uid, _ = _ctx(session, user, write=False)
        row = srepo.get_plan(session, owner_id=uid, plan_id=plan_id)
        return StoredPlan(row, result_from_json(row.result)) if row is not None else None


@dataclass
class PlanDiff:
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
        return None if self.objective_before is None else self.objective_after - self.objective_before


def diff_plans(previous: ShopResult | None, new: ShopResult) -> PlanDiff:
    """What ``new`` changes against ``previous``: moved operations (other work center or a
    start shifted by a minute or more), orders that became late / on time, objective."""
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


def _write_plan(session, org_id: int, uid: int, result: ShopResult, name: str) -> int:
    k = result.kpis
    row = srepo.create_plan(
        session, organisation_id=org_id, owner_id=uid, strategy=result.strategy, plan_start=result.start,
        name=(name or f"{result.strategy} {result.start:%Y-%m-%d %H:%M}")[:255], due_basis=result.due_basis,
        objective=float(k.weighted_tardiness_hours), late_orders=int(k.late_orders),
        makespan_h=float(k.makespan_hours), runtime_s=float(result.runtime_s),
        kpis={key: v for key, v in kpis_to_json(k).items() if key != "weekly_load"},
        result=result_to_json(result),
    )
    srepo.set_current_plan(session, organisation_id=org_id, owner_id=uid, plan_id=row.id)
    planned = {p.op_id: p for p in result.operations}
    rn_of = {o.id: o.rn for o in srepo.all_work_orders(session, organisation_id=org_id)}
    for op in srepo.list_operations(session, organisation_id=org_id):
        p = planned.get(f"{rn_of[op.work_order_id]}/{op.sequence}")
        op.planned_start, op.planned_end = (p.start, p.end) if p else (None, None)
        session.add(op)
    session.flush()
    return row.id


def accept_plan(db: Db, *, user: Any, result: ShopResult, name: str = "") -> int:
    """Store ``result`` as the organisation's current plan and write the planned times."""
    with unit_of_work(db) as session:
        uid, org_id = _ctx(session, user, write=True)
        return _write_plan(session, org_id, uid, result, name)


# ----------------------------------------------------------------- planner actions


def _op_rows(session, org_id: int) -> dict[str, ShopOperation]:
    rn_of = {o.id: o.rn for o in srepo.all_work_orders(session, organisation_id=org_id)}
    return {f"{rn_of[r.work_order_id]}/{r.sequence}": r for r in srepo.list_operations(session, organisation_id=org_id)}


def _require_op(ops: dict[str, ShopOperation], op_id: str) -> ShopOperation:
    if op_id not in ops:
        raise NotFound(f"operation '{op_id}' not found")
    return ops[op_id]


def _wc(session, org_id: int, code: str) -> ShopWorkCenter:
    wc = srepo.get_work_center(session, organisation_id=org_id, code=code)
    if wc is None:
        raise NotFound(f"work center '{code}' not found")
    return wc


def reorder(db: Db, *, user: Any, work_center: str, op_ids: list[str]) -> None:
    """The planner's sequence of ``op_ids`` on ``work_center`` (kept by every re-plan)."""
    if len(set(op_ids)) != len(op_ids):
        raise InputError(Problem("an operation is listed twice"))
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        wc = _wc(session, org_id, work_center)
        ops = _op_rows(session, org_id)
        rows = [_require_op(ops, i) for i in op_ids]
        bad = [i for i, r in zip(op_ids, rows, strict=True) if r.work_center_id != wc.id]
        if bad:
            raise InputError([Problem(f"operation '{i}' is not on {work_center}") for i in bad])
        for r in ops.values():
            if r.work_center_id == wc.id and r.manual_position is not None:
                r.manual_position = None
                session.add(r)
        session.flush()
        for k, r in enumerate(rows, 1):
            srepo.update_operation(session, organisation_id=org_id, operation_id=r.id, manual_position=k)


def move_in_queue(queue: list[str], op_id: str, step: int) -> list[str]:
    """``queue`` with ``op_id`` moved ``step`` places (−1 = earlier)."""
    q = list(queue)
    i = q.index(op_id)
    j = max(0, min(len(q) - 1, i + step))
    q.insert(j, q.pop(i))
    return q


def move_operation(db: Db, *, user: Any, op_id: str, work_center: str) -> None:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        wc = _wc(session, org_id, work_center)
        if not wc.is_active:
            raise InputError(Problem(f"work center '{work_center}' is inactive"))
        row = _require_op(_op_rows(session, org_id), op_id)
        srepo.update_operation(session, organisation_id=org_id, operation_id=row.id, work_center_id=wc.id,
                               manual_position=None)


def pin_operation(db: Db, *, user: Any, op_id: str, start: datetime | None) -> None:
    """Pin ``op_id`` to start at ``start`` (``None`` unpins)."""
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        row = _require_op(_op_rows(session, org_id), op_id)
        srepo.update_operation(session, organisation_id=org_id, operation_id=row.id, pinned_start=start)


def finish_operation(db: Db, *, user: Any, op_id: str, at: datetime | None = None) -> None:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        row = _require_op(_op_rows(session, org_id), op_id)
        srepo.update_operation(session, organisation_id=org_id, operation_id=row.id, status="completed",
                               quantity_completed=float(row.quantity), actual_end=row.actual_end or at or datetime.now())


def finish_order(db: Db, *, user: Any, rn: str, at: datetime | None = None) -> None:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        wo = srepo.get_work_order(session, organisation_id=org_id, rn=rn)
        if wo is None:
            raise NotFound(f"work order '{rn}' not found")
        srepo.update_work_order(session, organisation_id=org_id, work_order_id=wo.id, status="completed")
        for op in srepo.list_operations(session, organisation_id=org_id, work_order_id=wo.id):
            srepo.update_operation(session, organisation_id=org_id, operation_id=op.id, status="completed",
                                   quantity_completed=float(op.quantity),
                                   actual_end=op.actual_end or at or datetime.now())


def record_downtime(db: Db, *, user: Any, work_center: str, start: datetime, end: datetime,
                    reason: str = "") -> int:
    if end <= start:
        raise InputError(Problem("the downtime must end after it starts"))
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        wc = _wc(session, org_id, work_center)
        return srepo.add_downtime(session, organisation_id=org_id, work_center_id=wc.id, start_at=start,
                                  end_at=end, reason=reason).id


def delete_downtime(db: Db, *, user: Any, downtime_id: int) -> bool:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        return srepo.delete_downtime(session, organisation_id=org_id, downtime_id=downtime_id)


# ----------------------------------------------------------------- work orders & machines


def list_work_orders(db: Db, *, user: Any, **filters: Any) -> Page[ShopWorkOrder]:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=False)
        return srepo.list_work_orders(session, organisation_id=org_id, **filters)


def product_labels(db: Db, *, user: Any) -> dict[int, str]:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=False)
        return {i: f"{p.kpl} {p.name}".strip() for i, p in srepo.products(session, organisation_id=org_id).items()}


def save_work_order(db: Db, *, user: Any, work_order_id: int | None = None, kpl: str = "",
                    product_name: str = "", **fields: Any) -> int:
    """Create (``work_order_id`` None) or update a work order; ``kpl`` picks/creates a product."""
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        if kpl.strip():
            fields["product_id"] = srepo.product_id(session, organisation_id=org_id, kpl=kpl, name=product_name)
        if work_order_id is None:
            return srepo.create_work_order(session, organisation_id=org_id, **fields).id
        return srepo.update_work_order(session, organisation_id=org_id, work_order_id=work_order_id, **fields).id


def delete_work_order(db: Db, *, user: Any, work_order_id: int) -> bool:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        return srepo.delete_work_order(session, organisation_id=org_id, work_order_id=work_order_id)


def move_urgency(db: Db, *, user: Any, rn: str, step: int) -> list[str]:
    """Move ``rn`` ``step`` places on the urgency list (−1 = more urgent; an order not on the
    list joins at its end). Ranks are renumbered 1..n. Returns the new list."""
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        orders = srepo.all_work_orders(session, organisation_id=org_id)
        if rn not in {o.rn for o in orders}:
            raise NotFound(f"work order '{rn}' not found")
        ranked = [o.rn for o in sorted((o for o in orders if o.urgency_rank is not None),
                                       key=lambda o: (o.urgency_rank, o.id))]
        if rn not in ranked:
            ranked.append(rn)
            step = min(step, 0)
        ranked = move_in_queue(ranked, rn, step)
        rank = {r: k for k, r in enumerate(ranked, 1)}
        for o in orders:
            new = rank.get(o.rn)
            if o.urgency_rank != new:
                srepo.update_work_order(session, organisation_id=org_id, work_order_id=o.id, urgency_rank=new)
        return ranked


def remove_urgency(db: Db, *, user: Any, rn: str) -> None:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        wo = srepo.get_work_order(session, organisation_id=org_id, rn=rn)
        if wo is None:
            raise NotFound(f"work order '{rn}' not found")
        srepo.update_work_order(session, organisation_id=org_id, work_order_id=wo.id, urgency_rank=None)


def operations_of(db: Db, *, user: Any, work_order_id: int) -> list[ShopOperation]:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=False)
        return srepo.list_operations(session, organisation_id=org_id, work_order_id=work_order_id)


def list_work_centers(db: Db, *, user: Any) -> list[ShopWorkCenter]:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=False)
        return srepo.list_work_centers(session, organisation_id=org_id)


def update_work_center(db: Db, *, user: Any, code: str, **fields: Any) -> None:
    """Change a work center (``shifts``/``working_days`` as lists or strings, status, …)."""
    if isinstance(fields.get("shifts"), list | tuple | set | frozenset):
        bad = [s for s in fields["shifts"] if s not in SHIFT_NAMES]
        if bad or not fields["shifts"]:
            raise InputError(Problem(f"shifts must be some of {', '.join(SHIFT_NAMES)}"))
        fields["shifts"] = ",".join(sorted(fields["shifts"]))
    if isinstance(fields.get("working_days"), list | tuple | set | frozenset):
        fields["working_days"] = ",".join(str(int(d)) for d in sorted(fields["working_days"]))
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        wc = _wc(session, org_id, code)
        srepo.update_work_center(session, organisation_id=org_id, work_center_id=wc.id, **fields)


def calendar_exceptions(db: Db, *, user: Any, code: str | None = None) -> list[dict[str, Any]]:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=False)
        wcs = {w.id: w.code for w in srepo.list_work_centers(session, organisation_id=org_id)}
        wc_id = _wc(session, org_id, code).id if code else None
        return [
            {"id": x.id, "work_center": wcs[x.work_center_id], "date": x.day, "shift": x.shift,
             "working": x.working, "note": x.note}
            for x in srepo.list_calendar_exceptions(session, organisation_id=org_id, work_center_id=wc_id)
        ]


def set_calendar(db: Db, *, user: Any, code: str, first: date, last: date, shifts: list[str],
                 working: bool, note: str = "") -> int:
    """Mark ``shifts`` of every date ``first``..``last`` on ``code`` working or not."""
    if last < first:
        raise InputError(Problem("the date range ends before it starts"))
    if (last - first).days > 366:
        raise InputError(Problem("at most one year at a time"))
    if not shifts or any(s not in SHIFT_NAMES for s in shifts):
        raise InputError(Problem(f"choose shifts among {', '.join(SHIFT_NAMES)}"))
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        wc = _wc(session, org_id, code)
        n = 0
        day = first
        while day <= last:
            for s in shifts:
                srepo.set_calendar_exception(session, organisation_id=org_id, work_center_id=wc.id, day=day,
                                             shift=s, working=working, note=note)
                n += 1
            day += timedelta(days=1)
        return n


def delete_calendar_exception(db: Db, *, user: Any, exception_id: int) -> bool:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=True)
        return srepo.delete_calendar_exception(session, organisation_id=org_id, exception_id=exception_id)


def downtimes(db: Db, *, user: Any) -> list[dict[str, Any]]:
    with unit_of_work(db) as session:
        _, org_id = _ctx(session, user, write=False)
        wcs = {w.id: w.code for w in srepo.list_work_centers(session, organisation_id=org_id)}
        return [
            {"id": d.id, "work_center": wcs[d.work_center_id], "start": d.start_at, "end": d.end_at,
             "reason": d.reason}
            for d in srepo.list_downtimes(session, organisation_id=org_id)
        ]


# ----------------------------------------------------------------- what-if scenarios


def create_scenario(db: Db, *, user: Any, name: str, start: datetime | None = None) -> int:
    """Copy the shop and its current plan into a new private scenario."""
    with unit_of_work(db) as session:
        uid, org_id = _ctx(session, user, write=True)
        current = srepo.get_current_plan(session, organisation_id=org_id)
        plan_start = start or (current.plan_start if current else None)
        problem = _problem_in(session, org_id, plan_start)
        return srepo.create_scenario(
            session, organisation_id=org_id, owner_id=uid, name=(name or "scenario").strip() or "scenario",
            problem=problem_to_json(problem), result=dict(current.result) if current else {},
            base_plan_id=current.id if current else None,
        ).id


def list_scenarios(db: Db, *, user: Any) -> list[ShopScenario]:
    with unit_of_work(db) as session:
        uid, org_id = _ctx(session, user, write=False)
        return srepo.list_scenarios(session, owner_id=uid, organisation_id=org_id)


def _scenario(session, uid: int, scenario_id: int) -> ShopScenario:
    row = srepo.get_scenario(session, owner_id=uid, scenario_id=scenario_id)
    if row is None:
        raise NotFound(f"scenario {scenario_id} not found")
    return row


def scenario_problem(db: Db, *, user: Any, scenario_id: int) -> ShopProblem:
    with unit_of_work(db) as session:
        uid, _ = _ctx(session, user, write=False)
        return problem_from_json(_scenario(session, uid, scenario_id).problem)


def scenario_result(db: Db, *, user: Any, scenario_id: int) -> ShopResult | None:
    with unit_of_work(db) as session:
        uid, _ = _ctx(session, user, write=False)
        row = _scenario(session, uid, scenario_id)
        return result_from_json(row.result) if row.result else None


def _wc_in(problem: ShopProblem, code: str) -> WorkCenter:
    try:
        return problem.wc(code)
    except KeyError:
        raise InputError(Problem(f"unknown work center '{code}'")) from None


def change_scenario(db: Db, *, user: Any, scenario_id: int, kind: str, **args: Any) -> str:
    """Change a scenario's shop. ``kind``: ``capacity`` (work_center, shifts, working_days),
    ``calendar`` (work_center, day, shifts, working) or ``urgency`` (rn, urgency_rank,
    priority_level). Its plan is cleared (re-plan to see the effect). Returns the change text."""
    with unit_of_work(db) as session:
        uid, _ = _ctx(session, user, write=True)
        row = _scenario(session, uid, scenario_id)
        p = problem_from_json(row.problem)
        if kind == "capacity":
            w = _wc_in(p, args["work_center"])
            shifts = frozenset(args["shifts"])
            if not shifts or not shifts <= set(SHIFT_NAMES):
                raise InputError(Problem(f"shifts must be some of {', '.join(SHIFT_NAMES)}"))
            days = frozenset(int(d) for d in args["working_days"])
            cal = replace(w.calendar, shift_names=shifts, weekdays=days)
            new_w = replace(w, calendar=cal, capacity_hours_per_day=cal.hours_per_working_day)
            text = (f"{w.code}: shifts {','.join(sorted(shifts))}, days "
                    f"{','.join(DAY_NAMES[d] for d in sorted(days))}")
        elif kind == "calendar":
            w = _wc_in(p, args["work_center"])
            cal = w.calendar
            for s in args["shifts"]:
                cal = cal.with_override(args["day"], s, bool(args["working"]))
            new_w = replace(w, calendar=cal)
            text = (f"{w.code}: {args['day']:%Y-%m-%d} {','.join(args['shifts'])} "
                    f"{'working' if args['working'] else 'not working'}")
        elif kind == "urgency":
            try:
                o = p.order(args["rn"])
            except KeyError:
                raise InputError(Problem(f"unknown work order '{args['rn']}'")) from None
            prio = int(args.get("priority_level") or o.priority_level)
            if prio not in (1, 2, 3):
                raise InputError(Problem("priority must be 1, 2 or 3"))
            new_o = replace(o, urgency_rank=args.get("urgency_rank"), priority_level=prio)
            p = replace(p, work_orders=tuple(new_o if x.rn == o.rn else x for x in p.work_orders))
            text = f"{o.rn}: urgency rank {new_o.urgency_rank or '-'}, priority {prio}"
            w = new_w = None
        else:
            raise InputError(Problem(f"unknown change '{kind}'"))
        if w is not None:
            p = replace(p, work_centers=tuple(new_w if x.code == w.code else x for x in p.work_centers))
        srepo.update_scenario(session, owner_id=uid, scenario_id=scenario_id, problem=problem_to_json(p),
                              result={}, changes=[*row.changes, text])
        return text


def replan_scenario(db: Db, *, user: Any, scenario_id: int, strategy: str = "dispatch", due: str = "assembly",
                    time_limit_s: float = 10.0, progress: ProgressCallback | None = None) -> ShopResult:
    problem = scenario_problem(db, user=user, scenario_id=scenario_id)
    result = run_plan(db, user=user, strategy=strategy, due=due, start=problem.start,
                      time_limit_s=time_limit_s, progress=progress, problem=problem)
    with unit_of_work(db) as session:
        uid, _ = _ctx(session, user, write=True)
        srepo.update_scenario(session, owner_id=uid, scenario_id=scenario_id, result=result_to_json(result))
    return result


def delete_scenario(db: Db, *, user: Any, scenario_id: int) -> bool:
    with unit_of_work(db) as session:
        uid, _ = _ctx(session, user, write=True)
        return srepo.delete_scenario(session, owner_id=uid, scenario_id=scenario_id)


KPI_LABELS = (
    ("weighted_tardiness_hours", "Weighted tardiness (h)"),
    ("late_orders", "Late orders"),
    ("max_lateness_hours", "Max lateness (h)"),
    ("makespan_hours", "Makespan (h)"),
    ("operations", "Operations"),
)


def compare_kpis(baseline: ShopResult | None, scenario: ShopResult | None) -> list[dict[str, Any]]:
    """KPI rows side by side: baseline, scenario, difference."""
    rows = []
    for key, label in KPI_LABELS:
        b = getattr(baseline.kpis, key) if baseline else None
        s = getattr(scenario.kpis, key) if scenario else None
        diff = round(s - b, 2) if isinstance(b, int | float) and isinstance(s, int | float) else None
        rows.append({"KPI": label, "baseline": b, "scenario": s, "difference": diff})
    return rows


def promote_scenario(db: Db, *, user: Any, scenario_id: int) -> int:
    """Apply the scenario's calendars and urgency to the shop and make its plan the current
    plan (one transaction). Returns the new plan id."""
    with unit_of_work(db) as session:
        uid, org_id = _ctx(session, user, write=True)
        row = _scenario(session, uid, scenario_id)
        if not row.result:
            raise InputError(Problem("re-plan the scenario before promoting it"))
        p = problem_from_json(row.problem)
        for w in p.work_centers:
            wc = srepo.get_work_center(session, organisation_id=org_id, code=w.code)
            if wc is None:
                continue
            cal = w.calendar
            srepo.update_work_center(
                session, organisation_id=org_id, work_center_id=wc.id,
                shifts=",".join(sorted(cal.shift_names or SHIFT_NAMES)),
                working_days=",".join(str(d) for d in sorted(cal.weekdays)),
                capacity_hours_per_day=float(w.capacity_hours_per_day),
            )
            for day, shift, flag in cal.overrides:
                srepo.set_calendar_exception(session, organisation_id=org_id, work_center_id=wc.id, day=day,
                                             shift=shift, working=flag)
        for o in p.work_orders:
            wo = srepo.get_work_order(session, organisation_id=org_id, rn=o.rn)
            if wo is not None and (wo.urgency_rank, wo.priority_level) != (o.urgency_rank, o.priority_level):
                srepo.update_work_order(session, organisation_id=org_id, work_order_id=wo.id,
                                        urgency_rank=o.urgency_rank, priority_level=o.priority_level)
        return _write_plan(session, org_id, uid, result_from_json(row.result), f"promoted: {row.name}")


# ----------------------------------------------------------------- export


def _export(result: ShopResult, suffix: str) -> bytes:
    from scheduler_core.shop import export

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"plan{suffix}"
        (export.write_excel if suffix == ".xlsx" else export.write_pdf)(result, path)
        return path.read_bytes()


def export_excel(result: ShopResult) -> bytes:
    return _export(result, ".xlsx")


def export_pdf(result: ShopResult) -> bytes:
    return _export(result, ".pdf")
