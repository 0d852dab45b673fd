"""Bin completion (``pack_into``) and the bin-emptying local search (``drain``) on inputs whose
answer is known by hand."""

from __future__ import annotations

import random
import time

import pytest

from scheduler_core.filling.binpack import drain, pack_into, packing_exists


def _later(seconds: float = 5.0) -> float:
    return time.monotonic() + seconds


def _check_packing(packing: list[list[int]], sizes: list[int], capacity: int) -> None:
    """Every item exactly once, every bin within capacity, no empty bin."""
    assert sorted(i for b in packing for i in b) == list(range(len(sizes)))
    assert all(b and sum(sizes[i] for i in b) <= capacity for b in packing)


def _as_sets(packing: list[list[int]]) -> set[frozenset[int]]:
    return {frozenset(b) for b in packing}


# 6+4, 5+5 and 3+7 is the only way to fill three bins of 10 exactly (three items are > 10)
PERFECT = [6, 4, 5, 5, 3, 7]
PERFECT_BINS = {frozenset({0, 1}), frozenset({2, 3}), frozenset({4, 5})}


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_pack_into_finds_the_only_perfect_packing(seed):
    packing = pack_into(PERFECT, 10, 3, deadline=_later(), seed=seed)
    assert packing is not None
    _check_packing(packing, PERFECT, 10)
    assert _as_sets(packing) == PERFECT_BINS


def test_pack_into_triplets():
    sizes = [50, 30, 20, 45, 35, 20, 40, 40, 20]  # total 300: three full bins of 100
    packing = pack_into(sizes, 100, 3, deadline=_later())
    assert packing is not None and len(packing) == 3
    _check_packing(packing, sizes, 100)
    assert all(sum(sizes[i] for i in b) == 100 for b in packing)


def test_pack_into_equal_sizes_and_spare_bins():
    packing = pack_into([5, 5, 5, 5], 10, 2, deadline=_later())
    assert packing is not None and len(packing) == 2
    _check_packing(packing, [5, 5, 5, 5], 10)
    # "at most" that many bins: four allowed, two needed
    packing = pack_into([5, 5, 5, 5], 10, 4, deadline=_later())
    assert packing is not None and len(packing) <= 4
    _check_packing(packing, [5, 5, 5, 5], 10)


def test_pack_into_refuses_an_item_larger_than_a_bin():
    assert pack_into([3, 11], 10, 5, deadline=_later()) is None


def test_pack_into_refuses_more_than_the_bins_hold():
    assert pack_into([6, 6], 10, 1, deadline=_later()) is None  # 12 > 10


def test_pack_into_proves_a_packing_impossible():
    # 18 <= 2 * 10, yet no two items of 6 share a bin of 10
    assert pack_into([6, 6, 6], 10, 2, deadline=_later()) is None


def test_pack_into_gives_up_after_the_deadline():
    assert pack_into(PERFECT, 10, 3, deadline=time.monotonic() - 1) is None


def test_pack_into_nothing_to_pack():
    assert pack_into([], 10, 0, deadline=_later()) == []


def test_drain_merges_light_bins_into_one():
    sizes = [3, 3, 3]
    packing = drain(sizes, 10, [[0], [1], [2]], target=1, deadline=_later())
    assert len(packing) == 1
    _check_packing(packing, sizes, 10)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_drain_reaches_the_perfect_packing_from_singletons(seed):
    packing = drain(PERFECT, 10, [[i] for i in range(6)], target=3, deadline=_later(), seed=seed)
    _check_packing(packing, PERFECT, 10)
    assert _as_sets(packing) == PERFECT_BINS


def test_drain_stops_at_the_target_and_drops_empty_bins():
    start = [[0, 1], [], [2, 3], [4, 5]]
    assert drain(PERFECT, 10, start, target=3, deadline=_later()) == [[0, 1], [2, 3], [4, 5]]


def test_drain_after_the_deadline_returns_the_bins_it_got():
    start = [[0], [1], [2, 3], [4], [5]]
    assert drain(PERFECT, 10, start, target=3, deadline=time.monotonic() - 1) == start


def test_drain_does_not_change_its_input():
    start = [[0], [1], [2], [3], [4], [5]]
    drain(PERFECT, 10, start, target=3, deadline=_later())
    assert start == [[0], [1], [2], [3], [4], [5]]


def test_drain_never_exceeds_capacity_when_the_target_is_out_of_reach():
    sizes = [6, 6, 6, 6]  # no two fit together: four bins is the best there is
    packing = drain(sizes, 10, [[0], [1], [2], [3]], target=2, deadline=time.monotonic() + 0.2)
    assert len(packing) == 4
    _check_packing(packing, sizes, 10)


def test_packing_exists_finds_or_refutes_a_bin_count():
    assert packing_exists(PERFECT, 10, 3, deadline=_later()) is True
    # 6+6+6 = 18 <= 20 but no two sizes share a bin: the complete search proves it
    assert packing_exists([6, 6, 6], 10, 2, deadline=_later()) is False
    # L2 says 2 for 7,7,3,3 into 10 (sum 20); 7+3 twice is the packing
    assert packing_exists([7, 7, 3, 3], 10, 2, deadline=_later()) is True
    # 5,5,4,4,2 into 10: sum 20, but 5+5 and 4+4+2 is the only way
    assert packing_exists([5, 5, 4, 4, 2], 10, 2, deadline=_later()) is True
    assert packing_exists([7, 6, 6, 5, 3, 3, 3], 11, 3, deadline=_later()) is False
    assert packing_exists([7, 6, 6, 5, 3, 3, 3], 11, 4, deadline=_later()) is True


def test_packing_exists_is_undecided_past_its_limits():
    rng = random.Random(3)
    sizes = [rng.randint(20, 100) for _ in range(200)]
    assert packing_exists(sizes, 150, 60, deadline=time.monotonic() - 1, node_limit=10) in (False, None)
    assert packing_exists(sizes, 150, sum(sizes) // 150 + 1, deadline=_later(), node_limit=1) is None
