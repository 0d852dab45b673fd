"""The shop Gantt charts: by work center with non-working bands, setups and late orders in
their colours, by order with due markers; the window (first week by default, presets),
labels inside the bars, the legend above the plot, a bounded height, and the operation a
click selects."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from scheduler_core.shop import Calendar, Operation, ShopOptions, ShopProblem, WorkCenter, WorkOrder, plan
from scheduler_core.shop.demo import demo_shop
from webapp.charts.shop import (
    LATE,
    MAX_HEIGHT,
    OFF_TIME,
    SETUP,
    gantt_by_order,
    gantt_by_work_center,
    non_working,
    operation_at,
    window,
)

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


BIG = demo_shop(3, work_centers=8, orders=300, start=datetime(2026, 1, 5, 7))
BIG_PLAN = plan(BIG, ShopOptions("dispatch"))


def test_the_window_defaults_to_the_first_week_and_only_its_bars_are_drawn():
    fig = gantt_by_work_center(BIG_PLAN, BIG)
    start = BIG_PLAN.start
    assert list(fig.layout.xaxis.range) == [start.isoformat(), (start + timedelta(days=7)).isoformat()]
    ops = {i[8] for t in fig.data if t.customdata is not None for i in t.customdata}
    inside = {p.op_id for p in BIG_PLAN.operations if p.start < start + timedelta(days=7)}
    assert ops == inside and len(ops) < len(BIG_PLAN.operations)
    assert window(BIG_PLAN, "day") == (start, start + timedelta(days=1))
    assert window(BIG_PLAN, "month", start + timedelta(days=3))[1] == start + timedelta(days=34)
    assert window(BIG_PLAN, "all") == (start, max(p.end for p in BIG_PLAN.operations))
    everything = gantt_by_work_center(BIG_PLAN, BIG, span=window(BIG_PLAN, "all"))
    assert sum(len(t.x) for t in everything.data[1:]) > sum(len(t.x) for t in fig.data[1:])


def test_300_orders_on_8_machines_one_row_each_height_bounded_legend_above():
    fig = gantt_by_work_center(BIG_PLAN, BIG)
    assert len(fig.layout.yaxis.categoryarray) == 8
    assert fig.layout.height <= MAX_HEIGHT
    assert fig.layout.legend.y > 1 and fig.layout.legend.yanchor == "bottom"  # above the plot, off the axis
    assert fig.layout.modebar.orientation == "v"  # the tool icons stay off the legend
    assert gantt_by_order(BIG_PLAN, [o.rn for o in BIG_PLAN.orders]).layout.height <= MAX_HEIGHT


def test_bars_are_labelled_with_their_operation_and_hide_labels_that_do_not_fit():
    fig = gantt_by_work_center(RESULT, PROBLEM)
    bars = [t for t in fig.data if t.name in ("on time", "late order")]
    assert all(t.textposition == "inside" for t in bars)
    assert fig.layout.uniformtext.mode == "hide"  # too narrow: no label
    assert {x for t in bars for x in t.text} == {p.op_id for p in RESULT.operations}
    by_order = gantt_by_order(RESULT)
    assert {x for t in by_order.data if t.type == "bar" and t.text for x in t.text} == {
        p.op_id for p in RESULT.operations}


def test_setup_non_working_and_late_have_their_own_colours():
    fig = gantt_by_work_center(RESULT, PROBLEM)
    colour = {t.name: t.marker.color for t in fig.data}
    assert colour["non-working time"] == OFF_TIME and colour["late order"] == LATE
    assert len({OFF_TIME, SETUP, LATE, colour.get("on time", LATE)}) >= 3


def test_a_selected_bar_gives_its_operation():
    fig = gantt_by_work_center(RESULT, PROBLEM)
    bar = next(t for t in fig.data if t.name == "late order")
    point = {"curve_number": 1, "point_index": 0, "customdata": list(bar.customdata[0])}
    assert operation_at({"selection": {"points": [point]}}) == bar.customdata[0][8]
    band = {"curve_number": 0, "point_index": 0}
    assert operation_at({"selection": {"points": [band]}}) is None
    assert operation_at({"selection": {"points": []}}) is None and operation_at(None) is None


def test_work_center_colours_stay_clear_of_setup_late_and_non_working():
    from webapp.charts.shop import LATE, OFF_TIME, PALETTE, SETUP

    def rgb(h):
        return tuple(int(h[i:i + 2], 16) for i in (1, 3, 5))

    def far(a, b):
        return sum((x - y) ** 2 for x, y in zip(rgb(a), rgb(b), strict=True)) ** 0.5 > 100

    assert all(far(c, other) for c in PALETTE for other in (SETUP, LATE, OFF_TIME))
