"""One test per validator rule: take a valid plan, break one rule, see it named."""

from dataclasses import replace
from datetime import timedelta

import pytest

from scheduler_core.shop import Downtime, ShopOptions, plan, validate_plan


@pytest.fixture
def planned(shop):
    result = plan(shop, ShopOptions("dispatch"))
    assert validate_plan(shop, result) == []
    return shop, result


def _rules(problem, result):
    return {v.rule for v in validate_plan(problem, result)}


def _replace_op(result, op_id, **changes):
    ops = [replace(p, **changes) if p.op_id == op_id else p for p in result.operations]
    return replace(result, operations=ops)


def _shift(p, delta):
    return {
        "start": p.start + delta,
        "end": p.end + delta,
        "intervals": tuple((s + delta, e + delta) for s, e in p.intervals),
    }


def _by_id(result):
    return {p.op_id: p for p in result.operations}


def test_missing(planned):
    shop, result = planned
    broken = replace(result, operations=result.operations[1:])
    assert "missing" in _rules(shop, broken)


def test_duplicate(planned):
    shop, result = planned
    broken = replace(result, operations=[*result.operations, result.operations[0]])
    assert "duplicate" in _rules(shop, broken)


def test_unknown(planned):
    shop, result = planned
    extra = replace(result.operations[0], op_id="RN-9/1", rn="RN-9")
    broken = replace(result, operations=[*result.operations, extra])
    assert "unknown" in _rules(shop, broken)


def test_work_center(planned):
    shop, result = planned
    broken = _replace_op(result, "RN-4/1", work_center="GLO")
    assert "work-center" in _rules(shop, broken)


def test_intervals(planned):
    shop, result = planned
    p = _by_id(result)["RN-1/1"]
    broken = _replace_op(result, "RN-1/1", end=p.end + timedelta(minutes=5))
    assert "intervals" in _rules(shop, broken)


def test_duration(planned):
    shop, result = planned
    p = _by_id(result)["RN-1/1"]
    s, e = p.intervals[-1]
    ivs = (*p.intervals[:-1], (s, e - timedelta(minutes=10)))
    broken = _replace_op(result, "RN-1/1", intervals=ivs, end=ivs[-1][1])
    assert "duration" in _rules(shop, broken)


def test_working_time(planned):
    shop, result = planned
    # ZAV works only S1 (07-15): moving work to 16:00 uses non-working time
    p = _by_id(result)["RN-4/1"]
    day = p.start.replace(hour=16, minute=0)
    broken = _replace_op(result, "RN-4/1", **_shift(p, day - p.start))
    assert "working-time" in _rules(shop, broken)


def test_working_time_catches_downtime(planned):
    shop, result = planned
    p = _by_id(result)["RN-1/1"]
    with_down = replace(shop, downtime=(Downtime("TOK", p.start, p.start + timedelta(hours=1)),))
    assert "working-time" in _rules(with_down, result)


def test_overlap(planned):
    shop, result = planned
    tok = result.by_work_center()["TOK"]
    a, b = tok[0], tok[1]
    broken = _replace_op(result, b.op_id, **_shift(b, a.start - b.start))
    assert "overlap" in _rules(shop, broken)


def test_precedence(planned):
    shop, result = planned
    ops = _by_id(result)
    first, second = ops["RN-1/1"], ops["RN-1/2"]
    # swap the two operations' times: the second now starts before the first ends
    broken = replace(
        result,
        operations=[
            replace(p, start=first.start, end=first.start + (second.end - second.start),
                    intervals=((first.start, first.start + (second.end - second.start)),))
            if p.op_id == "RN-1/2" else p
            for p in result.operations
        ],
    )
    assert "precedence" in _rules(shop, broken)


def test_before_start(planned):
    shop, result = planned
    p = _by_id(result)["RN-4/1"]
    broken = _replace_op(result, "RN-4/1", **_shift(p, -timedelta(days=7)))
    assert "before-start" in _rules(shop, broken)


def test_pin(planned):
    shop, result = planned
    tok = [p for p in result.by_work_center()["TOK"] if not p.in_progress]
    pinned = replace(shop, pins=((tok[1].op_id, tok[0].op_id),))
    assert "pin" in _rules(pinned, result)


def test_in_progress(planned):
    shop, result = planned
    tok = result.by_work_center()["TOK"]
    last = tok[-1].op_id
    ops = tuple(replace(o, status="in_progress") if o.op_id == last else o
                for o in shop.operations)
    assert "in-progress" in _rules(replace(shop, operations=ops), result)


def test_violation_text_names_the_rule(planned):
    shop, result = planned
    broken = replace(result, operations=result.operations[1:])
    assert str(validate_plan(shop, broken)[0]).startswith("[missing]")


def test_alternative_work_center_is_allowed(planned):
    shop, result = planned
    ops = tuple(replace(o, alternatives=("GLO",)) if o.op_id == "RN-4/1" else o
                for o in shop.operations)
    moved = _replace_op(result, "RN-4/1", work_center="GLO")
    rules = _rules(replace(shop, operations=ops), moved)
    assert "work-center" not in rules


def test_setup_rule_catches_a_missing_setup():
    from dataclasses import replace
    from datetime import date, datetime

    from scheduler_core.shop import Calendar, Operation, ShopOptions, ShopProblem, WorkCenter, WorkOrder, plan

    shop = ShopProblem(
        (WorkCenter("TOK", setup_time_minutes=30, calendar=Calendar(shift_names=frozenset({"S1"}))),),
        tuple(WorkOrder(f"RN-{k}", kpl="AB"[k % 2], assembly_date=date(2026, 1, 9)) for k in range(4)),
        tuple(Operation(f"RN-{k}", 1, "TOK", 45) for k in range(4)),
        start=datetime(2026, 1, 5, 7),
    )
    for strategy in ("dispatch", "optimise"):
        result = plan(shop, ShopOptions(strategy, time_limit_s=1))
        assert validate_plan(shop, result) == []
        assert sum(p.setup_minutes for p in result.operations) >= 60  # two products: two setups at least
    longer = replace(shop, work_centers=(replace(shop.work_centers[0], setup_time_minutes=45),))
    rules = {v.rule for v in validate_plan(longer, result)}
    assert rules == {"setup"}
    optimised = plan(shop, ShopOptions("optimise", time_limit_s=2))
    assert sum(p.setup_minutes for p in optimised.operations) == 60  # same products grouped: one setup each


def test_an_order_with_open_work_on_an_inactive_work_center_is_not_expected_in_the_plan(shop):
    result = plan(shop, ShopOptions("dispatch"))
    off = replace(shop, work_centers=tuple(replace(w, active=w.code != "ZAV") for w in shop.work_centers))
    left_out = {op.rn for op in off.open_operations() if op.work_center == "ZAV"}
    assert left_out
    # the plan of the whole shop plans the left-out orders: each of their operations is flagged
    flagged = {v.op_id for v in validate_plan(off, result) if v.rule == "unknown"}
    assert flagged == {op.op_id for op in off.open_operations() if op.rn in left_out}
    assert validate_plan(off, plan(off, ShopOptions("dispatch"))) == []
