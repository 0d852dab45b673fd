"""What-if scenarios: a planner's private copy of the shop (problem JSON) with its own
result, optionally based on a stored plan.

A scenario belongs to an organisation but is read, changed and deleted by its
``owner_id`` only; another user's scenario behaves as a missing one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.db.repos.base import FIXED_FIELDS, NotFound, set_fields
from webapp.db.shop_models import ShopScenario


def create_scenario(
    session: Session, *, organisation_id: int, owner_id: int, name: str, problem: dict, result: dict,
    base_plan_id: int | None = None,
) -> ShopScenario:
    """Insert a scenario (``name`` cut to 255 characters, no changes yet).

    Returns the new :class:`ShopScenario`. Raises nothing of its own.
    """
    row = ShopScenario(organisation_id=organisation_id, owner_id=owner_id, name=name[:255], problem=problem,
                       result=result, base_plan_id=base_plan_id, changes=[])
    session.add(row)
    session.flush()
    return row


def get_scenario(session: Session, *, owner_id: int, scenario_id: int) -> ShopScenario | None:
    """Returns one of ``owner_id``'s scenarios, or ``None`` if it is missing or another
    user's. Raises nothing."""
    stmt = select(ShopScenario).where(ShopScenario.id == scenario_id, ShopScenario.owner_id == owner_id)
    return session.exec(stmt).first()


def list_scenarios(session: Session, *, owner_id: int, organisation_id: int) -> list[ShopScenario]:
    """Returns ``owner_id``'s scenarios in the organisation, newest first. Raises nothing."""
    stmt = select(ShopScenario).where(
        ShopScenario.owner_id == owner_id, ShopScenario.organisation_id == organisation_id
    )
    return list(session.exec(stmt.order_by(col(ShopScenario.id).desc())).all())


def update_scenario(session: Session, *, owner_id: int, scenario_id: int, **fields: Any) -> ShopScenario:
    """Set columns of one of ``owner_id``'s scenarios.

    Returns the :class:`ShopScenario`. Raises :class:`NotFound` if it is missing or
    another user's and ``ValueError`` for an unknown or read-only field.
    """
    row = get_scenario(session, owner_id=owner_id, scenario_id=scenario_id)
    if row is None:
        raise NotFound(f"scenario {scenario_id} not found")
    set_fields(row, fields, FIXED_FIELDS | {"owner_id"})
    session.add(row)
    session.flush()
    return row


def delete_scenario(session: Session, *, owner_id: int, scenario_id: int) -> bool:
    """Delete one of ``owner_id``'s scenarios.

    Returns ``False`` if it is missing or another user's, else ``True``. Raises nothing.
    """
    result = session.exec(
        sa.delete(ShopScenario).where(ShopScenario.id == scenario_id, ShopScenario.owner_id == owner_id)
    )
    return result.rowcount == 1


def last_created_at(session: Session, *, owner_id: int) -> datetime | None:
    """Returns when ``owner_id`` last made a what-if scenario (UTC), ``None`` if never. Raises nothing."""
    stmt = select(sa.func.max(ShopScenario.created_at)).where(ShopScenario.owner_id == owner_id)
    return session.exec(stmt).one()
