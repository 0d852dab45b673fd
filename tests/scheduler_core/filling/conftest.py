from __future__ import annotations

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
