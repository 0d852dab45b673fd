"""Plotly figures of the filling pages: the Gantt chart and the comparison bar chart.

The Gantt uses horizontal bars with ``base`` (start) and ``x`` (duration in ms) on a date
axis, with ONE trace per activity group (CLEAN, CHANGEOVER, FILL of each lot type), so a
schedule with thousands of activities stays a handful of traces. Every user string in a
hover is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from scheduler_core.filling import ActivityKind, ScheduleResult
from webapp.charts.common import duration_ms
from webapp.charts.common import esc as _e

PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#7f7f7f",
)
CLEAN_COLOUR = "#9e9e9e"
CHANGEOVER_COLOUR = "#ffd54f"

_HOVER = (
    "<b>%{customdata[0]}</b><br>lot: %{customdata[1]}<br>type: %{customdata[2]}"
    "<br>vials: %{customdata[3]}<br>start: %{customdata[4]}<br>end: %{customdata[5]}"
    "<br>block: %{customdata[6]}<extra></extra>"
)


def type_colours(types: Sequence[str]) -> dict[str, str]:
    """A colour per lot type (types sorted, palette cycled)."""
    return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(sorted(set(types)))}


def gantt(result: ScheduleResult, *, title: str | None = None, height: int | None = None):
    """Gantt of one schedule: a row per block, fills coloured by lot type."""
    colours = type_colours([a.lot_type for a in result.activities if a.lot_type])
    groups: dict[tuple[str, str | None], list] = {}
    for a in result.activities:
        key = (str(a.kind), a.lot_type if a.kind is ActivityKind.FILL else None)
        groups.setdefault(key, []).append(a)
    order = {"CLEAN": 0, "CHANGEOVER": 1, "FILL": 2}
    fig = go.Figure()
    for (kind, lot_type), acts in sorted(
        groups.items(), key=lambda kv: (order.get(kv[0][0], 9), kv[0][1] or "")
    ):
        if kind == "FILL":
            name = f"FILL {lot_type}"
            colour = colours.get(lot_type or "", PALETTE[0])
            marker = {"color": colour, "line": {"width": 0.5, "color": "#333"}}
        elif kind == "CLEAN":
            name = "CLEAN"
            marker = {"color": CLEAN_COLOUR, "pattern": {"shape": "x"}}
        else:
            name = "CHANGEOVER"
            marker = {"color": CHANGEOVER_COLOUR, "pattern": {"shape": "/"}}
        fig.add_trace(
            go.Bar(
                orientation="h",
                name=_e(name),
                y=[f"Block {a.block}" for a in acts],
                base=[a.start.isoformat() for a in acts],
                x=[duration_ms(a.start, a.end) for a in acts],
                marker=marker,
                customdata=[
                    [
                        kind,
                        _e(a.lot_id or "–"),
                        _e(a.lot_type or "–"),
                        f"{a.vials:,}" if a.vials is not None else "–",
                        a.start.strftime("%Y-%m-%d %H:%M"),
                        a.end.strftime("%Y-%m-%d %H:%M"),
                        a.block,
                    ]
                    for a in acts
                ],
                hovertemplate=_HOVER,
            )
        )
    n_blocks = max((a.block for a in result.activities), default=1)
    fig.update_layout(
        barmode="overlay",
        title=_e(title) if title else None,
        height=height or max(260, 60 + 34 * n_blocks),
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        xaxis={"type": "date", "title": None},
        yaxis={
            "autorange": "reversed",
            "categoryorder": "array",
            "categoryarray": [f"Block {b}" for b in range(1, n_blocks + 1)],
        },
    )
    return fig


def comparison_bars(rows: Sequence[dict], *, best: str | None = None):
    """Makespan per strategy (and its lower bound as a marker); the best is highlighted."""
    names = [_e(r["strategy"]) for r in rows]
    colours = ["#2ca02c" if r["strategy"] == best else "#1f77b4" for r in rows]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=[r.get("makespan_h") for r in rows],
            marker={"color": colours},
            name="makespan (h)",
            hovertemplate="%{x}: %{y:.1f} h<extra></extra>",
        )
    )
    bounds = [r.get("lower_bound_h") for r in rows]
    if any(b is not None for b in bounds):
        fig.add_trace(
            go.Scatter(
                x=names,
                y=bounds,
                mode="markers",
                marker={"symbol": "line-ew-open", "size": 30, "color": "#d62728"},
                name="lower bound (h)",
                hovertemplate="bound %{y:.1f} h<extra></extra>",
            )
        )
    fig.update_layout(
        height=360,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        yaxis={"title": "hours"},
        legend={"orientation": "h"},
    )
    return fig
