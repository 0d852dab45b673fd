"""The shop figures: Gantt by work center with non-working bands and late orders, Gantt by
order with due markers, weekly load with overloads."""

from __future__ import annotations

from datetime import date, datetime

from scheduler_core.shop import Calendar, Operation, ShopOptions, ShopProblem, WorkCenter, WorkOrder, plan
from webapp.charts.shop import SETUP, gantt_by_order, gantt_by_work_center, non_working, weekly_load

MONDAY = datetime(2025, 1, 6, 7)
PROBLEM = ShopProblem(
    (WorkCenter("TOK", calendar=Calendar(shift_names=frozenset({"S1"}))), WorkCenter("<GLO>")),
    (WorkOrder("RN-1", assembly_date=date(2025, 1, 6)), WorkOrder("RN-2", assembly_date=date(2025, 1, 31))),
    (Operation("RN-1", 1, "TOK", 600), Operation("RN-1", 2, "<GLO>", 60), Operation("RN-2", 1, "TOK", 120)),
    start=MONDAY,
)
RESULT = plan(PROBLEM, ShopOptions("dispatch"))


def test_non_working_bands_are_breaks_and_shifts_off():
    bands = non_working(PROBLEM, "TOK", MONDAY, datetime(2025, 1, 7, 7))
    assert (datetime(2025, 1, 6, 10), datetime(2025, 1, 6, 10, 30)) in bands  # the S1 break
    assert (datetime(2025, 1, 6, 15), datetime(2025, 1, 7, 7)) in bands  # S2 and S3 not worked


def test_gantt_by_work_center_marks_late_orders_and_escapes():
    fig = gantt_by_work_center(RESULT, PROBLEM)
    names = [t.name for t in fig.data]
    assert names[0] == "non-working time" and "late order" in names  # RN-1 is due on day one
    assert "&lt;GLO&gt;" in fig.layout.yaxis.categoryarray


def test_gantt_by_order_shows_the_chosen_orders_and_their_due_marker():
    fig = gantt_by_order(RESULT, ["RN-2"])
    bars = [t for t in fig.data if t.type == "bar"]
    assert {y for t in bars for y in t.y} == {"RN-2"}
    (due,) = [t for t in fig.data if t.name == "due"]
    assert list(due.y) == ["RN-2"]


def test_weekly_load_per_work_center_and_overload_marks():
    fig = weekly_load(RESULT, "TOK")
    assert [t.name for t in fig.data][:3] == ["planned (h)", "due work (h)", "capacity (h)"]
    planned = sum(t for t in fig.data[0].y)
    assert abs(planned - round(sum(p.duration_minutes for p in RESULT.operations if p.work_center == "TOK") / 60, 1)) < 0.2


def test_setups_have_their_own_colour_and_the_axis_names_the_zone():
    shop = ShopProblem(
        (WorkCenter("TOK", setup_time_minutes=30, calendar=Calendar(shift_names=frozenset({"S1"}))),),
        (WorkOrder("RN-1", kpl="A", assembly_date=date(2026, 1, 9)), WorkOrder("RN-2", kpl="B")),
        (Operation("RN-1", 1, "TOK", 60), Operation("RN-2", 1, "TOK", 60)),
        start=datetime(2026, 1, 5, 7), time_zone="Europe/Zagreb",
    )
    result = plan(shop)
    fig = gantt_by_work_center(result, shop)
    setup = next(t for t in fig.data if t.name == "setup")
    assert list(setup.x) == [30 * 60_000, 30 * 60_000] and setup.marker.color == SETUP
    assert "Europe/Zagreb" in fig.layout.xaxis.title.text
    by_order = gantt_by_order(result)
    assert any(t.name == "setup" for t in by_order.data)
