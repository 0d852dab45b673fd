from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import pytest

from scheduler_core.filling import FillingConfig, Lot

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
    """``n`` lots of 4 types with vial counts like data/sample_lots.csv, drawn as
    ``benchmarks/app.py`` draws its create-and-show inputs (same seed, same lots)."""
    types = ("MAB-A", "VAX-B", "INS-C", "ONC-D")
    vials = (50_000, 80_000, 120_000, 150_000, 250_000, 300_000, 500_000, 600_000, 750_000, 1_500_000)
    rng = random.Random(seed)
    return [Lot(f"L-{i:04d}", rng.choice(types), rng.choice(vials)) for i in range(1, n + 1)]
