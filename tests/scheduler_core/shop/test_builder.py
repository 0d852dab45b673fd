"""Decoding queues into calendar times: semi-active, routing-safe, repairs contradictions."""

from scheduler_core.shop.builder import decode, objective
from scheduler_core.shop.prepared import prepare


def test_decode_follows_the_queues_and_the_routing(shop):
    prep = prepare(shop)
    a, b = prep.index["RN-3/1"], prep.index["RN-1/1"]  # both first in their routing
    rest = [i for i in range(prep.n) if prep.wc[i] == "TOK" and i not in (a, b)]
    dec = decode(prep, {"TOK": [a, b, *rest]})
    assert dec.start[a] < dec.start[b] and dec.warnings == []
    for i in range(prep.n):
        p = prep.pred[i]
        assert p is None or dec.start[i] >= dec.end[p]
        assert sum(e - s for s, e in dec.intervals[i]) == prep.dur[i]


def test_decode_appends_missing_operations(shop):
    prep = prepare(shop)
    dec = decode(prep, {})
    assert all(e >= 0 for e in dec.end) and sum(len(q) for q in dec.sequences.values()) == prep.n


def test_decode_repairs_a_queue_against_the_routing(shop):
    prep = prepare(shop)
    first, second = prep.order_ops["RN-2"]  # GLO then TOK
    tok = [second] + [i for i in range(prep.n) if prep.wc[i] == "TOK" and i != second]
    dec = decode(prep, {"TOK": tok})
    assert dec.start[second] >= dec.end[first]


def test_objective_is_weighted_tardiness_then_makespan(shop):
    prep = prepare(shop)
    dec = decode(prep, {})
    wt, makespan = objective(prep, dec.end)
    assert makespan == max(dec.end) and wt >= 0 and dec.key(prep) == (wt, makespan)


def _setup_shop(kpl_a: str, kpl_b: str):
    from datetime import date, datetime

    from scheduler_core.shop import Calendar, Operation, ShopProblem, WorkCenter, WorkOrder

    return ShopProblem(
        (WorkCenter("TOK", setup_time_minutes=30, calendar=Calendar(shift_names=frozenset({"S1"}))),),
        (WorkOrder("RN-1", kpl=kpl_a, assembly_date=date(2026, 1, 9)),
         WorkOrder("RN-2", kpl=kpl_b, assembly_date=date(2026, 1, 9))),
        (Operation("RN-1", 1, "TOK", 60), Operation("RN-2", 1, "TOK", 60)),
        start=datetime(2026, 1, 5, 7),  # a Monday
    )


def test_setup_before_each_operation_unless_the_same_product_follows():
    """The issue's example: setup 30 min, S1, Monday 07:00, two 60-minute operations."""
    from datetime import datetime

    for kpl_b, second in (("B", (datetime(2026, 1, 5, 8, 30), datetime(2026, 1, 5, 10))),
                          ("A", (datetime(2026, 1, 5, 8, 30), datetime(2026, 1, 5, 9, 30)))):
        prep = prepare(_setup_shop("A", kpl_b))
        dec = decode(prep, {"TOK": [0, 1]})
        assert dec.setup == [30, 0 if kpl_b == "A" else 30]
        at = prep.clock.to_datetime
        assert (at(dec.start[0]), at(dec.end[0])) == (datetime(2026, 1, 5, 7), datetime(2026, 1, 5, 8, 30))
        assert (at(dec.start[1]), at(dec.end[1])) == second


def test_setup_is_working_time_paused_by_the_break():
    from dataclasses import replace
    from datetime import datetime

    shop = _setup_shop("A", "B")
    shop = replace(shop, start=datetime(2026, 1, 5, 9, 45))  # setup 09:45-10:00, break, 10:30-10:45
    prep = prepare(shop)
    dec = decode(prep, {"TOK": [0, 1]})
    pieces = [(prep.clock.to_datetime(s), prep.clock.to_datetime(e)) for s, e in dec.intervals[0]]
    assert pieces == [(datetime(2026, 1, 5, 9, 45), datetime(2026, 1, 5, 10)),
                      (datetime(2026, 1, 5, 10, 30), datetime(2026, 1, 5, 11, 45))]
    assert prep.setup(0, None) == 30 and prep.longest_setup(0) == 30


def test_a_fixed_start_that_cannot_hold_says_why():
    from dataclasses import replace
    from datetime import datetime

    shop = _setup_shop("A", "A")
    for fixed, why in ((datetime(2026, 1, 5, 10, 10), "not working time"),  # in the S1 break
                       (datetime(2026, 1, 1, 7), "before the planning start")):
        ops = tuple(replace(o, pinned_start=fixed) if o.rn == "RN-2" else o for o in shop.operations)
        prep = prepare(replace(shop, operations=ops))
        dec = decode(prep, {"TOK": [0, 1]})
        assert any("RN-2/1: fixed start" in w and why in w for w in dec.warnings), dec.warnings
