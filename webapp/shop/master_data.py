"""Plants, product types and products as master data: list, create, change and delete them
(written at once), and say what a deletion takes with it before it is done.

A deletion never leaves a dangling reference: deleting a plant leaves its work centers
without a plant (the main plant — the first, whose time zone plans use — cannot be deleted);
deleting a product type leaves its products without a type; deleting a product leaves its
work orders without a product (their setups then count as a change of product). Codes are
checked (1..64 characters, unique per organisation) before anything is written.
"""

from __future__ import annotations

from typing import Any

from webapp.access import acting_member
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import organisations as organisation_repo
from webapp.db.repos import products as product_repo
from webapp.errors import InputError, NotFound, Problem
from webapp.shop.catalog import as_input_error
from webapp.views import DeletionImpact, PlantView, ProductTypeView, ProductView


def _checked(code: str, name: str, code_column: str, *, sort_order: Any = 0) -> None:
    problems = []
    if not (code or "").strip():
        problems.append(Problem("a code is required", column=code_column))
    elif len(code.strip()) > 64:
        problems.append(Problem("at most 64 characters", column=code_column))
    if len(name or "") > 200:
        problems.append(Problem("at most 200 characters", column="name"))
    if sort_order is None or float(sort_order) != int(float(sort_order)):
        problems.append(Problem("the sort order must be a whole number", column="sort order"))
    if problems:
        raise InputError(problems)


def _listing(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


# ------------------------------------------------------------------ plants


def list_plants(db: Db, *, user: Any) -> list[PlantView]:
    """The organisation's plants, the main one first."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        plants = organisation_repo.list_plants(session, organisation_id=org_id)
        return [PlantView.of(p, main=k == 0) for k, p in enumerate(plants)]


def save_plant(db: Db, *, user: Any, plant_id: int | None = None, code: str, name: str = "",
               location: str = "", is_active: bool = True) -> int:
    """Create (``plant_id`` None) or change a plant; returns its id.

    Raises:
        InputError: a blank or too long code or name. DuplicateName: the code is taken.
        NotFound: an unknown ``plant_id``. PermissionDenied: a read-only user.
    """
    _checked(code, name, "code")
    fields = {"name": (name or code).strip()[:200], "location": (location or "")[:500], "is_active": bool(is_active)}
    with unit_of_work(db) as session, as_input_error():
        _, org_id = acting_member(session, user, write=True)
        if plant_id is None:
            return organisation_repo.create_plant(session, organisation_id=org_id, code=code.strip(), **fields).id
        return organisation_repo.update_plant(session, organisation_id=org_id, plant_id=plant_id,
                                              code=code.strip(), **fields).id


def _plant_usage(session, org_id: int, plant_id: int) -> tuple[PlantView, list[str]]:
    plants = organisation_repo.list_plants(session, organisation_id=org_id)
    plant = next((PlantView.of(p, main=k == 0) for k, p in enumerate(plants) if p.id == plant_id), None)
    if plant is None:
        raise NotFound(f"plant {plant_id} not found")
    return plant, organisation_repo.work_centers_of_plant(session, organisation_id=org_id, plant_id=plant_id)


_MAIN_PLANT = "plant {code} is the main plant (its time zone is the plans'); it cannot be deleted"


def plant_impact(db: Db, *, user: Any, plant_id: int) -> DeletionImpact:
    """What deleting a plant does, e.g. ``plant P2: 3 work centers lose their plant (A, B,
    C)``, or why it cannot be deleted. Raises ``NotFound``."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        plant, wcs = _plant_usage(session, org_id, plant_id)
        if plant.main:
            return DeletionImpact(_MAIN_PLANT.format(code=plant.code), possible=False)
        return DeletionImpact(f"plant {plant.code}: {len(wcs)} work centers lose their plant"
                              + (f" ({_listing(wcs)})" if wcs else ""))


def delete_plant(db: Db, *, user: Any, plant_id: int) -> None:
    """Delete a plant; its work centers keep no plant.

    Raises:
        InputError: it is the main plant. NotFound: no such plant. PermissionDenied.
    """
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        plant, _ = _plant_usage(session, org_id, plant_id)
        if plant.main:
            raise InputError(Problem(_MAIN_PLANT.format(code=plant.code)))
        organisation_repo.delete_plant(session, organisation_id=org_id, plant_id=plant_id)


# ------------------------------------------------------------------ product types


def list_product_types(db: Db, *, user: Any) -> list[ProductTypeView]:
    """The organisation's product types by sort order and code."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        return [ProductTypeView.of(t) for t in product_repo.list_product_types(session, organisation_id=org_id)]


def save_product_type(db: Db, *, user: Any, type_id: int | None = None, type_code: str, type_name: str = "",
                      description: str = "", sort_order: int = 0) -> int:
    """Create (``type_id`` None) or change a product type; returns its id.

    Raises:
        InputError: a blank or too long code or name, a sort order that is no whole number.
        DuplicateName: the code is taken. NotFound: an unknown ``type_id``. PermissionDenied.
    """
    _checked(type_code, type_name, "type code", sort_order=sort_order)
    fields = {"type_name": (type_name or "").strip(), "description": description or "",
              "sort_order": int(float(sort_order))}
    with unit_of_work(db) as session, as_input_error():
        _, org_id = acting_member(session, user, write=True)
        if type_id is None:
            return product_repo.create_product_type(session, organisation_id=org_id, type_code=type_code.strip(),
                                                    **fields).id
        return product_repo.update_product_type(session, organisation_id=org_id, type_id=type_id,
                                                type_code=type_code.strip(), **fields).id


def _type_code(session, org_id: int, type_id: int) -> str:
    code = next((t.type_code for t in product_repo.list_product_types(session, organisation_id=org_id)
                 if t.id == type_id), None)
    if code is None:
        raise NotFound(f"product type {type_id} not found")
    return code


def product_type_impact(db: Db, *, user: Any, type_id: int) -> DeletionImpact:
    """What deleting a product type does, e.g. ``product type GEN: 4 products lose their
    type (…)``. Raises ``NotFound``."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        code = _type_code(session, org_id, type_id)
        kpls = product_repo.products_of_type(session, organisation_id=org_id, type_id=type_id)
        return DeletionImpact(f"product type {code}: {len(kpls)} products lose their type"
                              + (f" ({_listing(kpls)})" if kpls else ""))


def delete_product_type(db: Db, *, user: Any, type_id: int) -> None:
    """Delete a product type; its products keep no type. Raises ``NotFound``,
    ``PermissionDenied``."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        _type_code(session, org_id, type_id)
        product_repo.delete_product_type(session, organisation_id=org_id, type_id=type_id)


# ------------------------------------------------------------------ products


def list_products(db: Db, *, user: Any) -> list[ProductView]:
    """The organisation's products by code, with their type's code."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        types = {t.id: t.type_code for t in product_repo.list_product_types(session, organisation_id=org_id)}
        return [ProductView.of(p, types.get(p.type_id, ""))
                for p in product_repo.list_products(session, organisation_id=org_id)]


def save_product(db: Db, *, user: Any, product_id: int | None = None, kpl: str, name: str = "",
                 type_code: str = "", is_active: bool = True) -> int:
    """Create (``product_id`` None) or change a product (``type_code``: one of the
    organisation's product types, "" for none); returns its id.

    Raises:
        InputError: a blank or too long code or name, an unknown product type.
        DuplicateName: the code is taken. NotFound: an unknown ``product_id``. PermissionDenied.
    """
    _checked(kpl, name, "product code")
    with unit_of_work(db) as session, as_input_error():
        _, org_id = acting_member(session, user, write=True)
        types = {t.type_code: t.id for t in product_repo.list_product_types(session, organisation_id=org_id)}
        if type_code and type_code not in types:
            raise InputError(Problem(f"unknown product type '{type_code}'", column="type"))
        fields = {"name": (name or "").strip(), "type_id": types.get(type_code), "is_active": bool(is_active)}
        if product_id is None:
            return product_repo.create_product(session, organisation_id=org_id, kpl=kpl.strip(), **fields).id
        return product_repo.update_product(session, organisation_id=org_id, product_id=product_id, kpl=kpl.strip(),
                                           **fields).id


def _product_usage(session, org_id: int, product_id: int) -> tuple[str, list[str]]:
    product = product_repo.products(session, organisation_id=org_id).get(product_id)
    if product is None:
        raise NotFound(f"product {product_id} not found")
    return product.kpl, product_repo.work_orders_of_product(session, organisation_id=org_id, product_id=product_id)


def product_impact(db: Db, *, user: Any, product_id: int) -> DeletionImpact:
    """What deleting a product does, e.g. ``product KPL-1: 2 work orders lose their product
    (RN-1, RN-2)``. Raises ``NotFound``."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        kpl, rns = _product_usage(session, org_id, product_id)
        return DeletionImpact(f"product {kpl}: {len(rns)} work orders lose their product"
                              + (f" ({_listing(rns)})" if rns else ""))


def delete_product(db: Db, *, user: Any, product_id: int) -> None:
    """Delete a product; its work orders keep no product. Raises ``NotFound``,
    ``PermissionDenied``."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        _product_usage(session, org_id, product_id)
        product_repo.delete_product(session, organisation_id=org_id, product_id=product_id)
