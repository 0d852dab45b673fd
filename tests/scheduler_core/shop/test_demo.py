from scheduler_core.shop import ShopOptions, plan, validate_plan
from scheduler_core.shop.demo import demo_shop, write_demo_workbook
from scheduler_core.shop.io import read_workbook


def test_same_seed_same_shop_other_seed_other_shop():
    assert demo_shop(5, orders=40) == demo_shop(5, orders=40)
    assert demo_shop(5, orders=40).operations != demo_shop(6, orders=40).operations


def test_demo_shop_is_realistic():
    shop = demo_shop(1, work_centers=8, orders=200)
    assert shop.problems() == []
    assert len(shop.work_centers) == 8
    assert len({w.calendar for w in shop.work_centers}) >= 3
    assert len(shop.work_orders) == 200
    per_order = {}
    for op in shop.operations:
        per_order[op.rn] = per_order.get(op.rn, 0) + 1
    assert set(per_order.values()) <= set(range(1, 7)) and max(per_order.values()) >= 5
    assert sum(o.urgency_rank is not None for o in shop.work_orders) == 5
    assert any(0 < op.quantity_completed < op.quantity for op in shop.operations)
    assert any(op.status == "completed" for op in shop.operations)
    assert any(op.status == "in_progress" for op in shop.operations)
    dues = sorted(o.assembly_date for o in shop.work_orders)
    assert (dues[-1] - dues[0]).days >= 21
    assert shop.downtime


def test_demo_clamps_work_center_count():
    assert len(demo_shop(1, work_centers=1, orders=5).work_centers) == 2
    assert len(demo_shop(1, work_centers=20, orders=5).work_centers) == 8


def test_demo_plans_validly_and_workbook_reads_back(tmp_path):
    shop = demo_shop(9, work_centers=4, orders=30)
    result = plan(shop, ShopOptions("dispatch"))
    assert validate_plan(shop, result) == []
    path = write_demo_workbook(tmp_path / "demo.xlsx", seed=9, work_centers=4, orders=30)
    back = read_workbook(path)
    assert len(back.operations) == len(shop.operations)
