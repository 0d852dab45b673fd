from datetime import date, datetime

from scheduler_core.shop import (
    Operation,
    ShopOptions,
    ShopProblem,
    WorkCenter,
    WorkOrder,
    plan,
    validate_plan,
)
from scheduler_core.shop.dispatch import dispatch_order
from scheduler_core.shop.model import Calendar


def test_rule_urgency_then_assembly_date_then_priority():
    orders = [
        WorkOrder("A", priority_level=3, assembly_date=date(2025, 1, 10)),
        WorkOrder("B", priority_level=1, assembly_date=date(2025, 1, 10)),
        WorkOrder("C", priority_level=3, assembly_date=date(2025, 1, 8)),
        WorkOrder("D", priority_level=3, assembly_date=date(2025, 1, 20), urgency_rank=2),
        WorkOrder("E", priority_level=3, assembly_date=date(2025, 1, 30), urgency_rank=1),
        WorkOrder("F", priority_level=1),  # no date: last
        WorkOrder("G", priority_level=2, delivery_date=date(2025, 1, 9)),  # falls back
    ]
    assert [o.rn for o in dispatch_order(orders)] == ["E", "D", "C", "G", "B", "A", "F"]


def test_delivery_option_changes_the_order():
    orders = [
        WorkOrder("A", assembly_date=date(2025, 1, 5), delivery_date=date(2025, 1, 20)),
        WorkOrder("B", assembly_date=date(2025, 1, 6), delivery_date=date(2025, 1, 10)),
    ]
    assert [o.rn for o in dispatch_order(orders, "assembly")] == ["A", "B"]
    assert [o.rn for o in dispatch_order(orders, "delivery")] == ["B", "A"]


def test_ties_by_rn_naturally():
    orders = [WorkOrder("RN-10"), WorkOrder("RN-2"), WorkOrder("RN-1")]
    assert [o.rn for o in dispatch_order(orders)] == ["RN-1", "RN-2", "RN-10"]


def _one_machine(orders, ops):
    return ShopProblem(
        (WorkCenter("M", calendar=Calendar.always()),), tuple(orders), tuple(ops),
        start=datetime(2025, 1, 6),
    )


def test_single_work_center_runs_in_rule_order():
    orders = [
        WorkOrder("A", assembly_date=date(2025, 1, 9)),
        WorkOrder("B", assembly_date=date(2025, 1, 7)),
        WorkOrder("C", assembly_date=date(2025, 1, 8), urgency_rank=1),
    ]
    ops = [Operation(o.rn, 1, "M", 60) for o in orders]
    result = plan(_one_machine(orders, ops), ShopOptions("dispatch"))
    seq = [p.rn for p in sorted(result.operations, key=lambda p: p.start)]
    assert seq == ["C", "B", "A"]
    assert result.operations[0].start >= datetime(2025, 1, 6)


def test_plan_is_valid_and_kpis_consistent(shop):
    result = plan(shop, ShopOptions("dispatch"))
    assert validate_plan(shop, result) == []
    assert result.strategy == "dispatch"
    k = result.kpis
    assert k.operations == len(shop.operations)
    assert k.late_orders == sum(o.late for o in result.orders)
    late_w = sum(o.weight * o.tardiness_hours for o in result.orders)
    assert abs(k.weighted_tardiness_hours - late_w) < 1e-6
    assert k.weighted_tardiness_minutes == round(late_w * 60)
    assert set(k.utilisation) == {"TOK", "GLO", "ZAV"}
    assert all(0 < u <= 1 for u in k.utilisation.values())
    for wl in k.weekly_load:
        assert wl.planned_hours <= wl.capacity_hours + 1e-6


def test_remaining_duration_uses_completed_quantity(shop):
    result = plan(shop, ShopOptions("dispatch"))
    by_id = {p.op_id: p for p in result.operations}
    assert by_id["RN-3/1"].duration_minutes == 320  # 400 × (1 − 1/5)
    assert by_id["RN-5/1"].duration_minutes == 525  # 700 × (1 − 2/8)


def test_in_progress_operation_stays_first(make_shop):
    shop = make_shop()
    ops = [
        Operation(o.rn, o.sequence, o.work_center, o.norma, o.name, o.quantity,
                  o.quantity_completed, "in_progress" if o.op_id == "RN-1/1" else o.status)
        for o in shop.operations
    ]
    shop = make_shop(operations=tuple(ops))
    result = plan(shop, ShopOptions("dispatch"))
    tok = result.by_work_center()["TOK"]
    assert tok[0].op_id == "RN-1/1"
    assert validate_plan(shop, result) == []


def test_pin_is_kept(make_shop):
    shop = make_shop(pins=(("RN-5/2", "RN-1/1"),))
    result = plan(shop, ShopOptions("dispatch"))
    by_id = {p.op_id: p for p in result.operations}
    assert by_id["RN-5/2"].end <= by_id["RN-1/1"].start
    assert validate_plan(shop, result) == []


def test_closed_orders_and_operations_drop_out(make_shop):
    shop = make_shop()
    orders = tuple(
        WorkOrder(o.rn, o.quantity, o.priority_level, assembly_date=o.assembly_date,
                  status="completed" if o.rn == "RN-2" else o.status)
        for o in shop.work_orders
    )
    ops = tuple(
        Operation(o.rn, o.sequence, o.work_center, o.norma, quantity=o.quantity,
                  status="completed" if o.op_id == "RN-1/1" else o.status)
        for o in shop.operations
    )
    shop = make_shop(work_orders=orders, operations=ops)
    result = plan(shop, ShopOptions("dispatch"))
    ids = {p.op_id for p in result.operations}
    assert "RN-1/1" not in ids and "RN-2/1" not in ids and "RN-1/2" in ids
    assert validate_plan(shop, result) == []


def test_downtime_and_pinned_start(make_shop, monday):
    from datetime import timedelta

    from scheduler_core.shop import Downtime

    shop = make_shop()
    pinned = monday + timedelta(days=2, hours=1)
    ops = tuple(
        Operation(o.rn, o.sequence, o.work_center, o.norma, quantity=o.quantity,
                  pinned_start=pinned if o.op_id == "RN-4/1" else None)
        for o in shop.operations
    )
    shop = make_shop(operations=ops,
                     downtime=(Downtime("TOK", monday, monday + timedelta(hours=5)),))
    result = plan(shop, ShopOptions("dispatch"))
    by_id = {p.op_id: p for p in result.operations}
    assert by_id["RN-4/1"].start == pinned
    assert all(p.start >= monday + timedelta(hours=5) for p in result.by_work_center()["TOK"])
    assert validate_plan(shop, result) == []
