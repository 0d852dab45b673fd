from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler_core.errors import InputError
from scheduler_core.shop.calendar import Timeline, add_working_minutes, working_intervals
from scheduler_core.shop.model import Calendar, Downtime, Shift

MON = datetime(2025, 1, 6, 7, 0)  # Monday


def dt(day: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2025, 1, day, hh, mm)


def test_default_pattern_is_22_5_hours_a_day():
    cal = Calendar()
    assert cal.hours_per_working_day == 22.5
    tl = Timeline(cal, MON)
    start = tl.to_minute(dt(6, 7))
    assert tl.working_between(start, start + 24 * 60) == 22.5 * 60


def test_break_interrupts_operation():
    # 07:00 + 240 working minutes: 07-10 (180), break 10:00-10:30, 10:30-11:30
    assert add_working_minutes(Calendar(), dt(6, 7), 240) == dt(6, 11, 30)
    assert working_intervals(Calendar(), dt(6, 7), 240) == [
        (dt(6, 7), dt(6, 10)),
        (dt(6, 10, 30), dt(6, 11, 30)),
    ]


def test_shift_boundary_is_seamless():
    # S1 ends 15:00 and S2 starts 15:00: one interval across
    assert working_intervals(Calendar(), dt(6, 14), 120) == [(dt(6, 14), dt(6, 16))]


def test_night_shift_across_midnight_with_break_at_two():
    ivs = working_intervals(Calendar(), dt(6, 22), 300)
    # 22-23 S2, 23-02 S3 (same interval), break 02:00-02:30, 02:30-03:30
    assert ivs == [(dt(6, 22), dt(7, 2)), (dt(7, 2, 30), dt(7, 3, 30))]


def test_weekend_is_not_working_and_friday_night_shift_runs_into_saturday():
    # Friday 2025-01-10 S3 starts 23:00 and runs to Saturday 07:00
    # S3 of Friday gives 450 minutes (break at 02:00); the 30 left run Monday 07:00-07:30
    end = add_working_minutes(Calendar(), dt(10, 23), 8 * 60)
    assert end == datetime(2025, 1, 13, 7, 30)
    ivs = working_intervals(Calendar(), dt(10, 23), 8 * 60)
    assert ivs[-1] == (datetime(2025, 1, 13, 7), datetime(2025, 1, 13, 7, 30))


def test_only_first_shift_and_holiday_override():
    cal = Calendar(shift_names=frozenset({"S1"}))
    cal = cal.with_override(date(2025, 1, 7), "S1", False)  # Tuesday off
    # Monday 14:00, 120 minutes: 14-15 Monday, then Wednesday 07-08
    assert working_intervals(cal, dt(6, 14), 120) == [
        (dt(6, 14), dt(6, 15)),
        (dt(8, 7), dt(8, 8)),
    ]
    extra = Calendar(shift_names=frozenset({"S1"})).with_override(date(2025, 1, 11), "S2", True)
    assert extra.is_working(date(2025, 1, 11), "S2")
    assert not extra.is_working(date(2025, 1, 11), "S1")


def test_downtime_is_skipped():
    down = [Downtime("X", dt(6, 8), dt(6, 9, 15))]
    assert working_intervals(Calendar(), dt(6, 7), 120, down) == [
        (dt(6, 7), dt(6, 8)),
        (dt(6, 9, 15), dt(6, 10, 0)),
        (dt(6, 10, 30), dt(6, 10, 45)),
    ]


def test_start_in_break_moves_to_next_working_minute():
    tl = Timeline(Calendar(), MON)
    assert tl.to_datetime(tl.next_working(tl.to_minute(dt(6, 10, 10)))) == dt(6, 10, 30)
    assert tl.working_intervals(dt(6, 10, 10), 10) == [(dt(6, 10, 30), dt(6, 10, 40))]


def test_always_working_calendar_is_plain_arithmetic():
    cal = Calendar.always()
    assert add_working_minutes(cal, dt(6, 7), 10_000) == dt(6, 7) + timedelta(minutes=10_000)
    down = [Downtime("M", dt(6, 8), dt(6, 9))]
    assert add_working_minutes(cal, dt(6, 7), 120, down) == dt(6, 10)


def test_configurable_shift_times():
    shifts = (Shift("A", time(6), time(14), time(9), 15), Shift("B", time(14), time(22)))
    cal = Calendar(shifts=shifts)
    assert cal.hours_per_working_day == 15.75
    expected = [(dt(6, 6), dt(6, 9)), (dt(6, 9, 15), dt(6, 9, 35))]
    assert working_intervals(cal, dt(6, 6), 200) == expected


def test_calendar_without_working_time_is_an_input_error():
    cal = Calendar(weekdays=frozenset())
    with pytest.raises(InputError, match="no working time"):
        add_working_minutes(cal, dt(6, 7), 10)


def test_at_cumulative_inverts_cumulative():
    tl = Timeline(Calendar(shift_names=frozenset({"S1"})), MON)
    for m in (0, 100, 180, 181, 450, 451, 2000):
        t = tl.at_cumulative(tl.cumulative(0) + m)
        assert tl.cumulative(t) == tl.cumulative(0) + m


@settings(max_examples=40, deadline=None)
@given(
    start=st.integers(0, 14 * 24 * 60),
    a=st.integers(0, 3000),
    b=st.integers(1, 3000),
    shifts=st.sampled_from([None, frozenset({"S1"}), frozenset({"S1", "S3"})]),
)
def test_adding_is_additive_and_intervals_sum_up(start, a, b, shifts):
    tl = Timeline(Calendar(shift_names=shifts), MON)
    t = start
    mid = tl.add(t, a)
    assert tl.add(t, a + b) == tl.add(mid, b)
    pieces = tl.intervals(t, b)
    assert sum(e - s for s, e in pieces) == b
    assert all(tl.working_between(s, e) == e - s for s, e in pieces)
    assert all(p[1] <= q[0] for p, q in zip(pieces, pieces[1:], strict=False))
