"""Shop plans: a stored plan of an organisation's shop, private to the planner who made
it, and the organisation's current (accepted) plan.

A plan is read and listed by its ``owner_id`` only, except the current plan, the baseline
every member of the organisation reads through :func:`get_current_plan`. At most one plan
per organisation is current.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.db.repos.base import FIXED_FIELDS, NotFound, Page, paginate, set_fields
from webapp.db.shop_models import ShopPlan


def create_plan(session: Session, *, organisation_id: int, owner_id: int, **fields: Any) -> ShopPlan:
    """Insert a plan; ``fields`` must hold ``strategy`` and ``plan_start`` and may set
    other columns (the plan is not made current).

    Returns the new :class:`ShopPlan`. Raises ``KeyError`` if ``strategy`` or
    ``plan_start`` is missing and ``ValueError`` for an unknown or read-only field
    (``is_current`` included).
    """
    row = ShopPlan(organisation_id=organisation_id, owner_id=owner_id, strategy=fields.pop("strategy"),
                   plan_start=fields.pop("plan_start"))
    set_fields(row, fields, FIXED_FIELDS | {"owner_id", "is_current"})
    session.add(row)
    session.flush()
    return row


def get_plan(session: Session, *, owner_id: int, plan_id: int) -> ShopPlan | None:
    """One of ``owner_id``'s plans; ``None`` if it is missing or another user's.

    Raises nothing.
    """
    stmt = select(ShopPlan).where(ShopPlan.id == plan_id, ShopPlan.owner_id == owner_id)
    return session.exec(stmt).first()


def list_plans(session: Session, *, owner_id: int, limit: int = 20, offset: int = 0) -> Page[ShopPlan]:
    """Returns a :class:`Page` of ``owner_id``'s plans, newest first. Raises nothing."""
    stmt = select(ShopPlan).where(ShopPlan.owner_id == owner_id)
    return paginate(session, stmt, order_by=[col(ShopPlan.created_at).desc(), col(ShopPlan.id).desc()],
                    limit=limit, offset=offset)


def get_current_plan(session: Session, *, organisation_id: int) -> ShopPlan | None:
    """The organisation's accepted plan (the baseline every member sees).

    Returns ``None`` if no plan is current. Raises nothing.
    """
    stmt = select(ShopPlan).where(
        ShopPlan.organisation_id == organisation_id, col(ShopPlan.is_current).is_(True)
    ).order_by(col(ShopPlan.id).desc())
    return session.exec(stmt).first()


def set_current_plan(session: Session, *, organisation_id: int, owner_id: int, plan_id: int) -> ShopPlan:
    """Make one of ``owner_id``'s plans (of this organisation) the organisation's baseline.

    The previous current plan stops being current. Returns the :class:`ShopPlan`. Raises
    :class:`NotFound` if the plan is missing, another user's or another organisation's.
    """
    row = get_plan(session, owner_id=owner_id, plan_id=plan_id)
    if row is None or row.organisation_id != organisation_id:
        raise NotFound(f"plan {plan_id} not found")
    session.exec(
        sa.update(ShopPlan).where(ShopPlan.organisation_id == organisation_id).values(is_current=False)
    )
    row.is_current = True
    session.add(row)
    session.flush()
    return row


def reinstate_plan(session: Session, *, organisation_id: int, plan_id: int | None) -> ShopPlan | None:
    """Make an earlier plan of the organisation (any member's) current again, as an undo
    does; ``None`` leaves no plan current.

    Returns the :class:`ShopPlan` (``None`` for ``plan_id=None``). Raises :class:`NotFound`
    if the plan is missing or another organisation's.
    """
    row = session.get(ShopPlan, plan_id) if plan_id is not None else None
    if plan_id is not None and (row is None or row.organisation_id != organisation_id):
        raise NotFound(f"plan {plan_id} not found")
    session.exec(
        sa.update(ShopPlan).where(ShopPlan.organisation_id == organisation_id).values(is_current=False)
    )
    if row is not None:
        row.is_current = True
        session.add(row)
    session.flush()
    return row


def last_created_at(session: Session, *, owner_id: int) -> datetime | None:
    """Returns when ``owner_id`` last made a shop plan (UTC), ``None`` if never. Raises nothing."""
    stmt = select(sa.func.max(ShopPlan.created_at)).where(ShopPlan.owner_id == owner_id)
    return session.exec(stmt).one()
