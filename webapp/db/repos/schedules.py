"""Schedules and their result rows: one filling run of one owner, from ``pending`` to
``completed``/``failed``.

A schedule is private to its owner (admins included): another user's schedule behaves as
a missing one. The result row is written and removed together with the status change, in
the caller's unit of work. A running schedule records a heartbeat (:func:`record_heartbeat`);
:func:`fail_stale_runs`, the one ownerless system task, fails runs whose heartbeat is stale,
and a schedule once ``failed`` is never completed (:func:`complete_schedule` refuses).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.db.models import ProblemKind, Schedule, ScheduleResultRow, ScheduleStatus, utcnow
from webapp.db.repos.base import NotFound, Page, name_filter, paginate

SCHEDULE_SORTS = {
    "created_at": Schedule.created_at,
    "name": Schedule.name,
    "status": Schedule.status,
    "strategy": Schedule.strategy,
    "finished_at": Schedule.finished_at,
    "makespan_h": ScheduleResultRow.makespan_h,
}
"""The ``sort`` keys of :func:`list_schedules` and the columns they sort by."""


class RunAlreadyFailed(RuntimeError):
    """The schedule was marked ``failed`` (e.g. by start-up recovery) while it ran; its
    result is not stored."""


def create_schedule(
    session: Session,
    *,
    owner_id: int,
    name: str,
    strategy: str,
    config: dict,
    input_data: list,
    file_name: str | None = None,
    problem_kind: str = ProblemKind.FILLING.value,
) -> Schedule:
    """Insert a ``pending`` schedule owned by ``owner_id``.

    Returns the new :class:`Schedule` (flushed). Raises ``ValueError`` for an unknown
    ``problem_kind``.
    """
    schedule = Schedule(
        owner_id=owner_id,
        name=name,
        strategy=strategy,
        config=config,
        input_data=input_data,
        file_name=file_name,
        problem_kind=ProblemKind(problem_kind).value,
        status=ScheduleStatus.PENDING.value,
    )
    session.add(schedule)
    session.flush()
    return schedule


def _owned_schedule(session: Session, owner_id: int, schedule_id: int) -> Schedule | None:
    stmt = select(Schedule).where(Schedule.id == schedule_id, Schedule.owner_id == owner_id)
    return session.exec(stmt).first()


def _require_schedule(session: Session, owner_id: int, schedule_id: int) -> Schedule:
    schedule = _owned_schedule(session, owner_id, schedule_id)
    if schedule is None:
        raise NotFound(f"schedule {schedule_id} not found")
    return schedule


def get_schedule(session: Session, *, owner_id: int, schedule_id: int) -> Schedule | None:
    """Returns one of ``owner_id``'s schedules, or ``None`` if it is missing or another
    user's. Raises nothing."""
    return _owned_schedule(session, owner_id, schedule_id)


def mark_schedule_running(session: Session, *, owner_id: int, schedule_id: int) -> Schedule:
    """Mark one of ``owner_id``'s schedules ``running`` (start time and heartbeat now, error
    cleared).

    Returns the :class:`Schedule`. Raises :class:`NotFound` if it is missing or not theirs.
    """
    schedule = _require_schedule(session, owner_id, schedule_id)
    schedule.status = ScheduleStatus.RUNNING.value
    schedule.started_at = schedule.heartbeat_at = utcnow()
    schedule.error_message = None
    session.add(schedule)
    session.flush()
    return schedule


def complete_schedule(
    session: Session, *, owner_id: int, schedule_id: int, result: dict[str, Any]
) -> ScheduleResultRow:
    """Store the result row and mark the schedule ``completed`` (same unit of work).

    ``result`` holds the :class:`ScheduleResultRow` columns (KPIs and ``activities``).
    A previous result of the schedule is replaced. The schedule row is locked first and its
    status checked in this transaction: a schedule marked ``failed`` meanwhile stays failed
    and nothing is stored. Returns the new result row. Raises :class:`NotFound` if the
    schedule is missing or not ``owner_id``'s, :class:`RunAlreadyFailed` if it is failed.
    """
    stmt = select(Schedule).where(Schedule.id == schedule_id, Schedule.owner_id == owner_id)
    schedule = session.exec(stmt.with_for_update()).first()
    if schedule is None:
        raise NotFound(f"schedule {schedule_id} not found")
    if schedule.status == ScheduleStatus.FAILED.value:
        raise RunAlreadyFailed(
            f"schedule {schedule_id} was marked failed while it ran ({schedule.error_message}); "
            "its result is not stored"
        )
    session.exec(sa.delete(ScheduleResultRow).where(ScheduleResultRow.schedule_id == schedule_id))
    fields = {k: v for k, v in result.items() if k not in {"id", "schedule_id", "created_at"}}
    row = ScheduleResultRow(schedule_id=schedule_id, **fields)
    session.add(row)
    schedule.status = ScheduleStatus.COMPLETED.value
    schedule.finished_at = utcnow()
    schedule.error_message = None
    session.add(schedule)
    session.flush()
    return row


def fail_schedule(session: Session, *, owner_id: int, schedule_id: int, error: str) -> Schedule:
    """Mark the schedule ``failed`` with ``error`` and remove any result rows it has.

    Returns the :class:`Schedule`. Raises :class:`NotFound` if it is missing or not
    ``owner_id``'s.
    """
    schedule = _require_schedule(session, owner_id, schedule_id)
    session.exec(sa.delete(ScheduleResultRow).where(ScheduleResultRow.schedule_id == schedule_id))
    schedule.status = ScheduleStatus.FAILED.value
    schedule.finished_at = utcnow()
    schedule.error_message = (error or "failed")[:10_000]
    session.add(schedule)
    session.flush()
    return schedule


def rename_schedule(session: Session, *, owner_id: int, schedule_id: int, name: str) -> Schedule:
    """Rename one of ``owner_id``'s schedules.

    Returns the :class:`Schedule`. Raises :class:`NotFound` if it is missing or not theirs.
    """
    schedule = _require_schedule(session, owner_id, schedule_id)
    schedule.name = name
    session.add(schedule)
    session.flush()
    return schedule


def get_result(session: Session, *, owner_id: int, schedule_id: int) -> ScheduleResultRow | None:
    """The result of one of ``owner_id``'s schedules (``None`` if absent or not theirs).

    Raises nothing.
    """
    stmt = (
        select(ScheduleResultRow)
        .join(Schedule, col(Schedule.id) == col(ScheduleResultRow.schedule_id))
        .where(ScheduleResultRow.schedule_id == schedule_id, Schedule.owner_id == owner_id)
    )
    return session.exec(stmt).first()


def get_results(
    session: Session, *, owner_id: int, schedule_ids: Iterable[int]
) -> dict[int, ScheduleResultRow]:
    """Results of several of ``owner_id``'s schedules, keyed by schedule id (others skipped).

    Returns ``{}`` for no ids. Raises ``ValueError``/``TypeError`` for an id that is not
    an integer.
    """
    ids = sorted({int(i) for i in schedule_ids})
    if not ids:
        return {}
    stmt = (
        select(ScheduleResultRow)
        .join(Schedule, col(Schedule.id) == col(ScheduleResultRow.schedule_id))
        .where(col(ScheduleResultRow.schedule_id).in_(ids), Schedule.owner_id == owner_id)
    )
    return {row.schedule_id: row for row in session.exec(stmt).all()}


def list_schedules(
    session: Session,
    *,
    owner_id: int,
    limit: int = 20,
    offset: int = 0,
    status: str | Sequence[str] | None = None,
    strategy: str | Sequence[str] | None = None,
    name_contains: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    problem_kind: str | None = None,
    exclude_ids: Iterable[int] | None = None,
    sort: str = "created_at",
    descending: bool = True,
) -> Page[Schedule]:
    """A page of ``owner_id``'s schedules.

    Filters combine with AND; ``status``/``strategy`` accept one value or several;
    ``name_contains`` is case-insensitive; ``created_from`` is inclusive and ``created_to``
    exclusive (naive UTC); schedules in ``exclude_ids`` are left out. ``sort`` is one of
    :data:`SCHEDULE_SORTS`; ties are broken by id. Returns a :class:`Page`. Raises ``ValueError`` for an unknown ``sort``.
    """
    if sort not in SCHEDULE_SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of {sorted(SCHEDULE_SORTS)}")
    stmt = select(Schedule).where(Schedule.owner_id == owner_id)
    if sort == "makespan_h":
        stmt = stmt.outerjoin(
            ScheduleResultRow, col(ScheduleResultRow.schedule_id) == col(Schedule.id)
        )
    for column, value in ((Schedule.status, status), (Schedule.strategy, strategy)):
        if value:
            values = [value] if isinstance(value, str) else list(value)
            stmt = stmt.where(col(column).in_(values))
    cond = name_filter(Schedule.name, name_contains)
    if cond is not None:
        stmt = stmt.where(cond)
    if created_from is not None:
        stmt = stmt.where(Schedule.created_at >= created_from)
    if created_to is not None:
        stmt = stmt.where(Schedule.created_at < created_to)
    if problem_kind:
        stmt = stmt.where(Schedule.problem_kind == problem_kind)
    excluded = list(exclude_ids or ())
    if excluded:
        stmt = stmt.where(col(Schedule.id).not_in(excluded))
    key = col(SCHEDULE_SORTS[sort])
    id_key = col(Schedule.id)
    order = (
        [key.desc().nulls_last(), id_key.desc()]
        if descending
        else [key.asc().nulls_last(), id_key.asc()]
    )
    return paginate(session, stmt, order_by=order, limit=limit, offset=offset)


def delete_schedule(session: Session, *, owner_id: int, schedule_id: int) -> bool:
    """Delete one of ``owner_id``'s schedules and its result. ``False`` if none was deleted.

    Raises nothing.
    """
    return delete_schedules(session, owner_id=owner_id, schedule_ids=[schedule_id]) == 1


def delete_schedules(session: Session, *, owner_id: int, schedule_ids: Iterable[int]) -> int:
    """Delete several of ``owner_id``'s schedules (others' ids are ignored); returns count.

    Their result rows go too. Raises ``ValueError``/``TypeError`` for an id that is not
    an integer.
    """
    ids = sorted({int(i) for i in schedule_ids})
    if not ids:
        return 0
    owned = list(
        session.exec(
            select(Schedule.id).where(col(Schedule.id).in_(ids), Schedule.owner_id == owner_id)
        ).all()
    )
    if not owned:
        return 0
    # explicit child delete: do not rely on ON DELETE CASCADE alone
    session.exec(sa.delete(ScheduleResultRow).where(col(ScheduleResultRow.schedule_id).in_(owned)))
    session.exec(sa.delete(Schedule).where(col(Schedule.id).in_(owned)))
    session.flush()
    return len(owned)


def record_heartbeat(session: Session, *, owner_id: int, schedule_id: int, at: datetime | None = None) -> bool:
    """Set the heartbeat of one of ``owner_id``'s schedules to ``at`` (default now), if it
    is still ``running``. Returns whether it was (``False``: failed meanwhile, finished or
    gone). Raises nothing."""
    stmt = (
        sa.update(Schedule)
        .where(
            Schedule.id == schedule_id,
            Schedule.owner_id == owner_id,
            Schedule.status == ScheduleStatus.RUNNING.value,
        )
        .values(heartbeat_at=at or utcnow())
    )
    return session.exec(stmt).rowcount == 1


def fail_stale_runs(session: Session, *, last_seen_before: datetime, error: str) -> int:
    """System task (no owner): mark ``running`` and ``pending`` schedules last seen alive
    before ``last_seen_before`` as ``failed`` (last seen: the heartbeat, else the start,
    else the creation). Returns the count. Their result rows are removed. Raises nothing.
    """
    statuses = [ScheduleStatus.RUNNING.value, ScheduleStatus.PENDING.value]
    last_seen = sa.func.coalesce(Schedule.heartbeat_at, Schedule.started_at, Schedule.created_at)
    stale = col(Schedule.status).in_(statuses) & (last_seen < last_seen_before)
    ids = list(session.exec(select(Schedule.id).where(stale)).all())
    if not ids:
        return 0
    session.exec(sa.delete(ScheduleResultRow).where(col(ScheduleResultRow.schedule_id).in_(ids)))
    session.exec(
        sa.update(Schedule)
        .where(col(Schedule.id).in_(ids), col(Schedule.status).in_(statuses))
        .values(status=ScheduleStatus.FAILED.value, error_message=error, finished_at=utcnow())
    )
    session.flush()
    return len(ids)


def last_created_at(session: Session, *, owner_id: int) -> datetime | None:
    """Returns when ``owner_id`` last created a schedule (UTC), ``None`` if never. Raises nothing."""
    stmt = select(sa.func.max(Schedule.created_at)).where(Schedule.owner_id == owner_id)
    return session.exec(stmt).one()
