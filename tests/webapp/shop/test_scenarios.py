"""What-if: copy, change, re-plan, compare, promote."""

from __future__ import annotations

from tests.webapp.shop.conftest import START
from webapp.shop import planning as shop_planning
from webapp.shop import scenarios as shop_scenarios


def test_scenario_copy_change_replan_compare_promote(engine, demo):
    base = shop_planning.run_plan(engine, user=demo, start=START)
    shop_planning.accept_plan(engine, user=demo, result=base)
    sid = shop_scenarios.create_scenario(engine, user=demo, name="one shift on the lathe")
    assert shop_scenarios.scenario_result(engine, user=demo, scenario_id=sid).kpis == base.kpis
    code = base.operations[0].work_center
    shop_scenarios.change_scenario(engine, user=demo, scenario_id=sid, kind="capacity", work_center=code, shifts=["S1"],
                       working_days=[0, 1, 2, 3, 4])
    rn = base.orders[-1].rn
    shop_scenarios.change_scenario(engine, user=demo, scenario_id=sid, kind="urgency", rn=rn, urgency_rank=1)
    assert shop_scenarios.scenario_result(engine, user=demo, scenario_id=sid) is None
    # the shop itself is unchanged until the scenario is promoted
    assert shop_planning.build_problem(engine, user=demo).wc(code).calendar.shift_names != frozenset({"S1"})
    result = shop_scenarios.replan_scenario(engine, user=demo, scenario_id=sid)
    rows = shop_scenarios.compare_kpis(base, result)
    assert rows[0]["baseline"] == base.kpis.weighted_tardiness_hours
    plan_id = shop_scenarios.promote_scenario(engine, user=demo, scenario_id=sid)
    assert shop_planning.current_plan(engine, user=demo).plan.id == plan_id
    shop = shop_planning.build_problem(engine, user=demo)
    assert shop.wc(code).calendar.shift_names == frozenset({"S1"})
    assert shop.order(rn).urgency_rank == 1
    assert shop_scenarios.delete_scenario(engine, user=demo, scenario_id=sid)
