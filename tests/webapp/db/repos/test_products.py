"""Product repository on SQLite and Postgres: products found or created by code, per
organisation, with the general product type."""

from __future__ import annotations

import sqlalchemy as sa

from webapp.db.engine import session_scope
from webapp.db.repos import products as product_repo
from webapp.db.shop_models import ProductType


def test_product_id_creates_once_per_organisation(engine, orgs):
    a, b = orgs
    with session_scope(engine) as s:
        assert product_repo.product_id(s, organisation_id=a, kpl="  ") is None
        p1 = product_repo.product_id(s, organisation_id=a, kpl=" KPL-1 ", name="Gear")
        assert product_repo.product_id(s, organisation_id=a, kpl="KPL-1", name="ignored") == p1
        p2 = product_repo.product_id(s, organisation_id=a, kpl="KPL-2")
        other = product_repo.product_id(s, organisation_id=b, kpl="KPL-1")
    assert len({p1, p2, other}) == 3
    with session_scope(engine) as s:
        mine = product_repo.products(s, organisation_id=a)
        assert sorted(mine) == sorted([p1, p2])
        assert (mine[p1].kpl, mine[p1].name) == ("KPL-1", "Gear")
        assert list(product_repo.products(s, organisation_id=b)) == [other]
        types = s.exec(sa.select(ProductType.organisation_id, ProductType.type_code)).all()
        assert sorted(tuple(t) for t in types) == sorted([(a, "GEN"), (b, "GEN")])
        assert {p.type_id for p in mine.values()} == {
            s.exec(sa.select(ProductType.id).where(ProductType.organisation_id == a)).one()[0]
        }


def test_products_of_empty_organisation(engine, orgs):
    a, _ = orgs
    with session_scope(engine) as s:
        assert product_repo.products(s, organisation_id=a) == {}


def test_rename_product_only_in_its_organisation(engine, orgs):
    a, b = orgs
    with session_scope(engine) as s:
        p = product_repo.product_id(s, organisation_id=a, kpl="K", name="old")
        assert not product_repo.rename_product(s, organisation_id=b, product_id=p, name="theirs")
        assert not product_repo.rename_product(s, organisation_id=a, product_id=p + 999, name="missing")
        assert product_repo.rename_product(s, organisation_id=a, product_id=p, name="Vratilo " * 40)
    with session_scope(engine) as s:
        assert product_repo.products(s, organisation_id=a)[p].name == ("Vratilo " * 40)[:200]


def test_products_and_types_are_changed_and_deleted_per_organisation(engine, orgs):
    import pytest

    from webapp.db.repos import work_orders as work_order_repo
    from webapp.db.repos.base import DuplicateName, NotFound

    a, b = orgs
    with session_scope(engine) as s:
        t = product_repo.create_product_type(s, organisation_id=a, type_code="T1", type_name="Gears").id
        p = product_repo.create_product(s, organisation_id=a, kpl="K1", type_id=t).id
        work_order_repo.create_work_order(s, organisation_id=a, rn="R1", product_id=p)
    with session_scope(engine) as s:
        assert product_repo.products_of_type(s, organisation_id=a, type_id=t) == ["K1"]
        assert product_repo.products_of_type(s, organisation_id=b, type_id=t) == []
        assert product_repo.work_orders_of_product(s, organisation_id=a, product_id=p) == ["R1"]
        with pytest.raises(NotFound):
            product_repo.update_product(s, organisation_id=b, product_id=p, name="x")
        with pytest.raises(NotFound):
            product_repo.create_product(s, organisation_id=b, kpl="K9", type_id=t)
        with pytest.raises(NotFound):
            product_repo.update_product_type(s, organisation_id=b, type_id=t, type_name="x")
        assert not product_repo.delete_product(s, organisation_id=b, product_id=p)
        assert not product_repo.delete_product_type(s, organisation_id=b, type_id=t)
    with pytest.raises(DuplicateName), session_scope(engine) as s:
        product_repo.create_product_type(s, organisation_id=a, type_code="T1")
    with session_scope(engine) as s:
        assert product_repo.update_product(s, organisation_id=a, product_id=p, name="Gear 20").name == "Gear 20"
        assert product_repo.delete_product_type(s, organisation_id=a, type_id=t)
        assert product_repo.list_products(s, organisation_id=a)[0].type_id is None
        assert product_repo.delete_product(s, organisation_id=a, product_id=p)
        assert work_order_repo.get_work_order(s, organisation_id=a, rn="R1").product_id is None
