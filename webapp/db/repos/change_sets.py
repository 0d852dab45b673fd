"""Accepted change sets of an organisation's shop: the planner's changes, the shop before
them and the plans before and after, so the last one can be undone.

Every call is scoped to ``organisation_id`` (a change set is the organisation's history,
any member with write access may undo the last one).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from webapp.db.repos.base import NotFound
from webapp.db.shop_models import ShopChangeSet


def create_change_set(
    session: Session, *, organisation_id: int, owner_id: int, summary: str, changes: list, before: dict,
    plan_id: int | None, previous_plan_id: int | None,
) -> ShopChangeSet:
    """Insert an accepted change set (``summary`` cut to 500 characters).

    Returns the new :class:`ShopChangeSet`. Raises nothing of its own.
    """
    row = ShopChangeSet(organisation_id=organisation_id, owner_id=owner_id, summary=summary[:500], changes=changes,
                        before=before, plan_id=plan_id, previous_plan_id=previous_plan_id)
    session.add(row)
    session.flush()
    return row


def last_change_set(session: Session, *, organisation_id: int) -> ShopChangeSet | None:
    """Returns the organisation's newest change set that is not undone, or ``None``.
    Raises nothing."""
    stmt = select(ShopChangeSet).where(
        ShopChangeSet.organisation_id == organisation_id, col(ShopChangeSet.undone_at).is_(None)
    ).order_by(col(ShopChangeSet.id).desc())
    return session.exec(stmt).first()


def mark_undone(session: Session, *, organisation_id: int, change_set_id: int, at: datetime) -> ShopChangeSet:
    """Stamp a change set undone at ``at``.

    Returns the :class:`ShopChangeSet`. Raises :class:`NotFound` if it is missing or another
    organisation's.
    """
    row = session.get(ShopChangeSet, change_set_id)
    if row is None or row.organisation_id != organisation_id:
        raise NotFound(f"change set {change_set_id} not found")
    row.undone_at = at
    session.add(row)
    session.flush()
    return row
