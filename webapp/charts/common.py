"""What the plotly figures of both problems share: HTML escaping of user text in hovers and
labels, and the duration of a bar in milliseconds (bars are ``base`` + ``x`` ms on a date
axis, one trace per group, so thousands of activities stay fast)."""

from __future__ import annotations

import html
from datetime import datetime


def esc(value: object) -> str:
    """``value`` as HTML-escaped text (``None`` -> empty)."""
    return html.escape("" if value is None else str(value))


def duration_ms(start: datetime, end: datetime) -> float:
    """Milliseconds from ``start`` to ``end`` (the ``x`` of a bar on a date axis)."""
    return (end - start).total_seconds() * 1000.0
