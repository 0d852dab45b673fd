"""The scheduling board's and the machines page's edits of the stored shop.

Each edit loads the organisation's shop, applies the pure edit of
``scheduler_core.shop.edits`` (the only implementation of planner edits) and writes what it
changed (``mapping.save_changes``), all in one transaction. The board re-plans afterwards.
A reference to something that does not exist (or is another organisation's) is
``NotFound``; any other bad argument is ``InputError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from scheduler_core.shop import Downtime, ShopProblem
from scheduler_core.shop import edits as core
from webapp.access import acting_member
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import work_centers as work_center_repo
from webapp.errors import NotFound, UnknownReference
from webapp.shop.mapping import load_problem, save_changes

#: The pure helper that moves an item in a queue (used to build a reorder).
move_in_queue = core.moved


@contextmanager
def _not_found() -> Iterator[None]:
    """An unknown work center, work order or operation is ``NotFound`` to the app."""
    try:
        yield
    except UnknownReference as exc:
        raise NotFound("; ".join(p.reason for p in exc.problems)) from exc


def apply_edit(db: Db, *, user: Any, edit: Callable[[ShopProblem], ShopProblem], note: str = "") -> ShopProblem:
    """Apply ``edit`` to the stored shop and write what it changes (``note`` goes to new
    calendar exceptions); returns the edited problem. Raises ``NotFound``, ``InputError``,
    ``PermissionDenied``."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        before = load_problem(session, org_id)
        with _not_found():
            after = edit(before)
        save_changes(session, org_id, before, after, note=note)
        return after


def reorder(db: Db, *, user: Any, work_center: str, op_ids: list[str]) -> None:
    """The planner's sequence of ``op_ids`` on ``work_center`` (kept by every re-plan; an
    empty list clears it)."""
    apply_edit(db, user=user, edit=lambda p: core.reorder(p, work_center, op_ids))


def move_operation(db: Db, *, user: Any, op_id: str, work_center: str) -> None:
    """Run ``op_id`` on the active ``work_center`` instead."""
    apply_edit(db, user=user, edit=lambda p: core.move_operation(p, op_id, work_center))


def pin_operation(db: Db, *, user: Any, op_id: str, start: datetime | None) -> None:
    """Pin ``op_id`` to start at ``start`` (``None`` unpins)."""
    apply_edit(db, user=user, edit=lambda p: core.pin_operation(p, op_id, start))


def finish_operation(db: Db, *, user: Any, op_id: str, at: datetime | None = None) -> None:
    """Mark ``op_id`` completed (at ``at``, default now)."""
    moment = at or datetime.now()
    apply_edit(db, user=user, edit=lambda p: core.finish_operation(p, op_id, moment))


def finish_order(db: Db, *, user: Any, rn: str, at: datetime | None = None) -> None:
    """Mark work order ``rn`` and its operations completed (at ``at``, default now)."""
    moment = at or datetime.now()
    apply_edit(db, user=user, edit=lambda p: core.finish_order(p, rn, moment))


def record_downtime(db: Db, *, user: Any, work_center: str, start: datetime, end: datetime, reason: str = "") -> None:
    """Record that ``work_center`` is down from ``start`` to ``end`` (plant-local)."""
    down = Downtime(work_center, start, end, reason)
    apply_edit(db, user=user, edit=lambda p: core.add_downtime(p, down))


def delete_downtime(db: Db, *, user: Any, downtime_id: int) -> bool:
    """Remove a recorded downtime; ``False`` when there is none with that id."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        codes = {w.id: w.code for w in work_center_repo.list_work_centers(session, organisation_id=org_id)}
        row = next((d for d in work_center_repo.list_downtimes(session, organisation_id=org_id) if d.id == downtime_id),
                   None)
        if row is None:
            return False
        down = Downtime(codes[row.work_center_id], row.start_at, row.end_at, row.reason)
    apply_edit(db, user=user, edit=lambda p: core.remove_downtime(p, down))
    return True


def set_calendar(db: Db, *, user: Any, code: str, first: date, last: date, shifts: list[str],
                 working: bool, note: str = "") -> int:
    """Mark ``shifts`` of every date ``first``..``last`` on ``code`` working or not (a year
    at most); returns how many date × shift marks were made."""
    days = core.calendar_days(first, last)
    apply_edit(db, user=user, edit=lambda p: core.set_calendar(p, code, first, last, shifts, working), note=note)
    return len(days) * len(set(shifts))


def move_urgency(db: Db, *, user: Any, rn: str, step: int) -> list[str]:
    """Move ``rn`` ``step`` places on the urgency list (−1 = more urgent; an order not on the
    list joins at its end). Ranks are renumbered 1..n. Returns the new list."""
    after = apply_edit(db, user=user, edit=lambda p: core.move_urgency(p, rn, step))
    return core.urgency_list(after)
