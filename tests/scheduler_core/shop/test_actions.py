from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler_core.errors import InputError
from scheduler_core.shop import Downtime, plan, validate_plan
from scheduler_core.shop.actions import (
    add_downtime,
    finish_operation,
    finish_order,
    move_operation,
    reorder,
    replan,
    roll_forward,
)


@pytest.fixture
def base(shop):
    return shop, plan(shop, "dispatch")


def _ok(replanned):
    assert validate_plan(replanned.problem, replanned.result) == []
    return replanned


def test_reorder_is_kept_by_replanning(base):
    shop, result = base
    tok = [p.op_id for p in result.by_work_center()["TOK"]]
    new_order = list(reversed(tok))
    out = _ok(reorder(shop, result, "TOK", new_order))
    assert [p.op_id for p in out.result.by_work_center()["TOK"]] == new_order
    assert shop.manual_sequences == {}  # pure: the input is unchanged
    # the manual order survives a further action
    again = _ok(finish_operation(out.problem, out.result, "RN-2/1"))
    assert [p.op_id for p in again.result.by_work_center()["TOK"]] == new_order


def test_reorder_rejects_foreign_operation(base):
    shop, result = base
    with pytest.raises(InputError, match="not on TOK"):
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
    result = plan(shop, "optimise", time_limit_s=1)
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
