"""What-if scenarios: a private copy of the shop (problem JSON) and its plan, changed by
the same pure edits as the board (capacity, calendar, urgency), re-planned, compared with
the baseline, and promoted: its calendars and urgency become the shop's and its plan the
current plan (one transaction)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlmodel import Session

from scheduler_core.progress import ProgressCallback
from scheduler_core.shop import ShopOptions, ShopProblem, ShopResult
from scheduler_core.shop import edits as core
from scheduler_core.shop.codec import problem_from_json, problem_to_json, result_from_json, result_to_json
from webapp.access import acting_member
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import plans as plan_repo
from webapp.db.repos import scenarios as scenario_repo
from webapp.db.shop_models import ShopScenario
from webapp.errors import InputError, NotFound, Problem
from webapp.shop.catalog import DAY_NAMES
from webapp.shop.mapping import load_problem, save_changes
from webapp.shop.planning import run_plan, write_plan
from webapp.views import ScenarioView

#: KPI rows of the scenario/baseline comparison: (ShopKpis field, label).
KPI_LABELS = (
    ("weighted_tardiness_hours", "Weighted tardiness (h)"),
    ("late_orders", "Late orders"),
    ("max_lateness_hours", "Max lateness (h)"),
    ("makespan_hours", "Makespan (h)"),
    ("operations", "Operations"),
)


def create_scenario(db: Db, *, user: Any, name: str, start: datetime | None = None) -> int:
    """Copy the shop and its current plan into a new private scenario; returns its id."""
    with unit_of_work(db) as session:
        uid, org_id = acting_member(session, user, write=True)
        current = plan_repo.get_current_plan(session, organisation_id=org_id)
        plan_start = start or (current.plan_start if current else None)
        problem = load_problem(session, org_id, plan_start)
        return scenario_repo.create_scenario(
            session, organisation_id=org_id, owner_id=uid, name=(name or "scenario").strip() or "scenario",
            problem=problem_to_json(problem), result=dict(current.result) if current else {},
            base_plan_id=current.id if current else None,
        ).id


def list_scenarios(db: Db, *, user: Any) -> list[ScenarioView]:
    """The user's own scenarios of their organisation."""
    with unit_of_work(db) as session:
        uid, org_id = acting_member(session, user, write=False)
        return [ScenarioView.of(s) for s in scenario_repo.list_scenarios(session, owner_id=uid, organisation_id=org_id)]


def _scenario(session: Session, uid: int, scenario_id: int) -> ShopScenario:
    row = scenario_repo.get_scenario(session, owner_id=uid, scenario_id=scenario_id)
    if row is None:
        raise NotFound(f"scenario {scenario_id} not found")
    return row


def scenario_problem(db: Db, *, user: Any, scenario_id: int) -> ShopProblem:
    """The scenario's copy of the shop. Raises ``NotFound`` (absent or not the user's)."""
    with unit_of_work(db) as session:
        uid, _ = acting_member(session, user, write=False)
        return problem_from_json(_scenario(session, uid, scenario_id).problem)


def scenario_result(db: Db, *, user: Any, scenario_id: int) -> ShopResult | None:
    """The scenario's plan, ``None`` when it changed since it was planned."""
    with unit_of_work(db) as session:
        uid, _ = acting_member(session, user, write=False)
        row = _scenario(session, uid, scenario_id)
        return result_from_json(row.result) if row.result else None


def _change(p: ShopProblem, kind: str, args: dict[str, Any]) -> tuple[ShopProblem, str]:
    """The scenario's problem after change ``kind``, and the change as text."""
    if kind == "capacity":
        code, shifts, days = args["work_center"], args["shifts"], [int(d) for d in args["working_days"]]
        changed = core.set_shifts(p, code, shifts, days)
        text = f"{code}: shifts {','.join(sorted(set(shifts)))}, days {','.join(DAY_NAMES[d] for d in sorted(set(days)))}"
    elif kind == "calendar":
        code, day, shifts, working = args["work_center"], args["day"], args["shifts"], bool(args["working"])
        changed = core.set_calendar(p, code, day, day, shifts, working)
        text = f"{code}: {day:%Y-%m-%d} {','.join(shifts)} {'working' if working else 'not working'}"
    elif kind == "urgency":
        rn, rank = args["rn"], args.get("urgency_rank")
        try:
            prio = int(args.get("priority_level") or p.order(rn).priority_level)
        except KeyError:
            raise InputError(Problem(f"unknown work order '{rn}'")) from None
        changed = core.set_urgency(p, rn, rank, prio)
        text = f"{rn}: urgency rank {rank or '-'}, priority {prio}"
    else:
        raise InputError(Problem(f"unknown change '{kind}'; valid: capacity, calendar, urgency"))
    return changed, text


def change_scenario(db: Db, *, user: Any, scenario_id: int, kind: str, **args: Any) -> str:
    """Change a scenario's shop. ``kind``: ``capacity`` (work_center, shifts,
    working_days), ``calendar`` (work_center, day, shifts, working) or ``urgency`` (rn,
    urgency_rank, priority_level). Its plan is cleared (re-plan to see the effect). Returns
    the change as text. Raises ``InputError`` (unknown change or reference, bad value)."""
    with unit_of_work(db) as session:
        uid, _ = acting_member(session, user, write=True)
        row = _scenario(session, uid, scenario_id)
        changed, text = _change(problem_from_json(row.problem), kind, args)
        scenario_repo.update_scenario(session, owner_id=uid, scenario_id=scenario_id, problem=problem_to_json(changed),
                                      result={}, changes=[*row.changes, text])
        return text


def replan_scenario(db: Db, *, user: Any, scenario_id: int, options: ShopOptions | None = None,
                    progress: ProgressCallback | None = None) -> ShopResult:
    """Plan the scenario's shop (from its start) with ``options`` and store the plan in it."""
    problem = scenario_problem(db, user=user, scenario_id=scenario_id)
    result = run_plan(db, user=user, options=options, progress=progress, problem=problem)
    with unit_of_work(db) as session:
        uid, _ = acting_member(session, user, write=True)
        scenario_repo.update_scenario(session, owner_id=uid, scenario_id=scenario_id, result=result_to_json(result))
    return result


def delete_scenario(db: Db, *, user: Any, scenario_id: int) -> bool:
    """Delete one of the user's scenarios; ``False`` when there was none."""
    with unit_of_work(db) as session:
        uid, _ = acting_member(session, user, write=True)
        return scenario_repo.delete_scenario(session, owner_id=uid, scenario_id=scenario_id)


def compare_kpis(baseline: ShopResult | None, scenario: ShopResult | None) -> list[dict[str, Any]]:
    """KPI rows side by side: ``KPI`` label, ``baseline``, ``scenario``, ``difference``."""
    rows = []
    for key, label in KPI_LABELS:
        b = getattr(baseline.kpis, key) if baseline else None
        s = getattr(scenario.kpis, key) if scenario else None
        diff = round(s - b, 2) if isinstance(b, int | float) and isinstance(s, int | float) else None
        rows.append({"KPI": label, "baseline": b, "scenario": s, "difference": diff})
    return rows


def _rebased(shop: ShopProblem, scenario: ShopProblem) -> ShopProblem:
    """``shop`` with the scenario's calendars (shifts, days, capacity, its date marks over
    the shop's) and urgency ranks and priorities, for the work centers and orders both have."""
    wcs = {w.code: w for w in scenario.work_centers}
    orders = {o.rn: o for o in scenario.work_orders}
    centers = []
    for w in shop.work_centers:
        s = wcs.get(w.code)
        if s is not None:
            cal = replace(s.calendar, overrides=(*w.calendar.overrides, *s.calendar.overrides))
            w = replace(w, calendar=cal, capacity_hours_per_day=s.capacity_hours_per_day)
        centers.append(w)
    work_orders = [
        replace(o, urgency_rank=orders[o.rn].urgency_rank, priority_level=orders[o.rn].priority_level)
        if o.rn in orders else o
        for o in shop.work_orders
    ]
    return replace(shop, work_centers=tuple(centers), work_orders=tuple(work_orders))


def promote_scenario(db: Db, *, user: Any, scenario_id: int) -> int:
    """Apply the scenario's calendars and urgency to the shop and make its plan the current
    plan (one transaction); returns the new plan id. Raises ``InputError`` when the
    scenario has not been planned since its last change."""
    with unit_of_work(db) as session:
        uid, org_id = acting_member(session, user, write=True)
        row = _scenario(session, uid, scenario_id)
        if not row.result:
            raise InputError(Problem("re-plan the scenario before promoting it"))
        shop = load_problem(session, org_id)
        save_changes(session, org_id, shop, _rebased(shop, problem_from_json(row.problem)))
        return write_plan(session, org_id, uid, result_from_json(row.result), f"promoted: {row.name}")
