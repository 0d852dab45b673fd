"""Products and product types of an organisation: looked up (and created) by code, listed,
created, changed and deleted.

A product is identified by its ``kpl`` code within the organisation, a product type by its
``type_code``; a product created on the fly gets the organisation's general type ``GEN``
(created when missing). Deleting a product leaves its work orders without a product;
deleting a type leaves its products without a type (the foreign keys set ``NULL``).
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.db.repos.base import FIXED_FIELDS, NotFound, flush_unique, set_fields
from webapp.db.shop_models import Product, ProductType, ShopWorkOrder


def product_id(session: Session, *, organisation_id: int, kpl: str, name: str = "") -> int | None:
    """The id of product ``kpl`` (created, with a default type, when missing).

    ``kpl`` is stripped and cut to 64 characters, ``name`` (used only when creating) to
    200. Returns the id, or ``None`` for a blank ``kpl``. Raises nothing.
    """
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
    """Returns the organisation's products keyed by id (``{}`` if none). Raises nothing."""
    stmt = select(Product).where(Product.organisation_id == organisation_id)
    return {p.id: p for p in session.exec(stmt).all()}


def rename_product(session: Session, *, organisation_id: int, product_id: int, name: str) -> bool:
    """Set the name (cut to 200 characters) of one of the organisation's products.

    Returns ``False`` if the product is missing or another organisation's, else ``True``.
    Raises nothing.
    """
    row = session.get(Product, product_id)
    if row is None or row.organisation_id != organisation_id:
        return False
    row.name = name[:200]
    session.add(row)
    session.flush()
    return True


def list_products(session: Session, *, organisation_id: int) -> list[Product]:
    """Returns the organisation's products by ``kpl``. Raises nothing."""
    stmt = select(Product).where(Product.organisation_id == organisation_id).order_by(col(Product.kpl))
    return list(session.exec(stmt).all())


def _require(session: Session, table: type, organisation_id: int, row_id: int, what: str) -> Any:
    row = session.exec(select(table).where(table.organisation_id == organisation_id, table.id == row_id)).first()
    if row is None:
        raise NotFound(f"{what} {row_id} not found")
    return row


def create_product(session: Session, *, organisation_id: int, kpl: str, **fields: Any) -> Product:
    """Insert product ``kpl``; ``fields`` set other columns (``name``, ``type_id``, ``is_active``).

    Returns the new :class:`Product`. Raises :class:`NotFound` for another organisation's
    ``type_id``, ``ValueError`` for an unknown or read-only field and :class:`DuplicateName`
    if the organisation already has ``kpl``.
    """
    if fields.get("type_id") is not None:
        _require(session, ProductType, organisation_id, fields["type_id"], "product type")
    row = Product(organisation_id=organisation_id, kpl=kpl)
    set_fields(row, fields, FIXED_FIELDS | {"kpl"})
    session.add(row)
    flush_unique(session, f"product '{kpl}'")
    return row


def update_product(session: Session, *, organisation_id: int, product_id: int, **fields: Any) -> Product:
    """Set columns of one of the organisation's products (``kpl`` included).

    Returns the :class:`Product`. Raises :class:`NotFound` if it (or a new ``type_id``) is
    missing or another organisation's, ``ValueError`` for an unknown or read-only field and
    :class:`DuplicateName` if a new ``kpl`` is taken.
    """
    row = _require(session, Product, organisation_id, product_id, "product")
    if fields.get("type_id") is not None:
        _require(session, ProductType, organisation_id, fields["type_id"], "product type")
    set_fields(row, fields, FIXED_FIELDS)
    session.add(row)
    flush_unique(session, f"product '{row.kpl}'")
    return row


def work_orders_of_product(session: Session, *, organisation_id: int, product_id: int) -> list[str]:
    """Returns the numbers (``rn``) of the organisation's work orders of a product. Raises
    nothing."""
    stmt = select(ShopWorkOrder.rn).where(
        ShopWorkOrder.organisation_id == organisation_id, ShopWorkOrder.product_id == product_id
    ).order_by(col(ShopWorkOrder.rn))
    return list(session.exec(stmt).all())


def delete_product(session: Session, *, organisation_id: int, product_id: int) -> bool:
    """Delete one of the organisation's products (its work orders keep no product).

    Returns ``False`` if it is missing or another organisation's, else ``True``. Raises
    nothing.
    """
    session.exec(sa.update(ShopWorkOrder).where(
        ShopWorkOrder.organisation_id == organisation_id, ShopWorkOrder.product_id == product_id
    ).values(product_id=None))
    result = session.exec(sa.delete(Product).where(
        Product.organisation_id == organisation_id, Product.id == product_id))
    return result.rowcount == 1


def list_product_types(session: Session, *, organisation_id: int) -> list[ProductType]:
    """Returns the organisation's product types by sort order and code. Raises nothing."""
    stmt = select(ProductType).where(ProductType.organisation_id == organisation_id).order_by(
        col(ProductType.sort_order), col(ProductType.type_code))
    return list(session.exec(stmt).all())


def create_product_type(session: Session, *, organisation_id: int, type_code: str, **fields: Any) -> ProductType:
    """Insert product type ``type_code``; ``fields`` set other columns (``type_name``,
    ``description``, ``sort_order``).

    Returns the new :class:`ProductType`. Raises ``ValueError`` for an unknown or read-only
    field and :class:`DuplicateName` if the organisation already has ``type_code``.
    """
    row = ProductType(organisation_id=organisation_id, type_code=type_code)
    set_fields(row, fields, FIXED_FIELDS | {"type_code"})
    session.add(row)
    flush_unique(session, f"product type '{type_code}'")
    return row


def update_product_type(session: Session, *, organisation_id: int, type_id: int, **fields: Any) -> ProductType:
    """Set columns of one of the organisation's product types (``type_code`` included).

    Returns the :class:`ProductType`. Raises :class:`NotFound` if it is missing or another
    organisation's, ``ValueError`` for an unknown or read-only field and
    :class:`DuplicateName` if a new code is taken.
    """
    row = _require(session, ProductType, organisation_id, type_id, "product type")
    set_fields(row, fields, FIXED_FIELDS)
    session.add(row)
    flush_unique(session, f"product type '{row.type_code}'")
    return row


def products_of_type(session: Session, *, organisation_id: int, type_id: int) -> list[str]:
    """Returns the ``kpl`` codes of the organisation's products of a type. Raises nothing."""
    stmt = select(Product.kpl).where(Product.organisation_id == organisation_id, Product.type_id == type_id)
    return list(session.exec(stmt.order_by(col(Product.kpl))).all())


def delete_product_type(session: Session, *, organisation_id: int, type_id: int) -> bool:
    """Delete one of the organisation's product types (its products keep no type).

    Returns ``False`` if it is missing or another organisation's, else ``True``. Raises
    nothing.
    """
    session.exec(sa.update(Product).where(
        Product.organisation_id == organisation_id, Product.type_id == type_id).values(type_id=None))
    result = session.exec(sa.delete(ProductType).where(
        ProductType.organisation_id == organisation_id, ProductType.id == type_id))
    return result.rowcount == 1
