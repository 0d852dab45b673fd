"""``write_workbook``: the normalised workbook it writes reads back to the same shop."""

from dataclasses import replace

from scheduler_core.shop import ShopOptions, plan, validate_plan
from scheduler_core.shop.demo import demo_shop
from scheduler_core.shop.io import read_workbook, write_workbook


def test_roundtrip_of_a_demo_shop(tmp_path):
    shop = demo_shop(4, work_centers=4, orders=25)
    back = read_workbook(write_workbook(shop, tmp_path / "shop.xlsx"))
    assert [w.code for w in back.work_centers] == [w.code for w in shop.work_centers]
    assert [w.calendar.shift_names for w in back.work_centers] == [
        w.calendar.shift_names for w in shop.work_centers
    ]
    assert set(back.work_centers[1].calendar.overrides) == set(
        shop.work_centers[1].calendar.overrides)
    assert back.work_orders == shop.work_orders
    assert [(o.op_id, o.norma, o.status, o.quantity_completed) for o in back.operations] == [
        (o.op_id, o.norma, o.status, o.quantity_completed) for o in shop.operations
    ]
    assert len(back.downtime) == len(shop.downtime)
    result = plan(replace(back, start=shop.start), ShopOptions("dispatch"))
    assert validate_plan(back, result) == []
