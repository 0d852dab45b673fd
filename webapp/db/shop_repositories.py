"""Repositories of the shop tables, with the organisation / owner checks inside.

Same conventions as :mod:`webapp.db.repositories`: the session of the caller's unit of
work first, everything else keyword-only; flush, never commit. ``organisation_id`` is the
acting user's organisation (resolved by the service layer from ``user_organisations``):
a row of another organisation is indistinguishable from a missing one (``get_*`` returns
``None``, mutating calls raise :class:`NotFound`). Plans and scenarios are additionally
private to their ``owner_id``, except the organisation's current (accepted) plan, which
every member reads through :func:`get_current_plan`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from webapp.db.models import utcnow
from webapp.db.repositories import DuplicateName, NotFound, Page, _page
from webapp.db.shop_models import (
    ORDER_STATUSES,
    CalendarException,
    Organisation,
    Plant,
    Product,
    ProductType,
    ShopDowntime,
    ShopOperation,
    ShopPlan,
    ShopScenario,
    ShopWorkCenter,
    ShopWorkOrder,
    UserOrganisation,
    WorkCenterCategory,
)

__all__ = ["DuplicateName", "NotFound", "Page"]


def _flush_unique(session: Session, what: str) -> None:
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise DuplicateName(f"{what} already exists") from exc


def _set(row: Any, fields: dict[str, Any], forbidden: set[str]) -> None:
    allowed = set(type(row).model_fields) - forbidden
    for key, value in fields.items():
        if key not in allowed:
            raise ValueError(f"unknown or read-only field {key!r}")
        setattr(row, key, value)
    if "updated_at" in type(row).model_fields:
        row.updated_at = utcnow()


_FIXED = {"id", "organisation_id", "created_at", "updated_at"}

# ------------------------------------------------------------------- organisations


def get_membership(session: Session, *, user_id: int) -> UserOrganisation | None:
    return session.exec(select(UserOrganisation).where(UserOrganisation.user_id == user_id)).first()


def organisation_of(session: Session, *, user_id: int) -> Organisation | None:
    link = get_membership(session, user_id=user_id)
    return session.get(Organisation, link.organisation_id) if link is not None else None


def create_organisation(session: Session, *, code: str, name: str) -> Organisation:
    org = Organisation(code=code[:64], name=name[:200])
    session.add(org)
    _flush_unique(session, f"organisation '{code}'")
    session.add(Plant(organisation_id=org.id, code="MAIN", name="Main plant"))
    session.flush()
    return org


def add_member(session: Session, *, organisation_id: int, user_id: int, role: str = "member") -> UserOrganisation:
    """Put ``user_id`` into the organisation (a user belongs to one organisation)."""
    if session.get(Organisation, organisation_id) is None:
        raise NotFound(f"organisation {organisation_id} not found")
    link = get_membership(session, user_id=user_id)
    if link is None:
        link = UserOrganisation(user_id=user_id, organisation_id=organisation_id, role=role)
    else:
        link.organisation_id, link.role = organisation_id, role
    session.add(link)
    session.flush()
    return link


def ensure_organisation(session: Session, *, user_id: int, username: str) -> Organisation:
    """The user's organisation; a user without one gets a new personal organisation."""
    org = organisation_of(session, user_id=user_id)
    if org is not None:
        return org
    org = create_organisation(session, code=f"u{user_id}-{username}", name=f"{username}'s shop")
    add_member(session, organisation_id=org.id, user_id=user_id, role="owner")
    return org


def main_plant(session: Session, *, organisation_id: int) -> Plant | None:
    stmt = select(Plant).where(Plant.organisation_id == organisation_id).order_by(col(Plant.id))
    return session.exec(stmt).first()


def category_id(session: Session, *, organisation_id: int, code: str) -> int | None:
    """The id of category ``code`` (created when missing); ``None`` for a blank code."""
    code = (code or "").strip()
    if not code:
        return None
    stmt = select(WorkCenterCategory).where(
        WorkCenterCategory.organisation_id == organisation_id, WorkCenterCategory.code == code[:64]
    )
    row = session.exec(stmt).first()
    if row is None:
        row = WorkCenterCategory(organisation_id=organisation_id, code=code[:64], name=code[:200])
        session.add(row)
        session.flush()
    return row.id


def category_names(session: Session, *, organisation_id: int) -> dict[int, str]:
    stmt = select(WorkCenterCategory).where(WorkCenterCategory.organisation_id == organisation_id)
    return {c.id: c.code for c in session.exec(stmt).all()}


def product_id(session: Session, *, organisation_id: int, kpl: str, name: str = "") -> int | None:
    """The id of product ``kpl`` (created, with a default type, when missing)."""
    kpl = (kpl or "").strip()
    if not kpl:
        return None
    stmt = select(Product).where(Product.organisation_id == organisation_id, Product.kpl == kpl[:64])
    row = session.exec(stmt).first()
    if row is None:
        ptype = session.exec(
            select(ProductType).where(
                ProductType.organisation_id == organisation_id, ProductType.type_code == "GEN"
            )
        ).first()
        if ptype is None:
            ptype = ProductType(organisation_id=organisation_id, type_code="GEN", type_name="General")
            session.add(ptype)
            session.flush()
        row = Product(organisation_id=organisation_id, type_id=ptype.id, kpl=kpl[:64], name=name[:200])
        session.add(row)
        session.flush()
    return row.id


def products(session: Session, *, organisation_id: int) -> dict[int, Product]:
    stmt = select(Product).where(Product.organisation_id == organisation_id)
    return {p.id: p for p in session.exec(stmt).all()}


# ------------------------------------------------------------------- work centers


def create_work_center(session: Session, *, organisation_id: int, code: str, **fields: Any) -> ShopWorkCenter:
    plant = main_plant(session, organisation_id=organisation_id)
    wc = ShopWorkCenter(organisation_id=organisation_id, code=code, plant_id=plant.id if plant else None)
    _set(wc, fields, _FIXED | {"code"})
    session.add(wc)
    _flush_unique(session, f"work center '{code}'")
    return wc


def list_work_centers(session: Session, *, organisation_id: int) -> list[ShopWorkCenter]:
    stmt = (
        select(ShopWorkCenter)
        .where(ShopWorkCenter.organisation_id == organisation_id)
        .order_by(col(ShopWorkCenter.code))
    )
    return list(session.exec(stmt).all())


def get_work_center(
    session: Session, *, organisation_id: int, work_center_id: int | None = None, code: str | None = None
) -> ShopWorkCenter | None:
    stmt = select(ShopWorkCenter).where(ShopWorkCenter.organisation_id == organisation_id)
    if work_center_id is not None:
        stmt = stmt.where(ShopWorkCenter.id == work_center_id)
    if code is not None:
        stmt = stmt.where(ShopWorkCenter.code == code)
    return session.exec(stmt).first()


def _require_wc(session: Session, organisation_id: int, work_center_id: int) -> ShopWorkCenter:
    wc = get_work_center(session, organisation_id=organisation_id, work_center_id=work_center_id)
    if wc is None:
        raise NotFound(f"work center {work_center_id} not found")
    return wc


def update_work_center(
    session: Session, *, organisation_id: int, work_center_id: int, **fields: Any
) -> ShopWorkCenter:
    wc = _require_wc(session, organisation_id, work_center_id)
    _set(wc, fields, _FIXED | {"plant_id"})
    session.add(wc)
    _flush_unique(session, f"work center '{wc.code}'")
    return wc


def list_calendar_exceptions(
    session: Session, *, organisation_id: int, work_center_id: int | None = None
) -> list[CalendarException]:
    stmt = select(CalendarException).where(CalendarException.organisation_id == organisation_id)
    if work_center_id is not None:
        stmt = stmt.where(CalendarException.work_center_id == work_center_id)
    return list(session.exec(stmt.order_by(col(CalendarException.day), col(CalendarException.shift))).all())


def set_calendar_exception(
    session: Session,
    *,
    organisation_id: int,
    work_center_id: int,
    day: date,
    shift: str,
    working: bool,
    note: str = "",
) -> CalendarException:
    """Mark one date × shift of a work center working or not (replaces an earlier mark)."""
    _require_wc(session, organisation_id, work_center_id)
    stmt = select(CalendarException).where(
        CalendarException.work_center_id == work_center_id,
        CalendarException.day == day,
        CalendarException.shift == shift,
    )
    row = session.exec(stmt).first() or CalendarException(
        organisation_id=organisation_id, work_center_id=work_center_id, day=day, shift=shift
    )
    row.working, row.note = bool(working), note[:200]
    session.add(row)
    session.flush()
    return row


def delete_calendar_exception(session: Session, *, organisation_id: int, exception_id: int) -> bool:
    result = session.exec(
        sa.delete(CalendarException).where(
            CalendarException.id == exception_id, CalendarException.organisation_id == organisation_id
        )
    )
    return result.rowcount == 1


def list_downtimes(
    session: Session, *, organisation_id: int, work_center_id: int | None = None
) -> list[ShopDowntime]:
    stmt = select(ShopDowntime).where(ShopDowntime.organisation_id == organisation_id)
    if work_center_id is not None:
        stmt = stmt.where(ShopDowntime.work_center_id == work_center_id)
    return list(session.exec(stmt.order_by(col(ShopDowntime.start_at))).all())


def add_downtime(
    session: Session, *, organisation_id: int, work_center_id: int, start_at: datetime, end_at: datetime,
    reason: str = "",
) -> ShopDowntime:
    _require_wc(session, organisation_id, work_center_id)
    if end_at <= start_at:
        raise ValueError("the downtime must end after it starts")
    row = ShopDowntime(
        organisation_id=organisation_id, work_center_id=work_center_id, start_at=start_at, end_at=end_at,
        reason=reason[:500],
    )
    session.add(row)
    session.flush()
    return row


def delete_downtime(session: Session, *, organisation_id: int, downtime_id: int) -> bool:
    result = session.exec(
        sa.delete(ShopDowntime).where(
            ShopDowntime.id == downtime_id, ShopDowntime.organisation_id == organisation_id
        )
    )
    return result.rowcount == 1


# ------------------------------------------------------------------- work orders

ORDER_SORTS = {
    "rn": ShopWorkOrder.rn,
    "priority_level": ShopWorkOrder.priority_level,
    "assembly_date": ShopWorkOrder.assembly_date,
    "delivery_date": ShopWorkOrder.delivery_date,
    "status": ShopWorkOrder.status,
    "urgency_rank": ShopWorkOrder.urgency_rank,
}


def count_work_orders(session: Session, *, organisation_id: int) -> int:
    stmt = select(sa.func.count()).select_from(ShopWorkOrder).where(
        ShopWorkOrder.organisation_id == organisation_id
    )
    return int(session.exec(stmt).one())


def count_operations(session: Session, *, organisation_id: int) -> int:
    stmt = select(sa.func.count()).select_from(ShopOperation).where(
        ShopOperation.organisation_id == organisation_id
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
    """A page of the organisation's work orders; ``due_*`` filter the assembly date."""
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
    return _page(session, stmt, order_by=order, limit=limit, offset=offset)


def all_work_orders(session: Session, *, organisation_id: int) -> list[ShopWorkOrder]:
    stmt = select(ShopWorkOrder).where(ShopWorkOrder.organisation_id == organisation_id)
    return list(session.exec(stmt.order_by(col(ShopWorkOrder.id))).all())


def get_work_order(
    session: Session, *, organisation_id: int, work_order_id: int | None = None, rn: str | None = None
) -> ShopWorkOrder | None:
    stmt = select(ShopWorkOrder).where(ShopWorkOrder.organisation_id == organisation_id)
    if work_order_id is not None:
        stmt = stmt.where(ShopWorkOrder.id == work_order_id)
    if rn is not None:
        stmt = stmt.where(ShopWorkOrder.rn == rn)
    return session.exec(stmt).first()


def _require_order(session: Session, organisation_id: int, work_order_id: int) -> ShopWorkOrder:
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


def create_work_order(session: Session, *, organisation_id: int, rn: str, **fields: Any) -> ShopWorkOrder:
    rn = (rn or "").strip()
    if not rn:
        raise ValueError("the work order number (RN) is required")
    _check_order_fields(fields)
    if get_work_order(session, organisation_id=organisation_id, rn=rn) is not None:
        raise DuplicateName(f"work order '{rn}' already exists")
    row = ShopWorkOrder(organisation_id=organisation_id, rn=rn[:64])
    _set(row, fields, _FIXED | {"rn"})
    session.add(row)
    _flush_unique(session, f"work order '{rn}'")
    return row


def update_work_order(
    session: Session, *, organisation_id: int, work_order_id: int, **fields: Any
) -> ShopWorkOrder:
    _check_order_fields(fields)
    row = _require_order(session, organisation_id, work_order_id)
    _set(row, fields, _FIXED)
    session.add(row)
    _flush_unique(session, f"work order '{row.rn}'")
    return row


def delete_work_order(session: Session, *, organisation_id: int, work_order_id: int) -> bool:
    row = get_work_order(session, organisation_id=organisation_id, work_order_id=work_order_id)
    if row is None:
        return False
    session.exec(sa.delete(ShopOperation).where(ShopOperation.work_order_id == row.id))
    session.exec(sa.delete(ShopWorkOrder).where(ShopWorkOrder.id == row.id))
    session.flush()
    return True


# ------------------------------------------------------------------- operations


def create_operation(
    session: Session, *, organisation_id: int, work_order_id: int, work_center_id: int, sequence: int,
    **fields: Any,
) -> ShopOperation:
    _require_order(session, organisation_id, work_order_id)
    _require_wc(session, organisation_id, work_center_id)
    row = ShopOperation(
        organisation_id=organisation_id, work_order_id=work_order_id, work_center_id=work_center_id,
        sequence=int(sequence),
    )
    _set(row, fields, _FIXED | {"work_order_id", "work_center_id", "sequence"})
    session.add(row)
    _flush_unique(session, f"operation {sequence} of work order {work_order_id}")
    return row


def list_operations(
    session: Session, *, organisation_id: int, work_order_id: int | None = None,
    work_center_id: int | None = None,
) -> list[ShopOperation]:
    stmt = select(ShopOperation).where(ShopOperation.organisation_id == organisation_id)
    if work_order_id is not None:
        stmt = stmt.where(ShopOperation.work_order_id == work_order_id)
    if work_center_id is not None:
        stmt = stmt.where(ShopOperation.work_center_id == work_center_id)
    return list(session.exec(stmt.order_by(col(ShopOperation.work_order_id), col(ShopOperation.sequence))).all())


def get_operation(session: Session, *, organisation_id: int, operation_id: int) -> ShopOperation | None:
    stmt = select(ShopOperation).where(
        ShopOperation.organisation_id == organisation_id, ShopOperation.id == operation_id
    )
    return session.exec(stmt).first()


def update_operation(
    session: Session, *, organisation_id: int, operation_id: int, **fields: Any
) -> ShopOperation:
    row = get_operation(session, organisation_id=organisation_id, operation_id=operation_id)
    if row is None:
        raise NotFound(f"operation {operation_id} not found")
    if "work_center_id" in fields:
        _require_wc(session, organisation_id, int(fields["work_center_id"]))
    _set(row, fields, _FIXED | {"work_order_id"})
    session.add(row)
    session.flush()
    return row


def clear_shop(session: Session, *, organisation_id: int) -> None:
    """Delete the organisation's shop data (not its plans, scenarios, plant or members)."""
    for table in (ShopOperation, ShopWorkOrder, Product, ProductType, CalendarException, ShopDowntime,
                  ShopWorkCenter, WorkCenterCategory):
        session.exec(sa.delete(table).where(table.organisation_id == organisation_id))
    session.exec(
        sa.update(ShopPlan).where(ShopPlan.organisation_id == organisation_id).values(is_current=False)
    )
    session.flush()


# ------------------------------------------------------------------- plans


def create_plan(session: Session, *, organisation_id: int, owner_id: int, **fields: Any) -> ShopPlan:
    row = ShopPlan(organisation_id=organisation_id, owner_id=owner_id, strategy=fields.pop("strategy"),
                   plan_start=fields.pop("plan_start"))
    _set(row, fields, _FIXED | {"owner_id", "is_current"})
    session.add(row)
    session.flush()
    return row


def get_plan(session: Session, *, owner_id: int, plan_id: int) -> ShopPlan | None:
    """One of ``owner_id``'s plans."""
    stmt = select(ShopPlan).where(ShopPlan.id == plan_id, ShopPlan.owner_id == owner_id)
    return session.exec(stmt).first()


def list_plans(session: Session, *, owner_id: int, limit: int = 20, offset: int = 0) -> Page[ShopPlan]:
    stmt = select(ShopPlan).where(ShopPlan.owner_id == owner_id)
    return _page(session, stmt, order_by=[col(ShopPlan.created_at).desc(), col(ShopPlan.id).desc()],
                 limit=limit, offset=offset)


def get_current_plan(session: Session, *, organisation_id: int) -> ShopPlan | None:
    """The organisation's accepted plan (the baseline every member sees)."""
    stmt = select(ShopPlan).where(
        ShopPlan.organisation_id == organisation_id, col(ShopPlan.is_current).is_(True)
    ).order_by(col(ShopPlan.id).desc())
    return session.exec(stmt).first()


def set_current_plan(session: Session, *, organisation_id: int, owner_id: int, plan_id: int) -> ShopPlan:
    """Make one of ``owner_id``'s plans (of this organisation) the organisation's baseline."""
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


# ------------------------------------------------------------------- scenarios


def create_scenario(
    session: Session, *, organisation_id: int, owner_id: int, name: str, problem: dict, result: dict,
    base_plan_id: int | None = None,
) -> ShopScenario:
    row = ShopScenario(organisation_id=organisation_id, owner_id=owner_id, name=name[:255], problem=problem,
                       result=result, base_plan_id=base_plan_id, changes=[])
    session.add(row)
    session.flush()
    return row


def get_scenario(session: Session, *, owner_id: int, scenario_id: int) -> ShopScenario | None:
    stmt = select(ShopScenario).where(ShopScenario.id == scenario_id, ShopScenario.owner_id == owner_id)
    return session.exec(stmt).first()


def list_scenarios(session: Session, *, owner_id: int, organisation_id: int) -> list[ShopScenario]:
    stmt = select(ShopScenario).where(
        ShopScenario.owner_id == owner_id, ShopScenario.organisation_id == organisation_id
    )
    return list(session.exec(stmt.order_by(col(ShopScenario.id).desc())).all())


def update_scenario(session: Session, *, owner_id: int, scenario_id: int, **fields: Any) -> ShopScenario:
    row = get_scenario(session, owner_id=owner_id, scenario_id=scenario_id)
    if row is None:
        raise NotFound(f"scenario {scenario_id} not found")
    _set(row, fields, _FIXED | {"owner_id"})
    session.add(row)
    session.flush()
    return row


def delete_scenario(session: Session, *, owner_id: int, scenario_id: int) -> bool:
    result = session.exec(
        sa.delete(ShopScenario).where(ShopScenario.id == scenario_id, ShopScenario.owner_id == owner_id)
    )
    return result.rowcount == 1
