"""The shop's master data: work orders (list, create, update, delete, their operations),
products, work centers (list, status and calendar), calendar exceptions and downtime as
read models, the plant's time zone, and members of an organisation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import available_timezones

from sqlmodel import Session

from scheduler_core.shop.edits import DAY_NAMES, SHIFT_NAMES
from scheduler_core.zones import zone_problem
from webapp.access import acting_member, acting_user
from webapp.db.engine import Db, unit_of_work
from webapp.db.models import Role
from webapp.db.repos import operations as operation_repo
from webapp.db.repos import organisations as organisation_repo
from webapp.db.repos import products as product_repo
from webapp.db.repos import users as user_repo
from webapp.db.repos import work_centers as work_center_repo
from webapp.db.repos import work_orders as work_order_repo
from webapp.db.repos.base import Page
from webapp.db.shop_models import ShopWorkCenter
from webapp.errors import DuplicateName, InputError, NotFound, PermissionDenied, Problem
from webapp.shop.mapping import plant_zone
from webapp.views import OperationView, WorkCenterView, WorkOrderView, page_of

#: Statuses a work order or an operation can have.
ORDER_STATUSES = ("pending", "in_progress", "completed", "cancelled")
#: Statuses a work center can have.
WORK_CENTER_STATUSES = ("available", "maintenance", "down")
#: The IANA time zone names a plant may have (sorted).
TIME_ZONES: list[str] = sorted(available_timezones())
__all__ = ["DAY_NAMES", "ORDER_STATUSES", "SHIFT_NAMES", "TIME_ZONES", "WORK_CENTER_STATUSES"]


@contextmanager
def as_input_error() -> Iterator[None]:
    """A value the repositories refuse (``ValueError``) is an ``InputError`` to the app."""
    try:
        yield
    except DuplicateName:
        raise
    except ValueError as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(Problem(str(exc))) from exc


def _work_center(session: Session, org_id: int, code: str) -> ShopWorkCenter:
    wc = work_center_repo.get_work_center(session, organisation_id=org_id, code=code)
    if wc is None:
        raise NotFound(f"work center '{code}' not found")
    return wc


def list_work_orders(db: Db, *, user: Any, **filters: Any) -> Page[WorkOrderView]:
    """A page of work orders (status, priority, rn_contains, rns, sort, limit, offset)."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        return page_of(work_order_repo.list_work_orders(session, organisation_id=org_id, **filters), WorkOrderView.of)


def product_labels(db: Db, *, user: Any) -> dict[int, str]:
    """Product id -> "KPL name" of the organisation's products."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        return {i: f"{p.kpl} {p.name}".strip() for i, p in product_repo.products(session, organisation_id=org_id).items()}


def save_work_order(db: Db, *, user: Any, work_order_id: int | None = None, kpl: str = "",
                    product_name: str = "", **fields: Any) -> int:
    """Create (``work_order_id`` None) or update a work order; ``kpl`` picks or creates a
    product. Returns its id.

    Raises:
        InputError: a bad value (quantity, priority, status …). DuplicateName: ``rn`` taken.
        NotFound: an unknown ``work_order_id``.
    """
    with unit_of_work(db) as session, as_input_error():
        _, org_id = acting_member(session, user, write=True)
        if kpl.strip():
            fields["product_id"] = product_repo.product_id(session, organisation_id=org_id, kpl=kpl, name=product_name)
        if work_order_id is None:
            return work_order_repo.create_work_order(session, organisation_id=org_id, **fields).id
        return work_order_repo.update_work_order(session, organisation_id=org_id, work_order_id=work_order_id, **fields).id


def delete_work_order(db: Db, *, user: Any, work_order_id: int) -> bool:
    """Delete a work order and its operations; ``False`` when there was none."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        return work_order_repo.delete_work_order(session, organisation_id=org_id, work_order_id=work_order_id)


def operations_of(db: Db, *, user: Any, work_order_id: int) -> list[OperationView]:
    """The operations of one work order in sequence, with their work center codes."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        codes = {w.id: w.code for w in work_center_repo.list_work_centers(session, organisation_id=org_id)}
        return [
            OperationView(
                id=o.id, sequence=o.sequence, name=o.name, work_center=codes.get(o.work_center_id, ""),
                norma=o.norma, quantity=o.quantity, quantity_completed=o.quantity_completed, status=o.status,
                planned_start=o.planned_start, planned_end=o.planned_end,
            )
            for o in operation_repo.list_operations(session, organisation_id=org_id, work_order_id=work_order_id)
        ]


def list_work_centers(db: Db, *, user: Any) -> list[WorkCenterView]:
    """The organisation's work centers by code."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        cats = work_center_repo.category_names(session, organisation_id=org_id)
        return [WorkCenterView.of(w, cats.get(w.category_id, ""))
                for w in work_center_repo.list_work_centers(session, organisation_id=org_id)]


def update_work_center(db: Db, *, user: Any, code: str, **fields: Any) -> None:
    """Change a work center (``shifts``/``working_days`` as lists or strings, ``status``,
    ``is_active``, ``capacity_hours_per_day`` …).

    Raises:
        InputError: no shift or an unknown one. NotFound: no such work center.
    """
    if isinstance(fields.get("shifts"), list | tuple | set | frozenset):
        bad = [s for s in fields["shifts"] if s not in SHIFT_NAMES]
        if bad or not fields["shifts"]:
            raise InputError(Problem(f"shifts must be some of {', '.join(SHIFT_NAMES)}"))
        fields["shifts"] = ",".join(sorted(fields["shifts"]))
    if isinstance(fields.get("working_days"), list | tuple | set | frozenset):
        fields["working_days"] = ",".join(str(int(d)) for d in sorted(fields["working_days"]))
    with unit_of_work(db) as session, as_input_error():
        _, org_id = acting_member(session, user, write=True)
        wc = _work_center(session, org_id, code)
        work_center_repo.update_work_center(session, organisation_id=org_id, work_center_id=wc.id, **fields)


def calendar_exceptions(db: Db, *, user: Any, code: str | None = None) -> list[dict[str, Any]]:
    """Calendar exceptions (of one work center if ``code``): dicts with ``id``,
    ``work_center``, ``date``, ``shift``, ``working``, ``note``."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        wcs = {w.id: w.code for w in work_center_repo.list_work_centers(session, organisation_id=org_id)}
        wc_id = _work_center(session, org_id, code).id if code else None
        return [
            {"id": x.id, "work_center": wcs[x.work_center_id], "date": x.day, "shift": x.shift,
             "working": x.working, "note": x.note}
            for x in work_center_repo.list_calendar_exceptions(session, organisation_id=org_id, work_center_id=wc_id)
        ]


def downtimes(db: Db, *, user: Any) -> list[dict[str, Any]]:
    """Recorded downtime: dicts with ``id``, ``work_center``, ``start``, ``end``, ``reason``."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        wcs = {w.id: w.code for w in work_center_repo.list_work_centers(session, organisation_id=org_id)}
        return [
            {"id": d.id, "work_center": wcs[d.work_center_id], "start": d.start_at, "end": d.end_at, "reason": d.reason}
            for d in work_center_repo.list_downtimes(session, organisation_id=org_id)
        ]


def plant_time_zone(db: Db, *, user: Any) -> tuple[str, bool]:
    """The plant's IANA time zone and whether the plant names it itself (else it is the
    deployment's ``PSS_TIMEZONE``, or UTC)."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        plant = organisation_repo.main_plant(session, organisation_id=org_id)
        return plant_zone(session, org_id), bool(plant is not None and plant.time_zone)


def set_plant_time_zone(db: Db, *, user: Any, time_zone: str) -> None:
    """Set the plant's IANA time zone (shifts are wall-clock times there; plans made after
    this use it). Raises ``InputError`` for a name that is no IANA zone, ``PermissionDenied``
    for a viewer."""
    problem = zone_problem(time_zone)
    if problem is not None:
        raise InputError(problem)
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        organisation_repo.set_plant_time_zone(session, organisation_id=org_id, time_zone=time_zone)


def add_member(db: Db, *, user: Any, username: str) -> None:
    """Share the acting admin's shop: move ``username`` into the admin's organisation.

    Raises:
        PermissionDenied: not an admin (moving a user changes which shop they see).
        NotFound: no such user.
    """
    with unit_of_work(db) as session:
        acting = acting_user(session, user, write=True)
        if acting.role != Role.ADMIN.value:
            raise PermissionDenied("only an admin can add members to an organisation")
        _, org_id = acting_member(session, user, write=True)
        target = user_repo.get_user_by_username(session, username=username)
        if target is None:
            raise NotFound(f"user '{username}' not found")
        organisation_repo.add_member(session, organisation_id=org_id, user_id=target.id)
