"""The shop result types: operations per work center, late orders, lateness and tardiness of
an order, spare and overloaded hours of a week; a result is read-only."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest

from scheduler_core.shop.result import OrderOutcome, PlannedOperation, ShopKpis, ShopResult, WeekLoad

T0 = datetime(2025, 1, 6, 7, 0)


def op(op_id: str, wc: str, start_h: float, end_h: float) -> PlannedOperation:
    rn, seq = op_id.split("/")
    start, end = T0 + timedelta(hours=start_h), T0 + timedelta(hours=end_h)
    return PlannedOperation(op_id, rn, int(seq), "", wc, start, end, int((end_h - start_h) * 60), ((start, end),))


def outcome(rn: str, lateness: float | None) -> OrderOutcome:
    due = T0 + timedelta(days=1)
    completion = None if lateness is None else due + timedelta(hours=lateness)
    return OrderOutcome(rn, 3, 1, None, due, completion, lateness)


KPIS = ShopKpis(
    weighted_tardiness_minutes=0, weighted_tardiness_hours=0.0, late_orders=0, orders=0,
    operations=0, max_lateness_hours=None, makespan_minutes=0, makespan_hours=0.0,
    utilisation={}, weekly_load=(),
)


def result(operations=(), orders=()) -> ShopResult:
    return ShopResult("dispatch", "assembly", T0, tuple(operations), tuple(orders), KPIS)


def test_by_work_center_groups_in_start_order():
    ops = [
        op("B/1", "GLO", 5, 6),
        op("A/1", "TOK", 2, 3),
        op("C/1", "TOK", 0, 1),
        op("A/2", "GLO", 3, 4),
        op("D/1", "ZAV", 1, 2),
    ]
    groups = result(ops).by_work_center()
    assert {w: [p.op_id for p in ps] for w, ps in groups.items()} == {
        "TOK": ["C/1", "A/1"],
        "ZAV": ["D/1"],
        "GLO": ["A/2", "B/1"],
    }
    assert list(groups) == ["TOK", "ZAV", "GLO"]  # by the first start on each


def test_by_work_center_ties_broken_by_end_then_id():
    ops = [op("B/1", "M", 0, 2), op("C/1", "M", 0, 1), op("A/1", "M", 0, 2)]
    assert [p.op_id for p in result(ops).by_work_center()["M"]] == ["C/1", "A/1", "B/1"]


def test_by_work_center_of_an_empty_plan():
    assert result().by_work_center() == {}


def test_late_orders_latest_first():
    orders = [outcome("A", 2.0), outcome("B", -1.0), outcome("C", None), outcome("D", 5.5), outcome("E", 0.0)]
    assert [o.rn for o in result(orders=orders).late_orders()] == ["D", "A"]
    assert result(orders=[outcome("B", -1.0)]).late_orders() == []


def test_order_late_only_after_its_due_moment():
    assert outcome("A", 0.25).late
    assert not outcome("A", 0.0).late  # exactly on time
    assert not outcome("A", -3.0).late
    assert not outcome("A", None).late  # no due date


def test_tardiness_hours():
    assert outcome("A", 2.5).tardiness_hours == 2.5
    assert outcome("A", 0.0).tardiness_hours == 0.0
    assert outcome("A", -3.0).tardiness_hours == 0.0
    assert outcome("A", None).tardiness_hours == 0.0


def test_week_spare_hours():
    week = WeekLoad("TOK", date(2025, 1, 6), capacity_hours=37.5, planned_hours=30.0, due_hours=10.0)
    assert week.spare_hours == 7.5
    assert week.overload_hours == 0.0
    over = WeekLoad("TOK", date(2025, 1, 6), capacity_hours=37.5, planned_hours=40.0, due_hours=10.0)
    assert over.spare_hours == -2.5  # more planned than the week holds


def test_week_overload_is_due_work_beyond_capacity():
    week = WeekLoad("TOK", date(2025, 1, 6), capacity_hours=37.5, planned_hours=37.5, due_hours=60.0)
    assert week.overload_hours == 22.5
    assert week.spare_hours == 0.0
    exact = WeekLoad("TOK", date(2025, 1, 6), capacity_hours=37.5, planned_hours=0.0, due_hours=37.5)
    assert exact.overload_hours == 0.0


def test_defaults_of_a_result():
    r = result()
    assert (r.proven_optimal, r.runtime_s, r.status, r.warnings, r.best_found_s) == (False, 0.0, "", (), None)


def test_result_types_are_read_only():
    r = result([op("A/1", "M", 0, 1)], [outcome("A", 1.0)])
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.strategy = "optimise"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.operations[0].start = T0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.orders[0].lateness_hours = 0.0  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        KPIS.late_orders = 3  # type: ignore[misc]
    assert dataclasses.replace(r, strategy="optimise").strategy == "optimise"
    assert r.strategy == "dispatch"
