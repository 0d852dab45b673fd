"""Work orders page (AppTest): filters, pagination, late flag, edit, urgency, create."""

from __future__ import annotations

import json
from datetime import datetime

from tests.pages.conftest import assert_ok, click, open_page, shows
from webapp.shop import catalog as shop_catalog
from webapp.shop import edits as shop_edits
from webapp.shop import imports as shop_imports
from webapp.shop import planning as shop_planning
from webapp.ui import session

START = datetime(2026, 1, 5, 7)


def test_empty_page_offers_demo(user):
    at = open_page(user, session.PAGE_ORDERS)
    assert_ok(at)
    assert at.title[0].value == "Work orders"
    assert at.button(key="wo_demo_load")


def test_list_filter_edit_urgency_create(engine, user):
    shop_imports.load_demo(engine, user=user, orders=30, work_centers=3, start=START)
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    at = open_page(user, session.PAGE_ORDERS)
    assert_ok(at)
    assert any("30 work orders match" in c.value for c in at.caption)
    assert len(at.dataframe[0].value) == 25
    at.number_input(key="wo_page").set_value(2).run()
    assert_ok(at)
    at.number_input(key="wo_page").set_value(1)
    at.multiselect(key="wo_priority").set_value([1]).run()
    assert_ok(at)
    n1 = shop_catalog.list_work_orders(engine, user=user, priority=[1]).total
    assert any(f"{n1} work orders match" in c.value for c in at.caption)
    at.multiselect(key="wo_priority").set_value([])
    at.toggle(key="wo_late").set_value(True).run()
    assert_ok(at)
    late = shop_planning.current_plan(engine, user=user).result.kpis.late_orders
    assert any(f"{late} work orders match" in c.value for c in at.caption)
    at.toggle(key="wo_late").set_value(False).run()

    rn = at.selectbox(key="wo_sel").format_func(at.selectbox(key="wo_sel").value)
    at.button(key="wo_up").click().run()
    assert_ok(at)
    assert any("pending" in s.value for s in at.success)
    # a pending change: nothing written until a plan with it is accepted
    assert shop_catalog.list_work_orders(engine, user=user, rn_contains=rn).items[0].urgency_rank is None
    assert shows(click(at, "wo_finish").markdown, "Pending changes (2)")
    assert not shows(click(at, "wo_pending_discard").markdown, "Pending changes")
    assert shop_catalog.list_work_orders(engine, user=user, rn_contains=rn).items[0].status != "completed"
    at.button(key="wo_up").click().run()
    at.button(key="wo_finish").click().run()
    changes = at.session_state["shop_changes"]
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, changes=changes, start=START))
    order = shop_catalog.list_work_orders(engine, user=user, rn_contains=rn).items[0]
    assert order.urgency_rank is not None and order.status == "completed"

    at.text_input(key="wo_rn").input("zzz-none").run()
    assert any("0 work orders match" in c.value for c in at.caption)


def test_create_work_order(engine, user):
    at = open_page(user, session.PAGE_ORDERS)
    form_inputs = [t for t in at.text_input if t.label == "Work order number (RN)"]
    form_inputs[0].input("<b>RN-NEW</b>")
    next(t for t in at.text_input if t.label == "Product code (KPL)").input("KPL-9")
    next(b for b in at.button if b.label == "Create work order").click().run()
    assert_ok(at)
    assert shop_catalog.list_work_orders(engine, user=user).items[0].rn == "<b>RN-NEW</b>"
    assert not at.markdown or all("<b>" not in m.value for m in at.markdown)


def test_routing_is_validated_as_a_whole_added_saved_and_a_deletion_confirmed(engine, user):
    from webapp.shop import routings
    from webapp.shop import work_centers as shop_work_centers

    shop_work_centers.create_work_center(engine, user=user, code="LATHE")
    shop_work_centers.create_work_center(engine, user=user, code="MILL")
    wo = shop_catalog.save_work_order(engine, user=user, rn="R-1", quantity=4)
    at = open_page(user, session.PAGE_ORDERS)
    assert_ok(at)
    assert any("1 open work orders have no routing and are not planned: R" in w.value for w in at.warning)
    assert at.dataframe[0].value["routing"].tolist() == ["no routing"]
    # a table with a duplicate sequence and norma 0: both problems with their rows, nothing written
    bad = [{"id": None, "sequence": 10, "name": "Turn", "work_center": "LATHE", "norma": 30.0, "quantity": 4,
            "quantity_completed": 0.0, "status": "pending"},
           {"id": None, "sequence": 10, "name": "Mill", "work_center": "MILL", "norma": 0.0, "quantity": 4,
            "quantity_completed": 0.0, "status": "pending"}]
    at.session_state[f"wo_routing_draft_{wo}"] = bad
    at.run()
    at.button(key=f"wo_routing_save_{wo}").click().run()
    assert_ok(at)
    assert any("The routing was not saved: 2 problems" in e.value for e in at.error)
    problems = at.dataframe[-1].value
    assert problems.to_dict("records") == [
        {"row": 2, "column": "sequence", "reason": "sequence 10 is also on row 1"},
        {"row": 2, "column": "norma (min)", "reason": "the norma must be more than 0 minutes"}]
    assert routings.routing_rows(engine, user=user, work_order_id=wo) == []
    # fix it: the first row stays, the second is added with the "Add operation" form
    at.session_state[f"wo_routing_draft_{wo}"] = bad[:1]
    at.run()
    form = f"wo_add_op_{wo}"
    next(n for n in at.number_input if n.label == "Sequence" and form in str(n.form_id)).set_value(20)
    next(t for t in at.text_input if t.label == "Operation" and form in str(t.form_id)).input("Mill")
    next(s for s in at.selectbox if s.label == "Work center" and form in str(s.form_id)).set_value("MILL")
    next(n for n in at.number_input if n.label == "Norma (min)" and form in str(n.form_id)).set_value(45.0)
    next(b for b in at.button if b.label == "Add to the table").click().run()
    assert_ok(at)
    at.button(key=f"wo_routing_save_{wo}").click().run()
    assert_ok(at)
    assert any("2 operations created" in s.value for s in at.success)
    rows = routings.routing_rows(engine, user=user, work_order_id=wo)
    assert [(r["sequence"], r["work_center"], r["norma"], r["quantity"]) for r in rows] == [
        (10, "LATHE", 30.0, 4), (20, "MILL", 45.0, 4)]
    assert not any("no routing" in w.value for w in at.warning)
    # dropping a stored operation from the table asks first
    at.session_state[f"wo_routing_draft_{wo}"] = rows[:1]
    at.run()
    at.button(key=f"wo_routing_save_{wo}").click().run()
    assert any("saving deletes 1 operations of R" in w.value for w in at.warning)
    assert len(routings.routing_rows(engine, user=user, work_order_id=wo)) == 2  # not yet
    at.button(key="master_confirm_yes").click().run()
    assert_ok(at)
    assert [r["sequence"] for r in routings.routing_rows(engine, user=user, work_order_id=wo)] == [10]
    # saving the unchanged routing says so
    at.button(key=f"wo_routing_save_{wo}").click().run()
    assert_ok(at)
    assert shows(at.success, "Nothing to save: the routing is unchanged")
    assert not shows(at.success, "Routing saved")
    # deleting the work order says what goes with it
    at.button(key="wo_delete").click().run()
    assert any("1 operations, 0 pins" in w.value for w in at.warning)
    at.button(key="master_confirm_no").click().run()
    assert shop_catalog.list_work_orders(engine, user=user).total == 1
    at.button(key="wo_delete").click().run()
    at.button(key="master_confirm_yes").click().run()
    assert_ok(at)
    assert shop_catalog.list_work_orders(engine, user=user).total == 0


def test_an_operation_on_an_inactive_work_center_shows_its_code_in_the_routing_table(engine, user):
    from webapp.shop import routings
    from webapp.shop import work_centers as shop_work_centers

    shop_work_centers.create_work_center(engine, user=user, code="LATHE")
    mill = shop_work_centers.create_work_center(engine, user=user, code="MILL")
    wo = shop_catalog.save_work_order(engine, user=user, rn="R-1", quantity=4)
    routings.save_routing(engine, user=user, work_order_id=wo, rows=[
        {"id": None, "sequence": 10, "name": "Turn", "work_center": "LATHE", "norma": 30.0, "quantity": 4},
        {"id": None, "sequence": 20, "name": "Mill", "work_center": "MILL", "norma": 20.0, "quantity": 4}])
    shop_work_centers.save_work_center(engine, user=user, work_center_id=mill, is_active=False)
    at = open_page(user, session.PAGE_ORDERS)
    assert_ok(at)
    table = next(d for d in at.dataframe if "work_center" in d.value.columns)
    assert table.value["work_center"].tolist() == ["LATHE", "MILL"]
    options = json.loads(table.proto.columns)["work_center"]["type_config"]["options"]
    assert options == [{"value": "LATHE", "label": "LATHE"}, {"value": "MILL", "label": "MILL (inactive)"}]
