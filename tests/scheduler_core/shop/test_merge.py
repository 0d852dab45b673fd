"""``merge``: an import adds orders, updates orders by rn (routing replaced, their pins
released), adds or updates work centers by code (implied ones never change an existing one),
adds downtime once, and refuses a shop that breaks a rule."""

from dataclasses import replace
from datetime import date, datetime

import pytest

from scheduler_core.errors import InputError
from scheduler_core.shop import Calendar, Downtime, Operation, ShopProblem, WorkCenter, WorkOrder
from scheduler_core.shop.merge import Given, merge

DAY = date(2026, 1, 6)


def _current() -> ShopProblem:
    return ShopProblem(
        (WorkCenter("TOK", "Lathe", calendar=Calendar(overrides=((DAY, "S1", False),))), WorkCenter("GLO", "Mill")),
        (WorkOrder("A", quantity=2), WorkOrder("B")),
        (Operation("A", 1, "TOK", 10), Operation("A", 2, "GLO", 20), Operation("B", 1, "TOK", 5),
         Operation("B", 2, "TOK", 5)),
        (Downtime("GLO", datetime(2026, 1, 5, 8), datetime(2026, 1, 5, 9)),),
        pins=(("A/1", "B/1"), ("B/1", "B/2")),
    )


def test_add_new_orders_and_update_existing_by_rn():
    imported = ShopProblem(
        (WorkCenter("TOK", "Lathe 2", setup_time_minutes=15,
                    calendar=Calendar(overrides=((date(2026, 1, 7), "S2", False),))),
         WorkCenter("BUS", "Drill")),
        (WorkOrder("A", quantity=5, priority_level=1), WorkOrder("C")),
        (Operation("A", 1, "BUS", 30), Operation("C", 1, "TOK", 7)),
        (Downtime("TOK", datetime(2026, 1, 5, 8), datetime(2026, 1, 5, 9)),
         Downtime("TOK", datetime(2026, 1, 5, 8), datetime(2026, 1, 5, 9)),
         Downtime("BUS", datetime(2026, 1, 5, 10), datetime(2026, 1, 5, 11))),
    )
    m = merge(_current(), imported)
    p = m.problem
    assert (m.added_orders, m.updated_orders) == (("C",), ("A",))
    assert (m.added_work_centers, m.updated_work_centers) == (("BUS",), ("TOK",))
    assert p.order("A").quantity == 5 and p.order("A").priority_level == 1 and p.order("B") == _current().order("B")
    assert {op.op_id for op in p.operations} == {"A/1", "B/1", "B/2", "C/1"}
    assert p.operation("A/1").work_center == "BUS" and m.replaced_operations == 2
    assert m.released_pins == (("A/1", "B/1"),) and p.pins == (("B/1", "B/2"),)
    tok = p.wc("TOK")
    assert tok.setup_time_minutes == 15 and tok.name == "Lathe 2"
    assert not tok.calendar.is_working(DAY, "S1") and not tok.calendar.is_working(date(2026, 1, 7), "S2")
    assert m.added_downtime == 2 and len(p.downtime) == 3  # the repeated TOK interval once
    assert merge(p, imported).added_downtime == 0


def test_implied_work_centers_never_change_an_existing_one():
    imported = ShopProblem((WorkCenter("TOK"), WorkCenter("NEW")), (WorkOrder("C"),),
                           (Operation("C", 1, "TOK", 1), Operation("C", 2, "NEW", 1)))
    m = merge(_current(), imported, implied=frozenset({"TOK", "NEW"}))
    assert m.problem.wc("TOK") == _current().wc("TOK")
    assert m.added_work_centers == ("NEW",) and m.updated_work_centers == ()


def test_an_import_that_leaves_open_work_on_an_inactive_work_center_is_refused():
    imported = ShopProblem((WorkCenter("GLO", "Mill", active=False),), (WorkOrder("C"),), ())
    with pytest.raises(InputError, match="'A/2': work center 'GLO' is inactive"):
        merge(_current(), imported)


def test_an_updated_order_and_work_center_keep_the_fields_the_file_does_not_give():
    current = _current()
    imported = ShopProblem(
        (WorkCenter("TOK", "Lathe 3", capacity_hours_per_day=8, calendar=Calendar(weekdays=frozenset({0}))),),
        (WorkOrder("A", quantity=1, priority_level=3, delivery_date=date(2026, 3, 1)),),
        (Operation("A", 1, "TOK", 30), Operation("A", 2, "TOK", 5, quantity=7)),
    )
    given = Given(orders={"A": frozenset({"delivery_date"})}, work_centers={"TOK": frozenset({"name"})},
                  op_quantities=frozenset({"A/2"}))
    p = merge(replace(current, work_orders=(WorkOrder("A", quantity=2, priority_level=1), WorkOrder("B"))),
              imported, given=given).problem
    assert p.order("A") == WorkOrder("A", quantity=2, priority_level=1, delivery_date=date(2026, 3, 1))
    assert p.wc("TOK") == replace(current.wc("TOK"), name="Lathe 3")
    assert (p.operation("A/1").quantity, p.operation("A/2").quantity) == (2, 7)
    assert merge(current, imported).problem.order("A").priority_level == 3  # default: every field given
