"""Plan, diff and accept; every organisation and user sees only their own shop and plans."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from scheduler_core.errors import InputError
from scheduler_core.shop import ShopOptions
from tests.webapp.shop.conftest import START
from webapp.errors import NotFound
from webapp.shop import catalog as shop_catalog
from webapp.shop import edits as shop_edits
from webapp.shop import planning as shop_planning
from webapp.shop import scenarios as shop_scenarios


def test_plan_accept_stores_plan_and_planned_times(engine, demo):
    progress = []
    result = shop_planning.run_plan(engine, user=demo, start=START, progress=lambda f, m: progress.append(f), options=ShopOptions("optimise", time_limit_s=1))
    assert progress and result.operations
    assert shop_planning.current_plan(engine, user=demo) is None
    first = shop_planning.diff_plans(None, result)
    assert first.objective_before is None and len(first.new_operations) == len(result.operations)
    proposal = shop_edits.propose(engine, user=demo, start=START, options=ShopOptions("optimise", time_limit_s=1))
    plan_id = shop_edits.accept(engine, user=demo, proposal=proposal)
    result = proposal.result
    stored = shop_planning.current_plan(engine, user=demo)
    assert stored.plan.id == plan_id and stored.plan.strategy == "optimise"
    assert stored.result.kpis == result.kpis
    assert [p.op_id for p in stored.result.operations] == [p.op_id for p in result.operations]
    with engine.connect() as conn:
        planned = conn.execute(sa.text("SELECT count(*) FROM operations WHERE planned_start IS NOT NULL")).scalar_one()
    assert planned == len(result.operations)
    again = shop_edits.propose(engine, user=demo, start=START, options=ShopOptions("dispatch"))
    second_id = shop_edits.accept(engine, user=demo, proposal=again)
    assert shop_planning.current_plan(engine, user=demo).plan.id == second_id
    assert shop_planning.list_plans(engine, user=demo).total == 2


def test_isolation_between_users_and_organisations(engine, demo, bob):
    shop_edits.accept(engine, user=demo, proposal=shop_edits.propose(engine, user=demo, start=START))
    sid = shop_scenarios.create_scenario(engine, user=demo, name="mine")
    assert shop_planning.summary(engine, user=bob).work_orders == 0
    assert shop_planning.current_plan(engine, user=bob) is None
    assert shop_planning.list_plans(engine, user=bob).total == 0
    assert shop_scenarios.list_scenarios(engine, user=bob) == []
    with pytest.raises(NotFound):
        shop_scenarios.scenario_problem(engine, user=bob, scenario_id=sid)
    with pytest.raises(NotFound):
        shop_edits.check(engine, user=bob, changes=[shop_edits.change(
            "finish_order", rn=shop_catalog.list_work_orders(engine, user=demo).items[0].rn, at=START)])
    with pytest.raises(NotFound):
        shop_edits.undo_last(engine, user=bob)  # alice's change sets are not bob's
    with pytest.raises(InputError):
        shop_planning.run_plan(engine, user=bob)  # bob's organisation has no operations


def test_load_by_period_uses_the_current_plan_and_the_calendars_now(engine, demo, bob):
    from datetime import timedelta

    assert shop_planning.load_by_period(engine, user=demo) is None  # no plan yet
    shop_edits.accept(engine, user=demo, proposal=shop_edits.propose(engine, user=demo, start=START))
    stored, days = shop_planning.load_by_period(engine, user=demo, period="day")
    assert stored.plan.id == shop_planning.current_plan(engine, user=demo).plan.id
    assert {x.days for x in days} == {1} and days[0].start == START.date()
    planned = sum(p.duration_minutes + p.setup_minutes for p in stored.result.operations) / 60
    assert abs(sum(x.planned_hours for x in days) - planned) < 0.1
    weeks = shop_planning.load_by_period(engine, user=demo, period="week")[1]
    assert {(w.work_center, w.week_start, w.capacity_hours) for w in stored.result.kpis.weekly_load} == {
        (x.work_center, x.start, x.capacity_hours) for x in weeks}
    # a day of downtime on a work center: no capacity that day
    code = days[0].work_center
    before = next(x for x in days if x.work_center == code and x.capacity_hours > 0)
    day_start = shop_planning.build_problem(engine, user=demo).start.replace(
        year=before.start.year, month=before.start.month, day=before.start.day, hour=0, minute=0)
    shop_edits.accept(engine, user=demo, proposal=shop_edits.propose(engine, user=demo, start=START, changes=[
        shop_edits.change("add_downtime", work_center=code, start=day_start, end=day_start + timedelta(days=1))]))
    after = shop_planning.load_by_period(engine, user=demo, period="day")[1]
    assert next(x for x in after if x.work_center == code and x.start == before.start).capacity_hours == 0
    with pytest.raises(InputError, match="unknown period"):
        shop_planning.load_by_period(engine, user=demo, period="month")
    assert shop_planning.load_by_period(engine, user=bob) is None  # another organisation's plan is not bob's
