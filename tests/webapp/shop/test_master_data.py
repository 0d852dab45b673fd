"""Plants, product types and products: create, change, delete (with what goes with it said
first); the main plant cannot be deleted; another organisation cannot see or touch them."""

from __future__ import annotations

import pytest

from webapp.errors import DuplicateName, InputError, NotFound, PermissionDenied
from webapp.shop import catalog as shop_catalog
from webapp.shop import master_data as md
from webapp.shop import work_centers as shop_work_centers
from webapp.views import DeletionImpact


def test_plants(engine, alice):
    (main,) = md.list_plants(engine, user=alice)
    assert main.main and main.code == "MAIN"
    pid = md.save_plant(engine, user=alice, code="P2", name="Second", location="Split")
    md.save_plant(engine, user=alice, plant_id=pid, code="P2B", name="Second plant", location="Split", is_active=False)
    second = md.list_plants(engine, user=alice)[1]
    assert (second.code, second.name, second.location, second.is_active, second.main) == (
        "P2B", "Second plant", "Split", False, False)
    assert md.plant_impact(engine, user=alice, plant_id=pid) == DeletionImpact("plant P2B: 0 work centers lose their plant")
    refused = md.plant_impact(engine, user=alice, plant_id=main.id)
    assert not refused.possible and "cannot be deleted" in refused.text
    with pytest.raises(InputError, match="main plant"):
        md.delete_plant(engine, user=alice, plant_id=main.id)
    with pytest.raises(DuplicateName):
        md.save_plant(engine, user=alice, code="MAIN")
    with pytest.raises(InputError) as caught:
        md.save_plant(engine, user=alice, code="", name="x" * 201)
    assert [p.column for p in caught.value.problems] == ["code", "name"]
    md.delete_plant(engine, user=alice, plant_id=pid)
    assert [p.code for p in md.list_plants(engine, user=alice)] == ["MAIN"]


def test_a_deleted_plant_leaves_its_work_centers_without_one(engine, alice):
    import sqlalchemy as sa

    from webapp.db.engine import session_scope
    from webapp.db.shop_models import ShopWorkCenter

    wid = shop_work_centers.create_work_center(engine, user=alice, code="WC")
    pid = md.save_plant(engine, user=alice, code="P2")
    with session_scope(engine) as s:
        s.exec(sa.update(ShopWorkCenter).where(ShopWorkCenter.id == wid).values(plant_id=pid))
    assert md.plant_impact(engine, user=alice, plant_id=pid).text == "plant P2: 1 work centers lose their plant (WC)"
    md.delete_plant(engine, user=alice, plant_id=pid)
    with session_scope(engine) as s:
        assert s.get(ShopWorkCenter, wid).plant_id is None


def test_product_types_and_products(engine, alice):
    tid = md.save_product_type(engine, user=alice, type_code="SHAFT", type_name="Shafts", sort_order=2)
    pid = md.save_product(engine, user=alice, kpl="K-1", name="Shaft 20", type_code="SHAFT")
    wo = shop_catalog.save_work_order(engine, user=alice, rn="R-1", quantity=1, kpl="K-1")
    assert [(p.kpl, p.name, p.type_code) for p in md.list_products(engine, user=alice)] == [("K-1", "Shaft 20", "SHAFT")]
    md.save_product(engine, user=alice, product_id=pid, kpl="K-1A", name="Shaft 22", type_code="", is_active=False)
    assert [(p.kpl, p.type_code, p.is_active) for p in md.list_products(engine, user=alice)] == [("K-1A", "", False)]
    md.save_product(engine, user=alice, product_id=pid, kpl="K-1A", name="Shaft 22", type_code="SHAFT")
    with pytest.raises(InputError, match="unknown product type 'NOPE'"):
        md.save_product(engine, user=alice, kpl="K-2", type_code="NOPE")
    md.save_product_type(engine, user=alice, type_id=tid, type_code="SH", type_name="Shafts", sort_order=1)
    assert [(t.type_code, t.sort_order) for t in md.list_product_types(engine, user=alice)] == [("SH", 1)]
    assert md.product_type_impact(engine, user=alice, type_id=tid) == DeletionImpact(
        "product type SH: 1 products lose their type (K-1A)")
    assert md.product_impact(engine, user=alice, product_id=pid) == DeletionImpact(
        "product K-1A: 1 work orders lose their product (R-1)")
    with pytest.raises(InputError, match="whole number"):
        md.save_product_type(engine, user=alice, type_code="X", sort_order=1.5)
    md.delete_product_type(engine, user=alice, type_id=tid)
    assert md.list_products(engine, user=alice)[0].type_code == ""
    md.delete_product(engine, user=alice, product_id=pid)
    assert md.list_products(engine, user=alice) == []
    order = shop_catalog.list_work_orders(engine, user=alice).items[0]
    assert order.id == wo and order.product_id is None


def test_another_organisation_cannot_see_change_or_delete(engine, alice, bob, make_user):
    tid = md.save_product_type(engine, user=alice, type_code="T")
    pid = md.save_product(engine, user=alice, kpl="K", type_code="T")
    plant = md.save_plant(engine, user=alice, code="P2")
    assert md.list_products(engine, user=bob) == [] and md.list_product_types(engine, user=bob) == []
    assert [p.code for p in md.list_plants(engine, user=bob)] == ["MAIN"]  # bob's own
    for call in (
        lambda: md.save_product(engine, user=bob, product_id=pid, kpl="X"),
        lambda: md.product_impact(engine, user=bob, product_id=pid),
        lambda: md.delete_product(engine, user=bob, product_id=pid),
        lambda: md.save_product_type(engine, user=bob, type_id=tid, type_code="X"),
        lambda: md.product_type_impact(engine, user=bob, type_id=tid),
        lambda: md.delete_product_type(engine, user=bob, type_id=tid),
        lambda: md.save_plant(engine, user=bob, plant_id=plant, code="X"),
        lambda: md.plant_impact(engine, user=bob, plant_id=plant),
        lambda: md.delete_plant(engine, user=bob, plant_id=plant),
    ):
        with pytest.raises(NotFound):
            call()
    viewer = make_user("vic", "viewer")
    for call in (lambda: md.save_product(engine, user=viewer, kpl="V"),
                 lambda: md.delete_product_type(engine, user=viewer, type_id=tid),
                 lambda: md.save_plant(engine, user=viewer, code="V")):
        with pytest.raises(PermissionDenied):
            call()
    assert [p.kpl for p in md.list_products(engine, user=alice)] == ["K"]
    assert len(md.list_plants(engine, user=alice)) == 2
