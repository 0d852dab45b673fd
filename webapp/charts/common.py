"""What the plotly figures of both problems share: HTML escaping of user text in hovers and
labels, the duration of a bar in milliseconds (bars are ``base`` + ``x`` ms on a date
axis, one trace per group, so thousands of activities stay fast), and reading a value back
from a plotly selection (``st.plotly_chart(..., on_select=...)``)."""

from __future__ import annotations

import html
from collections.abc import Mapping
from datetime import datetime
from typing import Any


def esc(value: object) -> str:
    """``value`` as HTML-escaped text (``None`` -> empty)."""
    return html.escape("" if value is None else str(value))


def duration_ms(start: datetime, end: datetime) -> float:
    """Milliseconds from ``start`` to ``end`` (the ``x`` of a bar on a date axis)."""
    return (end - start).total_seconds() * 1000.0


def selected(state: Mapping[str, Any] | None, index: int) -> str | None:
    """``customdata[index]`` of the first selected point that has it, from a plotly selection
    state or event (``{"selection": {"points": [...]}}``); ``None`` when nothing is selected."""
    points = ((state or {}).get("selection") or {}).get("points") or []
    for point in points:
        data = point.get("customdata")
        if isinstance(data, list | tuple) and len(data) > index and data[index]:
            return str(data[index])
    return None
