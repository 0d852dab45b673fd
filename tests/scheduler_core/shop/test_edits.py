"""Every planner edit is pure and checked, and a re-plan after it stays valid."""

from datetime import date, datetime, timedelta
from typing import NamedTuple

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler_core.errors import InputError, UnknownReference
from scheduler_core.shop import Downtime, ShopOptions, ShopProblem, ShopResult, edits, plan, validate_plan
from scheduler_core.shop.edits import roll_forward
from scheduler_core.shop.planner import options_of

AT = datetime(2025, 1, 6, 9)


class Replanned(NamedTuple):
    problem: ShopProblem
    result: ShopResult


def _then(problem, previous, time_limit_s=10.0):
    """An edited problem re-planned like ``previous`` was (its strategy and due basis)."""
    return Replanned(problem, plan(problem, options_of(previous, time_limit_s=time_limit_s)))


def reorder(problem, previous, wc, ids):
    queue = [p.op_id for p in previous.by_work_center()[wc]]
    return _then(edits.resequence(problem, queue, ids), previous)


def move_operation(problem, previous, op_id, wc):
    return _then(edits.move_operation(problem, op_id, wc), previous)


def finish_operation(problem, previous, op_id, time_limit_s=10.0):
    return _then(edits.finish_operation(problem, op_id, previous.start), previous, time_limit_s)


def finish_order(problem, previous, rn):
    return _then(edits.finish_order(problem, rn, previous.start), previous)


def add_downtime(problem, previous, downtime):
    return _then(edits.add_downtime(problem, downtime), previous)


def replan(problem, previous, at):
    return _then(roll_forward(problem, previous, at), previous)



@pytest.fixture
def base(shop):
    return shop, plan(shop, ShopOptions("dispatch"))


def _ok(replanned):
    assert validate_plan(replanned.problem, replanned.result) == []
    return replanned


def test_reorder_is_kept_by_replanning(base):
    shop, result = base
    tok = [p.op_id for p in result.by_work_center()["TOK"]]
    new_order = list(reversed(tok))
    out = _ok(reorder(shop, result, "TOK", new_order))
    assert [p.op_id for p in out.result.by_work_center()["TOK"]] == new_order
    assert shop.pins == ()  # pure: the input is unchanged
    # the planner's order survives a further action
    again = _ok(finish_operation(out.problem, out.result, "RN-2/1"))
    assert [p.op_id for p in again.result.by_work_center()["TOK"]] == new_order


def test_reorder_rejects_foreign_operation(base):
    shop, result = base
    with pytest.raises(InputError, match="each operation of the queue once"):
        reorder(shop, result, "TOK", ["RN-2/1"])


def test_move_operation(base):
    shop, result = base
    out = _ok(move_operation(shop, result, "RN-1/1", "GLO"))
    assert {p.op_id: p.work_center for p in out.result.operations}["RN-1/1"] == "GLO"
    with pytest.raises(InputError, match="unknown work center"):
        move_operation(shop, result, "RN-1/1", "NOPE")


def test_finish_operation_and_order(base):
    shop, result = base
    out = _ok(finish_operation(shop, result, "RN-1/1"))
    ids = {p.op_id for p in out.result.operations}
    assert "RN-1/1" not in ids and "RN-1/2" in ids
    out = _ok(finish_order(shop, result, "RN-1"))
    assert not any(p.rn == "RN-1" for p in out.result.operations)
    assert "RN-1" not in {o.rn for o in out.result.orders}
    with pytest.raises(InputError):
        finish_order(shop, result, "RN-404")
    with pytest.raises(InputError):
        finish_operation(shop, result, "RN-1/9")


def test_add_downtime_pushes_work(base, monday):
    shop, result = base
    down = Downtime("TOK", monday, monday + timedelta(days=1))
    out = _ok(add_downtime(shop, result, down))
    assert all(p.start >= down.end for p in out.result.by_work_center()["TOK"])


def test_replan_from_a_moment_keeps_running_operations(base):
    shop, result = base
    tok = result.by_work_center()["TOK"]
    running = tok[0]
    at = running.start + (running.end - running.start) / 2
    at = at.replace(second=0, microsecond=0)
    rolled = roll_forward(shop, result, at)
    op = {o.op_id: o for o in rolled.operations}[running.op_id]
    assert op.status == "in_progress" and 0 < op.quantity_completed < op.quantity
    out = _ok(replan(shop, result, at))
    again = {p.op_id: p for p in out.result.operations}[running.op_id]
    assert out.result.start == at
    assert out.result.by_work_center()["TOK"][0].op_id == running.op_id
    worked = sum(((min(e, at) - s).total_seconds() // 60 for s, e in running.intervals
                  if s < at), 0)
    assert again.duration_minutes == running.duration_minutes - worked


def test_replan_with_optimise_strategy(shop):
    result = plan(shop, ShopOptions("optimise", time_limit_s=1))
    out = _ok(finish_operation(shop, result, "RN-3/1", time_limit_s=1))
    assert out.result.strategy == "optimise"



@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fraction=st.floats(0.0, 1.0))
def test_replan_at_any_moment_is_valid(base, fraction):
    shop, result = base
    span = result.kpis.makespan_minutes
    at = (result.start + timedelta(minutes=int(span * fraction)))
    out = _ok(replan(shop, result, at))
    running = {o.op_id for o in out.problem.operations if o.status == "in_progress"}
    for ops in out.result.by_work_center().values():
        ids = [p.op_id for p in ops]
        assert set(ids[: len(running & set(ids))]) == running & set(ids)
    total_before = sum(p.duration_minutes for p in result.operations)
    total_after = sum(p.duration_minutes for p in out.result.operations)
    assert total_after <= total_before


# ------------------------------------------------------------ each edit on its own


def test_moved_clamps_at_the_ends():
    assert edits.moved(["a", "b", "c"], "c", -1) == ["a", "c", "b"]
    assert edits.moved(["a", "b", "c"], "a", -5) == ["a", "b", "c"]
    assert edits.moved(["a", "b", "c"], "a", 9) == ["b", "c", "a"]


def test_move_up_and_down_pin_only_the_pair(shop):
    queue = ["RN-1/1", "RN-3/1", "RN-2/2"]
    up = edits.move_up(shop, queue, "RN-3/1")
    assert up.pins == (("RN-3/1", "RN-1/1"),)
    down = edits.move_down(up, ["RN-3/1", "RN-1/1", "RN-2/2"], "RN-3/1")  # back down: the pin flips
    assert down.pins == (("RN-1/1", "RN-3/1"),)
    with pytest.raises(InputError, match="already first"):
        edits.move_up(shop, queue, "RN-1/1")
    with pytest.raises(InputError, match="already last"):
        edits.move_down(shop, queue, "RN-2/2")
    with pytest.raises(InputError, match="not in this queue"):
        edits.move_up(shop, queue, "RN-5/2")


def test_resequence_pins_only_the_moved_operations(shop):
    queue = ["RN-1/1", "RN-3/1", "RN-2/2", "RN-4/2", "RN-5/2"]
    new = ["RN-1/1", "RN-2/2", "RN-4/2", "RN-3/1", "RN-5/2"]  # RN-3/1 moved two places down
    assert edits.resequence(shop, queue, new).pins == (("RN-4/2", "RN-3/1"), ("RN-3/1", "RN-5/2"))
    assert edits.resequence(shop, queue, queue).pins == ()
    with pytest.raises(InputError, match="each operation of the queue once"):
        edits.resequence(shop, queue, [*queue[:-1], queue[0]])


def test_pins_that_cannot_hold_are_refused(shop):
    from dataclasses import replace

    with pytest.raises(InputError, match="routing of RN-1"):
        edits._with_pins(replace(shop, operations=tuple(
            replace(o, work_center="TOK") if o.op_id == "RN-1/2" else o for o in shop.operations)),
            [("RN-1/2", "RN-1/1")])
    with pytest.raises(InputError, match="different work centers"):
        edits._with_pins(shop, [("RN-1/1", "RN-2/1")])
    running = replace(shop, operations=tuple(
        replace(o, status="in_progress") if o.op_id == "RN-3/1" else o for o in shop.operations))
    with pytest.raises(InputError, match="in progress"):
        edits.move_up(running, ["RN-3/1", "RN-1/1"], "RN-1/1")
    pinned = edits.move_up(shop, ["RN-1/1", "RN-3/1"], "RN-3/1")
    with pytest.raises(InputError, match="cycle"):
        edits._with_pins(pinned, [("RN-1/1", "RN-3/1")])
    done = edits.finish_operation(shop, "RN-2/2", shop.start)
    with pytest.raises(InputError, match="finished"):
        edits.move_up(done, ["RN-1/1", "RN-2/2"], "RN-2/2")


def test_release_pins_one_or_all(shop):
    pinned = edits.resequence(shop, ["RN-1/1", "RN-3/1", "RN-2/2"], ["RN-2/2", "RN-1/1", "RN-3/1"])
    assert pinned.pins == (("RN-2/2", "RN-1/1"),)
    assert edits.release_pin(pinned, "RN-2/2", "RN-1/1").pins == ()
    with pytest.raises(UnknownReference):
        edits.release_pin(pinned, "RN-1/1", "RN-2/2")
    assert edits.release_pins(pinned, "TOK").pins == () and edits.release_pins(pinned, "GLO").pins == pinned.pins
    assert edits.release_pins(pinned).pins == ()


def test_moving_or_finishing_an_operation_releases_its_pins(shop):
    pinned = edits.move_up(shop, ["RN-1/1", "RN-3/1"], "RN-3/1")
    assert edits.move_operation(pinned, "RN-3/1", "GLO").pins == ()
    assert edits.finish_operation(pinned, "RN-1/1", shop.start).pins == ()
    assert edits.finish_order(pinned, "RN-3", shop.start).pins == ()


def test_move_operation_refuses_an_inactive_work_center(shop):
    from dataclasses import replace

    off = replace(shop, work_centers=tuple(replace(w, active=w.code != "GLO") for w in shop.work_centers))
    with pytest.raises(InputError, match="inactive"):
        edits.move_operation(off, "RN-1/1", "GLO")
    with pytest.raises(UnknownReference, match="unknown operation"):
        edits.move_operation(shop, "RN-1/99", "TOK")


def test_pin_and_release(shop):
    at = datetime(2025, 1, 7, 9)
    pinned = edits.pin_operation(shop, "RN-1/1", at)
    assert pinned.operation("RN-1/1").pinned_start == at
    assert edits.pin_operation(pinned, "RN-1/1", None).operation("RN-1/1").pinned_start is None
    assert shop.operation("RN-1/1").pinned_start is None


def test_finish_keeps_an_existing_actual_end(shop):
    at = datetime(2025, 1, 7, 9)
    done = edits.finish_operation(shop, "RN-1/1", at)
    op = done.operation("RN-1/1")
    assert op.status == "completed" and op.quantity_completed == op.quantity and op.actual_end == at
    with pytest.raises(InputError, match="RN-1/1' is finished"):
        edits.finish_operation(done, "RN-1/1", at + timedelta(days=1))
    from dataclasses import replace

    reported = replace(shop, operations=tuple(replace(o, actual_end=at) if o.op_id == "RN-1/1" else o
                                              for o in shop.operations))
    assert edits.finish_operation(reported, "RN-1/1", at + timedelta(days=1)).operation("RN-1/1").actual_end == at


def test_remove_downtime(shop, monday):
    down = Downtime("TOK", monday, monday + timedelta(hours=4), "spindle")
    with_down = edits.add_downtime(shop, down)
    assert edits.remove_downtime(with_down, down).downtime == ()
    with pytest.raises(UnknownReference):
        edits.remove_downtime(shop, down)
    with pytest.raises(InputError, match="end after it starts"):
        edits.add_downtime(shop, Downtime("TOK", monday, monday))


def test_set_shifts_changes_capacity(shop):
    changed = edits.set_shifts(shop, "TOK", ["S1"], [0, 1, 2])
    wc = changed.wc("TOK")
    assert wc.calendar.shift_names == frozenset({"S1"}) and wc.calendar.weekdays == frozenset({0, 1, 2})
    assert wc.capacity_hours_per_day == 7.5
    with pytest.raises(InputError, match="shifts must be some of"):
        edits.set_shifts(shop, "TOK", ["S9"], [0])


def test_set_calendar_marks_every_day_and_shift(shop):
    changed = edits.set_calendar(shop, "TOK", date(2025, 1, 7), date(2025, 1, 8), ["S1", "S2"], False)
    cal = changed.wc("TOK").calendar
    assert not cal.is_working(date(2025, 1, 7), "S1") and not cal.is_working(date(2025, 1, 8), "S2")
    assert cal.is_working(date(2025, 1, 8), "S3")
    with pytest.raises(InputError, match="ends before it starts"):
        edits.set_calendar(shop, "TOK", date(2025, 1, 8), date(2025, 1, 7), ["S1"], False)
    with pytest.raises(InputError, match="one year"):
        edits.set_calendar(shop, "TOK", date(2025, 1, 1), date(2026, 6, 1), ["S1"], False)


def test_set_urgency_and_priority(shop):
    changed = edits.set_urgency(shop, "RN-1", 1, 1)
    assert (changed.order("RN-1").urgency_rank, changed.order("RN-1").priority_level) == (1, 1)
    with pytest.raises(InputError, match="priority must be 1, 2 or 3"):
        edits.set_urgency(shop, "RN-1", None, 5)


def test_move_urgency_renumbers_the_list(shop):
    assert edits.urgency_list(shop) == ["RN-4", "RN-3"]
    up = edits.move_urgency(shop, "RN-3", -1)
    assert edits.urgency_list(up) == ["RN-3", "RN-4"]
    joined = edits.move_urgency(shop, "RN-1", -1)  # joining at the end is its first step up
    assert edits.urgency_list(joined) == ["RN-4", "RN-3", "RN-1"]
    assert [joined.order(r).urgency_rank for r in ("RN-4", "RN-3", "RN-1")] == [1, 2, 3]
    assert edits.urgency_list(edits.move_urgency(shop, "RN-1", -2)) == ["RN-4", "RN-1", "RN-3"]
    with pytest.raises(InputError, match="not on the urgency list"):
        edits.move_urgency(shop, "RN-1", 1)  # "down" would make an unlisted order more urgent
    with pytest.raises(InputError, match="RN-1' is already completed"):
        edits.finish_order(edits.finish_order(shop, "RN-1", AT), "RN-1", AT)
    with pytest.raises(InputError, match="is completed; only open orders"):
        edits.move_urgency(edits.finish_order(shop, "RN-1", AT), "RN-1", -1)


def test_refusals_name_the_operation_and_keep_cancelled_work(shop):
    from dataclasses import replace

    with pytest.raises(InputError, match="RN-5/1' is finished"):
        edits.finish_operation(edits.finish_operation(shop, "RN-5/1", AT), "RN-5/1", AT)
    with pytest.raises(InputError, match="RN-1/1' already runs on TOK"):
        edits.move_operation(shop, "RN-1/1", "TOK")
    with pytest.raises(UnknownReference, match="unknown operation 'RN-9/1'"):
        edits.move_up(shop, ["RN-1/1", "RN-9/1"], "RN-9/1")
    cancelled = replace(shop, operations=tuple(replace(o, status="cancelled") if o.op_id == "RN-1/2" else o
                                               for o in shop.operations))
    done = edits.finish_order(cancelled, "RN-1", AT)
    assert done.operation("RN-1/2").status == "cancelled" and done.operation("RN-1/1").status == "completed"
