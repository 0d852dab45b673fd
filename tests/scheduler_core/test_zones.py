"""scheduler_core.zones: zone names checked, the deployment default, offsets to plant time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from scheduler_core.errors import InputError
from scheduler_core.zones import default_zone_name, to_plant, zone_problem

ZAGREB = "Europe/Zagreb"


def test_default_zone_from_the_environment_never_a_silent_fallback():
    with pytest.raises(InputError, match="unknown time zone 'Europe/Nowhere'"):
        default_zone_name({"PSS_TIMEZONE": "Europe/Nowhere"})
    assert default_zone_name({}) == "UTC"
    assert default_zone_name({"PSS_TIMEZONE": f" {ZAGREB} "}) == ZAGREB


def test_zone_problem_names_the_bad_value():
    assert zone_problem(ZAGREB) is None
    assert "Mars/Olympus" in zone_problem("Mars/Olympus").reason
    assert "IANA name" in zone_problem("").reason


def test_offsets_become_plant_wall_clock_time_naive_stays():
    assert to_plant(datetime(2026, 7, 1, 5, tzinfo=UTC), ZAGREB) == datetime(2026, 7, 1, 7)  # CEST
    assert to_plant(datetime(2026, 1, 5, 7, tzinfo=timezone(timedelta(hours=1))), "UTC") == datetime(2026, 1, 5, 6)
    assert to_plant(datetime(2026, 7, 1, 5), ZAGREB) == datetime(2026, 7, 1, 5)


def test_now_and_the_next_full_hour_are_on_the_plant_clock_not_the_servers():
    from scheduler_core.zones import next_full_hour, plant_now

    at = datetime(2026, 7, 1, 5, 20, 31, tzinfo=UTC)  # summer: Zagreb is UTC+2, New York UTC-4
    assert plant_now("Europe/Zagreb", at=at) == datetime(2026, 7, 1, 7, 20, 31)
    assert next_full_hour("Europe/Zagreb", at=at) == datetime(2026, 7, 1, 8, 0)
    assert next_full_hour("America/New_York", at=at) == datetime(2026, 7, 1, 2, 0)
    assert next_full_hour("UTC", at=datetime(2026, 7, 1, 6, 0, tzinfo=UTC)) == datetime(2026, 7, 1, 6, 0)
    winter = datetime(2026, 1, 5, 22, 59, 59, tzinfo=UTC)  # Zagreb UTC+1: 23:59:59 -> midnight
    assert next_full_hour("Europe/Zagreb", at=winter) == datetime(2026, 1, 6, 0, 0)
    assert plant_now("UTC").tzinfo is None
    with pytest.raises(InputError, match="unknown time zone"):
        next_full_hour("Mars/Base", at=datetime(2026, 1, 1, 0, 0))
