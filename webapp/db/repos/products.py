"""Products and product types of an organisation, looked up (and created) by code.

A product is identified by its ``kpl`` code within the organisation; a product created on
the fly gets the organisation's general type ``GEN`` (created when missing).
"""

from __future__ import annotations

from sqlmodel import Session, select

from webapp.db.shop_models import Product, ProductType


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
