"""Work orders of an organisation: the jobs the shop has to make, each a sequence of
operations.

Every call is scoped to ``organisation_id``: another organisation's work order behaves as
a missing one. Order numbers (``rn``) are unique per organisation; deleting an order
deletes its operations.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from scheduler_core.cells import range_problem
from webapp.db.repos.base import (
    FIXED_FIELDS,
    DuplicateName,
    NotFound,
    Page,
    flush_unique,
    paginate,
    set_fields,
)
from webapp.db.shop_models import ORDER_STATUSES, ShopOperation, ShopWorkOrder

ORDER_SORTS = {
    "rn": ShopWorkOrder.rn,
    "priority_level": ShopWorkOrder.priority_level,
    "assembly_date": ShopWorkOrder.assembly_date,
    "delivery_date": ShopWorkOrder.delivery_date,
    "status": ShopWorkOrder.status,
    "urgency_rank": ShopWorkOrder.urgency_rank,
}
"""The ``sort`` keys of :func:`list_work_orders` and the columns they sort by."""


def count_work_orders(session: Session, *, organisation_id: int) -> int:
    """Returns the number of the organisation's work orders. Raises nothing."""
    stmt = select(sa.func.count()).select_from(ShopWorkOrder).where(
        ShopWorkOrder.organisation_id == organisation_id
    )
    return int(session.exec(stmt).one())


def list_work_orders(
    session: Session,
    *,
    organisation_id: int,
    limit: int = 50,
    offset: int = 0,
    status: str | Iterable[str] | None = None,
    priority: Iterable[int] | None = None,
    rn_contains: str | None = None,
    rns: Iterable[str] | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    sort: str = "assembly_date",
    descending: bool = False,
) -> Page[ShopWorkOrder]:
    """A page of the organisation's work orders; ``due_*`` filter the assembly date.

    Filters combine with AND: ``status`` (one or several), ``priority`` levels,
    ``rn_contains`` (case-insensitive), ``rns`` (exact numbers), ``due_from``/``due_to``
    (both inclusive). ``sort`` is one of :data:`ORDER_SORTS`; ties are broken by id.
    Returns a :class:`Page`. Raises ``ValueError`` for an unknown ``sort``.
    """
    if sort not in ORDER_SORTS:
        raise ValueError(f"unknown sort {sort!r}")
    stmt = select(ShopWorkOrder).where(ShopWorkOrder.organisation_id == organisation_id)
    if status:
        stmt = stmt.where(col(ShopWorkOrder.status).in_([status] if isinstance(status, str) else list(status)))
    if priority:
        stmt = stmt.where(col(ShopWorkOrder.priority_level).in_(list(priority)))
    if rn_contains and rn_contains.strip():
        stmt = stmt.where(sa.func.lower(ShopWorkOrder.rn).contains(rn_contains.strip().lower(), autoescape=True))
    if rns is not None:
        stmt = stmt.where(col(ShopWorkOrder.rn).in_(list(rns)))
    if due_from is not None:
        stmt = stmt.where(col(ShopWorkOrder.assembly_date) >= due_from)
    if due_to is not None:
        stmt = stmt.where(col(ShopWorkOrder.assembly_date) <= due_to)
    key = col(ORDER_SORTS[sort])
    order = [key.desc().nulls_last(), col(ShopWorkOrder.id).desc()] if descending else [
        key.asc().nulls_last(), col(ShopWorkOrder.id).asc()]
    return paginate(session, stmt, order_by=order, limit=limit, offset=offset)


def all_work_orders(session: Session, *, organisation_id: int) -> list[ShopWorkOrder]:
    """Returns every work order of the organisation, by id (unpaged). Raises nothing."""
    stmt = select(ShopWorkOrder).where(ShopWorkOrder.organisation_id == organisation_id)
    return list(session.exec(stmt.order_by(col(ShopWorkOrder.id))).all())


def get_work_order(
    session: Session, *, organisation_id: int, work_order_id: int | None = None, rn: str | None = None
) -> ShopWorkOrder | None:
    """Returns the organisation's work order with this id and/or number (both optional,
    combined with AND), or ``None``. Raises nothing."""
    stmt = select(ShopWorkOrder).where(ShopWorkOrder.organisation_id == organisation_id)
    if work_order_id is not None:
        stmt = stmt.where(ShopWorkOrder.id == work_order_id)
    if rn is not None:
        stmt = stmt.where(ShopWorkOrder.rn == rn)
    return session.exec(stmt).first()


def require_work_order(session: Session, *, organisation_id: int, work_order_id: int) -> ShopWorkOrder:
    """Returns the organisation's work order ``work_order_id``. Raises :class:`NotFound`
    if it is missing or another organisation's."""
    row = get_work_order(session, organisation_id=organisation_id, work_order_id=work_order_id)
    if row is None:
        raise NotFound(f"work order {work_order_id} not found")
    return row


def _check_order_fields(fields: dict[str, Any]) -> None:
    if "priority_level" in fields and fields["priority_level"] not in (1, 2, 3):
        raise ValueError("priority must be 1, 2 or 3")
    if "status" in fields and fields["status"] not in ORDER_STATUSES:
        raise ValueError(f"unknown status {fields['status']!r}")
    if "quantity" in fields and int(fields["quantity"]) <= 0:
        raise ValueError("quantity must be positive")
    for name in ("delivery_date", "assembly_date", "third_date"):
        if reason := range_problem(fields.get(name), name):
            raise ValueError(reason)


def create_work_order(session: Session, *, organisation_id: int, rn: str, **fields: Any) -> ShopWorkOrder:
    """Insert a work order numbered ``rn`` (stripped, cut to 64); ``fields`` set other columns.

    Returns the new :class:`ShopWorkOrder`. Raises ``ValueError`` for a blank ``rn``, a
    priority not in 1..3, an unknown status, a quantity not above 0, a date outside
    1990..2200 (``cells.range_problem``) or an unknown or
    read-only field, and :class:`DuplicateName` if the organisation already has ``rn``.
    """
    rn = (rn or "").strip()
    if not rn:
        raise ValueError("the work order number (RN) is required")
    _check_order_fields(fields)
    if get_work_order(session, organisation_id=organisation_id, rn=rn) is not None:
        raise DuplicateName(f"work order '{rn}' already exists")
    row = ShopWorkOrder(organisation_id=organisation_id, rn=rn[:64])
    set_fields(row, fields, FIXED_FIELDS | {"rn"})
    session.add(row)
    flush_unique(session, f"work order '{rn}'")
    return row


def update_work_order(
    session: Session, *, organisation_id: int, work_order_id: int, **fields: Any
) -> ShopWorkOrder:
    """Set columns of one of the organisation's work orders.

    Returns the :class:`ShopWorkOrder`. Raises ``ValueError`` for a bad priority, status
    or quantity (checked first) or an unknown or read-only field, :class:`NotFound` if
    the order is missing or another organisation's and :class:`DuplicateName` if a new
    ``rn`` is taken.
    """
    _check_order_fields(fields)
    row = require_work_order(session, organisation_id=organisation_id, work_order_id=work_order_id)
    set_fields(row, fields, FIXED_FIELDS)
    session.add(row)
    flush_unique(session, f"work order '{row.rn}'")
    return row


def delete_work_order(session: Session, *, organisation_id: int, work_order_id: int) -> bool:
    """Delete one of the organisation's work orders and its operations.

    Returns ``False`` if it is missing or another organisation's, else ``True``. Raises
    nothing.
    """
    row = get_work_order(session, organisation_id=organisation_id, work_order_id=work_order_id)
    if row is None:
        return False
    session.exec(sa.delete(ShopOperation).where(ShopOperation.work_order_id == row.id))
    session.exec(sa.delete(ShopWorkOrder).where(ShopWorkOrder.id == row.id))
    session.flush()
    return True


def open_without_operations(session: Session, *, organisation_id: int) -> list[str]:
    """Returns the numbers (``rn``) of the organisation's open work orders (not completed
    or cancelled) that have no operation at all (no routing), by number. Raises nothing."""
    has_ops = select(ShopOperation.id).where(ShopOperation.work_order_id == ShopWorkOrder.id).exists()
    stmt = select(ShopWorkOrder.rn).where(
        ShopWorkOrder.organisation_id == organisation_id,
        col(ShopWorkOrder.status).not_in(["completed", "cancelled"]),
        ~has_ops,
    ).order_by(col(ShopWorkOrder.rn))
    return list(session.exec(stmt).all())
