"""Plotly Gantt charts of the shop pages: by work center (one row each; breaks, non-working
time and downtime as grey bands, setups in their own colour, late orders in red) and by
order, drawn for a time window (default: the first week from the plan start; presets day,
week, month, all), bars labelled with their operation where there is room, the legend above
the plot; and the operation a click on a bar selects. The time axis is the plant's wall
clock and names its zone. Bars use ``base`` + duration (ms) on a date axis with a handful of
traces, and only the window's bars are drawn, so thousands of operations stay fast. Every
user string in a hover or label is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import plotly.graph_objects as go

from scheduler_core.shop import ShopProblem, ShopResult, Timeline
from webapp.charts.common import duration_ms as _ms
from webapp.charts.common import esc as _e
from webapp.charts.common import selected as _selected

ON_TIME = "#1f77b4"
LATE = "#d62728"
IN_PROGRESS = "#2ca02c"
OFF_TIME = "#d9d9d9"
SETUP = "#f2b134"
#: Work center colours of the order view: none near the setup amber, the late red or the
#: non-working grey.
PALETTE = ("#1f77b4", "#2ca02c", "#9467bd", "#6b6ecf", "#e377c2", "#17becf", "#393b79", "#637939")
#: Non-working bands are drawn for at most this many days of the plan.
MAX_BAND_DAYS = 70
#: Window presets of the Gantt charts: days from the window start (``None``: the whole plan).
WINDOWS: dict[str, int | None] = {"day": 1, "week": 7, "month": 31, "all": None}
#: Row height (px) and the bounds of a Gantt's height, so a shop reads in the first screen.
ROW_PX, MIN_HEIGHT, MAX_HEIGHT = 44, 260, 640

_HOVER = (
    "<b>%{customdata[0]}</b><br>%{customdata[1]}<br>work center: %{customdata[2]}"
    "<br>start: %{customdata[3]}<br>end: %{customdata[4]}<br>minutes: %{customdata[5]}"
    "<br>setup minutes: %{customdata[7]}<br>%{customdata[6]}<extra></extra>"
)


def non_working(problem: ShopProblem, code: str, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """Non-working periods (breaks, shifts off, holidays, downtime) of ``code`` in [start, end)."""
    end = min(end, start + timedelta(days=MAX_BAND_DAYS))
    wc = problem.wc(code)
    tl = Timeline(wc.calendar, start, [d for d in problem.downtime if d.work_center == code],
                  zone_name=problem.time_zone)
    a, b = 0, tl.to_minute(end)
    out, cur = [], a
    for s, e in tl.available_in(a, b):
        if s > cur:
            out.append((tl.to_datetime(cur), tl.to_datetime(s)))
        cur = max(cur, e)
    if cur < b:
        out.append((tl.to_datetime(cur), tl.to_datetime(b)))
    return out


def plan_span(result: ShopResult) -> tuple[datetime, datetime]:
    """From the plan start to the end of its last operation."""
    return result.start, max([result.start + timedelta(hours=1), *(p.end for p in result.operations)])


def window(result: ShopResult, preset: str = "week", start: datetime | None = None) -> tuple[datetime, datetime]:
    """The time window of ``preset`` (a key of :data:`WINDOWS`) from ``start`` (default: the
    plan start); ``all`` is the whole plan."""
    days = WINDOWS[preset]
    if days is None:
        return plan_span(result)
    first = start or result.start
    return first, first + timedelta(days=days)


def height_for(rows: int) -> int:
    """The figure height (px) of ``rows`` rows, bounded so the chart fits the first screen."""
    return max(MIN_HEIGHT, min(MAX_HEIGHT, 90 + ROW_PX * rows))


def _layout(fig: go.Figure, rows: list[str], title: str | None, height: int | None, zone: str,
            span: tuple[datetime, datetime] | None = None) -> go.Figure:
    fig.update_layout(
        barmode="overlay",
        title=_e(title) if title else None,
        height=height or height_for(len(rows)),
        margin={"l": 10, "r": 10, "t": 80 if title else 50, "b": 10},
        # above the plot area, so it never covers the axis or the bars
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        uniformtext={"mode": "hide", "minsize": 8},
        xaxis={"type": "date", "title": {"text": f"plant time ({_e(zone)})", "font": {"size": 11}}},
        yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": [_e(r) for r in rows]},
        clickmode="event+select",
        # the tool icons stand upright at the right edge, clear of the legend above the plot
        modebar={"orientation": "v"},
    )
    if span is not None:
        fig.update_xaxes(range=[span[0].isoformat(), span[1].isoformat()])
    return fig


def _bars(name: str, pieces: list, colour: str, *, labelled: bool) -> go.Bar:
    """One trace of ``pieces`` = (start, end, row, info); labelled bars carry their operation."""
    return go.Bar(
        orientation="h", name=name, y=[r for _, _, r, _ in pieces], base=[s.isoformat() for s, _, _, _ in pieces],
        x=[_ms(s, e) for s, e, _, _ in pieces], width=0.6, customdata=[i for *_, i in pieces],
        marker={"color": colour, "line": {"width": 0.5, "color": "#333"}}, hovertemplate=_HOVER,
        text=[i[0] for *_, i in pieces] if labelled else None, textposition="inside" if labelled else None,
        insidetextanchor="middle", textfont={"size": 10}, cliponaxis=True,
    )


def operation_at(state: Mapping[str, Any] | None) -> str | None:
    """The operation id of the first bar in a plotly selection (``st.plotly_chart``'s
    selection state or event: ``{"selection": {"points": [...]}}``); ``None`` when no bar
    of an operation is selected (nothing, or a non-working band)."""
    return _selected(state, 8)


def gantt_by_work_center(result: ShopResult, problem: ShopProblem | None = None, *,
                         span: tuple[datetime, datetime] | None = None, title: str | None = None,
                         height: int | None = None) -> go.Figure:
    """One row per work center over ``span`` (default: the first week from the plan start);
    each operation in the window drawn as its working pieces (the gaps are breaks /
    non-working time), labelled with its id where there is room, setups in their own colour,
    late orders in red; grey bands = non-working time."""
    a, b = span or window(result)
    late = {o.rn for o in result.orders if o.late}
    by_wc = result.by_work_center()
    rows = sorted(by_wc)
    fig = go.Figure()
    if problem is not None and result.operations:
        pieces = []
        for code in rows:
            try:
                bands = non_working(problem, code, a, b)
            except KeyError:
                continue
            pieces += [(s, e, _e(code), None) for s, e in bands]
        fig.add_trace(go.Bar(orientation="h", name="non-working time", y=[r for _, _, r, _ in pieces],
                             base=[s.isoformat() for s, *_ in pieces], x=[_ms(s, e) for s, e, *_ in pieces],
                             marker={"color": OFF_TIME}, width=0.9, hoverinfo="skip"))
    groups = {"setup": ([], SETUP), "on time": ([], ON_TIME), "late order": ([], LATE),
              "in progress": ([], IN_PROGRESS)}
    zone = result.time_zone
    for code in rows:
        for p in by_wc[code]:
            if p.end <= a or p.start >= b:
                continue
            key = "in progress" if p.in_progress else "late order" if p.rn in late else "on time"
            info = _info(p, "late order" if p.rn in late else ("fixed start" if p.pinned else ""))
            setup, run = p.setup_intervals(zone), p.run_intervals(zone)
            groups["setup"][0].extend((s, e, info[2], info) for s, e in setup if e > a and s < b)
            groups[key][0].extend((s, e, info[2], info) for s, e in run or ((p.start, p.end),) if e > a and s < b)
    for name, (pieces, colour) in groups.items():
        if pieces:
            fig.add_trace(_bars(name, pieces, colour, labelled=name != "setup"))
    return _layout(fig, rows, title, height, zone, (a, b))


def _info(p, note: str) -> list:
    """The hover values of an operation (``customdata``; index 2 is its work center row,
    index 8 its raw id for :func:`operation_at`)."""
    return [_e(p.op_id), _e(p.name), _e(p.work_center), f"{p.start:%Y-%m-%d %H:%M}", f"{p.end:%Y-%m-%d %H:%M}",
            p.duration_minutes, note, p.setup_minutes, p.op_id]


def gantt_by_order(result: ShopResult, rns: list[str] | None = None, *, title: str | None = None,
                   height: int | None = None) -> go.Figure:
    """One row per work order (``rns`` or all), operations coloured by work center and
    labelled with their id where there is room, with the due moment as a marker (red when
    the order is late)."""
    outcome = {o.rn: o for o in result.orders}
    wanted = rns if rns is not None else sorted({p.rn for p in result.operations})
    keep = set(wanted)
    codes = sorted({p.work_center for p in result.operations})
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(codes)}
    fig = go.Figure()
    setups: list = []
    for code in codes:
        pieces = []
        for p in result.operations:
            if p.work_center != code or p.rn not in keep:
                continue
            info = _info(p, "")
            setups.extend((s, e, _e(p.rn), info) for s, e in p.setup_intervals(result.time_zone))
            pieces.extend((s, e, _e(p.rn), info) for s, e in p.run_intervals(result.time_zone) or ((p.start, p.end),))
        if pieces:
            fig.add_trace(_bars(_e(code), pieces, colour[code], labelled=True))
    if setups:
        fig.add_trace(_bars("setup", setups, SETUP, labelled=False))
    dues = [outcome[r] for r in wanted if r in outcome and outcome[r].due is not None]
    if dues:
        fig.add_trace(go.Scatter(
            x=[o.due.isoformat() for o in dues], y=[_e(o.rn) for o in dues], mode="markers", name="due",
            marker={"symbol": "line-ns-open", "size": 18, "line": {"width": 3},
                    "color": [LATE if o.late else "#333" for o in dues]},
            customdata=[[_e(o.rn), f"{o.lateness_hours:+.1f} h" if o.lateness_hours is not None else "–"]
                        for o in dues],
            hovertemplate="%{customdata[0]} due %{x}<br>lateness %{customdata[1]}<extra></extra>",
        ))
    return _layout(fig, list(wanted), title, height, result.time_zone)
