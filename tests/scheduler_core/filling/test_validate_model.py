from __future__ import annotations

from datetime import datetime, timedelta

from scheduler_core.filling import FillingConfig
from scheduler_core.filling.model import Activity, ActivityKind
from scheduler_core.filling.validate_model import RULES, Schedule, close_to, describe, hours_of

T0 = datetime(2026, 1, 5)
H = timedelta(hours=1)


def test_schedule_is_cut_into_blocks_at_every_clean():
    acts = [
        Activity(ActivityKind.FILL, 1, T0 - 2 * H, T0 - H, "X", "A", 1),
        Activity(ActivityKind.CLEAN, 1, T0, T0 + 24 * H),
        Activity(ActivityKind.FILL, 1, T0 + 24 * H, T0 + 30 * H, "L1", "A", 10),
        Activity(ActivityKind.CLEAN, 2, T0 + 30 * H, T0 + 54 * H),
    ]
    s = Schedule.of(acts, [], FillingConfig())
    assert [(seg.number, seg.clean is not None, len(seg.items)) for seg in s.segments] == [
        (1, False, 1), (1, True, 1), (2, True, 0)]
    assert [a.lot_id for a in s.segments[1].fills] == ["L1"]


def test_helpers_measure_and_name_activities():
    a = Activity(ActivityKind.FILL, 3, T0, T0 + 90 * timedelta(minutes=1), "L7", "B", 5)
    assert hours_of(a) == 1.5 and close_to(1.5 + 1e-7, 1.5) and not close_to(1.5 + 1e-3, 1.5)
    assert describe(a) == "FILL of 'L7' (block 3)"
    assert "release" in RULES and "window" in RULES
