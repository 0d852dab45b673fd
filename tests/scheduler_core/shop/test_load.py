"""Load vs capacity per work center and day / week: capacity from shifts, breaks,
exceptions and downtime; planned hours from the plan's intervals; work due by due day;
the weekly figures agree with the plan's ``WeekLoad``."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from scheduler_core.errors import InputError
from scheduler_core.shop import ShopOptions, plan
from scheduler_core.shop.demo import demo_shop
from scheduler_core.shop.edits import add_downtime
from scheduler_core.shop.load import PeriodLoad, period_loads
from scheduler_core.shop.model import Calendar, Downtime, Operation, ShopProblem, WorkCenter, WorkOrder

MONDAY = datetime(2025, 1, 6, 7)
ONE_SHIFT = Calendar(shift_names=frozenset({"S1"}))
SHOP = ShopProblem(
    (WorkCenter("TOK", calendar=ONE_SHIFT), WorkCenter("GLO", calendar=ONE_SHIFT), WorkCenter("OFF", active=False)),
    (WorkOrder("A", assembly_date=date(2025, 1, 7)), WorkOrder("B")),
    (Operation("A", 1, "TOK", 10 * 60), Operation("A", 2, "GLO", 60), Operation("B", 1, "TOK", 60)),
    start=MONDAY,
)


def test_daily_capacity_planned_and_due_hours_by_hand():
    result = plan(SHOP, ShopOptions("dispatch"))
    days = [x for x in period_loads(SHOP, result, "day") if x.work_center == "TOK"]
    assert [x.start for x in days][:3] == [date(2025, 1, 6), date(2025, 1, 7), date(2025, 1, 8)]
    assert all(x.days == 1 for x in days)
    assert days[0].capacity_hours == 7.5  # S1 07-15 minus the 30-minute break
    assert days[0].planned_hours == 7.5 and days[1].planned_hours == 3.5  # 11 h of work in all
    assert days[0].due_hours == 0 and days[1].due_hours == 10  # A is due on the 7th: its 10 h count there
    assert days[1].overload_hours("due") == 2.5 and days[0].overload_hours() == 0
    assert days[0].ratio() == 1.0
    assert {x.work_center for x in period_loads(SHOP, result, "day")} == {"TOK", "GLO"}  # inactive without work: out


def test_downtime_and_exceptions_take_capacity_and_planned_work_above_it_shows():
    result = plan(SHOP, ShopOptions("dispatch"))
    down = add_downtime(SHOP, Downtime("TOK", datetime(2025, 1, 6, 7), datetime(2025, 1, 6, 11)))
    holiday = ShopProblem(
        (WorkCenter("TOK", calendar=ONE_SHIFT.with_override(date(2025, 1, 7), "S1", False)),), (), (), start=MONDAY)
    first = next(x for x in period_loads(down, result, "day") if x.work_center == "TOK")
    assert first.capacity_hours == 4.0 and first.planned_hours == 7.5  # 11-15: planned before it went down
    assert first.overload_hours() == 3.5 and first.ratio() == pytest.approx(7.5 / 4)
    second = [x for x in period_loads(holiday, result, "day") if x.work_center == "TOK"][1]
    assert second.capacity_hours == 0 and second.ratio() is None and second.overload_hours() == 3.5


def test_weeks_agree_with_the_plans_weekly_load():
    shop = demo_shop(7, work_centers=4, orders=30, start=datetime(2026, 1, 7, 9, 30))
    result = plan(shop, ShopOptions("dispatch"))
    weeks = {(x.work_center, x.start): x for x in period_loads(shop, result, "week")}
    for w in result.kpis.weekly_load:
        mine = weeks[(w.work_center, w.week_start)]
        assert (mine.capacity_hours, mine.planned_hours, mine.due_hours) == (
            w.capacity_hours, w.planned_hours, w.due_hours)
    days = period_loads(shop, result, "day")
    total = sum(p.duration_minutes + p.setup_minutes for p in result.operations) / 60
    assert sum(x.planned_hours for x in days) == pytest.approx(total, abs=0.05 * len(days))


def test_unknown_period_is_refused():
    result = plan(SHOP, ShopOptions("dispatch"))
    with pytest.raises(InputError, match="unknown period 'month'"):
        period_loads(SHOP, result, "month")


def test_period_load_figures():
    x = PeriodLoad("M", date(2025, 1, 6), 7, 10.0, 12.0, 8.0)
    assert x.hours() == 12.0 and x.hours("due") == 8.0
    assert x.ratio("due") == 0.8 and x.overload_hours() == 2.0 and x.overload_hours("due") == 0
