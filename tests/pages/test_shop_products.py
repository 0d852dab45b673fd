"""Products & plants page (AppTest): create and change products, types and plants; a
blank code is refused with its column; deletions ask first and say what goes with them; the
main plant cannot be deleted; a viewer sees the lists only."""

from __future__ import annotations

from tests.pages.conftest import assert_ok, make_user, open_page, shows
from webapp.shop import catalog as shop_catalog
from webapp.shop import master_data
from webapp.ui import session


def _submit(at, label: str):
    return next(b for b in at.button if b.label == label)


def _in_form(widgets, form: str, label: str):
    return next(w for w in widgets if w.label == label and form in str(w.form_id))


def test_products_types_and_plants(engine, user):
    at = open_page(user, session.PAGE_PRODUCTS)
    assert_ok(at)
    assert at.title[0].value == "Products & plants"
    # a product type, then a product of it
    _submit(at, "Save product type").click().run()
    assert any("The product type was not saved: 1 problem" in e.value for e in at.error)
    assert next(d for d in at.dataframe if "reason" in d.value.columns).value.to_dict("records") == [
        {"row": None, "column": "type code", "reason": "a code is required"}]
    _in_form(at.text_input, "pp_type_form_0", "Type code").input("SHAFT")
    _submit(at, "Save product type").click().run()
    assert_ok(at)
    assert [t.type_code for t in master_data.list_product_types(engine, user=user)] == ["SHAFT"]
    _in_form(at.text_input, "pp_product_form_0", "Code (KPL)").input("K-1")
    _in_form(at.selectbox, "pp_product_form_0", "Type").set_value("SHAFT")
    _submit(at, "Save product").click().run()
    assert_ok(at)
    (product,) = master_data.list_products(engine, user=user)
    assert (product.kpl, product.type_code) == ("K-1", "SHAFT")
    shop_catalog.save_work_order(engine, user=user, rn="R-1", quantity=1, kpl="K-1")
    at.selectbox(key="pp_product").set_value(product.id).run()
    _in_form(at.text_input, f"pp_product_form_{product.id}", "Name").input("Shaft 20")
    _submit(at, "Save product").click().run()
    assert master_data.list_products(engine, user=user)[0].name == "Shaft 20"
    at.button(key="pp_product_delete").click().run()
    assert any("1 work orders lose their product" in w.value for w in at.warning)
    at.button(key="master_confirm_yes").click().run()
    assert_ok(at)
    assert master_data.list_products(engine, user=user) == []
    # plants: a new one, then the main one cannot be deleted
    _in_form(at.text_input, "pp_plant_form_0", "Plant code").input("P2")
    _submit(at, "Save plant").click().run()
    assert_ok(at)
    main, second = master_data.list_plants(engine, user=user)
    at.selectbox(key="pp_plant").set_value(main.id).run()
    at.button(key="pp_plant_delete").click().run()
    # refused: only the reason and "Close" (no "Delete", no "cannot be undone")
    assert any("main plant" in e.value and "cannot be deleted" in e.value for e in at.error)
    assert not any(b.key in ("master_confirm_yes", "master_confirm_no") for b in at.button)
    assert not shows(at.markdown, "This cannot be undone")
    at.button(key="master_confirm_close").click().run()
    assert_ok(at)
    assert not any(b.key == "master_confirm_close" for b in at.button)
    at.selectbox(key="pp_plant").set_value(second.id).run()
    at.button(key="pp_plant_delete").click().run()
    at.button(key="master_confirm_yes").click().run()
    assert_ok(at)
    assert [p.code for p in master_data.list_plants(engine, user=user)] == ["MAIN"]


def test_a_viewer_sees_the_lists_only(engine, user):
    from webapp import auth

    viewer = make_user(engine, "vera")
    auth.set_role(engine, acting_user=user, user_id=viewer.id, role="viewer")
    at = open_page(viewer, session.PAGE_PRODUCTS)
    assert_ok(at)
    assert len(at.dataframe) == 3
    assert not [b for b in at.button if "Save" in b.label or "Delete" in b.label]
