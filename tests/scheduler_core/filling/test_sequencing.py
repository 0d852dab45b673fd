"""Ordering plans for releases and due dates: arrange, repair, score and the search."""

from __future__ import annotations

import random
import time
from datetime import datetime, timedelta

import pytest

from scheduler_core.filling import sequencing as sq
from scheduler_core.filling.model import FillingConfig, Lot
from scheduler_core.filling.rules import Instance

T0 = datetime(2026, 1, 5)
H = timedelta(hours=1)
VPH = 19920


def instance(lots, **config):
    return Instance.build(lots, FillingConfig(start_time=T0, **config), T0)


@pytest.fixture
def tradeoff():
    """The example of issue 15: A1, A2 (50 h each) and B1 (10 h), B1 due first."""
    return instance([Lot("A1", "A", 50 * VPH, due=T0 + 68 * H), Lot("A2", "A", 50 * VPH),
                     Lot("B1", "B", 10 * VPH, due=T0 + 36 * H)])


def dated_lots(rng, n, *, due_h, release_h):
    """``n`` random lots of 3 types: most with a due date (up to ``due_h``), some released
    later (up to ``release_h``), priorities 1-3."""
    return [Lot(f"L{k}", rng.choice("ABC"), rng.randint(2, 60) * VPH,
                due=T0 + rng.randint(30, due_h) * H if rng.random() < 0.8 else None,
                release=T0 + rng.randint(0, release_h) * H if rng.random() < 0.3 else None,
                priority=rng.choice([1, 2, 3])) for k in range(n)]


def hours(inst, score):
    return tuple(v / inst.scale.ticks_per_hour for v in score)


def test_score_is_lexicographic_in_the_objective(tradeoff):
    plan = [[2], [0, 1]]
    assert hours(tradeoff, sq.score(tradeoff, plan, "makespan")) == (162.0, 40.0)
    assert hours(tradeoff, sq.score(tradeoff, plan, "due")) == (40.0, 162.0)
    assert sq.weighted_tardiness(tradeoff, [[2, 0], [1]]) == 24 * tradeoff.scale.ticks_per_hour


def test_arrange_orders_blocks_by_earliest_due_date(tradeoff):
    assert sq.arrange(tradeoff, [[0, 1], [2]]) == [[2], [0, 1]]
    assert sq.arrange(tradeoff, [[0, 1], [2]], keep_order=True) == [[0, 1], [2]]


@pytest.mark.parametrize("objective, plan, score_h", [
    ("makespan", [[2], [0, 1]], (162.0, 40.0)),
    ("due", [[2, 0], [1]], (24.0, 166.0)),
])
def test_improve_finds_the_optimum_of_each_objective(tradeoff, objective, plan, score_h):
    start = sq.arrange(tradeoff, [[0, 1], [2]])
    best = sq.improve(tradeoff, start, objective, time.monotonic() + 5, patience=1.0)
    assert best == plan and hours(tradeoff, sq.score(tradeoff, best, objective)) == score_h


def test_a_clean_is_put_off_so_that_waits_fit_the_window():
    inst = instance([Lot("A1", "A", 50 * VPH), Lot("A2", "A", 50 * VPH, release=T0 + 150 * H)])
    tph = inst.scale.ticks_per_hour
    # at once: 24 h clean, A1 50 h, changeover 4 h, wait to 150 h, A2 50 h = 176 h > 120 h after the clean;
    # the clean starts 56 h later instead, and the block still ends at 200 h
    times = inst.block_times(0, [0, 1])
    assert (times.clean_start, times.fill_starts, times.end) == (56 * tph, [80 * tph, 150 * tph], 200 * tph)
    assert inst.span_fits(times) and sq.repair(inst, [[0, 1]]) == [[0, 1]]


def test_repair_splits_a_block_that_does_not_fit():
    inst = instance([Lot("A1", "A", 60 * VPH), Lot("A2", "A", 60 * VPH), Lot("A3", "A", 10 * VPH)])
    assert sq.repair(inst, [[0, 1, 2]]) == [[0], [1, 2]]


def test_every_plan_the_search_returns_fits_and_is_never_worse():
    inst = instance(dated_lots(random.Random(4), 30, due_h=600, release_h=300))
    start = sq.by_due_date(inst)
    assert all(inst.span_fits(t) for t in inst.timeline(start))
    for objective in ("due", "makespan"):
        best = sq.improve(inst, start, objective, time.monotonic() + 1.0)
        assert sorted(i for b in best for i in b) == list(range(30))
        assert all(inst.span_fits(t) for t in inst.timeline(best))
        assert sq.score(inst, best, objective) <= sq.score(inst, start, objective)


def test_order_block_groups_types_by_urgency():
    inst = instance([Lot("A1", "A", VPH, due=T0 + 90 * H), Lot("B1", "B", VPH, due=T0 + 40 * H),
                     Lot("A2", "A", VPH, release=T0 + 5 * H), Lot("B2", "B", VPH)])
    assert sq.order_block(inst, [0, 1, 2, 3]) == [1, 3, 0, 2]


def test_dispatching_fills_the_most_urgent_weighty_lot_first():
    inst = instance([Lot("slack", "A", 10 * VPH, due=T0 + 900 * H), Lot("urgent", "B", 10 * VPH, due=T0 + 40 * H,
                                                                          priority=1),
                     Lot("undated", "A", 10 * VPH)])
    for k1, k2 in sq.URGENCY_PARAMETERS:
        plan = sq.by_urgency(inst, k1, k2)
        assert plan[0][0] == 1 and sorted(i for b in plan for i in b) == [0, 1, 2]
        assert all(inst.span_fits(t) for t in inst.timeline(plan))


def test_best_start_is_never_worse_than_the_plans_given(tradeoff):
    given = [[0, 1], [2]]
    for objective in ("due", "makespan"):
        start = sq.best_start(tradeoff, objective, [given])
        assert sq.score(tradeoff, start, objective) <= sq.score(tradeoff, given, objective)


def test_a_neighbour_timed_from_its_change_scores_as_if_timed_in_full():
    rng = random.Random(8)
    inst = instance(dated_lots(rng, 60, due_h=900, release_h=400))
    for objective in ("due", "makespan"):
        current = sq._Timed(inst, sq.by_due_date(inst), objective)
        checked = 0
        for _ in range(400):
            move = sq._neighbour(inst, current.blocks, rng)
            if move is None:
                continue
            fits = all(inst.span_fits(t) for t in inst.timeline(move))
            timed = current.try_plan(move, (10**18, 10**18))
            assert (timed is not None) == fits
            if timed is not None:
                assert timed.score == sq.score(inst, move, objective)
                full = sq._Timed(inst, move, objective)
                assert (timed.score, timed.free, timed.tardy, timed.dated, timed.pos) == (
                    full.score, full.free, full.tardy, full.dated, full.pos)
                assert (timed.rigid, timed.room) == (full.rigid, full.room)
                current, checked = timed, checked + 1
        assert checked > 100
