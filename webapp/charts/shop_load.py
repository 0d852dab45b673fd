"""Plotly figures of load vs capacity per machine: a heat map (one row per work center, one
column per day or week) of load / capacity, overloaded cells (> 100 %) in red with the hours
over capacity written in them, and the bar chart of one work center (load vs capacity per
period). Machines are never summed into one line. Each figure names its figure: **planned
load** (from the plan) or **work due** (remaining work of orders due in the period).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from scheduler_core.shop.load import PeriodLoad
from webapp.charts.common import esc as _e
from webapp.charts.common import selected as _selected

OVERLOAD = "#d62728"
WITHIN = ("#f4f8fc", "#2b6cb0")
LOAD = "#1f77b4"
CAPACITY = "#9e9e9e"
#: What each figure is, in the planner's words (shown on the page and in the figures).
MEASURE_LABELS = {
    "planned": "planned load (work the current plan puts in the period)",
    "due": "work due (remaining work of orders due in the period, wherever it is planned)",
}
_SHORT = {"planned": "planned load", "due": "work due"}


def _period(x: PeriodLoad) -> str:
    return f"{x.start:%a %d.%m}" if x.days == 1 else f"week {x.start:%d.%m.%Y}"


#: Above this many periods the % labels are left out (hover and colour still tell) and the
#: overload labels get smaller.
CROWDED_COLUMNS = 16


def load_heatmap(loads: Sequence[PeriodLoad], measure: str = "planned", *, height: int | None = None) -> go.Figure:
    """Load / capacity in % per work center (rows) and period (columns); cells over
    capacity in red with the hours over capacity, the others shaded blue by %; a cell
    without working time and without load is blank. Hover: load, capacity, over. Period
    labels below the cells (the title above keeps clear of them); with more than
    :data:`CROWDED_COLUMNS` periods only the overloads carry a label."""
    codes = list(dict.fromkeys(x.work_center for x in loads))
    cols = list(dict.fromkeys(_period(x) for x in sorted(loads, key=lambda x: x.start)))
    cell = {(x.work_center, _period(x)): x for x in loads}
    within = [[None] * len(cols) for _ in codes]
    over = [[None] * len(cols) for _ in codes]
    text_in = [[""] * len(cols) for _ in codes]
    text_over = [[""] * len(cols) for _ in codes]
    hx, hy, hdata = [], [], []
    for i, code in enumerate(codes):
        for j, col in enumerate(cols):
            x = cell.get((code, col))
            if x is None:
                continue
            hours, ratio, extra = x.hours(measure), x.ratio(measure), x.overload_hours(measure)
            if extra > 0:
                over[i][j] = round(100 * ratio, 1) if ratio is not None else None
                text_over[i][j] = f"+{extra:.1f} h"
                if ratio is None:  # load without any working time: red all the same
                    over[i][j] = 100.0
            elif ratio is not None:
                within[i][j] = round(100 * ratio, 1)
                text_in[i][j] = f"{ratio:.0%}" if hours > 0 else ""
            hx.append(col)
            hy.append(_e(code))
            hdata.append([_e(code), col, f"{hours:.1f}", f"{x.capacity_hours:.1f}",
                          f"{ratio:.0%}" if ratio is not None else "no working time", f"{extra:.1f}", code])
    rows = [_e(c) for c in codes]
    crowded = len(cols) > CROWDED_COLUMNS  # e.g. day view over weeks: % labels would be unreadable
    if crowded:
        text_in = [[""] * len(cols) for _ in codes]
    fig = go.Figure()
    fig.add_trace(go.Heatmap(z=within, x=cols, y=rows, text=text_in, texttemplate="%{text}", name="within capacity",
                             zmin=0, zmax=100, colorscale=[[0, WITHIN[0]], [1, WITHIN[1]]], xgap=2, ygap=2,
                             colorbar={"title": {"text": "% of capacity"}, "thickness": 12}, hoverinfo="skip"))
    fig.add_trace(go.Heatmap(z=over, x=cols, y=rows, text=text_over, texttemplate="%{text}", name="overload",
                             colorscale=[[0, OVERLOAD], [1, OVERLOAD]], showscale=False, xgap=2, ygap=2,
                             textfont={"color": "white", "size": 9 if crowded else 12}, hoverinfo="skip"))
    # transparent click targets (a heat map cell is not selectable): hover and selection
    fig.add_trace(go.Scatter(
        x=hx, y=hy, mode="markers", name="cells", showlegend=False, customdata=hdata,
        marker={"symbol": "square", "size": 22, "color": "rgba(0,0,0,0)"},
        hovertemplate=("<b>%{customdata[0]}</b> %{customdata[1]}<br>" + _SHORT[measure] + ": %{customdata[2]} h"
                       "<br>capacity: %{customdata[3]} h (%{customdata[4]})<br>over capacity: %{customdata[5]} h"
                       "<extra></extra>"),
    ))
    fig.update_layout(
        height=height or max(220, min(640, 90 + 40 * len(codes))),
        margin={"l": 10, "r": 10, "t": 36, "b": 10},
        title={"text": f"{_SHORT[measure]} / capacity", "font": {"size": 13}, "y": 0.99, "yanchor": "top"},
        xaxis={"type": "category", "side": "bottom", "tickangle": -45 if crowded else 0},
        yaxis={"type": "category", "autorange": "reversed"},
        clickmode="event+select",
    )
    return fig


def work_center_at(state: Mapping[str, Any] | None) -> str | None:
    """The work center of the first heat-map cell in a plotly selection (``st.plotly_chart``'s
    selection state or event), ``None`` when none is selected."""
    return _selected(state, 6)


def machine_load(loads: Sequence[PeriodLoad], work_center: str, measure: str = "planned", *,
                 height: int = 320) -> go.Figure:
    """Load vs capacity of one work center per period: capacity bars (grey) beside load bars
    (blue, red when over capacity). Only ``work_center``'s periods, never a sum."""
    rows = [x for x in loads if x.work_center == work_center]
    labels = [_period(x) for x in rows]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=labels, y=[x.capacity_hours for x in rows], name="capacity (h)",
                         marker={"color": CAPACITY}, hovertemplate="%{x}: capacity %{y:.1f} h<extra></extra>"))
    fig.add_trace(go.Bar(
        x=labels, y=[x.hours(measure) for x in rows], name=f"{_SHORT[measure]} (h)",
        marker={"color": [OVERLOAD if x.overload_hours(measure) > 0 else LOAD for x in rows]},
        text=[f"+{x.overload_hours(measure):.1f} h" if x.overload_hours(measure) > 0 else "" for x in rows],
        textposition="outside", hovertemplate="%{x}: " + _SHORT[measure] + " %{y:.1f} h<extra></extra>",
    ))
    fig.update_layout(
        barmode="group", height=height, margin={"l": 10, "r": 10, "t": 40, "b": 10},
        title={"text": f"{_e(work_center)}: {_SHORT[measure]} vs capacity", "font": {"size": 13}},
        xaxis={"type": "category"}, yaxis={"title": "hours"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "right", "x": 1},
    )
    return fig
