"""What-if: copy, change (a change set), re-plan, compare, stale marker, promote by re-applying
the change set onto the current shop (conflicts listed, never silently reverted)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler_core.shop import ShopOptions
from tests.webapp.shop.conftest import START, row_counts
from webapp.errors import InputError, NotFound
from webapp.shop import edits as shop_edits
from webapp.shop import planning as shop_planning
from webapp.shop import scenarios as shop_scenarios


def _accept(engine, user, *changes, **kwargs):
    proposal = shop_edits.propose(engine, user=user, changes=list(changes), start=START, **kwargs)
    return shop_edits.accept(engine, user=user, proposal=proposal), proposal.result


def test_scenario_copy_change_replan_compare_promote(engine, demo):
    _, base = _accept(engine, demo, options=ShopOptions("optimise", time_limit_s=1))
    sid = shop_scenarios.create_scenario(engine, user=demo, name="one shift on the lathe")
    assert shop_scenarios.scenario_result(engine, user=demo, scenario_id=sid).kpis == base.kpis
    assert not shop_scenarios.list_scenarios(engine, user=demo)[0].stale
    code = base.operations[0].work_center
    text = shop_scenarios.change_scenario(engine, user=demo, scenario_id=sid, kind="set_shifts", work_center=code,
                                          shifts=["S1"], weekdays=[0, 1, 2, 3, 4])
    assert code in text and "S1" in text
    rn = base.orders[-1].rn
    shop_scenarios.change_scenario(engine, user=demo, scenario_id=sid, kind="set_urgency", rn=rn, urgency_rank=1,
                                   priority_level=1)
    assert shop_scenarios.scenario_result(engine, user=demo, scenario_id=sid) is None
    assert shop_scenarios.scenario_problem(engine, user=demo, scenario_id=sid).order(rn).urgency_rank == 1
    # the shop itself is unchanged until the scenario is promoted
    assert shop_planning.build_problem(engine, user=demo).wc(code).calendar.shift_names != frozenset({"S1"})
    result = shop_scenarios.replan_scenario(engine, user=demo, scenario_id=sid,
                                            options=ShopOptions("optimise", time_limit_s=1))
    rows = shop_scenarios.compare_kpis(base, result)
    assert rows[0]["baseline"] == f"{base.kpis.weighted_tardiness_hours:,.1f}"
    assert rows[1]["baseline"] == f"{base.kpis.late_orders:,}"  # a count: no decimals
    assert rows[0]["difference"] == shop_scenarios.change_text(base.kpis.weighted_tardiness_hours,
                                                              result.kpis.weighted_tardiness_hours)
    plan_id = shop_scenarios.promote_scenario(engine, user=demo, scenario_id=sid)
    current = shop_planning.current_plan(engine, user=demo)
    assert current.plan.id == plan_id and current.result.strategy == "optimise"
    shop = shop_planning.build_problem(engine, user=demo)
    assert shop.wc(code).calendar.shift_names == frozenset({"S1"})
    assert shop.order(rn).urgency_rank == 1 and shop.order(rn).priority_level == 1
    assert shop_scenarios.list_scenarios(engine, user=demo)[0].stale  # its base plan is no longer current
    assert current.plan.name == "promoted: one shift on the lathe"
    assert "shifts S1" in shop_edits.last_change_set(engine, user=demo).summary
    shop_edits.undo_last(engine, user=demo)  # a promotion is undone like any accepted change
    assert shop_planning.build_problem(engine, user=demo).wc(code).calendar.shift_names != frozenset({"S1"})
    assert shop_scenarios.delete_scenario(engine, user=demo, scenario_id=sid)
    with pytest.raises(InputError, match="unknown change"):
        shop_scenarios.change_scenario(engine, user=demo, scenario_id=sid, kind="capacity")


def test_promote_after_the_base_changed_keeps_finished_work_and_asks_about_conflicts(engine, demo):
    _, base = _accept(engine, demo)
    sid = shop_scenarios.create_scenario(engine, user=demo, name="overtime")
    wc, queue = max(base.by_work_center().items(), key=lambda kv: len(kv[1]))
    gone, kept = queue[-1].op_id, queue[0].op_id
    shop_scenarios.change_scenario(engine, user=demo, scenario_id=sid, kind="add_downtime", work_center=wc,
                                   start=START, end=START + timedelta(hours=2), reason="what-if")
    shop_scenarios.change_scenario(engine, user=demo, scenario_id=sid, kind="fix_start", op_id=gone,
                                   start=START + timedelta(days=1))
    shop_scenarios.replan_scenario(engine, user=demo, scenario_id=sid)
    # after the copy, the planner finishes two operations on the board (one the scenario moves)
    _accept(engine, demo, shop_edits.change("finish_operation", op_id=gone, at=START + timedelta(hours=1)),
            shop_edits.change("finish_operation", op_id=kept, at=START + timedelta(hours=1)))
    assert shop_scenarios.list_scenarios(engine, user=demo)[0].stale
    applied, skipped = shop_scenarios.promotion_conflicts(engine, user=demo, scenario_id=sid)
    assert [c.kind for c in applied] == ["add_downtime"]
    assert [(c.kind, gone in why) for c, why in skipped] == [("fix_start", True)]
    rows = row_counts(engine)
    with pytest.raises(shop_scenarios.PromotionConflicts, match=f"{gone}.*finished"):
        shop_scenarios.promote_scenario(engine, user=demo, scenario_id=sid)
    assert row_counts(engine) == rows  # asked, nothing written
    shop_scenarios.promote_scenario(engine, user=demo, scenario_id=sid, without_conflicts=True)
    shop = shop_planning.build_problem(engine, user=demo)
    assert not shop.operation(gone).is_open and not shop.operation(kept).is_open  # finished stays finished
    assert shop.operation(gone).pinned_start is None
    assert any(d.reason == "what-if" for d in shop.downtime)
    planned = {p.op_id for p in shop_planning.current_plan(engine, user=demo).result.operations}
    assert gone not in planned and kept not in planned


def test_scenarios_are_private_and_refuse_bad_changes(engine, demo, bob):
    sid = shop_scenarios.create_scenario(engine, user=demo, name="mine")
    with pytest.raises(NotFound):
        shop_scenarios.change_scenario(engine, user=bob, scenario_id=sid, kind="set_urgency", rn="x",
                                       priority_level=1)
    with pytest.raises(NotFound, match="unknown work order"):
        shop_scenarios.change_scenario(engine, user=demo, scenario_id=sid, kind="set_urgency", rn="NOPE",
                                       priority_level=1)
    assert shop_scenarios.list_scenarios(engine, user=demo)[0].changes == []


def test_work_center_down_from_to_in_one_step(engine, demo):
    _, base = _accept(engine, demo)
    sid = shop_scenarios.create_scenario(engine, user=demo, name="lathe down")
    code, queue = max(base.by_work_center().items(), key=lambda kv: len(kv[1]))
    first, last = START + timedelta(hours=1), START + timedelta(days=2, hours=3)
    text = shop_scenarios.change_scenario(engine, user=demo, scenario_id=sid, kind="add_downtime", work_center=code,
                                          start=first, end=last, reason="what-if")
    assert code in text and "2026-01-05 08:00" in text and "2026-01-07 10:00" in text
    assert len(shop_scenarios.list_scenarios(engine, user=demo)[0].changes) == 1  # one step for the whole range
    result = shop_scenarios.replan_scenario(engine, user=demo, scenario_id=sid)
    on_wc = [p for p in result.operations if p.work_center == code]
    assert all(e <= first or s >= last for p in on_wc for s, e in p.intervals)  # nothing works while it is down
    assert not any(d.reason == "what-if" for d in shop_planning.build_problem(engine, user=demo).downtime)
    with pytest.raises(InputError, match="end after it starts"):
        shop_scenarios.change_scenario(engine, user=demo, scenario_id=sid, kind="add_downtime", work_center=code,
                                       start=last, end=first)
    rows = shop_scenarios.compare_orders(base, result)
    shifts = [abs(r["completion change (h)"]) for r in rows]
    assert shifts == sorted(shifts, reverse=True) and shifts[0] > 0  # largest change first
    assert {r["work order"] for r in rows} == {o.rn for o in base.orders}
    same = [r for r in rows if r["completion change (h)"] == 0]
    assert all(r["change"].startswith("no change") for r in same)
    moved = rows[0]
    shift = moved["completion change (h)"]
    assert moved["change"].startswith(f"{abs(shift):.1f} h {'later' if shift > 0 else 'earlier'}")
    assert rows == sorted(rows, key=lambda r: -abs(r["completion change (h)"]))


def test_comparisons_say_no_change():
    from scheduler_core.shop import plan
    from scheduler_core.shop.demo import demo_shop

    base = plan(demo_shop(2, work_centers=3, orders=6, start=START), ShopOptions("dispatch"))
    rows = shop_scenarios.compare_kpis(base, base)
    assert {r["difference"] for r in rows} == {"no change"}
    assert {r["change"] for r in shop_scenarios.compare_orders(base, base)} == {"no change"}
    assert shop_scenarios.change_text(10.0, 10.04) == "no change" and shop_scenarios.change_text(1.0, 2.5) == "+1.5"
    assert shop_scenarios.change_text(3, 1) == "-2" and shop_scenarios.change_text(None, 1.0) == "–"
    assert shop_scenarios.change_text(4.0, 2.0, " h") == "-2.0 h"
    assert [shop_scenarios.kpi_text(v) for v in (1035, 12808.654, None)] == ["1,035", "12,808.7", "–"]
    only = shop_scenarios.compare_orders(None, base)
    assert {r["change"] for r in only} == {"only in the scenario"}
    fewer = shop_scenarios.compare_orders(base, plan(demo_shop(2, work_centers=3, orders=5, start=START)))
    assert fewer[0]["change"] == "only in the baseline"  # an order in one plan only comes first


def test_scenario_impact_names_what_goes_and_only_for_its_owner(engine, demo, bob):
    sid = shop_scenarios.create_scenario(engine, user=demo, name="w")
    impact = shop_scenarios.scenario_impact(engine, user=demo, scenario_id=sid)
    assert impact.possible and impact.text.startswith("scenario 'w': its 0 changes and its plan are deleted")
    with pytest.raises(NotFound):
        shop_scenarios.scenario_impact(engine, user=bob, scenario_id=sid)
