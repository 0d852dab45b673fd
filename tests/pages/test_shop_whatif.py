"""What-if page (AppTest): copy the plan into a scenario, change, re-plan, compare, promote."""

from __future__ import annotations

from datetime import datetime

from tests.pages.conftest import assert_ok, open_page
from webapp.shop import imports as shop_imports
from webapp.shop import edits as shop_edits
from webapp.shop import planning as shop_planning
from webapp.ui import session

START = datetime(2026, 1, 5, 7)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_scenario_flow(engine, user):
    shop_imports.load_demo(engine, user=user, orders=10, work_centers=3, start=START)
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    at = open_page(user, session.PAGE_WHATIF)
    assert_ok(at)
    assert any("No scenarios yet" in i.value for i in at.info)
    at.text_input(key="wi_name").input("one shift").run()
    at.button(key="wi_create").click().run()
    assert_ok(at)
    frame = at.dataframe[-1].value
    assert list(frame["KPI"])[0] == "Weighted tardiness (h)"
    assert frame["difference"].iloc[0] == 0
    next(m for m in at.multiselect if m.label == "Shifts").set_value(["S1"])
    _button(at, "Apply capacity change").click().run()
    assert_ok(at)
    assert any("re-plan it to compare" in i.value for i in at.info)
    at.number_input(key="wi_limit").set_value(1.0)
    at.button(key="wi_replan").click().run()
    assert_ok(at)
    assert at.dataframe[-1].value["scenario"].notna().all()
    before = shop_planning.current_plan(engine, user=user).plan.id
    at.button(key="wi_promote").click().run()
    assert_ok(at)
    assert shop_planning.current_plan(engine, user=user).plan.id != before
    assert any("promoted" in s.value for s in at.success)
