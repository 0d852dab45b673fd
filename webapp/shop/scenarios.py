"""What-if scenarios: a planner's private change set on top of a copy of the shop.

A scenario stores the shop as it was when it was made (its base, with the id of the plan
that was current then) and its own change set (the same ``Change`` kinds as the board:
shifts, calendar, downtime, urgency …). Its shop is the base with its changes; it is
re-planned and compared with the baseline. A scenario whose base plan is no longer the
current plan is *stale*.

Promotion never publishes the scenario's copy: it re-applies the scenario's change set onto
the **current** shop (finished work stays finished, new orders stay), re-plans that with the
scenario's options, and accepts the result like a board change (one transaction, undoable).
A change that no longer applies (operation finished or deleted, work center removed) is a
conflict: promotion stops and lists them until the planner agrees to promote without them.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from scheduler_core.progress import ProgressCallback
from scheduler_core.shop import ShopOptions, ShopProblem, ShopResult, options_of
from scheduler_core.shop.changes import Change, apply_change, apply_changes, change, conflicts
from scheduler_core.shop.clock import elapsed_minutes
from scheduler_core.shop.codec import problem_from_json, problem_to_json, result_from_json, result_to_json
from webapp.access import acting_member
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import plans as plan_repo
from webapp.db.repos import scenarios as scenario_repo
from webapp.db.shop_models import ShopScenario
from webapp.errors import InputError, NotFound, Problem, UnknownReference
from webapp.shop import edits
from webapp.shop.mapping import load_problem
from webapp.shop.planning import run_plan
from webapp.views import DeletionImpact, ScenarioView

#: KPI rows of the scenario/baseline comparison: (ShopKpis field, label).
KPI_LABELS = (
    ("weighted_tardiness_hours", "Weighted tardiness (h)"),
    ("late_orders", "Late orders"),
    ("max_lateness_hours", "Max lateness (h)"),
    ("makespan_hours", "Makespan (h)"),
    ("operations", "Operations"),
)


class PromotionConflicts(InputError):
    """Changes of a scenario that no longer apply to the current shop (each problem names
    the change and why); nothing was written."""


def create_scenario(db: Db, *, user: Any, name: str) -> int:
    """Copy the shop (planning from the current plan's start, else now) and its current plan
    into a new private scenario with an empty change set; returns its id."""
    with unit_of_work(db) as session:
        uid, org_id = acting_member(session, user, write=True)
        current = plan_repo.get_current_plan(session, organisation_id=org_id)
        problem = load_problem(session, org_id, current.plan_start if current else None)
        return scenario_repo.create_scenario(
            session, organisation_id=org_id, owner_id=uid, name=(name or "scenario").strip() or "scenario",
            problem=problem_to_json(problem), result=dict(current.result) if current else {},
            base_plan_id=current.id if current else None,
        ).id


def list_scenarios(db: Db, *, user: Any) -> list[ScenarioView]:
    """The user's own scenarios of their organisation (each says whether it is stale)."""
    with unit_of_work(db) as session:
        uid, org_id = acting_member(session, user, write=False)
        current = plan_repo.get_current_plan(session, organisation_id=org_id)
        current_id = current.id if current else None
        return [ScenarioView.of(s, current_plan_id=current_id)
                for s in scenario_repo.list_scenarios(session, owner_id=uid, organisation_id=org_id)]


def _scenario(session: Session, uid: int, scenario_id: int) -> ShopScenario:
    row = scenario_repo.get_scenario(session, owner_id=uid, scenario_id=scenario_id)
    if row is None:
        raise NotFound(f"scenario {scenario_id} not found")
    return row


def _change_set(row: ShopScenario) -> list[Change]:
    return [Change.from_json(c) for c in row.change_set or []]


def scenario_problem(db: Db, *, user: Any, scenario_id: int) -> ShopProblem:
    """The scenario's shop: its base with its change set. Raises ``NotFound`` (absent or not
    the user's)."""
    with unit_of_work(db) as session:
        uid, _ = acting_member(session, user, write=False)
        row = _scenario(session, uid, scenario_id)
        return apply_changes(problem_from_json(row.problem), _change_set(row))


def scenario_result(db: Db, *, user: Any, scenario_id: int) -> ShopResult | None:
    """The scenario's plan, ``None`` when it changed since it was planned."""
    with unit_of_work(db) as session:
        uid, _ = acting_member(session, user, write=False)
        row = _scenario(session, uid, scenario_id)
        return result_from_json(row.result) if row.result else None


def change_scenario(db: Db, *, user: Any, scenario_id: int, kind: str, **args: Any) -> str:
    """Add a change of ``kind`` (a key of ``scheduler_core.shop.changes.KINDS``, e.g.
    ``set_shifts``, ``set_calendar``, ``add_downtime``, ``set_urgency``) to the scenario's
    change set. Its plan is cleared (re-plan to see the effect). Returns the change as text.

    Raises:
        InputError: unknown kind, or the change cannot apply to the scenario's shop.
        NotFound: the scenario, or something the change names, does not exist.
    """
    item = change(kind, **args)
    with unit_of_work(db) as session:
        uid, _ = acting_member(session, user, write=True)
        row = _scenario(session, uid, scenario_id)
        items = _change_set(row)
        try:
            apply_change(apply_changes(problem_from_json(row.problem), items), item)
        except UnknownReference as exc:
            raise NotFound("; ".join(p.reason for p in exc.problems)) from exc
        scenario_repo.update_scenario(
            session, owner_id=uid, scenario_id=scenario_id, result={},
            change_set=[*(c.to_json() for c in items), item.to_json()], changes=[*row.changes, item.describe()],
        )
        return item.describe()


def replan_scenario(db: Db, *, user: Any, scenario_id: int, options: ShopOptions | None = None,
                    progress: ProgressCallback | None = None) -> ShopResult:
    """Plan the scenario's shop (from its start) with ``options`` and store the plan in it."""
    problem = scenario_problem(db, user=user, scenario_id=scenario_id)
    result = run_plan(db, user=user, options=options, progress=progress, problem=problem)
    with unit_of_work(db) as session:
        uid, _ = acting_member(session, user, write=True)
        scenario_repo.update_scenario(session, owner_id=uid, scenario_id=scenario_id, result=result_to_json(result))
    return result


def scenario_impact(db: Db, *, user: Any, scenario_id: int) -> DeletionImpact:
    """What deleting one of the user's scenarios takes with it (its changes and its plan; the
    current plan and the shop stay). Raises ``NotFound`` for no such scenario of the user."""
    with unit_of_work(db) as session:
        uid, _ = acting_member(session, user, write=False)
        row = _scenario(session, uid, scenario_id)
        n = len(row.changes or [])
        return DeletionImpact(f"scenario '{row.name}': its {n} change{'s' if n != 1 else ''} and its plan are "
                              "deleted; the current plan and the shop stay as they are.")


def delete_scenario(db: Db, *, user: Any, scenario_id: int) -> bool:
    """Delete one of the user's scenarios; ``False`` when there was none."""
    with unit_of_work(db) as session:
        uid, _ = acting_member(session, user, write=True)
        return scenario_repo.delete_scenario(session, owner_id=uid, scenario_id=scenario_id)


def change_text(before: float | None, after: float | None, unit: str = "") -> str:
    """``after - before`` as a planner reads it: ``no change`` (also for a difference that
    rounds to 0.0), ``+2`` for counts, ``-1.5 h`` for hours; ``–`` when a side is missing."""
    if not isinstance(before, int | float) or not isinstance(after, int | float):
        return "–"
    if isinstance(before, int) and isinstance(after, int):
        return "no change" if after == before else f"{after - before:+d}{unit}"
    diff = round(after - before, 1)
    return "no change" if diff == 0 else f"{diff:+.1f}{unit}"


def kpi_text(value: float | None) -> str:
    """A KPI value as the comparison shows it: counts as whole numbers (``1,035``), hours
    with one decimal (``12,808.7``), ``–`` when missing."""
    if value is None:
        return "–"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def compare_kpis(baseline: ShopResult | None, scenario: ShopResult | None) -> list[dict[str, Any]]:
    """KPI rows side by side, all as text (one column holds counts and hours): ``KPI`` label,
    ``baseline`` and ``scenario`` (:func:`kpi_text`) and ``difference`` (:func:`change_text`:
    ``no change``, ``+1.5`` …)."""
    rows = []
    for key, label in KPI_LABELS:
        b = getattr(baseline.kpis, key) if baseline else None
        s = getattr(scenario.kpis, key) if scenario else None
        rows.append({"KPI": label, "baseline": kpi_text(b), "scenario": kpi_text(s), "difference": change_text(b, s)})
    return rows


def _order_change(shift: float | None, before, after) -> str:
    if before is None or after is None:
        return "only in the " + ("scenario" if before is None else "baseline")
    words = "no change" if shift is None or round(shift, 1) == 0 else (
        f"{abs(shift):.1f} h {'later' if shift > 0 else 'earlier'}")
    if before.late != after.late:
        words += ", now late" if after.late else ", now on time"
    return words


def compare_orders(baseline: ShopResult | None, scenario: ShopResult) -> list[dict[str, Any]]:
    """Per work order: completion and lateness (hours) in the baseline and the scenario,
    the completion change (hours of real time, + = later) and the change in words (``no
    change``, ``3.5 h later, now late``, ``only in the scenario`` …); the largest change
    first (orders in one plan only before all), then by work order."""
    before = {o.rn: o for o in baseline.orders} if baseline else {}
    after = {o.rn: o for o in scenario.orders}
    rows = []
    for rn in sorted(before.keys() | after.keys()):
        b, s = before.get(rn), after.get(rn)
        shift = None
        if b is not None and s is not None and b.completion and s.completion:
            shift = round(elapsed_minutes(b.completion, s.completion, scenario.time_zone) / 60, 2)
        rows.append({
            "work order": rn,
            "completion (baseline)": b.completion if b else None,
            "completion (scenario)": s.completion if s else None,
            "completion change (h)": shift,
            "lateness (baseline, h)": b.lateness_hours if b else None,
            "lateness (scenario, h)": s.lateness_hours if s else None,
            "change": _order_change(shift, b, s),
        })
    in_both = bool(before)
    rows.sort(key=lambda r: -(abs(r["completion change (h)"]) if r["completion change (h)"] is not None
                              else float("inf") if in_both else 0.0))
    return rows


def promotion_conflicts(db: Db, *, user: Any, scenario_id: int) -> tuple[list[Change], list[tuple[Change, str]]]:
    """The scenario's changes that apply to the current shop (in order) and those that no
    longer do, each with the reason. Nothing is written.

    Raises:
        NotFound: no such scenario of the user.
        InputError: a scenario made before change sets with changes (they cannot be replayed).
    """
    with unit_of_work(db) as session:
        uid, org_id = acting_member(session, user, write=True)
        row = _scenario(session, uid, scenario_id)
        items = _change_set(row)
        if row.changes and not items:
            raise InputError(Problem(
                "this scenario was made before scenarios kept their changes; its changes cannot be re-applied to "
                "the current shop: make a new scenario"))
        shop = load_problem(session, org_id)
    _, skipped = conflicts(shop, items)
    gone = {id(c) for c, _ in skipped}
    return [c for c in items if id(c) not in gone], skipped


def promote_scenario(db: Db, *, user: Any, scenario_id: int, without_conflicts: bool = False,
                     progress: ProgressCallback | None = None) -> int:
    """Re-apply the scenario's change set onto the current shop, re-plan it with the
    scenario's options (its plan's strategy, due basis and time limit; else the current
    plan's) and accept the result (edits + plan in one transaction, undoable on the board);
    returns the new plan id.

    Raises:
        PromotionConflicts: some changes no longer apply and ``without_conflicts`` is false;
            nothing is written.
        InputError: the shop changed while planning (try again), or the scenario cannot be
            replayed.
    """
    applied, skipped = promotion_conflicts(db, user=user, scenario_id=scenario_id)
    if skipped and not without_conflicts:
        raise PromotionConflicts([Problem(f"{c.describe()}: {reason}") for c, reason in skipped])
    own = scenario_result(db, user=user, scenario_id=scenario_id)
    name = next(s.name for s in list_scenarios(db, user=user) if s.id == scenario_id)
    proposal = edits.propose(db, user=user, changes=applied, options=options_of(own) if own else None,
                             progress=progress)
    return edits.accept(db, user=user, proposal=proposal, name=f"promoted: {name}")
