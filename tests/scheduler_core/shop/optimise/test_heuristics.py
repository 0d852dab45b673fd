"""Constructive heuristics of the optimiser: Giffler-Thompson active schedules (most work
remaining, least slack) on a two-machine shop worked out by hand, and the single-machine
iterated local search on weighted tardiness."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from scheduler_core.shop import Calendar, Operation, ShopProblem, WorkCenter, WorkOrder
from scheduler_core.shop.optimise.coords import SolverCoords
from scheduler_core.shop.optimise.heuristics import giffler_thompson, single_machine_ils
from scheduler_core.shop.prepared import prepare

T0 = datetime(2025, 1, 6, 7, 0)


def two_jobs(**changes) -> ShopProblem:
    """J1: M1 30 min -> M2 10 min, due after 40 min; J2: M1 20 min -> M2 40 min, due after
    500 min. Both machines always working, so solver time is real minutes."""
    wcs = (WorkCenter("M1", calendar=Calendar.always()), WorkCenter("M2", calendar=Calendar.always()))
    orders = (
        WorkOrder("J1", assembly_date=T0 + timedelta(minutes=40)),
        WorkOrder("J2", assembly_date=T0 + timedelta(minutes=500)),
    )
    ops = [
        Operation("J1", 1, "M1", 30),
        Operation("J1", 2, "M2", 10),
        Operation("J2", 1, "M1", 20),
        Operation("J2", 2, "M2", 40),
    ]
    replaced = changes.pop("ops", {})
    ops = [replaced.get(o.op_id, o) for o in ops]
    return ShopProblem(wcs, orders, tuple(ops), start=T0, **changes)


def queues(problem: ShopProblem, rule: str) -> dict[str, list[str]]:
    prep = prepare(problem)
    seqs = giffler_thompson(prep, SolverCoords(prep), rule)
    return {w: [prep.ops[i].op_id for i in q] for w, q in seqs.items()}


def test_most_work_remaining_starts_the_longer_job():
    # M1 conflict at t=0: J2/1 has 60 min of work left, J1/1 40 min -> J2 first;
    # on M2 J2/2 (ready at 20) and J1/2 (ready at 50) conflict: J2/2 has more work left
    assert queues(two_jobs(), "mwkr") == {"M1": ["J2/1", "J1/1"], "M2": ["J2/2", "J1/2"]}


def test_least_slack_starts_the_urgent_job():
    # at t=0 J1 has 40 - 40 = 0 min of slack, J2 500 - 60 = 440: J1 first everywhere
    assert queues(two_jobs(), "slack") == {"M1": ["J1/1", "J2/1"], "M2": ["J1/2", "J2/2"]}


def test_operation_in_progress_goes_first():
    problem = two_jobs(ops={"J1/1": Operation("J1", 1, "M1", 30, status="in_progress")})
    assert queues(problem, "mwkr") == {"M1": ["J1/1", "J2/1"], "M2": ["J1/2", "J2/2"]}


def test_pinned_start_delays_an_operation():
    # J2/1 cannot start before minute 60, so J1/1 (done at 30) is the only one in conflict
    pinned = Operation("J2", 1, "M1", 20, pinned_start=T0 + timedelta(minutes=60))
    assert queues(two_jobs(ops={"J2/1": pinned}), "mwkr") == {"M1": ["J1/1", "J2/1"], "M2": ["J1/2", "J2/2"]}


def test_pin_overrides_the_rule():
    """mwkr alone runs J2 first on M1; with J1/1 pinned first the schedule is built around the
    pin (J1/2 is ready on M2 at minute 30, before J2/2 at 50), not patched afterwards."""
    problem = two_jobs(pins=(("J1/1", "J2/1"),))
    assert queues(two_jobs(), "mwkr")["M1"] == ["J2/1", "J1/1"]
    assert queues(problem, "mwkr") == {"M1": ["J1/1", "J2/1"], "M2": ["J1/2", "J2/2"]}


@pytest.mark.parametrize("rule", ["mwkr", "slack"])
def test_every_open_operation_queued_once_in_routing_order(shop, rule):
    prep = prepare(shop)
    seqs = giffler_thompson(prep, SolverCoords(prep), rule)
    assert sorted(i for q in seqs.values() for i in q) == list(range(prep.n))
    assert all(prep.wc[i] == w for w, q in seqs.items() for i in q)
    assert set(seqs) == set(prep.work_centers())


def test_single_machine_ils_small_exhaustive():
    from itertools import permutations

    p, w, d = [4, 3, 7, 2, 5], [2, 1, 3, 2, 1], [5, 6, 8, 4, 12]

    def cost(seq):
        t = c = 0
        for j in seq:
            t += p[j]
            c += w[j] * max(0, t - d[j])
        return c

    best = min(cost(s) for s in permutations(range(5)))
    seq, value = single_machine_ils(p, w, d, 0.2)
    assert value == best == cost(seq)


def test_single_machine_ils_all_due_at_zero_is_smiths_rule():
    # due 0: tardiness = completion; shortest weighted processing time first (3, 1, 0.5)
    # 2 (0-2) weight 4, 1 (2-3) weight 1, 0 (3-6) weight 1: 8 + 3 + 6 = 17
    assert single_machine_ils([3, 1, 2], [1, 1, 4], [0, 0, 0], 0.05) == ([2, 1, 0], 17)


def test_single_machine_ils_two_jobs():
    # 0 then 1: 5 + 6 * 10 = 65; 1 then 0: 1 * 10 + 6 = 16
    assert single_machine_ils([5, 1], [1, 10], [0, 0], 0.05) == ([1, 0], 16)


def test_single_machine_ils_on_time_plan_and_found_time():
    seq, value = single_machine_ils([2, 3, 4], [1, 1, 1], [100, 100, 100], 5.0)
    assert value == 0 and sorted(seq) == [0, 1, 2]
    assert single_machine_ils.last_found_s >= 0
