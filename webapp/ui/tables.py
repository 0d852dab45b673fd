"""Tables as planners read them: :func:`table` (and :func:`editor` for an editable one) shows a frame with ``st.column_config``
formats derived from each column's type and name (hours with one decimal, counts as
integers, quantities with thousands separators, dates as dates, date-times to the minute)
and "–" for a missing value instead of ``None``. Explicit column configs win."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

#: How a missing value is shown.
MISSING = "–"
#: Words that make a numeric column a count (integers, even when a gap made it float).
COUNT_WORDS = ("rank", "seq", "sequence", "position", "priority", "orders", "operations", "blocks", "lots",
               "changeovers", "count", "id", "plan", "#", "row", "number", "late orders")
#: Words that make a numeric column a quantity shown with thousands separators.
QUANTITY_WORDS = ("vials", "quantity", "pieces", "qty")
#: Words (or unit marks) that make a numeric column hours with one decimal.
HOUR_MARKS = ("(h)", "_h", "hours", "lateness", "tardiness", "makespan")


def _words(name: str) -> str:
    return f" {name.lower().replace('_', ' ')} "


def _has(name: str, words: tuple[str, ...]) -> bool:
    padded = _words(name)
    return any(f" {w} " in padded or (not w.isalnum() and w.strip() in name.lower()) for w in words)


def _cells(series: pd.Series) -> list[Any]:
    return [v for v in series.tolist() if v is not None and not (isinstance(v, float) and pd.isna(v))]


def column_format(name: str, series: pd.Series) -> Any | None:
    """The ``st.column_config`` entry for one column (``None``: the default suits it).

    Date-times → ``YYYY-MM-DD HH:mm``; dates → ``YYYY-MM-DD``; hour columns (``(h)``,
    ``lateness``, …) → one decimal; quantities (vials, pieces) → thousands separators;
    counts (rank, sequence, priority, …) and integer columns → no decimals; other floats →
    two decimals."""
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_datetime64_any_dtype(series):
        return st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
    if series.dtype == object:
        cells = _cells(series)
        if cells and all(isinstance(v, datetime) for v in cells):
            return st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")
        if cells and all(isinstance(v, date) for v in cells):
            return st.column_config.DateColumn(format="YYYY-MM-DD")
        return None
    if not pd.api.types.is_numeric_dtype(series):
        return None
    if _has(name, QUANTITY_WORDS):
        return st.column_config.NumberColumn(format="localized")
    if _has(name, HOUR_MARKS) and not pd.api.types.is_integer_dtype(series):
        return st.column_config.NumberColumn(format="%.1f")
    if pd.api.types.is_integer_dtype(series) or _has(name, COUNT_WORDS):
        return st.column_config.NumberColumn(format="%d")
    return st.column_config.NumberColumn(format="%.2f")


def column_formats(frame: pd.DataFrame) -> dict[str, Any]:
    """:func:`column_format` of every column of ``frame`` that needs one; a column named with
    underscores (``work_center``) is headed with spaces (``work center``)."""
    formats: dict[str, Any] = {}
    for c in frame.columns:
        name = str(c)
        config = column_format(name, frame[c])
        if "_" in name:
            config = {**(config or st.column_config.Column()), "label": name.replace("_", " ")}
        if config is not None:
            formats[name] = config
    return formats


def table(data: Any, *, column_config: dict[str, Any] | None = None, container: Any = None, **kwargs: Any) -> Any:
    """``st.dataframe`` of a frame (or a pandas ``Styler``) with derived column formats
    (``column_config`` entries override them), no index, full width and "–" for a missing
    value, in ``container`` (e.g. an ``st.empty()``; default the page); ``kwargs`` go to
    ``st.dataframe`` (``key``, ``height``, ``on_select``, …)."""
    frame = data.data if hasattr(data, "data") and isinstance(data.data, pd.DataFrame) else data
    config = {**column_formats(frame), **(column_config or {})}
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    return (container or st).dataframe(data, column_config=config, placeholder=MISSING, **kwargs)


def editor(data: pd.DataFrame, *, column_config: dict[str, Any] | None = None, **kwargs: Any) -> pd.DataFrame:
    """``st.data_editor`` with the same derived formats as :func:`table` (``column_config``
    entries override them), no index, full width and "–" for a missing value; returns the
    edited frame. ``kwargs`` go to ``st.data_editor`` (``key``, ``disabled``, ``num_rows``,
    ``placeholder``, …)."""
    config = {**column_formats(data), **(column_config or {})}
    kwargs.setdefault("hide_index", True)
    kwargs.setdefault("width", "stretch")
    kwargs.setdefault("placeholder", MISSING)
    return st.data_editor(data, column_config=config, **kwargs)
