from __future__ import annotations

import csv

import pytest

from scheduler_core.filling import FillingConfig, Lot, lower_bound, parse_lots
from scheduler_core.filling.bounds import bin_packing_l2

from .conftest import data_file


def test_l2_classic_examples():
    assert bin_packing_l2([], 10) == 0
    assert bin_packing_l2([6, 6, 6], 10) == 3  # no two fit together
    assert bin_packing_l2([5, 5, 5, 5], 10) == 2
    # L1 would say ceil(24/10) = 3; large items force 4 bins
    assert bin_packing_l2([6, 6, 6, 6], 10) == 4
    assert bin_packing_l2([7, 7, 3, 3, 3, 1], 10) >= 3


@pytest.mark.parametrize(
    "row",
    list(csv.DictReader(open(data_file("falkenauer_index.csv"))))
    if data_file("falkenauer_index.csv").exists()
    else [],
)
def test_falkenauer_bound_equals_known_optimum(row):
    lots = parse_lots(data_file(row["file"]))
    lb = lower_bound(lots)
    assert lb.blocks == int(row["opt_blocks"])
    assert lb.hours == pytest.approx(float(row["opt_makespan_h"]), abs=1e-3)


def test_bound_formula_for_one_block():
    lots = [Lot("a", "A", 19920 * 10), Lot("b", "B", 19920 * 10)]
    # clean 24 + fills 20 + one type change 8
    assert lower_bound(lots).hours == pytest.approx(52)


def test_generic_bound_with_matrix_is_valid():
    config = FillingConfig(changeover_matrix={("A", "B"): 1, ("B", "A"): 30})
    lots = [Lot("a", "A", 19920 * 10), Lot("b", "B", 19920 * 10)]
    # cheapest changeover 1 h: 24 + 20 + 1
    assert lower_bound(lots, config).hours == pytest.approx(45)
