from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import pytest

from benchmarks.app import lots_csv
from scheduler_core.filling import FillingConfig, Lot, parse_lots
from scheduler_core.filling.rules import Instance

DATA = Path(__file__).resolve().parents[2] / "data" / "filling"
START = datetime(2026, 12, 1, 6, 0)


@pytest.fixture
def config() -> FillingConfig:
    return FillingConfig(start_time=START)


@pytest.fixture
def small_lots() -> list[Lot]:
    """Eight lots of three types; 60 h, 30 h ... so blocks and changeovers both matter."""
    spec = [
        ("A1", "A", 60),
        ("A2", "A", 30),
        ("B1", "B", 50),
        ("B2", "B", 20),
        ("C1", "C", 70),
        ("A3", "A", 10),
        ("B3", "B", 40),
        ("C2", "C", 25),
    ]
    return [Lot(i, t, h * 19920) for i, t, h in spec]


def data_file(name: str) -> Path:
    return DATA / name


def random_lots(seed: int, n: int = 100) -> list[Lot]:
    """The create-and-show input ``benchmarks/app.py`` draws for ``seed``: ``n`` lots of 4
    types with vial counts like data/sample_lots.csv."""
    return parse_lots(lots_csv(n, seed), "lots.csv")


def triplet_weights(bins: int, seed: int) -> list[int]:
    """Falkenauer-style triplets, shuffled: ``bins`` bins of three items filling 1,000 exactly
    (w1 in 380..490, w2 in 250..(1000 - w1) // 2, w3 the rest)."""
    rng = random.Random(seed)
    weights = []
    for _ in range(bins):
        a = rng.randint(380, 490)
        b = rng.randint(250, (1000 - a) // 2)
        weights += [a, b, 1000 - a - b]
    rng.shuffle(weights)
    return weights


def check_packing(packing: list[list[int]], sizes: list[int], capacity: int) -> None:
    """Every item exactly once, every bin within capacity, no empty bin."""
    assert sorted(i for b in packing for i in b) == list(range(len(sizes)))
    assert all(b and sum(sizes[i] for i in b) <= capacity for b in packing)


def _partitions(items: list[int]):
    """Every set partition of ``items`` (lists of lists)."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in _partitions(rest):
        for k in range(len(part)):
            yield part[:k] + [[first, *part[k]]] + part[k + 1 :]
        yield [[first], *part]


def brute_force_optimum(inst: Instance) -> int:
    """Makespan ticks of the best packing, by trying every set partition of the lots."""
    feasible = (
        inst.makespan_ticks([inst.finalize_block(b) for b in part])
        for part in _partitions(list(range(inst.n)))
        if all(inst.grouped_load(b) <= inst.window for b in part)
    )
    return min(feasible)


#: A small line (10 h window) on which a few lots of a few hours make hard packings.
SMALL = FillingConfig(window_hours=10, clean_hours=24, changeover_same_hours=1, changeover_diff_hours=2)


def hour_lots(spec: list[tuple[str, str, int]]) -> list[Lot]:
    """Lots from ``(lot id, type, fill hours)`` at the default fill rate."""
    return [Lot(i, t, h * 19920) for i, t, h in spec]


def small_random_instances(seed: int, count: int):
    """``count`` random instances of 2-7 lots of types A-C (1-9 h) on small lines (10-20 h
    windows), small enough for :func:`brute_force_optimum`."""
    rng = random.Random(seed)
    for _ in range(count):
        config = FillingConfig(
            window_hours=rng.choice([10, 12, 20]),
            clean_hours=rng.choice([3, 5, 24]),
            changeover_same_hours=rng.choice([0, 1, 2]),
            changeover_diff_hours=rng.choice([2, 3, 4]),
        )
        lots = hour_lots([(f"L{k}", rng.choice("ABC"), rng.randint(1, 9)) for k in range(rng.randint(2, 7))])
        yield Instance.build(lots, config)
