"""Downtime edits: an identical period refused, overlapping periods merged (and said so),
touching periods kept apart, a period changed or removed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from scheduler_core.errors import InputError, UnknownReference
from scheduler_core.shop import Downtime
from scheduler_core.shop import downtime as dt


def test_an_identical_period_is_refused_whatever_its_reason(shop, monday):
    down = Downtime("TOK", monday, monday + timedelta(hours=4), "spindle")
    once = dt.add_downtime(shop, down)
    with pytest.raises(InputError, match="identical downtime already recorded: TOK 2025-01-06 07:00 – 2025-01-06 11:00"):
        dt.add_downtime(once, Downtime("TOK", monday, monday + timedelta(hours=4), "other words"))
    with pytest.raises(InputError, match="identical downtime"):
        dt.merge_note(once, down)


def test_an_overlapping_period_is_merged_and_the_note_says_into_what(shop, monday):
    first = Downtime("TOK", monday, monday + timedelta(hours=4), "spindle")
    second = Downtime("TOK", monday + timedelta(hours=10), monday + timedelta(hours=12), "oil")
    shop2 = dt.add_downtime(dt.add_downtime(shop, first), second)
    wide = Downtime("TOK", monday + timedelta(hours=3), monday + timedelta(hours=11), "spindle")
    assert dt.merge_note(shop2, wide) == (
        "overlaps recorded downtime TOK 2025-01-06 07:00 – 2025-01-06 11:00, TOK 2025-01-06 17:00 – "
        "2025-01-06 19:00; merged into TOK 2025-01-06 07:00 – 2025-01-06 19:00")
    merged = dt.add_downtime(shop2, wide)
    assert merged.downtime == (Downtime("TOK", monday, monday + timedelta(hours=12), "spindle; oil"),)
    # another work center and a period that only touches are no overlap
    other = Downtime("GLO", monday, monday + timedelta(hours=4))
    touching = Downtime("TOK", monday + timedelta(hours=4), monday + timedelta(hours=5))
    assert dt.merge_note(shop2, other) == "" and dt.merge_note(shop2, touching) == ""
    assert len(dt.add_downtime(dt.add_downtime(shop2, other), touching).downtime) == 4


def test_change_and_remove_a_period(shop, monday):
    down = Downtime("TOK", monday, monday + timedelta(hours=4), "spindle")
    later = Downtime("TOK", monday + timedelta(hours=20), monday + timedelta(hours=22))
    shop2 = dt.add_downtime(dt.add_downtime(shop, down), later)
    moved = Downtime("GLO", monday, monday + timedelta(hours=2), "spindle")
    assert set(dt.edit_downtime(shop2, down, moved).downtime) == {moved, later}
    longer = Downtime("TOK", monday, monday + timedelta(hours=21), "spindle")
    assert dt.edit_downtime(shop2, down, longer).downtime == (
        Downtime("TOK", monday, monday + timedelta(hours=22), "spindle"),)  # merged with the later one
    with pytest.raises(InputError, match="unchanged"):
        dt.edit_downtime(shop2, down, down)
    with pytest.raises(InputError, match="identical downtime"):
        dt.edit_downtime(shop2, down, Downtime("TOK", later.start, later.end, "x"))
    with pytest.raises(UnknownReference, match="no such downtime"):
        dt.edit_downtime(shop, down, moved)
    with pytest.raises(UnknownReference, match="unknown work center 'XX'"):
        dt.add_downtime(shop, Downtime("XX", monday, monday + timedelta(hours=1)))
    with pytest.raises(InputError, match="end after it starts"):
        dt.edit_downtime(shop2, down, Downtime("TOK", monday, monday))
    assert dt.remove_downtime(shop2, down).downtime == (later,)


def test_a_period_within_a_recorded_one_is_refused_so_the_same_change_cannot_be_queued_twice(shop, monday):
    recorded = dt.add_downtime(shop, Downtime("TOK", monday + timedelta(hours=1), monday + timedelta(hours=7)))
    later = Downtime("TOK", monday + timedelta(hours=5), monday + timedelta(hours=9), "again")
    merged = dt.add_downtime(recorded, later)  # 08:00-14:00 and 12:00-16:00 become 08:00-16:00
    assert [(d.start, d.end) for d in merged.downtime] == [(monday + timedelta(hours=1), monday + timedelta(hours=9))]
    with pytest.raises(InputError, match="TOK 2025-01-06 12:00 – 2025-01-06 16:00 is already down: it lies within "
                                         "recorded downtime TOK 2025-01-06 08:00 – 2025-01-06 16:00"):
        dt.add_downtime(merged, later)  # the same change again changes nothing: refused
