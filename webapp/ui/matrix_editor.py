"""The changeover-matrix grid of the config editor: lot types × lot types (rows = from type,
columns = to type), an empty cell meaning the same/different-type default and only the cells
the planner fills becoming matrix entries (``{from: {to: hours}}``, the config's YAML form)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from numbers import Real
from typing import Any

import pandas as pd
import streamlit as st

from webapp.errors import InputError, Problem
from webapp.ui.tables import editor
from webapp.ui.widgets import show_input_error

Matrix = dict[str, dict[str, float]]


def matrix_types(matrix: Mapping[str, Mapping[str, Any]] | None, lot_types: Iterable[str] = ()) -> list[str]:
    """The grid's types: the lot types plus every type the matrix names, sorted."""
    named = {t for a, row in (matrix or {}).items() for t in (a, *row)}
    return sorted(set(lot_types) | named)


def matrix_frame(matrix: Mapping[str, Mapping[str, Any]] | None, types: Iterable[str]) -> pd.DataFrame:
    """The grid of ``matrix`` over ``types`` (index = from type, columns = to type), an
    empty (NaN) cell wherever the matrix has no entry."""
    order = list(types)
    frame = pd.DataFrame(math.nan, index=pd.Index(order, name="from \\ to"), columns=order, dtype=float)
    for a, row in (matrix or {}).items():
        for b, hours in row.items():
            frame.loc[a, b] = hours
    return frame


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def frame_matrix(frame: pd.DataFrame) -> Matrix:
    """The matrix entries of an edited grid: every filled cell, empty cells dropped. A
    negative or non-number cell is refused (``InputError``, row = grid row counted from 1,
    column = the to type), every one of them at once."""
    matrix: Matrix = {}
    problems: list[Problem] = []
    for row_no, (a, row) in enumerate(frame.iterrows(), start=1):
        for b, value in row.items():
            if _empty(value):
                continue
            if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
                problems.append(Problem(f"{a!r} -> {b!r}: not a number of hours: {value!r}", row_no, str(b)))
            elif value < 0:
                problems.append(Problem(f"{a!r} -> {b!r}: hours must be 0 or more, got {value:g}", row_no, str(b)))
            else:
                matrix.setdefault(str(a), {})[str(b)] = float(value)
    if problems:
        raise InputError(problems)
    return matrix


def matrix_editor(
    matrix: Mapping[str, Mapping[str, Any]] | None,
    *,
    lot_types: Iterable[str],
    same_hours: float,
    diff_hours: float,
    key: str,
) -> Matrix | None:
    """The grid widget over the lot types, the ``matrix`` types and any the planner adds;
    returns the filled cells (kept in the session per ``key``, so leaving the source and
    coming back keeps them), or ``None`` when a cell is bad (shown as a problem table)."""
    saved_key = f"{key}_saved"
    current = st.session_state.get(saved_key, matrix) or {}
    extra = st.text_input(
        "More lot types for the grid (comma-separated)", key=f"{key}_extra",
        help="Types that no loaded lot has yet, e.g. for a template.",
    )
    types = matrix_types(current, [*lot_types, *(t.strip() for t in extra.split(",") if t.strip())])
    default = f"empty = default {diff_hours:.1f} h between types, {same_hours:.1f} h same type"
    st.caption(f"Changeover matrix (hours, rows = from type, columns = to type) · {default}")
    if not types:
        st.caption("No lot types yet: load lots or name types above to fill in the matrix.")
        return {}
    column = st.column_config.NumberColumn(min_value=0.0, step=0.1, format="%.1f", help=default)
    edited = editor(
        matrix_frame(current, types), column_config=dict.fromkeys(types, column), hide_index=False,
        num_rows="fixed", placeholder="default", key=f"{key}_grid",
    )
    try:
        result = frame_matrix(edited)
    except InputError as exc:
        show_input_error(exc, "The changeover matrix has problems", hint="Fix the cells.")
        return None
    st.session_state[saved_key] = result
    return result
