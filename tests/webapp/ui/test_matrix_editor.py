"""The changeover-matrix grid ↔ matrix mapping: round trip, empty cells dropped, bad cells
refused with their row and column (the widget itself: tests/pages/test_new_schedule.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from webapp.errors import InputError
from webapp.ui.matrix_editor import frame_matrix, matrix_frame, matrix_types


def test_types_are_the_lot_types_and_the_matrix_types_sorted():
    assert matrix_types({"Bx": {"A": 1.0}}, ["B", "A"]) == ["A", "B", "Bx"]
    assert matrix_types(None, []) == []


def test_grid_round_trip_keeps_only_filled_cells():
    matrix = {"A": {"B": 2.5, "A": 4.0}, "B": {"A": 0.0}}
    frame = matrix_frame(matrix, ["A", "B", "C"])
    assert list(frame.index) == ["A", "B", "C"] and list(frame.columns) == ["A", "B", "C"]
    assert frame.loc["A", "B"] == 2.5 and math.isnan(frame.loc["B", "B"]) and math.isnan(frame.loc["C", "A"])
    assert frame_matrix(frame) == matrix  # a 0.0 and an entry equal to a default are kept
    assert frame_matrix(matrix_frame({}, ["A", "B"])) == {}


def test_bad_cells_are_refused_with_row_and_column_all_at_once():
    frame = pd.DataFrame({"A": [1.0, -2.0], "B": ["x", None]}, index=["A", "B"], dtype=object)
    with pytest.raises(InputError) as err:
        frame_matrix(frame)
    found = [(p.row, p.column, p.reason) for p in err.value.problems]
    assert found == [
        (1, "B", "'A' -> 'B': not a number of hours: 'x'"),
        (2, "A", "'B' -> 'A': hours must be 0 or more, got -2"),
    ]
