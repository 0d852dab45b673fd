"""Preparing a problem for planning: indices, durations, due minutes and the plan rule."""

from dataclasses import replace
from datetime import datetime

from scheduler_core.errors import check
from scheduler_core.shop.prepared import (
    PLAN_RULES,
    inactive_reason,
    natural_key,
    open_on_inactive,
    orders_on_inactive,
    prepare,
    resolve_start,
)


def test_natural_key_orders_numbers_by_value():
    assert sorted(["RN-10", "RN-2", "RN-1"], key=natural_key) == ["RN-1", "RN-2", "RN-10"]


def test_resolve_start_drops_seconds_and_defaults_to_now(shop):
    assert resolve_start(replace(shop, start=datetime(2025, 1, 6, 7, 0, 31))) == datetime(2025, 1, 6, 7, 0)
    assert resolve_start(replace(shop, start=None)) > datetime.now().replace(second=0, microsecond=0)


def test_prepare_indexes_open_operations_in_routing_order(shop):
    prep = prepare(shop, "assembly")
    assert prep.n == len(shop.open_operations())
    first, second = prep.order_ops["RN-1"][:2]
    assert prep.pred[second] == first and prep.pred[first] is None
    assert prep.dur[prep.index["RN-3/1"]] == 320  # 400 × (1 − 1/5)
    # due by the end of the assembly date, in minutes from the start (Mon 07:00 → Fri 00:00)
    assert prep.due_min["RN-1"] == (datetime(2025, 1, 10) - shop.start).total_seconds() // 60


def test_orders_with_open_work_on_an_inactive_work_center_are_left_out(shop):
    off = replace(shop, work_centers=tuple(replace(w, active=w.code != "ZAV") for w in shop.work_centers))
    blocked = orders_on_inactive(off)
    assert blocked and all(op.work_center == "ZAV" for ops in blocked.values() for op in ops)
    prep = prepare(off)
    assert set(prep.order_ops) == {op.rn for op in shop.open_operations()} - set(blocked)
    assert all(op.rn not in blocked for op in prep.ops)
    # the same condition stays a rule for imports
    assert [p.reason for p in check(PLAN_RULES, off)] == [inactive_reason(op) for op in open_on_inactive(off)]
