"""Pin rules: no cycle of pins, alone or with the routings (the other rules: test_model)."""

from __future__ import annotations

from scheduler_core.shop import Operation, ShopProblem, WorkCenter, WorkOrder
from scheduler_core.shop.pins import pin_cycle, pins_acyclic


def test_pin_cycle_finds_a_cycle_or_nothing():
    assert pin_cycle([("a", "b"), ("b", "c")]) == []
    cycle = pin_cycle([("a", "b"), ("b", "c"), ("c", "a")])
    assert cycle[0] == cycle[-1] and set(cycle) == {"a", "b", "c"}


def test_pins_that_cross_the_routings_form_a_cycle():
    shop = ShopProblem((WorkCenter("W1"), WorkCenter("W2")), (WorkOrder("X"), WorkOrder("Y")),
                       (Operation("X", 1, "W1", 60), Operation("X", 2, "W2", 60),
                        Operation("Y", 1, "W2", 60), Operation("Y", 2, "W1", 60)))
    crossing = type("P", (), {"operations": shop.operations, "pins": [("Y/2", "X/1"), ("X/2", "Y/1")]})()
    (problem,) = pins_acyclic(crossing)
    assert "contradict the routings" in problem.reason
    assert list(pins_acyclic(type("P", (), {"operations": shop.operations, "pins": [("Y/2", "X/1")]})())) == []
