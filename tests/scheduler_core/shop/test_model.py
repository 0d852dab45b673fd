"""A shop problem validates itself when built: one test per rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from scheduler_core.errors import InputError
from scheduler_core.shop import Downtime, Operation, ShopProblem, WorkCenter, WorkOrder, model


def _reasons(rule, problem):
    return [p.reason for p in rule(problem)]


def _unchecked(shop, **changes):
    """``shop`` with ``changes`` but without running the rules (to test one rule alone)."""
    clone = object.__new__(type(shop))
    for name in shop.__dataclass_fields__:
        object.__setattr__(clone, name, changes.get(name, getattr(shop, name)))
    return clone


def test_built_problem_has_no_problems(shop):
    assert shop.problems() == []


def test_building_collects_every_problem(shop):
    ops = (*shop.operations, Operation("RN-404", 1, "NOPE", -1))
    with pytest.raises(InputError) as info:
        replace(shop, operations=ops)
    reasons = " ".join(p.reason for p in info.value.problems)
    assert "unknown work order" in reasons and "unknown work center" in reasons and "norma" in reasons


def test_work_centers_unique(shop):
    bad = _unchecked(shop, work_centers=(*shop.work_centers, WorkCenter("TOK")))
    assert _reasons(model.work_centers_unique, bad) == ["duplicate work center 'TOK'"]


def test_work_orders_unique(shop):
    bad = _unchecked(shop, work_orders=(*shop.work_orders, WorkOrder("RN-1")))
    assert _reasons(model.work_orders_unique, bad) == ["duplicate work order 'RN-1'"]


def test_work_order_values(shop):
    bad = _unchecked(shop, work_orders=(WorkOrder("X", quantity=0, priority_level=7, status="lost"),))
    assert len(_reasons(model.work_order_values, bad)) == 3


def test_operations_unique(shop):
    bad = _unchecked(shop, operations=(*shop.operations, shop.operations[0]))
    assert _reasons(model.operations_unique, bad) == ["duplicate operation 'RN-1/1'"]


def test_operation_references(shop):
    bad = _unchecked(shop, operations=(Operation("RN-9", 1, "XX", 10),))
    assert len(_reasons(model.operation_references, bad)) == 2


def test_operation_values(shop):
    op = Operation("RN-1", 1, "TOK", -5, quantity=2, quantity_completed=3, status="gone")
    assert len(_reasons(model.operation_values, _unchecked(shop, operations=(op,)))) == 3


def test_pins_known(shop):
    bad = _unchecked(shop, pins=(("RN-1/1", "RN-1/9"), ("RN-1/1", "RN-1/1"), ("RN-1/1", "RN-2/1")))
    assert _reasons(model.pins_known, bad) == [
        "pin RN-1/1 -> RN-1/9: unknown operation 'RN-1/9'",
        "pin RN-1/1 -> RN-1/1: an operation cannot follow itself",
        "pin RN-1/1 -> RN-2/1: the operations are on different work centers",
    ]


def test_pins_acyclic(shop):
    bad = _unchecked(shop, pins=(("RN-1/1", "RN-2/2"), ("RN-2/2", "RN-3/1"), ("RN-3/1", "RN-1/1")))
    assert _reasons(model.pins_acyclic, bad) == ["pins form a cycle: RN-1/1 -> RN-2/2 -> RN-3/1 -> RN-1/1"]


def test_downtime_valid(shop, monday):
    bad = _unchecked(shop, downtime=(Downtime("XX", monday, monday - timedelta(hours=1)),))
    assert len(_reasons(model.downtime_valid, bad)) == 2


def test_lookups(shop):
    assert shop.wc("TOK").code == "TOK" and shop.order("RN-2").rn == "RN-2"
    assert shop.operation("RN-2/1").work_center == "GLO"
    with pytest.raises(KeyError):
        shop.operation("RN-2/9")


def test_pins_that_contradict_the_routings_are_refused():
    from scheduler_core.shop import edits

    wcs = (WorkCenter("W1"), WorkCenter("W2"))
    orders = (WorkOrder("X"), WorkOrder("Y"))
    ops = (Operation("X", 1, "W1", 60), Operation("X", 2, "W2", 60),
           Operation("Y", 1, "W2", 60), Operation("Y", 2, "W1", 60))
    with pytest.raises(InputError, match="pins contradict the routings, a cycle: .*X/1"):
        ShopProblem(wcs, orders, ops, pins=(("Y/2", "X/1"), ("X/2", "Y/1")))
    one = ShopProblem(wcs, orders, ops, pins=(("Y/2", "X/1"),))
    with pytest.raises(InputError, match="contradict the routings"):
        edits.move_up(one, ["Y/1", "X/2"], "X/2")


def test_dates_outside_the_accepted_range_are_refused_by_the_problem():
    from datetime import date, datetime

    from scheduler_core.shop.model import dates_plausible

    problem = ShopProblem(
        (WorkCenter("M"),),
        (WorkOrder("A", delivery_date=date(2026, 1, 9)),),
        (Operation("A", 1, "M", 60),),
        start=datetime(2026, 1, 5, 7),
    )
    assert list(dates_plausible(problem)) == []
    with pytest.raises(InputError) as info:
        ShopProblem((WorkCenter("M"),), (WorkOrder("A", delivery_date=date(9999, 12, 31)),),
                    (Operation("A", 1, "M", 60, pinned_start=datetime(1900, 1, 1, 7)),),
                    downtime=(Downtime("M", datetime(2026, 1, 5), datetime(2301, 1, 1)),))
    reasons = [p.reason for p in info.value.problems]
    assert reasons == [
        "work order 'A': delivery_date '9999-12-31' is outside the accepted range 1990-01-01 to 2200-12-31",
        "operation 'A/1': pinned_start '1900-01-01 07:00' is outside the accepted range 1990-01-01 to 2200-12-31",
        "downtime on 'M': end '2301-01-01 00:00' is outside the accepted range 1990-01-01 to 2200-12-31",
    ]
