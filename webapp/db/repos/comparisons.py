"""Comparisons: one input planned with several strategies, each run a schedule of the
same owner.

A comparison is private to its owner. It refers to its schedules by id in ``runs``; those
must be the owner's, and deleting the comparison can take them along.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from webapp.db.models import Comparison, Schedule
from webapp.db.repos.base import NotFound, Page, name_filter, paginate
from webapp.db.repos.schedules import delete_schedules


def create_comparison(
    session: Session,
    *,
    owner_id: int,
    name: str,
    input_data: list,
    strategies: list[str],
    runs: dict[str, dict[str, Any]],
    file_name: str | None = None,
    config: dict | None = None,
) -> Comparison:
    """Insert a comparison. Every schedule id in ``runs`` must be one of ``owner_id``'s.

    Returns the new :class:`Comparison`. Raises :class:`NotFound` if a schedule id in
    ``runs`` is missing or another user's (nothing is inserted).
    """
    ids = [r["schedule_id"] for r in runs.values() if r.get("schedule_id") is not None]
    if ids:
        owned = set(
            session.exec(
                select(Schedule.id).where(col(Schedule.id).in_(ids), Schedule.owner_id == owner_id)
            ).all()
        )
        if owned != set(ids):
            raise NotFound("a schedule of the comparison was not found")
    comparison = Comparison(
        owner_id=owner_id,
        name=name,
        input_data=input_data,
        file_name=file_name,
        config=config or {},
        strategies=list(strategies),
        runs=runs,
    )
    session.add(comparison)
    session.flush()
    return comparison


def get_comparison(session: Session, *, owner_id: int, comparison_id: int) -> Comparison | None:
    """Returns one of ``owner_id``'s comparisons, or ``None`` if it is missing or another
    user's. Raises nothing."""
    stmt = select(Comparison).where(Comparison.id == comparison_id, Comparison.owner_id == owner_id)
    return session.exec(stmt).first()


def list_comparisons(
    session: Session,
    *,
    owner_id: int,
    limit: int = 20,
    offset: int = 0,
    name_contains: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    descending: bool = True,
) -> Page[Comparison]:
    """Returns a :class:`Page` of ``owner_id``'s comparisons, newest first unless
    ``descending`` is false.

    ``name_contains`` is case-insensitive; ``created_from`` is inclusive and ``created_to``
    exclusive (naive UTC). Raises nothing.
    """
    stmt = select(Comparison).where(Comparison.owner_id == owner_id)
    cond = name_filter(Comparison.name, name_contains)
    if cond is not None:
        stmt = stmt.where(cond)
    if created_from is not None:
        stmt = stmt.where(Comparison.created_at >= created_from)
    if created_to is not None:
        stmt = stmt.where(Comparison.created_at < created_to)
    keys = [col(Comparison.created_at), col(Comparison.id)]
    order = [k.desc() for k in keys] if descending else [k.asc() for k in keys]
    return paginate(session, stmt, order_by=order, limit=limit, offset=offset)


def all_comparisons(session: Session, *, owner_id: int) -> list[Comparison]:
    """Every one of ``owner_id``'s comparisons, oldest first. Raises nothing."""
    stmt = select(Comparison).where(Comparison.owner_id == owner_id).order_by(col(Comparison.id))
    return list(session.exec(stmt).all())


def delete_comparison(
    session: Session, *, owner_id: int, comparison_id: int, delete_schedules_too: bool = False
) -> bool:
    """Delete one of ``owner_id``'s comparisons; optionally also the schedules it created.

    Returns ``False`` if the comparison is missing or another user's (nothing deleted),
    else ``True``. Raises nothing.
    """
    comparison = get_comparison(session, owner_id=owner_id, comparison_id=comparison_id)
    if comparison is None:
        return False
    if delete_schedules_too:
        ids = [r["schedule_id"] for r in comparison.runs.values() if r.get("schedule_id")]
        delete_schedules(session, owner_id=owner_id, schedule_ids=ids)
    session.delete(comparison)
    session.flush()
    return True
