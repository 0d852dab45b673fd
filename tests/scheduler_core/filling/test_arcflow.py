"""The arc-flow model on a grid (``arcflow``) on inputs whose answer is known."""

from __future__ import annotations

import random
import threading

from scheduler_core import stopping
from scheduler_core.filling.arcflow import grid, pack_arcflow

from .conftest import check_packing


def _scaled_pairs(bins: int, seed: int, scale: int = 997) -> list[int]:
    """``bins`` bins of two items filling 59 of 60 (so ``bins`` is optimal: L1), in units of
    ``scale``, each item a little smaller (as the Falkenauer conversion floors vials)."""
    rng = random.Random(seed)
    weights = []
    for _ in range(bins):
        a = rng.randint(20, 40)
        weights += [a, 59 - a]
    rng.shuffle(weights)
    return [w * scale - rng.randint(0, 3) for w in weights]


def test_grid_finds_the_integer_weights_behind_scaled_sizes():
    sizes = _scaled_pairs(10, 1)
    assert grid(sizes, 60 * 997, 10) == 60


def test_grid_is_none_when_the_bins_cannot_hold_the_items():
    assert grid([6, 6, 6], 10, 1) is None


def test_pack_arcflow_packs_into_the_fewest_bins():
    for seed in (1, 2, 3):
        sizes = _scaled_pairs(20, seed)
        packing = pack_arcflow(sizes, 60 * 997, 20, deadline_s=20)
        assert packing is not None
        check_packing(packing, sizes, 60 * 997)
        assert len(packing) == 20


def test_pack_arcflow_gives_no_packing_when_there_is_none():
    # three items of 6 into two bins of 10: the grid rounds nothing, and no bin takes two
    assert pack_arcflow([6, 6, 6], 10, 2, deadline_s=5) is None


def test_a_stopped_run_gives_no_packing():
    flag = threading.Event()
    flag.set()
    with stopping.watching(flag):
        assert pack_arcflow(_scaled_pairs(20, 4), 60 * 997, 20, deadline_s=20) is None
