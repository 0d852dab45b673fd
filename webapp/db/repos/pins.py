"""Sequence pins: a planner's "operation ``before`` ends before ``after`` starts" on one work
center (what Move up / Move down / a new sequence leave behind).

Every call is scoped to ``organisation_id``; both operations must be the organisation's.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.db.repos.base import NotFound, flush_unique
from webapp.db.shop_models import ShopOperation, ShopPin


def list_pins(session: Session, *, organisation_id: int) -> list[ShopPin]:
    """Returns the organisation's pins, oldest first. Raises nothing."""
    stmt = select(ShopPin).where(ShopPin.organisation_id == organisation_id).order_by(col(ShopPin.id))
    return list(session.exec(stmt).all())


def add_pin(session: Session, *, organisation_id: int, before_operation_id: int, after_operation_id: int) -> ShopPin:
    """Insert the pin ``before`` -> ``after``.

    Returns the new :class:`ShopPin`. Raises :class:`NotFound` if either operation is
    missing or another organisation's and :class:`DuplicateName` if the pin exists.
    """
    ids = {before_operation_id, after_operation_id}
    found = session.exec(select(sa.func.count()).select_from(ShopOperation).where(
        ShopOperation.organisation_id == organisation_id, col(ShopOperation.id).in_(ids)
    )).one()
    if int(found) != len(ids):
        raise NotFound(f"operations {sorted(ids)} not found")
    row = ShopPin(organisation_id=organisation_id, before_operation_id=before_operation_id,
                  after_operation_id=after_operation_id)
    session.add(row)
    flush_unique(session, f"pin {before_operation_id} -> {after_operation_id}")
    return row


def delete_pin(session: Session, *, organisation_id: int, before_operation_id: int, after_operation_id: int) -> bool:
    """Delete the pin ``before`` -> ``after``. Returns ``False`` if there is none (or it is
    another organisation's), else ``True``. Raises nothing."""
    result = session.exec(sa.delete(ShopPin).where(
        ShopPin.organisation_id == organisation_id, ShopPin.before_operation_id == before_operation_id,
        ShopPin.after_operation_id == after_operation_id,
    ))
    return result.rowcount == 1
