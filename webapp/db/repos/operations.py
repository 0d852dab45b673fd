"""Operations: the steps of a work order, each on one work center, in ``sequence``.

Every call is scoped to ``organisation_id``; an operation's work order and work center
must both be the organisation's. The sequence number is unique within a work order.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.db.repos.base import FIXED_FIELDS, NotFound, flush_unique, set_fields
from webapp.db.repos.work_centers import require_work_center
from webapp.db.repos.work_orders import require_work_order
from webapp.db.shop_models import ShopOperation, ShopPin


def count_operations(session: Session, *, organisation_id: int) -> int:
    """Returns the number of the organisation's operations. Raises nothing."""
    stmt = select(sa.func.count()).select_from(ShopOperation).where(
        ShopOperation.organisation_id == organisation_id
    )
    return int(session.exec(stmt).one())


def create_operation(
    session: Session, *, organisation_id: int, work_order_id: int, work_center_id: int, sequence: int,
    **fields: Any,
) -> ShopOperation:
    """Insert step ``sequence`` of a work order on a work center; ``fields`` set other columns.

    Returns the new :class:`ShopOperation`. Raises :class:`NotFound` if the work order or
    the work center is missing or another organisation's, ``ValueError`` for an unknown
    or read-only field and :class:`DuplicateName` if the order already has ``sequence``.
    """
    require_work_order(session, organisation_id=organisation_id, work_order_id=work_order_id)
    require_work_center(session, organisation_id=organisation_id, work_center_id=work_center_id)
    row = ShopOperation(
        organisation_id=organisation_id, work_order_id=work_order_id, work_center_id=work_center_id,
        sequence=int(sequence),
    )
    set_fields(row, fields, FIXED_FIELDS | {"work_order_id", "work_center_id", "sequence"})
    session.add(row)
    flush_unique(session, f"operation {sequence} of work order {work_order_id}")
    return row


def list_operations(
    session: Session, *, organisation_id: int, work_order_id: int | None = None,
    work_center_id: int | None = None,
) -> list[ShopOperation]:
    """Returns the organisation's operations (of one work order and/or work center if
    given), by work order and sequence. Raises nothing."""
    stmt = select(ShopOperation).where(ShopOperation.organisation_id == organisation_id)
    if work_order_id is not None:
        stmt = stmt.where(ShopOperation.work_order_id == work_order_id)
    if work_center_id is not None:
        stmt = stmt.where(ShopOperation.work_center_id == work_center_id)
    return list(session.exec(stmt.order_by(col(ShopOperation.work_order_id), col(ShopOperation.sequence))).all())


def get_operation(session: Session, *, organisation_id: int, operation_id: int) -> ShopOperation | None:
    """Returns one of the organisation's operations, or ``None`` if it is missing or
    another organisation's. Raises nothing."""
    stmt = select(ShopOperation).where(
        ShopOperation.organisation_id == organisation_id, ShopOperation.id == operation_id
    )
    return session.exec(stmt).first()


def update_operation(
    session: Session, *, organisation_id: int, operation_id: int, **fields: Any
) -> ShopOperation:
    """Set columns of one of the organisation's operations (not its work order).

    Returns the :class:`ShopOperation`. Raises :class:`NotFound` if the operation, or a
    new ``work_center_id``, is missing or another organisation's, and ``ValueError`` for
    an unknown or read-only field.
    """
    row = get_operation(session, organisation_id=organisation_id, operation_id=operation_id)
    if row is None:
        raise NotFound(f"operation {operation_id} not found")
    if "work_center_id" in fields:
        require_work_center(session, organisation_id=organisation_id, work_center_id=int(fields["work_center_id"]))
    set_fields(row, fields, FIXED_FIELDS | {"work_order_id"})
    session.add(row)
    session.flush()
    return row


def delete_routing(session: Session, *, organisation_id: int, work_order_id: int) -> int:
    """Delete every operation of one of the organisation's work orders, and the sequence
    pins on them (an import replacing the order's routing).

    Returns the number of operations deleted (0 for a missing or another organisation's
    order). Raises nothing.
    """
    ids = select(ShopOperation.id).where(
        ShopOperation.organisation_id == organisation_id, ShopOperation.work_order_id == work_order_id
    )
    session.exec(sa.delete(ShopPin).where(
        ShopPin.organisation_id == organisation_id,
        col(ShopPin.before_operation_id).in_(ids) | col(ShopPin.after_operation_id).in_(ids),
    ))
    result = session.exec(sa.delete(ShopOperation).where(
        ShopOperation.organisation_id == organisation_id, ShopOperation.work_order_id == work_order_id
    ))
    session.flush()
    return int(result.rowcount or 0)


def delete_operation(session: Session, *, organisation_id: int, operation_id: int) -> bool:
    """Delete one of the organisation's operations (its pins go with it).

    Returns ``False`` if it is missing or another organisation's, else ``True``. Raises
    nothing.
    """
    row = get_operation(session, organisation_id=organisation_id, operation_id=operation_id)
    if row is None:
        return False
    session.exec(sa.delete(ShopPin).where(
        sa.or_(ShopPin.before_operation_id == row.id, ShopPin.after_operation_id == row.id)))
    session.exec(sa.delete(ShopOperation).where(ShopOperation.id == row.id))
    session.flush()
    return True
