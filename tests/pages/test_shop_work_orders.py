"""Work orders page (AppTest): filters, pagination, late flag, edit, urgency, create."""

from __future__ import annotations

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
