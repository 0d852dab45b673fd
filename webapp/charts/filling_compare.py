"""Plotly figures that set filling plans against each other: the what-if's two Gantts on ONE
time axis (two rows of one figure, so zooming or sliding one moves both) and a comparison's
difference to the best strategy (makespan − best makespan in hours, with the % in the label,
instead of bars from 0 that make a 6 % difference look like none).
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from scheduler_core.filling import ScheduleResult
from webapp.charts import filling
from webapp.charts.common import esc as _e

#: Colours of the difference chart: the best run, runs behind it.
BEST_COLOUR, BEHIND_COLOUR = "#2ca02c", "#d62728"
#: A difference below this (hours) is a tie on makespan (the ★ then went by the tie rule).
TIED_H = 1e-5


def whatif_gantt(before: ScheduleResult, after: ScheduleResult, *, view: str = "line",
                 titles: tuple[str, str] = ("Before", "What-if")):
    """Both plans' Gantts (``filling.gantt`` in ``view``) as two rows of one figure sharing
    the x axis, whose range (and range slider and "all" preset) spans both plans exactly
    (earliest start to latest end, :func:`filling.plan_span`), with the
    Gantt's week / month / all presets and a range slider; one legend entry per activity
    group toggles it in both rows. Raises ``ValueError`` for an unknown view."""
    figures = [filling.gantt(before, view=view), filling.gantt(after, view=view)]
    lanes = [len(f.layout.yaxis.categoryarray or ()) for f in figures]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        row_heights=[max(n, 1) for n in lanes], subplot_titles=[_e(t) for t in titles])
    seen: set[str] = set()
    for row, source in enumerate(figures, 1):
        for trace in source.data:
            trace.update(legendgroup=trace.name, showlegend=trace.name not in seen)
            seen.add(trace.name)
            fig.add_trace(trace, row=row, col=1)
        fig.update_yaxes(autorange="reversed", categoryorder="array", fixedrange=True,
                         categoryarray=source.layout.yaxis.categoryarray, row=row, col=1)
    spans = [filling.plan_span(r) for r in (before, after) if r.activities]
    fig.update_xaxes(type="date")
    if spans:  # the range slider is the bottom row's only: its range on xaxis2 alone
        axis = filling.span_axis(min(s for s, _ in spans), max(e for _, e in spans))
        fig.update_layout(xaxis={k: v for k, v in axis.items() if k != "rangeslider"}, xaxis2=axis)
    fig.update_layout(
        barmode="overlay",
        height=min(2 * filling.MAX_HEIGHT, max(380, 220 + 34 * sum(lanes))),
        margin={"l": 10, "r": 10, "t": 90, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.1, "xanchor": "left", "x": 0},
        xaxis={"rangeselector": {"buttons": filling.RANGE_BUTTONS, "x": 1, "xanchor": "right", "y": 1.1,
                                 "yanchor": "bottom"}},
        xaxis2={"rangeslider": {"visible": True, "thickness": 0.06}},
    )
    return fig


def difference_bars(rows: Sequence[dict], *, best: str):
    """Each strategy's makespan minus the best one's (hours; the label adds the % of the
    best's makespan), the best at 0 and marked ★, a run with the best's makespan labelled
    "tied on makespan". ``rows`` hold ``strategy`` and
    ``behind_h`` / ``behind_pct`` (``None``: no result, left out)."""
    shown = [r for r in rows if r.get("behind_h") is not None]
    names = [_e(r["strategy"]) + (" ★" if r["strategy"] == best else "") for r in shown]
    labels = ["best" if r["strategy"] == best else "tied on makespan" if abs(r["behind_h"]) < TIED_H
              else f"+{r['behind_h']:.1f} h (+{r['behind_pct']:.1f} %)" for r in shown]
    fig = go.Figure(go.Bar(
        x=[r["behind_h"] for r in shown],
        y=names,
        orientation="h",
        marker={"color": [BEST_COLOUR if r["strategy"] == best else BEHIND_COLOUR for r in shown]},
        text=labels,
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{text} behind the best<extra></extra>",
        name="makespan − best (h)",
    ))
    widest = max((r["behind_h"] for r in shown), default=0.0)
    fig.update_layout(
        height=max(220, 90 + 34 * len(shown)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"title": "makespan − best makespan (h)", "range": [0, max(widest * 1.35, 1.0)], "zeroline": True},
        yaxis={"autorange": "reversed"},
        showlegend=False,
    )
    return fig
