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
