"""The planner's change set on the stored shop: check a change, propose, accept, undo.

A change set is a list of :class:`~scheduler_core.shop.changes.Change` (reorder, move, fix a
start, finish, downtime, calendar, urgency) kept by the caller (the page's session) on top
of the current plan. Nothing is written until it is accepted:

* :func:`check` applies the changes to the stored shop with the pure core edits, so a change
  that cannot apply is refused when the planner makes it (naming the operation and why).
* :func:`propose` applies them and re-plans **with the current plan's strategy and
  options** (unless the planner chose options for this run), starting the search from the
  current plan with the changes made (so an edit costs no more than it forces), from the
  planning start
  (default: now), keeping operations of the current plan that start within a frozen
  horizon in place. Nothing is stored; dropping the proposal is the discard.
* :func:`accept` writes the edits, the new plan (current) and the change set, in one
  transaction, provided the shop and the current plan are still those it was proposed on.
* :func:`undo_last` puts back what the last accepted change set changed (on the shop as it
  is now) and makes the plan it replaced current again.

A reference to something that does not exist (or is another organisation's) is
``NotFound``; any other change that cannot apply is ``InputError``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from scheduler_core.progress import ProgressCallback
from scheduler_core.shop import ShopOptions, ShopProblem, ShopResult, options_of, plan
from scheduler_core.shop.changes import KINDS, Change, apply_changes, change, downtime_of, revert
from scheduler_core.shop.codec import problem_from_json, problem_to_json, result_from_json
from scheduler_core.shop.downtime import merge_note, remove_downtime
from scheduler_core.shop.edits import freeze, roll_forward
from webapp.access import acting_member
from webapp.db.engine import Db, unit_of_work
from webapp.db.models import utcnow
from webapp.db.repos import change_sets as change_set_repo
from webapp.db.repos import plans as plan_repo
from webapp.db.repos import work_centers as work_center_repo
from webapp.errors import InputError, NotFound, Problem, UnknownReference
from webapp.shop.mapping import load_problem, plant_now, save_changes
from webapp.shop.planning import write_plan, write_planned_times
from webapp.solves import OnWait, solver_slot
from webapp.views import ChangeSetView

__all__ = [
    "KINDS",
    "Change",
    "Proposal",
    "accept",
    "change",
    "check",
    "downtime_change",
    "downtime_note",
    "last_change_set",
    "propose",
    "undo_last",
]


@contextmanager
def _not_found() -> Iterator[None]:
    """An unknown work center, work order or operation is ``NotFound`` to the app."""
    try:
        yield
    except UnknownReference as exc:
        raise NotFound("; ".join(p.reason for p in exc.problems)) from exc


@dataclass(frozen=True)
class Proposal:
    """A change set and the plan it leads to (nothing stored): the ``changes``, the stored
    shop they were applied to (``before``), the shop after them (``problem``), the new plan
    (``result``), the options it was planned with, the current plan it would replace
    (``base_plan_id``) and the frozen horizon (hours) it kept."""

    changes: tuple[Change, ...]
    before: ShopProblem
    problem: ShopProblem
    result: ShopResult
    options: ShopOptions
    base_plan_id: int | None
    frozen_hours: float = 0.0

    def descriptions(self) -> list[str]:
        """The changes in the planner's words, in order."""
        return [c.describe() for c in self.changes]


def check(db: Db, *, user: Any, changes: Sequence[Change]) -> ShopProblem:
    """The stored shop after ``changes`` (nothing written). Raises ``NotFound`` (unknown
    operation, work center or order), ``InputError`` (a change that cannot apply: finished
    work, inactive work center, a cycle of pins …), ``PermissionDenied``."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        before = load_problem(session, org_id)
    with _not_found():
        return apply_changes(before, changes)


def propose(
    db: Db,
    *,
    user: Any,
    changes: Sequence[Change] = (),
    options: ShopOptions | None = None,
    start: datetime | None = None,
    frozen_hours: float = 0.0,
    progress: ProgressCallback | None = None,
    on_wait: OnWait | None = None,
) -> Proposal:
    """Apply ``changes`` to the stored shop and re-plan it from ``start`` (default: now in
    the plant's time zone) with ``options`` (default: the current plan's strategy, due basis
    and time limit; dispatch without a current plan). With ``frozen_hours``, the current plan
    is taken as followed up to the start (what it finished by then is done, what it was
    running goes on — for this plan only) and its operations starting within the horizon keep
    their start. Nothing is stored. The planner waits for a free solver of the process
    (``on_wait`` hears how many runs wait before it).

    Raises:
        NotFound: a change names something that does not exist.
        InputError: a change cannot apply, the shop has no operations, a negative frozen
            horizon. (An order with an open operation on an inactive work center is left out
            of the plan: ``not_planned``.)
    """
    if frozen_hours < 0:
        raise InputError(Problem(f"the frozen horizon must be 0 hours or more, got {frozen_hours:g}"))
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        moment = start or plant_now(session, org_id)
        before = load_problem(session, org_id, moment)
        current = plan_repo.get_current_plan(session, organisation_id=org_id)
        current_id, current_result = (current.id, result_from_json(current.result)) if current else (None, None)
    with _not_found():
        after = apply_changes(before, changes)
    if not after.operations:
        raise InputError(Problem("the shop has no operations to plan"))
    chosen = options or (options_of(current_result) if current_result is not None else ShopOptions())
    planned = after
    if frozen_hours and current_result is not None:
        # the horizon assumes the current plan was followed up to the start (for this plan
        # only: nothing of it is written): what it finished by then is done, what it was
        # running goes on, and what it starts within the horizon keeps its start
        followed = roll_forward(after, current_result, before.start)
        planned = freeze(followed, current_result, until=before.start + timedelta(hours=frozen_hours))
    with solver_slot(on_wait):
        result = plan(planned, chosen, progress=progress, warm_start=current_result)
    return Proposal(tuple(changes), before, after, result, chosen, current_id, float(frozen_hours))


def accept(db: Db, *, user: Any, proposal: Proposal, name: str = "") -> int:
    """Write the proposal's edits, its plan (as the current plan) and the change set, in
    one transaction; returns the new plan id.

    Raises:
        InputError: the shop or the current plan changed since the proposal was made
            (another accepted change): re-plan first. Nothing is written then.
        PermissionDenied: a read-only user.
    """
    with unit_of_work(db) as session:
        uid, org_id = acting_member(session, user, write=True)
        shop = load_problem(session, org_id, proposal.before.start)
        current = plan_repo.get_current_plan(session, organisation_id=org_id)
        if shop != proposal.before or (current.id if current else None) != proposal.base_plan_id:
            raise InputError(Problem(
                "the shop or its current plan changed since this plan was proposed (another change was "
                "accepted); re-plan to see the changes on top of it"))
        notes = {c.args["work_center"]: c.args["note"] for c in proposal.changes if c.args.get("note")}
        save_changes(session, org_id, shop, proposal.problem, notes=notes)
        plan_id = write_plan(session, org_id, uid, proposal.result, name)
        summary = "; ".join(proposal.descriptions()) or f"re-plan ({proposal.result.strategy})"
        change_set_repo.create_change_set(
            session, organisation_id=org_id, owner_id=uid, summary=summary,
            changes=[c.to_json() for c in proposal.changes], before=problem_to_json(shop), plan_id=plan_id,
            previous_plan_id=proposal.base_plan_id,
        )
        return plan_id


def last_change_set(db: Db, *, user: Any) -> ChangeSetView | None:
    """The organisation's last accepted change set that is not undone, and whether it can be
    undone (its plan is still the current plan), or ``None``."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        row = change_set_repo.last_change_set(session, organisation_id=org_id)
        if row is None:
            return None
        current = plan_repo.get_current_plan(session, organisation_id=org_id)
        return ChangeSetView.of(row, undoable=current is not None and current.id == row.plan_id)


def undo_last(db: Db, *, user: Any) -> int | None:
    """Undo the last accepted change set: what it changed is put back on the shop as it is
    now (later changes to other things stay), and the plan it replaced is current again.
    Returns that plan's id (``None`` when there was none before).

    Raises:
        NotFound: nothing to undo.
        InputError: a later plan is current (undo that one first, or re-plan).
    """
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        row = change_set_repo.last_change_set(session, organisation_id=org_id)
        if row is None:
            raise NotFound("there is no accepted change to undo")
        current = plan_repo.get_current_plan(session, organisation_id=org_id)
        if current is None or current.id != row.plan_id:
            raise InputError(Problem(
                f"the current plan is not the one of the last accepted change ('{row.summary}'); "
                "it can no longer be undone"))
        before = problem_from_json(row.before)
        after = apply_changes(before, [Change.from_json(c) for c in row.changes])
        now = load_problem(session, org_id, before.start)
        save_changes(session, org_id, now, revert(now, before, after))
        previous = plan_repo.reinstate_plan(session, organisation_id=org_id, plan_id=row.previous_plan_id)
        write_planned_times(session, org_id, result_from_json(previous.result) if previous else None)
        change_set_repo.mark_undone(session, organisation_id=org_id, change_set_id=row.id, at=utcnow())
        return previous.id if previous else None


def _downtime_row(db: Db, user: Any, downtime_id: int) -> dict[str, Any]:
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        codes = {w.id: w.code for w in work_center_repo.list_work_centers(session, organisation_id=org_id)}
        row = next((d for d in work_center_repo.list_downtimes(session, organisation_id=org_id) if d.id == downtime_id),
                   None)
        if row is None:
            raise NotFound(f"downtime {downtime_id} not found")
        return {"work_center": codes[row.work_center_id], "start": row.start_at, "end": row.end_at,
                "reason": row.reason}


def downtime_change(db: Db, *, user: Any, downtime_id: int, new: dict[str, Any] | None = None) -> Change:
    """The change that removes recorded downtime ``downtime_id`` or, with ``new`` (keys
    ``start``, ``end``, ``reason``, optionally ``work_center``), changes it into that period.
    Raises ``NotFound``."""
    old = _downtime_row(db, user, downtime_id)
    if new is None:
        return change("remove_downtime", **old)
    return change("edit_downtime", **old, **{f"new_{k}": v for k, v in new.items()})


def downtime_note(db: Db, *, user: Any, changes: Sequence[Change], item: Change) -> str:
    """What recording the downtime of ``item`` (``add_downtime`` or ``edit_downtime``) does on
    the stored shop after ``changes``: "" or "overlaps …; merged into …".

    Raises:
        InputError: an identical period is recorded, or the change cannot apply.
        NotFound: an unknown work center or downtime.
    """
    shop = check(db, user=user, changes=changes)
    with _not_found():
        if item.kind == "edit_downtime":
            return merge_note(remove_downtime(shop, downtime_of(item.args)), downtime_of(item.args, "new_"))
        return merge_note(shop, downtime_of(item.args))
