"""Machines page (AppTest): work centers, calendar editor, exceptions, downtime, load chart."""

from __future__ import annotations

from datetime import datetime

from tests.pages.conftest import assert_ok, open_page
from webapp.shop import catalog as shop_catalog
from webapp.shop import imports as shop_imports
from webapp.shop import planning as shop_planning
from webapp.ui import session

START = datetime(2026, 1, 5, 7)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_machines_calendar_downtime_and_load(engine, user):
    at = open_page(user, session.PAGE_MACHINES)
    assert_ok(at)
    assert any("No work centers yet" in i.value for i in at.info)
    shop_imports.load_demo(engine, user=user, orders=8, work_centers=3, start=START)
    shop_planning.accept_plan(engine, user=user, result=shop_planning.run_plan(engine, user=user, start=START))
    at = open_page(user, session.PAGE_MACHINES)
    assert_ok(at)
    assert len(at.dataframe[0].value) == 3
    code = at.selectbox(key="mc_wc").value
    shifts = next(m for m in at.multiselect if m.label == "Shifts")
    shifts.set_value(["S1"])
    _button(at, "Save work center").click().run()
    assert_ok(at)
    assert shop_planning.build_problem(engine, user=user).wc(code).calendar.shift_names == frozenset({"S1"})

    _button(at, "Apply to calendar").click().run()
    assert_ok(at)
    assert any("shift dates marked" in s.value for s in at.success)
    assert shop_catalog.calendar_exceptions(engine, user=user, code=code)

    next(t for t in at.text_input if t.label == "Reason").input("spindle")
    _button(at, "Record downtime").click().run()
    assert_ok(at)
    assert any(d["reason"] == "spindle" for d in shop_catalog.downtimes(engine, user=user))
    assert len(at.get("plotly_chart")) == 1
    at.selectbox(key="mc_load_wc").set_value(code).run()
    assert_ok(at)
