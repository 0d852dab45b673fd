"""What-if page (AppTest): copy the plan into a scenario, change, re-plan, compare, promote."""

from __future__ import annotations

from datetime import datetime

from tests.pages.conftest import assert_ok, open_page
from webapp.shop import edits as shop_edits
from webapp.shop import imports as shop_imports
from webapp.shop import planning as shop_planning
from webapp.ui import session

START = datetime(2026, 1, 5, 7)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def _table(at, column):
    """The page's table with ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_scenario_flow(engine, user):
    shop_imports.load_demo(engine, user=user, orders=10, work_centers=3, start=START)
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    at = open_page(user, session.PAGE_WHATIF)
    assert_ok(at)
    assert any("No scenarios yet" in i.value for i in at.info)
    at.text_input(key="wi_name").input("one shift").run()
    at.button(key="wi_create").click().run()
    assert_ok(at)
    frame = _table(at, "KPI")
    assert list(frame["KPI"])[0] == "Weighted tardiness (h)"
    assert set(frame["difference"]) == {"no change"}  # the copy is the baseline
    next(m for m in at.multiselect if m.label == "Shifts").set_value(["S1"])
    _button(at, "Apply capacity change").click().run()
    assert_ok(at)
    assert any("re-plan it to compare" in i.value for i in at.info)
    at.number_input(key="wi_limit").set_value(1.0)
    at.button(key="wi_replan").click().run()
    assert_ok(at)
    assert _table(at, "KPI")["scenario"].notna().all()
    before = shop_planning.current_plan(engine, user=user).plan.id
    at.button(key="wi_promote").click().run()
    assert_ok(at)
    assert shop_planning.current_plan(engine, user=user).plan.id != before
    assert any("promoted" in s.value for s in at.success)


def test_stale_scenario_shows_conflicts_and_asks_before_promoting(engine, user):
    from datetime import timedelta

    from webapp.shop import scenarios as shop_scenarios

    shop_imports.load_demo(engine, user=user, orders=10, work_centers=3, start=START)
    proposal = shop_edits.propose(engine, user=user, start=START)
    shop_edits.accept(engine, user=user, proposal=proposal)
    sid = shop_scenarios.create_scenario(engine, user=user, name="fixed start")
    op = next(p.op_id for p in proposal.result.operations if not p.in_progress)
    shop_scenarios.change_scenario(engine, user=user, scenario_id=sid, kind="fix_start", op_id=op,
                                   start=START + timedelta(days=1))
    shop_scenarios.replan_scenario(engine, user=user, scenario_id=sid)
    # the operation is finished on the board after the copy: the scenario is stale, its change conflicts
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START, changes=[
        shop_edits.change("finish_operation", op_id=op, at=START)]))
    at = open_page(user, session.PAGE_WHATIF)
    assert_ok(at)
    assert any("Stale" in w.value for w in at.warning)
    current = shop_planning.current_plan(engine, user=user).plan.id
    at.button(key="wi_promote").click().run()
    assert_ok(at)
    assert any("no longer apply" in w.value for w in at.warning)
    assert op in at.dataframe[-1].value["change"].iloc[0]
    assert shop_planning.current_plan(engine, user=user).plan.id == current  # asked, nothing written
    at.button(key="wi_promote_anyway").click().run()
    assert_ok(at)
    assert shop_planning.current_plan(engine, user=user).plan.id != current
    assert op not in {o.op_id for o in shop_planning.build_problem(engine, user=user).open_operations()}


def test_work_center_down_from_to_and_per_order_comparison(engine, user):
    from datetime import time, timedelta

    shop_imports.load_demo(engine, user=user, orders=12, work_centers=3, start=START)
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    at = open_page(user, session.PAGE_WHATIF)
    at.button(key="wi_create").click().run()
    assert_ok(at)
    assert any("Makespan" in m.value and "no change" in m.value for m in at.markdown)
    orders = _table(at, "work order")
    assert set(orders["change"]) == {"no change"} and orders["completion change (h)"].isna().all()
    kpis = _table(at, "KPI")
    assert "." not in kpis.loc[kpis["KPI"] == "Operations", "baseline"].iloc[0]  # a count, no decimals
    assert len(orders) == len(shop_planning.current_plan(engine, user=user).result.orders)
    code = shop_planning.current_plan(engine, user=user).result.operations[0].work_center
    form = [s for s in at.selectbox if s.label == "Work center"]
    form[2].set_value(code)  # the "Work center down" tab
    dates = [d for d in at.date_input if d.label in ("From (date)", "Until (date)")]
    times = [t for t in at.time_input if t.label in ("From (time)", "Until (time)")]
    dates[0].set_value(START.date())
    times[0].set_value(time(7))
    dates[1].set_value((START + timedelta(days=2)).date())
    times[1].set_value(time(15))
    _button(at, "Apply: work center down").click().run()
    assert_ok(at)
    changes = at.dataframe[0].value["change"]
    assert len(changes) == 1 and code in changes.iloc[0] and "2026-01-07 15:00" in changes.iloc[0]
    at.number_input(key="wi_limit").set_value(1.0)
    at.button(key="wi_replan").click().run()
    assert_ok(at)
    orders = _table(at, "work order")
    shifts = orders["completion change (h)"].abs().fillna(0).tolist()
    assert shifts == sorted(shifts, reverse=True) and shifts[0] > 0
    # a change that rounds to +0.0 is shown as no change ("–" in the hours column), never as +0.0
    assert (orders["change"] == "no change").sum() == orders["completion change (h)"].isna().sum()
    assert not (orders["completion change (h)"].round(1) == 0).any()
    assert len(at.get("plotly_chart")) == 2  # baseline above, scenario below
    import json

    before, after = (json.loads(c.proto.spec)["layout"]["xaxis"]["range"] for c in at.get("plotly_chart"))
    assert before == after  # one time axis


def test_deleting_a_scenario_asks_first_and_says_what_goes(engine, user):
    from webapp.shop import scenarios as shop_scenarios

    shop_imports.load_demo(engine, user=user, orders=6, work_centers=2, start=START)
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    shop_scenarios.create_scenario(engine, user=user, name="to go")
    at = open_page(user, session.PAGE_WHATIF)
    at.button(key="wi_delete").click().run()
    assert_ok(at)
    assert any("scenario 'to go': its 0 changes and its plan are deleted" in w.value for w in at.warning)
    assert len(shop_scenarios.list_scenarios(engine, user=user)) == 1  # nothing deleted yet
    at.button(key="master_confirm_no").click().run()
    assert len(shop_scenarios.list_scenarios(engine, user=user)) == 1
    at.button(key="wi_delete").click().run()
    at.button(key="master_confirm_yes").click().run()
    assert_ok(at)
    assert shop_scenarios.list_scenarios(engine, user=user) == []
