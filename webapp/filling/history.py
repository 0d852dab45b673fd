"""What a planner has stored: schedules with their results, and comparisons — listed,
opened (as frozen read models, results rebuilt) and deleted. Each user sees only their own.
A comparison keeps its own copy of each run's KPIs, so deleting a schedule never changes it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scheduler_core.filling import Lot
from scheduler_core.filling.codec import lots_from_json
from webapp.access import acting_user
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import comparisons as comparison_repo
from webapp.db.repos import schedules as schedule_repo
from webapp.db.repos.base import Page
from webapp.filling.mapping import result_from_row
from webapp.views import (
    ComparisonView,
    DeletionImpact,
    ResultSummary,
    ScheduleView,
    StoredSchedule,
    page_of,
)


def _stored(schedule, row) -> StoredSchedule:
    result = result_from_row(row, schedule) if row is not None else None
    summary = ResultSummary.of(row, schedule.input_data) if row is not None else None
    return StoredSchedule(schedule=ScheduleView.of(schedule), result_row=summary, result=result)


#: Ids are 64-bit database integers; anything outside names no schedule.
MAX_ID = 2**63 - 1


def get_schedule(db: Db, *, user: Any, schedule_id: int) -> StoredSchedule | None:
    """One of ``user``'s schedules with its result, or ``None`` (absent, not theirs, or an
    id no schedule can have)."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=False)
        if not 0 < schedule_id <= MAX_ID:
            return None
        schedule = schedule_repo.get_schedule(session, owner_id=owner.id, schedule_id=schedule_id)
        if schedule is None:
            return None
        row = schedule_repo.get_result(session, owner_id=owner.id, schedule_id=schedule_id)
        return _stored(schedule, row)


def schedule_lots(schedule: ScheduleView) -> list[Lot]:
    """The lots a stored schedule planned (to run them again)."""
    return lots_from_json(schedule.input_data)


def list_schedules(
    db: Db, *, user: Any, with_results: bool = True, hide_comparison_runs: bool = False, **filters: Any
) -> tuple[Page[ScheduleView], dict[int, ResultSummary]]:
    """A page of ``user``'s schedules (filters as ``repos.schedules.list_schedules``: status,
    strategy, name_contains, created_from/to, sort, descending, limit, offset; the runs of
    comparisons left out when ``hide_comparison_runs``) and, when ``with_results``, the KPI
    summaries of the page's schedules keyed by schedule id."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=False)
        if hide_comparison_runs:
            filters["exclude_ids"] = [
                info["schedule_id"]
                for c in comparison_repo.all_comparisons(session, owner_id=owner.id)
                for info in c.runs.values()
                if info.get("schedule_id") is not None
            ]
        page = schedule_repo.list_schedules(session, owner_id=owner.id, **filters)
        rows = (
            schedule_repo.get_results(session, owner_id=owner.id, schedule_ids=[s.id for s in page.items])
            if with_results
            else {}
        )
        lots = {s.id: s.input_data for s in page.items}
        return page_of(page, ScheduleView.of), {sid: ResultSummary.of(r, lots.get(sid)) for sid, r in rows.items()}


def delete_schedules(db: Db, *, user: Any, schedule_ids: Sequence[int]) -> int:
    """Delete some of ``user``'s schedules (others' ids are ignored); returns how many.
    Raises ``PermissionDenied`` for a viewer."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=True)
        return schedule_repo.delete_schedules(session, owner_id=owner.id, schedule_ids=schedule_ids)


def deletion_impact(db: Db, *, user: Any, schedule_ids: Sequence[int]) -> DeletionImpact:
    """What deleting some of ``user``'s schedules does: how many go (with their results) and
    which comparisons ran them — those keep their own copy of the numbers, older ones without
    a copy lose the runs. Not possible when none of the ids is ``user``'s."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=False)
        ids = {
            s.id for s in (schedule_repo.get_schedule(session, owner_id=owner.id, schedule_id=i) for i in schedule_ids)
            if s is not None
        }
        if not ids:
            return DeletionImpact("Select the schedules to delete first.", possible=False)
        keep, lose = [], []
        for c in comparison_repo.all_comparisons(session, owner_id=owner.id):
            hit = [k for k in c.strategies if c.runs.get(k, {}).get("schedule_id") in ids]
            if hit:
                label = f"#{c.id} '{c.name}' ({', '.join(hit)})"
                (keep if all(c.runs[k].get("kpis") for k in hit) else lose).append(label)
    text = f"{len(ids)} schedule{'s' if len(ids) != 1 else ''} and {'their' if len(ids) != 1 else 'its'} results go."
    if keep:
        text += f" Comparisons keep their copies of the numbers: {'; '.join(keep)}."
    if lose:
        text += f" Comparisons saved without copies show these runs as deleted: {'; '.join(lose)}."
    return DeletionImpact(text)


def get_comparison(
    db: Db, *, user: Any, comparison_id: int
) -> tuple[ComparisonView, dict[str, StoredSchedule | None]] | None:
    """One of ``user``'s comparisons with each strategy's stored schedule (``None`` when
    that schedule was deleted since), or ``None``."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=False)
        comparison = comparison_repo.get_comparison(session, owner_id=owner.id, comparison_id=comparison_id)
        if comparison is None:
            return None
        ids = [r["schedule_id"] for r in comparison.runs.values()]
        rows = schedule_repo.get_results(session, owner_id=owner.id, schedule_ids=ids)
        out: dict[str, StoredSchedule | None] = {}
        for strategy, info in comparison.runs.items():
            schedule = schedule_repo.get_schedule(session, owner_id=owner.id, schedule_id=info["schedule_id"])
            row = rows.get(info["schedule_id"])
            if info.get("result_id") and (row is None or row.id != info["result_id"]):
                schedule = None  # its result went (or, before ids were kept, another run took the id)
            out[strategy] = None if schedule is None else _stored(schedule, row)
        return ComparisonView.of(comparison), out


def comparison_kpis(
    comparison: ComparisonView, stored: dict[str, StoredSchedule | None]
) -> dict[str, ResultSummary | None]:
    """Each strategy's KPIs in a comparison: its own copy, so a deleted schedule changes
    nothing; a comparison saved before it kept copies shows its schedules' that still exist
    (``None`` where neither is there)."""
    out: dict[str, ResultSummary | None] = {}
    for strategy in comparison.strategies:
        copy = comparison.runs.get(strategy, {}).get("kpis")
        live = stored.get(strategy)
        out[strategy] = ResultSummary.from_json(copy) if copy else (live.result_row if live else None)
    return out


def comparisons_of_schedules(db: Db, *, user: Any) -> dict[int, ComparisonView]:
    """Every one of ``user``'s schedules that a comparison ran, mapped to that comparison."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=False)
        return {
            info["schedule_id"]: ComparisonView.of(c)
            for c in comparison_repo.all_comparisons(session, owner_id=owner.id)
            for info in c.runs.values()
            if info.get("schedule_id") is not None
        }


def list_comparisons(db: Db, *, user: Any, **filters: Any) -> Page[ComparisonView]:
    """A page of ``user``'s comparisons (limit, offset, name_contains …), newest first."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=False)
        return page_of(comparison_repo.list_comparisons(session, owner_id=owner.id, **filters), ComparisonView.of)


def delete_comparison(db: Db, *, user: Any, comparison_id: int, delete_schedules_too: bool = False) -> bool:
    """Delete one of ``user``'s comparisons (and its schedules when asked); ``False`` when
    there was none. Raises ``PermissionDenied`` for a viewer."""
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=True)
        return comparison_repo.delete_comparison(
            session, owner_id=owner.id, comparison_id=comparison_id, delete_schedules_too=delete_schedules_too
        )
