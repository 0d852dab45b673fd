"""Plotly figures of the filling pages: the Gantt chart (plans set against each other:
``filling_compare``).

The Gantt shows one lane for the whole line by default (or a lane per lot type, or a row per
block), with week/month/all presets and a range slider; lot type colours come from the palette
shared with the PDF. It uses horizontal bars with ``base`` (start) and ``x`` (duration in ms)
on a date axis, with ONE trace per activity group (CLEAN, CHANGEOVER, FILL of each lot type), so a
schedule with thousands of activities stays a handful of traces. Every user string in a
hover is HTML-escaped.

Late lots (a FILL ending after its due date) are outlined in red (``palette.LATE_COLOUR``, as
in the PDF) by one more bar trace drawn over them, their hover gives the due date and the
lateness, and one more trace marks each late lot's due date on its lane (only late lots, so
300 lots still read).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import plotly.graph_objects as go

from scheduler_core.filling import ActivityKind, ScheduleResult
from scheduler_core.reports import palette
from webapp.charts.common import duration_ms
from webapp.charts.common import esc as _e

#: The Gantt's views: one lane for the line (default), a lane per lot type, a row per block.
VIEWS = {"line": "One lane (the line)", "type": "A lane per lot type", "block": "A row per block"}
LINE_LANE = "Line"
#: More late lots than this get thinner outlines and smaller due marks.
DENSE_LATE = 60
#: Tallest Gantt (px): a row per block of a 300-lot schedule would be a staircase.
MAX_HEIGHT = 640

#: The time range presets above a Gantt: the last week, the last month, everything.
RANGE_BUTTONS = [
    {"count": 7, "label": "week", "step": "day", "stepmode": "backward"},
    {"count": 1, "label": "month", "step": "month", "stepmode": "backward"},
    {"label": "all", "step": "all"},
]


def plan_span(result: ScheduleResult) -> tuple[datetime, datetime]:
    """The time a Gantt of ``result`` shows: the first activity's start (or a late lot's due
    date, when earlier, so its ▼ is on screen) to the last activity's end. Raises
    ``IndexError`` for a result without activities."""
    dues = [a.due for a in result.activities if _late(a)]
    return min([result.start, *dues]), result.end


def span_axis(start: datetime, end: datetime) -> dict:
    """x-axis settings that make a Gantt span exactly ``start`` .. ``end``: the range, the
    range slider and the "all" preset (its autorange clipped to the span; ``clipmin`` /
    ``clipmax``, as plotly.js reads date strings there but not in ``minallowed``). Without
    them plotly pads the autorange, and the week / month presets (``stepmode: backward``
    from the range's end) then show an empty stretch after the plan."""
    span = [start.isoformat(), end.isoformat()]
    return {"range": span, "autorange": False,
            "autorangeoptions": {"clipmin": span[0], "clipmax": span[1]},
            "rangeslider": {"range": span, "autorange": False}}

_HOVER = (
    "<b>%{customdata[0]}</b><br>lot: %{customdata[1]}<br>type: %{customdata[2]}"
    "<br>vials: %{customdata[3]}<br>start: %{customdata[4]}<br>end: %{customdata[5]}"
    "<br>block: %{customdata[6]}<extra></extra>"
)
#: Hover of a fill when the plan has due dates: the due date and the lateness too.
_HOVER_DUE = _HOVER.replace("<extra>", "<br>due: %{customdata[7]}<br>lateness: %{customdata[8]}<extra>")


def _late(a) -> bool:
    return a.kind is ActivityKind.FILL and a.lateness_h is not None and a.lateness_h > 0


def _lateness_text(a) -> str:
    if a.lateness_h is None:
        return "no due date"
    return f"{a.lateness_h:+,.1f} h ({'late' if a.lateness_h > 0 else 'on time'})"


def type_colours(types: Sequence[str]) -> dict[str, str]:
    """A colour per lot type, keyed by its name (``scheduler_core.reports.palette``: the PDF
    and every schedule show a type in the same colour)."""
    return palette.type_colours(types)


def _lane(a, view: str) -> str:
    if view == "block":
        return f"Block {a.block}"
    if view == "type":
        return a.lot_type if a.kind is ActivityKind.FILL and a.lot_type else str(a.kind)
    return LINE_LANE


def _lanes(result: ScheduleResult, view: str) -> list[str]:
    if view == "block":
        return [f"Block {b}" for b in range(1, max((a.block for a in result.activities), default=1) + 1)]
    if view == "type":
        return ["CLEAN", "CHANGEOVER", *sorted({a.lot_type for a in result.activities
                                                if a.kind is ActivityKind.FILL and a.lot_type})]
    return [LINE_LANE]


def _bar(acts: list, *, name: str, view: str, marker: dict, hover: str, kind: str | None = None) -> go.Bar:
    """One horizontal bar trace of ``acts`` on their lanes (``kind`` names them in the hover;
    default each activity's own)."""
    return go.Bar(
        orientation="h",
        name=_e(name),
        y=[_e(_lane(a, view)) for a in acts],
        base=[a.start.isoformat() for a in acts],
        x=[duration_ms(a.start, a.end) for a in acts],
        marker=marker,
        customdata=[
            [
                kind or str(a.kind),
                _e(a.lot_id or "–"),
                _e(a.lot_type or "–"),
                f"{a.vials:,}" if a.vials is not None else "–",
                a.start.strftime("%Y-%m-%d %H:%M"),
                a.end.strftime("%Y-%m-%d %H:%M"),
                a.block,
                a.due.strftime("%Y-%m-%d %H:%M") if a.due is not None else "–",
                _lateness_text(a),
            ]
            for a in acts
        ],
        hovertemplate=hover,
    )


def gantt(result: ScheduleResult, *, title: str | None = None, height: int | None = None, view: str = "line"):
    """Gantt of one schedule in ``view`` (:data:`VIEWS`; default one lane for the whole line:
    cleans, changeovers and fills coloured by lot type, so 300 lots read at a glance), with
    week / month / all presets and a range slider. Late lots get a red outline (a trace of
    their own drawn over the fills, so the legend says what the outline means) and a ▼ at
    their due date. Raises ``ValueError`` for an unknown view."""
    if view not in VIEWS:
        raise ValueError(f"unknown Gantt view {view!r}; valid: {', '.join(VIEWS)}")
    colours = type_colours([a.lot_type for a in result.activities if a.lot_type])
    has_due = result.kpis.max_lateness_h is not None
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
            marker = {"color": colours.get(lot_type or "", palette.PALETTE[0]), "line": {"width": 0.5, "color": "#333"}}
        elif kind == "CLEAN":
            name = "CLEAN"
            marker = {"color": palette.CLEAN_COLOUR, "pattern": {"shape": "x"}}
        else:
            name = "CHANGEOVER"
            marker = {"color": palette.CHANGEOVER_COLOUR, "pattern": {"shape": "/"}}
        hover = _HOVER_DUE if kind == "FILL" and has_due else _HOVER
        fig.add_trace(_bar(acts, name=name, view=view, marker=marker, hover=hover, kind=kind))
    late = [a for a in result.activities if _late(a)]
    if late:  # many late lots: thinner outlines and smaller marks, so the type colours stay visible
        dense = len(late) > DENSE_LATE
        fig.add_trace(_bar(late, name=f"late lot ({len(late)})", view=view, hover=_HOVER_DUE,
                           marker={"color": "rgba(0,0,0,0)",
                                   "line": {"width": 1.5 if dense else 3, "color": palette.LATE_COLOUR}}))
        _due_markers(fig, late, view, size=7 if dense else 11)
    lanes = _lanes(result, view)
    fig.update_layout(
        barmode="overlay",
        title=_e(title) if title else None,
        height=height or min(MAX_HEIGHT, max(260, 150 + 34 * len(lanes))),
        margin={"l": 10, "r": 10, "t": 70 if title else 40, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        modebar={"orientation": "v"},
        xaxis={
            "type": "date", "title": None,
            "rangeslider": {"visible": True, "thickness": 0.08},
            "rangeselector": {"buttons": RANGE_BUTTONS, "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
        },
        yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": [_e(x) for x in lanes],
               "fixedrange": True},
    )
    if result.activities:
        fig.update_xaxes(span_axis(*plan_span(result)))
    return fig


def _due_markers(fig, late: list, view: str, *, size: int) -> None:
    """A red ▼ at the due date of every late lot, on its lane (one trace, in the legend)."""
    fig.add_trace(
        go.Scatter(
            name="due date of a late lot",
            x=[a.due.isoformat() for a in late],
            y=[_e(_lane(a, view)) for a in late],
            mode="markers",
            marker={"symbol": "triangle-down", "size": size, "color": palette.LATE_COLOUR,
                    "line": {"width": 1, "color": "#fff"}},
            customdata=[[_e(a.lot_id), a.due.strftime("%Y-%m-%d %H:%M"), _lateness_text(a)] for a in late],
            hovertemplate="<b>due</b> %{customdata[1]}<br>lot: %{customdata[0]}<br>lateness: %{customdata[2]}"
                          "<extra></extra>",
        )
    )

