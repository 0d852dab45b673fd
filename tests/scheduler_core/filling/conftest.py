from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import pytest

from benchmarks.app import lots_csv
from scheduler_core.filling import FillingConfig, Lot, parse_lots

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
