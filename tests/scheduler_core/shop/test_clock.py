"""Plant time: wall-clock datetimes in an IANA zone, real minutes across daylight-saving
switches (Europe/Zagreb: 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00), offsets
converted to plant time, unknown zones refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from scheduler_core.errors import InputError
from scheduler_core.shop import (
    Calendar,
    Operation,
    ShopOptions,
    ShopProblem,
    WorkCenter,
    WorkOrder,
    clock,
    plan,
)
from scheduler_core.shop.calendar import Timeline
from scheduler_core.shop.codec import result_from_json, result_to_json
from scheduler_core.shop.validate import validate_plan

ZAGREB = "Europe/Zagreb"
NIGHTS = Calendar(weekdays=frozenset(range(7)), shift_names=frozenset({"S3"}))


def _night_minutes(day: date) -> int:
    """Working minutes of the S3 night shift that starts on ``day`` (23:00–07:00, 30 min break)."""
    start = datetime.combine(day, datetime.min.time())
    tl = Timeline(NIGHTS, start, zone_name=ZAGREB)
    return tl.working_between(tl.to_minute(start + timedelta(hours=20)), tl.to_minute(start + timedelta(hours=34)))


def test_a_dst_night_has_one_hour_less_or_more_of_work():
    assert _night_minutes(date(2026, 3, 21)) == 450  # an ordinary night: 8 h - 30 min break
    assert _night_minutes(date(2026, 3, 28)) == 390  # spring: the night has no 02:00-03:00
    assert _night_minutes(date(2026, 10, 24)) == 510  # autumn: 02:00-03:00 twice
    utc = Timeline(NIGHTS, datetime(2026, 3, 28), zone_name="UTC")
    assert utc.working_between(utc.to_minute(datetime(2026, 3, 28, 20)), utc.to_minute(datetime(2026, 3, 29, 10))) == 450


def test_a_plan_over_the_spring_night_is_real_time_and_valid():
    problem = ShopProblem(
        (WorkCenter("TOK", calendar=NIGHTS),), (WorkOrder("RN-1", assembly_date=date(2026, 3, 30)),),
        (Operation("RN-1", 1, "TOK", 360, "turning"),), start=datetime(2026, 3, 28, 23), time_zone=ZAGREB,
    )
    result = plan(problem, ShopOptions("dispatch"))
    (op,) = result.operations
    # 23:00 CET - 03:00 CEST is 3 real hours (02:00 CET is 03:00 CEST), the break's 02:00-02:30
    # is 03:00-03:30 CEST, then 3 h more: ends 06:30; no interval shows a time that does not exist
    assert op.intervals == ((datetime(2026, 3, 28, 23), datetime(2026, 3, 29, 3)),
                            (datetime(2026, 3, 29, 3, 30), datetime(2026, 3, 29, 6, 30)))
    assert validate_plan(problem, result) == []
    assert clock.label(op.end, ZAGREB) == "2026-03-29 06:30 CEST"
    assert clock.label(op.start, ZAGREB) == "2026-03-28 23:00 CET"
    assert result.time_zone == ZAGREB and result.kpis.makespan_minutes == 360 + 30
    assert result_from_json(result_to_json(result)) == result


def test_the_repeated_autumn_hour_keeps_its_fold_through_the_codec():
    problem = ShopProblem(
        (WorkCenter("TOK", calendar=Calendar.always()),), (WorkOrder("RN-1"),),
        (Operation("RN-1", 1, "TOK", 90, "turning"),), start=datetime(2026, 10, 25, 2), time_zone=ZAGREB,
    )
    result = plan(problem)
    (op,) = result.operations
    assert op.end == datetime(2026, 10, 25, 2, 30) and op.end.fold == 1  # 02:00 CEST + 90 min = 02:30 CET
    assert clock.label(op.end, ZAGREB) == "2026-10-25 02:30 CET"
    back = result_from_json(result_to_json(result)).operations[0]
    assert back.end.fold == 1 and clock.elapsed_minutes(back.start, back.end, ZAGREB) == 90


def test_times_with_an_offset_become_plant_time():
    given = datetime(2026, 3, 2, 7, tzinfo=timezone(timedelta(hours=1)))
    problem = ShopProblem((WorkCenter("TOK"),), (WorkOrder("RN-1"),),
                          (Operation("RN-1", 1, "TOK", 60, pinned_start=datetime(2026, 3, 2, 9, tzinfo=UTC)),),
                          start=given, time_zone=ZAGREB)
    assert problem.start == datetime(2026, 3, 2, 7) and problem.start.tzinfo is None
    assert problem.operations[0].pinned_start == datetime(2026, 3, 2, 10)
    assert clock.to_plant(datetime(2026, 7, 1, 5, tzinfo=UTC), ZAGREB) == datetime(2026, 7, 1, 7)
    assert clock.to_plant(datetime(2026, 7, 1, 5), ZAGREB) == datetime(2026, 7, 1, 5)  # naive = plant time


def test_unknown_zones_are_refused_never_defaulted():
    with pytest.raises(InputError, match="unknown time zone 'Mars/Olympus'"):
        ShopProblem((WorkCenter("TOK"),), (WorkOrder("RN-1"),), (), time_zone="Mars/Olympus")


def test_now_is_rounded_up_to_the_next_whole_minute():
    at = datetime(2026, 6, 1, 6, 41, 12, tzinfo=UTC)
    assert clock.now(ZAGREB, at=at) == datetime(2026, 6, 1, 8, 42)
    assert clock.now("UTC", at=datetime(2026, 6, 1, 6, 41, tzinfo=UTC)) == datetime(2026, 6, 1, 6, 41)


def test_clock_minutes_are_real_minutes():
    c = clock.Clock(datetime(2026, 3, 29, 1), ZAGREB)
    assert c.to_minute(datetime(2026, 3, 29, 3)) == 60  # 01:00 CET -> 03:00 CEST is one hour
    assert c.to_datetime(60) == datetime(2026, 3, 29, 3)
    assert c.to_minute_ceil(datetime(2026, 3, 29, 1, 0, 30)) == 1
