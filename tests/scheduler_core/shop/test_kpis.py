from datetime import date, datetime

from scheduler_core.shop import Calendar, Operation, ShopOptions, ShopProblem, WorkCenter, WorkOrder, plan

MON = datetime(2025, 1, 6, 0, 0)


def test_kpis_by_hand_on_one_machine():
    problem = ShopProblem(
        (WorkCenter("M", calendar=Calendar.always()),),
        (
            WorkOrder("A", priority_level=1, assembly_date=datetime(2025, 1, 6, 1, 0)),
            WorkOrder("B", priority_level=3, assembly_date=datetime(2025, 1, 6, 3, 0)),
            WorkOrder("C", priority_level=2),
        ),
        (Operation("A", 1, "M", 120), Operation("B", 1, "M", 60), Operation("C", 1, "M", 30)),
        start=MON,
    )
    r = plan(problem, ShopOptions("dispatch"))
    # order A (due 01:00) runs 00:00-02:00, B 02:00-03:00, C (no date) 03:00-03:30
    k = r.kpis
    assert k.weighted_tardiness_minutes == 3 * 60  # A: 60 min late × weight 3
    assert k.weighted_tardiness_hours == 3.0
    assert k.late_orders == 1 and k.max_lateness_hours == 1.0
    assert k.makespan_minutes == 210 and k.makespan_hours == 3.5
    assert k.utilisation == {"M": 1.0}
    outcome = {o.rn: o for o in r.orders}
    assert outcome["B"].lateness_hours == 0.0 and not outcome["B"].late
    assert outcome["C"].lateness_hours is None
    assert [o.rn for o in r.late_orders()] == ["A"]
    (week,) = k.weekly_load
    assert week.week_start == date(2025, 1, 6)
    assert week.capacity_hours == 7 * 24 and week.planned_hours == 3.5
    assert week.due_hours == 3.0 and week.spare_hours == 7 * 24 - 3.5
    assert week.overload_hours == 0


def test_weekly_capacity_follows_the_calendar_and_overload_shows_demand():
    problem = ShopProblem(
        (WorkCenter("S", calendar=Calendar(shift_names=frozenset({"S1"}))),),
        (WorkOrder("A", assembly_date=date(2025, 1, 8)),),
        (Operation("A", 1, "S", 60 * 60),),  # 60 h of work due Wednesday
        start=datetime(2025, 1, 6, 7, 0),
    )
    r = plan(problem, ShopOptions("dispatch"))
    loads = r.kpis.weekly_load
    assert loads[0].capacity_hours == 5 * 7.5
    assert loads[0].planned_hours == 37.5 and loads[0].due_hours == 60
    assert loads[0].overload_hours == 60 - 37.5
    assert loads[1].planned_hours == 22.5
    assert r.kpis.late_orders == 1


def test_plan_from_now_keeps_running_work_at_its_actual_start():
    """Re-planning at 08:41: nothing before 08:41; the operation in progress keeps its start."""
    from datetime import date, datetime

    from scheduler_core.shop import Calendar, Operation, ShopProblem, WorkCenter, WorkOrder, plan
    from scheduler_core.shop.validate import validate_plan

    shop = ShopProblem(
        (WorkCenter("TOK", calendar=Calendar(shift_names=frozenset({"S1", "S2"}))),),
        (WorkOrder("RN-1", 10, assembly_date=date(2026, 1, 9)), WorkOrder("RN-2", assembly_date=date(2026, 1, 9))),
        (Operation("RN-1", 1, "TOK", 200, quantity=10, quantity_completed=5, status="in_progress",
                   actual_start=datetime(2026, 1, 5, 7, 5)),
         Operation("RN-2", 1, "TOK", 150)),
        start=datetime(2026, 1, 5, 8, 41),
    )
    result = plan(shop)
    running, pending = sorted(result.operations, key=lambda p: p.op_id)
    assert running.start == datetime(2026, 1, 5, 7, 5) and running.in_progress
    assert running.intervals[0][0] == datetime(2026, 1, 5, 8, 41)
    assert all(s >= datetime(2026, 1, 5, 8, 41) for p in result.operations for s, _ in p.intervals)
    assert pending.start >= running.end
    assert validate_plan(shop, result) == []


def test_an_open_order_without_routing_is_listed_as_not_planned_never_skipped_silently():
    """An open order with no operations and one whose every operation is finished appear in
    ``not_planned`` with the reason; a closed order without operations does not; both
    strategies say so, and the codec keeps it."""
    from scheduler_core.shop import codec
    from scheduler_core.shop.kpis import NO_ROUTING, NOTHING_LEFT, orders_not_planned
    from scheduler_core.shop.result import NotPlanned

    problem = ShopProblem(
        (WorkCenter("M", calendar=Calendar.always()),),
        (
            WorkOrder("A", assembly_date=datetime(2025, 1, 7)),
            WorkOrder("EMPTY", assembly_date=datetime(2025, 1, 7)),
            WorkOrder("DONE-OPS", status="in_progress"),
            WorkOrder("CLOSED", status="completed"),
        ),
        (Operation("A", 1, "M", 60), Operation("DONE-OPS", 1, "M", 30, status="completed")),
        start=MON,
    )
    expected = (NotPlanned("EMPTY", NO_ROUTING), NotPlanned("DONE-OPS", NOTHING_LEFT))
    assert orders_not_planned(problem) == expected
    for strategy in ("dispatch", "optimise"):
        r = plan(problem, ShopOptions(strategy, time_limit_s=2))
        assert r.not_planned == expected
        assert [o.rn for o in r.orders] == ["A"]
        assert r.not_planned[0].describe() == "EMPTY: not planned: no routing"
        assert codec.result_from_json(codec.result_to_json(r)).not_planned == expected
    only_empty = ShopProblem((WorkCenter("M"),), (WorkOrder("EMPTY"),), (), start=MON)
    assert plan(only_empty).not_planned == (NotPlanned("EMPTY", NO_ROUTING),)


def test_an_order_with_open_work_on_an_inactive_work_center_is_not_planned_the_others_are():
    """One open operation on an inactive work center leaves out its order (listed with the
    operation and work center), not the whole shop; both strategies; the validator accepts
    the plan; the codec keeps kind and detail."""
    from scheduler_core.shop import codec
    from scheduler_core.shop.kpis import ON_INACTIVE, orders_not_planned
    from scheduler_core.shop.result import NotPlanned
    from scheduler_core.shop.validate import validate_plan

    problem = ShopProblem(
        (WorkCenter("LATHE", calendar=Calendar.always()), WorkCenter("MILL", calendar=Calendar.always(), active=False)),
        (WorkOrder("WO-1", assembly_date=datetime(2025, 1, 7)), WorkOrder("WO-2", assembly_date=datetime(2025, 1, 7)),
         WorkOrder("WO-3")),
        (Operation("WO-1", 10, "LATHE", 60), Operation("WO-1", 20, "MILL", 30),
         Operation("WO-2", 10, "LATHE", 45), Operation("WO-3", 10, "MILL", 20, status="completed"),
         Operation("WO-3", 20, "LATHE", 20)),
        start=MON,
    )
    expected = (NotPlanned("WO-1", ON_INACTIVE, "operation WO-1/20 is on inactive work center MILL"),)
    assert orders_not_planned(problem) == expected
    assert expected[0].describe() == "WO-1: not planned: operation WO-1/20 is on inactive work center MILL"
    for strategy in ("dispatch", "optimise"):
        r = plan(problem, ShopOptions(strategy, time_limit_s=2))
        assert r.not_planned == expected
        assert sorted(p.op_id for p in r.operations) == ["WO-2/10", "WO-3/20"]
        assert [o.rn for o in r.orders] == ["WO-2", "WO-3"]
        assert validate_plan(problem, r) == []
        assert codec.result_from_json(codec.result_to_json(r)).not_planned == expected


def test_plans_stored_before_the_kind_was_kept_read_their_reason_as_the_kind():
    from scheduler_core.shop import codec
    from scheduler_core.shop.kpis import NO_ROUTING
    from scheduler_core.shop.result import NotPlanned

    problem = ShopProblem((WorkCenter("M"),), (WorkOrder("EMPTY"),), (), start=MON)
    stored = codec.result_to_json(plan(problem))
    stored["not_planned"] = [{"rn": "EMPTY", "reason": "no routing"}]
    assert codec.result_from_json(stored).not_planned == (NotPlanned("EMPTY", NO_ROUTING),)
