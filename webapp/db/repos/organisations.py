"""Organisations: who belongs to which shop, its plants (listed, created, changed,
deleted), and wiping its shop data.

An organisation is the boundary of the shop data: every shop repository takes the acting
user's ``organisation_id`` (resolved by the service layer from ``user_organisations``)
and treats another organisation's rows as missing. A user belongs to one organisation; a
new organisation gets a ``MAIN`` plant.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.db.repos.base import FIXED_FIELDS, NotFound, flush_unique, set_fields
from webapp.db.shop_models import (
    CalendarException,
    Organisation,
    Plant,
    Product,
    ProductType,
    ShopChangeSet,
    ShopDowntime,
    ShopOperation,
    ShopPin,
    ShopPlan,
    ShopScenario,
    ShopWorkCenter,
    ShopWorkOrder,
    UserOrganisation,
    WorkCenterCategory,
)


def get_membership(session: Session, *, user_id: int) -> UserOrganisation | None:
    """Returns ``user_id``'s membership row (organisation and role), or ``None`` if the
    user belongs to no organisation. Raises nothing."""
    return session.exec(select(UserOrganisation).where(UserOrganisation.user_id == user_id)).first()


def organisation_of(session: Session, *, user_id: int) -> Organisation | None:
    """Returns ``user_id``'s :class:`Organisation`, or ``None`` if they have none.
    Raises nothing."""
    link = get_membership(session, user_id=user_id)
    return session.get(Organisation, link.organisation_id) if link is not None else None


def create_organisation(session: Session, *, code: str, name: str) -> Organisation:
    """Insert an organisation (``code`` cut to 64, ``name`` to 200 characters) with its
    ``MAIN`` plant.

    Returns the new :class:`Organisation`. Raises :class:`DuplicateName` if the code is
    taken.
    """
    org = Organisation(code=code[:64], name=name[:200])
    session.add(org)
    flush_unique(session, f"organisation '{code}'")
    session.add(Plant(organisation_id=org.id, code="MAIN", name="Main plant"))
    session.flush()
    return org


def add_member(session: Session, *, organisation_id: int, user_id: int, role: str = "member") -> UserOrganisation:
    """Put ``user_id`` into the organisation (a user belongs to one organisation).

    A user already in an organisation moves (with the new ``role``). Returns the
    membership row. Raises :class:`NotFound` if the organisation does not exist.
    """
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
    """The user's organisation; a user without one gets a new personal organisation.

    The personal organisation (code ``u<id>-<username>``) has the user as ``owner``.
    Returns the :class:`Organisation`. Raises :class:`DuplicateName` if the personal code
    is taken by another organisation.
    """
    org = organisation_of(session, user_id=user_id)
    if org is not None:
        return org
    org = create_organisation(session, code=f"u{user_id}-{username}", name=f"{username}'s shop")
    add_member(session, organisation_id=org.id, user_id=user_id, role="owner")
    return org


def main_plant(session: Session, *, organisation_id: int) -> Plant | None:
    """Returns the organisation's first plant (the ``MAIN`` one it was created with), or
    ``None`` if it has none. Raises nothing."""
    stmt = select(Plant).where(Plant.organisation_id == organisation_id).order_by(col(Plant.id))
    return session.exec(stmt).first()


def set_plant_time_zone(session: Session, *, organisation_id: int, time_zone: str | None) -> Plant:
    """Set the IANA time zone of the organisation's main plant (``None``: the deployment's).

    Returns the :class:`Plant`. Raises :class:`NotFound` if the organisation has no plant.
    The name is not checked here (the service checks it against the zone database).
    """
    plant = main_plant(session, organisation_id=organisation_id)
    if plant is None:
        raise NotFound(f"organisation {organisation_id} has no plant")
    plant.time_zone = time_zone
    session.add(plant)
    session.flush()
    return plant


#: What a cleared shop loses: the shop data, child tables first.
_SHOP_DATA = (ShopPin, ShopOperation, ShopWorkOrder, Product, ProductType, CalendarException, ShopDowntime,
              ShopWorkCenter, WorkCenterCategory)
#: What ``clear_shop(with_plans=True)`` loses as well (every member's), referring tables first.
_PLANNING = (ShopChangeSet, ShopScenario, ShopPlan)


def clear_shop(session: Session, *, organisation_id: int, with_plans: bool = False) -> None:
    """Delete the organisation's shop data (never its plant or members).

    Work orders, operations and their pins, products and their types, work centers, their
    categories, calendar exceptions and downtime go. The plans stay but none is current any
    more; with ``with_plans`` every member's plans, what-if scenarios and accepted change
    sets go too. Runs inside the caller's transaction. Returns ``None``. Raises nothing.
    """
    for table in (*(_PLANNING if with_plans else ()), *_SHOP_DATA):
        session.exec(sa.delete(table).where(table.organisation_id == organisation_id))
    session.exec(
        sa.update(ShopPlan).where(ShopPlan.organisation_id == organisation_id).values(is_current=False)
    )
    session.flush()


def shop_counts(session: Session, *, organisation_id: int) -> dict[str, int]:
    """Rows of the organisation's shop per kind: ``work_orders``, ``operations``,
    ``work_centers``, ``products``, ``pins``, ``downtime``, ``calendar_exceptions``,
    ``plans``, ``scenarios``, ``change_sets`` (every member's). Raises nothing."""
    tables = {"work_orders": ShopWorkOrder, "operations": ShopOperation, "work_centers": ShopWorkCenter,
              "products": Product, "pins": ShopPin, "downtime": ShopDowntime,
              "calendar_exceptions": CalendarException, "plans": ShopPlan, "scenarios": ShopScenario,
              "change_sets": ShopChangeSet}
    return {
        name: int(session.exec(
            select(sa.func.count()).select_from(table).where(table.organisation_id == organisation_id)
        ).one())
        for name, table in tables.items()
    }


def list_plants(session: Session, *, organisation_id: int) -> list[Plant]:
    """Returns the organisation's plants, the main one (the first) first. Raises nothing."""
    stmt = select(Plant).where(Plant.organisation_id == organisation_id).order_by(col(Plant.id))
    return list(session.exec(stmt).all())


def _plant(session: Session, organisation_id: int, plant_id: int) -> Plant:
    row = session.exec(select(Plant).where(Plant.organisation_id == organisation_id, Plant.id == plant_id)).first()
    if row is None:
        raise NotFound(f"plant {plant_id} not found")
    return row


def create_plant(session: Session, *, organisation_id: int, code: str, **fields: Any) -> Plant:
    """Insert plant ``code``; ``fields`` set ``name``, ``location``, ``time_zone``, ``is_active``.

    Returns the new :class:`Plant`. Raises ``ValueError`` for an unknown or read-only field
    and :class:`DuplicateName` if the organisation already has ``code``.
    """
    row = Plant(organisation_id=organisation_id, code=code, name=fields.pop("name", code))
    set_fields(row, fields, FIXED_FIELDS | {"code"})
    session.add(row)
    flush_unique(session, f"plant '{code}'")
    return row


def update_plant(session: Session, *, organisation_id: int, plant_id: int, **fields: Any) -> Plant:
    """Set columns of one of the organisation's plants (``code`` included).

    Returns the :class:`Plant`. Raises :class:`NotFound` if it is missing or another
    organisation's, ``ValueError`` for an unknown or read-only field and
    :class:`DuplicateName` if a new code is taken.
    """
    row = _plant(session, organisation_id, plant_id)
    set_fields(row, fields, FIXED_FIELDS)
    session.add(row)
    flush_unique(session, f"plant '{row.code}'")
    return row


def work_centers_of_plant(session: Session, *, organisation_id: int, plant_id: int) -> list[str]:
    """Returns the codes of the organisation's work centers in a plant. Raises nothing."""
    stmt = select(ShopWorkCenter.code).where(
        ShopWorkCenter.organisation_id == organisation_id, ShopWorkCenter.plant_id == plant_id)
    return list(session.exec(stmt.order_by(col(ShopWorkCenter.code))).all())


def delete_plant(session: Session, *, organisation_id: int, plant_id: int) -> bool:
    """Delete one of the organisation's plants (its work centers keep no plant).

    Returns ``False`` if it is missing or another organisation's, else ``True``. Raises
    nothing (the service refuses deleting the main plant).
    """
    session.exec(sa.update(ShopWorkCenter).where(
        ShopWorkCenter.organisation_id == organisation_id, ShopWorkCenter.plant_id == plant_id
    ).values(plant_id=None))
    result = session.exec(sa.delete(Plant).where(Plant.organisation_id == organisation_id, Plant.id == plant_id))
    return result.rowcount == 1
