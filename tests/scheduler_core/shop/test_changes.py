"""Edits as data: every kind applies through the pure edits, reads in the planner's words,
survives JSON, names itself when it cannot apply; conflicts are listed; revert undoes exactly
what a change set changed."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from scheduler_core.errors import InputError, UnknownReference
from scheduler_core.shop.changes import KINDS, Change, apply_change, apply_changes, change, conflicts, revert

AT = datetime(2025, 1, 6, 9)


def examples(shop):
    """One change of every kind on the small shop."""
    return [
        change("move_up", queue=["RN-1/1", "RN-3/1"], op_id="RN-3/1"),
        change("move_down", queue=["RN-1/1", "RN-3/1"], op_id="RN-1/1"),
        change("resequence", queue=["RN-1/1", "RN-3/1", "RN-2/2"], new_queue=["RN-2/2", "RN-1/1", "RN-3/1"]),
        change("move_operation", op_id="RN-1/1", work_center="GLO"),
        change("fix_start", op_id="RN-2/1", start=AT),
        change("finish_operation", op_id="RN-5/1", at=AT),
        change("finish_order", rn="RN-4", at=AT),
        change("add_downtime", work_center="ZAV", start=AT, end=AT + timedelta(hours=2), reason="oil"),
        change("set_shifts", work_center="GLO", shifts={"S1"}, weekdays=[0, 1, 2]),
        change("set_calendar", work_center="TOK", first=date(2025, 1, 7), last=date(2025, 1, 8), shifts=["S2"],
               working=False),
        change("set_urgency", rn="RN-1", urgency_rank=1, priority_level=1),
        change("move_urgency", rn="RN-3", step=-1),
    ]


def test_every_kind_applies_describes_and_survives_json(shop):
    seen = set()
    for item in examples(shop):
        seen.add(item.kind)
        assert apply_change(shop, item) != shop, item.kind
        assert item.describe()
        assert Change.from_json(json.loads(json.dumps(item.to_json()))) == item
    pinned = apply_change(shop, change("move_up", queue=["RN-1/1", "RN-3/1"], op_id="RN-3/1"))
    released = apply_change(pinned, change("release_pin", first="RN-3/1", then="RN-1/1"))
    assert apply_change(pinned, change("release_pins", work_center="TOK")).pins == ()
    down = change("add_downtime", work_center="ZAV", start=AT, end=AT + timedelta(hours=2), reason="oil")
    removed = apply_changes(shop, [down, change("remove_downtime", **down.args)])
    assert released.pins == () and removed.downtime == ()
    edit = change("edit_downtime", **down.args, new_start=AT + timedelta(hours=1), new_end=AT + timedelta(hours=5),
                  new_reason="oil leak")
    edited = apply_changes(shop, [down, edit])
    assert [(d.start, d.end, d.reason) for d in edited.downtime] == [
        (AT + timedelta(hours=1), AT + timedelta(hours=5), "oil leak")]
    assert edit.describe() == "downtime of ZAV from 2025-01-06 09:00 changed to ZAV 2025-01-06 10:00 – " \
                              "2025-01-06 14:00"
    assert Change.from_json(json.loads(json.dumps(edit.to_json()))) == edit
    assert revert(edited, apply_change(shop, down), edited).downtime == apply_change(shop, down).downtime
    mark = change("set_calendar", work_center="TOK", first=date(2025, 1, 7), last=date(2025, 1, 7), shifts=["S2"],
                  working=False)
    cleared = apply_changes(shop, [mark, change("clear_calendar_mark", work_center="TOK", day=date(2025, 1, 7),
                                                shift="S2")])
    assert cleared.wc("TOK").calendar == shop.wc("TOK").calendar
    with pytest.raises(UnknownReference, match="no calendar mark for S2 on 2025-01-07"):
        apply_change(shop, change("clear_calendar_mark", work_center="TOK", day=date(2025, 1, 7), shift="S2"))
    assert seen | {"release_pin", "release_pins", "remove_downtime", "edit_downtime", "clear_calendar_mark"} == set(KINDS)


def test_values_are_stored_as_json():
    item = change("set_shifts", work_center="GLO", shifts={"S2", "S1"}, weekdays=(0, 1))
    assert item.args == {"work_center": "GLO", "shifts": ["S1", "S2"], "weekdays": [0, 1]}
    assert change("fix_start", op_id="x", start=AT).args["start"] == "2025-01-06T09:00:00"
    assert item.describe() == "GLO: shifts S1,S2, days Mon,Tue"


def test_unknown_kind_is_refused():
    with pytest.raises(InputError, match="unknown change 'teleport'"):
        change("teleport")
    with pytest.raises(InputError):
        Change.from_json({"kind": "teleport", "args": {}})


def test_a_change_that_cannot_apply_names_itself(shop):
    with pytest.raises(UnknownReference, match="RN-9/1 finished: unknown operation 'RN-9/1'"):
        apply_change(shop, change("finish_operation", op_id="RN-9/1", at=AT))
    with pytest.raises(InputError, match="moved up"):
        apply_changes(shop, [change("move_up", queue=["RN-1/1"], op_id="RN-1/1")])


def test_conflicts_apply_the_rest_and_list_the_others(shop):
    items = [change("finish_order", rn="RN-1", at=AT), change("move_operation", op_id="RN-1/1", work_center="GLO"),
             change("set_urgency", rn="RN-2", urgency_rank=1, priority_level=1)]
    done = apply_change(shop, items[0])  # the order was finished meanwhile
    result, skipped = conflicts(done, items[1:])
    assert result.order("RN-2").urgency_rank == 1  # what still applies is applied
    assert [c.kind for c, _ in skipped] == ["move_operation"] and "finished" in skipped[0][1]
    gone = replace(shop, operations=tuple(o for o in shop.operations if o.op_id != "RN-1/1"))
    result, skipped = conflicts(gone, items[1:])
    assert [c.kind for c, _ in skipped] == ["move_operation"] and "unknown operation" in skipped[0][1]
    assert not skipped[0][1].startswith(items[1].describe())  # the reason, not the change again


def test_descriptions_never_fail_and_name_the_right_neighbour(shop):
    queue = ["RN-1/1", "RN-3/1", "RN-2/2"]
    assert change("move_up", queue=queue, op_id="RN-3/1").describe() == "RN-3/1 moved up (before RN-1/1)"
    assert change("move_up", queue=queue, op_id="RN-1/1").describe() == "RN-1/1 moved up"
    assert change("move_down", queue=queue, op_id="RN-2/2").describe() == "RN-2/2 moved down"
    assert change("move_down", queue=queue, op_id="RN-9/9").describe() == "RN-9/9 moved down"
    with pytest.raises(InputError, match="RN-2/2 moved down: operation 'RN-2/2' is already last"):
        apply_change(shop, change("move_down", queue=queue, op_id="RN-2/2"))
    with pytest.raises(InputError, match="RN-1/1 moved up: operation 'RN-1/1' is already first"):
        apply_change(shop, change("move_up", queue=queue, op_id="RN-1/1"))


def test_revert_undoes_only_what_the_change_set_changed(shop):
    items = examples(shop)[4:9]  # move, fix start, finish op and order, downtime
    after = apply_changes(shop, items)
    later = apply_change(after, change("set_urgency", rn="RN-2", urgency_rank=3, priority_level=2))
    back = revert(later, shop, after)
    assert back.order("RN-2").urgency_rank == 3  # a later change stays
    assert back.operations == shop.operations and back.downtime == shop.downtime
    assert back.order("RN-4").status == shop.order("RN-4").status


def test_revert_restores_released_pins(shop):
    pinned = apply_change(shop, change("move_up", queue=["RN-1/1", "RN-3/1"], op_id="RN-3/1"))
    released = apply_change(pinned, change("release_pins"))
    assert revert(released, pinned, released).pins == pinned.pins
    assert revert(pinned, shop, pinned).pins == ()


def test_times_in_change_texts_read_as_the_planner_writes_them():
    down = change("add_downtime", work_center="ZAV", start=datetime(2026, 12, 2, 12), end=datetime(2026, 12, 2, 16))
    assert down.describe() == "ZAV down 2026-12-02 12:00 – 2026-12-02 16:00"
    edit = change("edit_downtime", **down.args, new_start=datetime(2026, 12, 2, 13), new_end=datetime(2026, 12, 3, 7))
    assert edit.describe() == "downtime of ZAV from 2026-12-02 12:00 changed to ZAV 2026-12-02 13:00 – 2026-12-03 07:00"
    assert change("remove_downtime", **down.args).describe() == "downtime of ZAV from 2026-12-02 12:00 removed"
    assert change("fix_start", op_id="RN-1/1", start=datetime(2026, 12, 2, 6, 30)).describe() == \
        "RN-1/1 fixed to start 2026-12-02 06:30"
