from __future__ import annotations

import csv
import itertools
import random
import threading
import time

import pytest

from scheduler_core import stopping
from scheduler_core.filling import FillingConfig, Lot, lpbound, parse_lots
from scheduler_core.filling.bounds import instance_lower_bound
from scheduler_core.filling.lpbound import pattern_lp_bound
from scheduler_core.filling.rules import Instance

from .conftest import (
    SMALL,
    brute_force_optimum,
    data_file,
    hour_lots,
    small_random_instances,
    triplet_weights,
)


def _bound(inst: Instance, seconds: float = 5.0, start=None) -> int | None:
    return pattern_lp_bound(inst, time.monotonic() + seconds, start)


def test_a_block_more_than_the_structural_bound_shows():
    """A 5, A 8, A 6 and C 4 in a 10 h window: no two A lots share a block, so three
    blocks; the structural bound sees two (C fits beside A 5 in the count)."""
    inst = Instance.build(
        hour_lots([("L0", "A", 5), ("L1", "C", 4), ("L2", "A", 8), ("L3", "A", 6)]),
        FillingConfig(window_hours=10, clean_hours=24, changeover_same_hours=1, changeover_diff_hours=2),
    )
    optimum = brute_force_optimum(inst)
    assert instance_lower_bound(inst).ticks < optimum
    assert _bound(inst) == optimum


def test_never_above_the_optimum_and_tighter_on_random_small_inputs():
    raised = tight = 0
    for inst in small_random_instances(5, 250):
        structural, optimum = instance_lower_bound(inst).ticks, brute_force_optimum(inst)
        bound = _bound(inst)
        assert bound is not None and bound <= optimum, (inst.lots, inst.config)
        raised += bound > structural
        tight += max(bound, structural) == optimum
    assert raised >= 3  # the LP sees what the structural bound misses
    assert tight >= 245


def test_bound_is_a_multiple_of_the_block_cost_step_above_the_sizes():
    inst = Instance.build(hour_lots([("a", "A", 7), ("b", "B", 6), ("c", "A", 3), ("d", "B", 5)]), SMALL)
    sizes = sum(inst.size(i) for i in range(inst.n))
    step = inst.scale.hours_to_ticks(1)  # gcd of clean - cross = 22 h and the extras 1 h
    bound = _bound(inst)
    assert bound is not None and (bound - sizes) % step == 0


def test_triplets_meet_the_number_of_triplets():
    """On triplets (every bin exactly full) the LP bound is the number of bins."""
    weights = triplet_weights(20, seed=3)
    lots = [Lot(f"t{k}", "A", (w * 124 * 19920 - 4 * 19920 * 1000) // 1000) for k, w in enumerate(weights)]
    inst = Instance.build(lots, FillingConfig())
    sizes = sum(inst.size(i) for i in range(inst.n))
    assert _bound(inst) == sizes + 20 * (inst.clean - inst.cross + inst.type_extra(0))


@pytest.mark.parametrize("row", list(csv.DictReader(open(data_file("falkenauer_index.csv")))))
def test_falkenauer_conversions_bound_at_most_the_known_optimum(row):
    inst = Instance.build(parse_lots(data_file(row["file"])), FillingConfig())
    assert inst.scale.to_hours(_bound(inst)) <= float(row["opt_makespan_h"]) + 1e-3  # index: 4 decimals


def test_none_without_the_grouped_formula_without_lots_or_with_free_blocks():
    matrix = FillingConfig(changeover_matrix={("A", "B"): 1, ("B", "A"): 30})
    assert _bound(Instance.build(hour_lots([("a", "A", 5), ("b", "B", 5)]), matrix)) is None
    assert _bound(Instance.build([], FillingConfig())) is None
    free_blocks = FillingConfig(clean_hours=2, changeover_same_hours=2, changeover_diff_hours=8)
    assert _bound(Instance.build(hour_lots([("a", "A", 5), ("b", "B", 5)]), free_blocks)) is None


def _mixed(n: int, types: int, seed: int) -> Instance:
    rng = random.Random(seed)
    lots = [Lot(f"L{k}", f"T{rng.randint(1, types)}", rng.randint(20_000, 2_300_000)) for k in range(n)]
    return Instance.build(lots, FillingConfig())


def test_a_start_plan_seeds_the_lp_and_changes_nothing_but_time():
    from scheduler_core.filling import greedy

    inst = _mixed(80, 4, seed=2)
    assert _bound(inst) == _bound(inst, start=greedy.smart_pack(inst))


def test_a_passed_deadline_or_a_stop_still_gives_a_valid_bound():
    inst = _mixed(150, 4, seed=4)
    full = _bound(inst, seconds=30)
    assert full is not None and full > instance_lower_bound(inst).ticks
    sizes = sum(inst.size(i) for i in range(inst.n))
    assert _bound(inst, seconds=0) == sizes  # no iteration: the sizes alone, still a bound
    stop = threading.Event()
    stop.set()
    with stopping.watching(stop):
        started = time.monotonic()
        stopped = _bound(inst, seconds=30)
    assert time.monotonic() - started < 1.0
    assert stopped == sizes


def test_a_known_bound_the_lp_cannot_beat_ends_the_generation_early(monkeypatch):
    inst = _mixed(150, 4, seed=4)
    full = _bound(inst, seconds=30)
    calls = []
    price = lpbound._price
    monkeypatch.setattr(lpbound, "_price", lambda *args: calls.append(1) or price(*args))
    assert pattern_lp_bound(inst, time.monotonic() + 30, known=full - 1) == full  # below the LP: no effect
    iterations = len(calls)
    calls.clear()
    early = pattern_lp_bound(inst, time.monotonic() + 30, known=full + 10**9)
    assert early <= full and len(calls) < iterations


def test_pricing_finds_the_most_profitable_pattern_of_all():
    """``_price`` against enumeration of every pattern (0/1 copies up to the demand, a type's
    extra once it is present, width-0 lots included) on random small grids."""
    rng = random.Random(8)
    for _ in range(150):
        types = rng.randint(1, 3)
        classes = sorted({((rng.randrange(types), rng.randint(0, 6)), 0) for _ in range(rng.randint(1, 5))})
        classes = [(key, rng.randint(1, 2)) for key, _ in classes]
        demand = [count for _, count in classes]
        by_type: dict[int, list[int]] = {}
        for k, ((t, _), _) in enumerate(classes):
            by_type.setdefault(t, []).append(k)
        duals = [rng.choice([0.0, rng.uniform(0, 9)]) for _ in classes]
        extras = [rng.randint(0, 3) for _ in range(types)]
        cap, per_block = rng.randint(4, 12), rng.randint(1, 5)
        best = 0.0
        for counts in itertools.product(*(range(d + 1) for d in demand)):
            present = {classes[k][0][0] for k, c in enumerate(counts) if c}
            if present and sum(c * classes[k][0][1] for k, c in enumerate(counts)) + sum(
                    extras[t] for t in present) <= cap:
                best = max(best, sum(c * duals[k] for k, c in enumerate(counts)) - per_block
                           - sum(extras[t] for t in present))
        found = lpbound._price(classes, demand, by_type, duals, extras, 1, cap, per_block)
        assert max(0.0, found[0][0]) == pytest.approx(best), (classes, duals, extras, cap)
        for profit, pattern in found:  # every pattern traced back fits and is worth its profit
            present = {classes[k][0][0] for k in pattern}
            assert all(pattern[k] <= demand[k] for k in pattern)
            assert sum(c * classes[k][0][1] for k, c in pattern.items()) + sum(extras[t] for t in present) <= cap
            assert sum(c * duals[k] for k, c in pattern.items()) - per_block - sum(
                extras[t] for t in present) >= profit - 1e-9 or not pattern


def test_a_coarse_grid_still_never_bounds_above_the_optimum(monkeypatch):
    """Seven units per block round most sizes down a lot: the bound gets weaker, never wrong."""
    monkeypatch.setattr(lpbound, "GRID_UNITS", 7)
    for inst in small_random_instances(9, 120):
        assert _bound(inst) <= brute_force_optimum(inst), (inst.lots, inst.config)


@pytest.mark.parametrize(
    ("strategy", "seed", "dated"), [("best", 1, False), ("best", 2, False), ("best", 1, True), ("milp-opt", 1, False)]
)
def test_optimising_strategies_report_the_lp_bound_when_it_is_stronger(strategy, seed, dated):
    """Also when due dates make ``best`` pack on a share of its time, then order the blocks."""
    from dataclasses import replace
    from datetime import datetime, timedelta

    from scheduler_core.filling import FillingProblem, plan

    inst = _mixed(100, 8, seed)
    start = datetime(2026, 12, 1, 6)
    lots = [replace(lot, due=start + timedelta(days=400)) if dated else lot for lot in inst.lots]
    structural = instance_lower_bound(inst)
    result = plan(FillingProblem(lots), FillingConfig(time_limit_s=3, strategy=strategy, start_time=start))
    lp = inst.scale.to_hours(_bound(inst, seconds=30))
    assert result.kpis.lower_bound_h == pytest.approx(lp, abs=1e-6)
    assert structural.hours < lp <= result.kpis.makespan_h
