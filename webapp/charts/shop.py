"""Plotly figures of the shop pages: Gantt by work center (breaks, non-working time and
downtime visible as grey bands, setups in their own colour, late orders in red), Gantt by
order, and weekly load vs capacity with overloads marked. The time axis is the plant's
wall clock and names its zone. Bars use ``base`` + duration (ms) on a date axis with a
handful of traces, so thousands of operations stay fast. Every user string in a hover or
label is HTML-escaped.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import plotly.graph_objects as go

from scheduler_core.shop import ShopProblem, ShopResult, Timeline
from webapp.charts.common import duration_ms as _ms
from webapp.charts.common import esc as _e

ON_TIME = "#1f77b4"
LATE = "#d62728"
IN_PROGRESS = "#2ca02c"
OFF_TIME = "#d9d9d9"
SETUP = "#f2b134"
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
#: Non-working bands are drawn for at most this many days of the plan.
MAX_BAND_DAYS = 70

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


def _layout(fig: go.Figure, rows: list[str], title: str | None, height: int | None, zone: str) -> go.Figure:
    fig.update_layout(
        barmode="overlay",
        title=_e(title) if title else None,
        height=height or max(280, 80 + 36 * len(rows)),
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        legend={"orientation": "h", "y": -0.12},
        xaxis={"type": "date", "title": {"text": f"plant time ({_e(zone)})", "font": {"size": 11}}},
        yaxis={"autorange": "reversed", "categoryorder": "array", "categoryarray": [_e(r) for r in rows]},
    )
    return fig


def gantt_by_work_center(result: ShopResult, problem: ShopProblem | None = None, *,
                         title: str | None = None, height: int | None = None) -> go.Figure:
    """One row per work center; each operation drawn as its working pieces (the gaps are
    breaks / non-working time), late orders in red; grey bands = non-working time."""
    late = {o.rn for o in result.orders if o.late}
    by_wc = result.by_work_center()
    rows = sorted(by_wc)
    fig = go.Figure()
    if problem is not None and result.operations:
        end = max(p.end for p in result.operations)
        ys, bases, xs = [], [], []
        for code in rows:
            try:
                bands = non_working(problem, code, result.start, end)
            except KeyError:
                continue
            for s, e in bands:
                ys.append(_e(code))
                bases.append(s.isoformat())
                xs.append(_ms(s, e))
        fig.add_trace(go.Bar(orientation="h", name="non-working time", y=ys, base=bases, x=xs,
                             marker={"color": OFF_TIME}, width=0.9, hoverinfo="skip"))
    groups = {"setup": ([], SETUP), "on time": ([], ON_TIME), "late order": ([], LATE),
              "in progress": ([], IN_PROGRESS)}
    zone = result.time_zone
    for code in rows:
        for p in by_wc[code]:
            key = "in progress" if p.in_progress else "late order" if p.rn in late else "on time"
            info = _info(p, "late order" if p.rn in late else ("fixed start" if p.pinned else ""))
            setup, run = p.setup_intervals(zone), p.run_intervals(zone)
            groups["setup"][0].extend((s, e, info) for s, e in setup)
            groups[key][0].extend((s, e, info) for s, e in run or ((p.start, p.end),))
    for name, (pieces, colour) in groups.items():
        if not pieces:
            continue
        fig.add_trace(go.Bar(orientation="h", name=name, y=[i[2] for _, _, i in pieces],
                             base=[s.isoformat() for s, _, _ in pieces], x=[_ms(s, e) for s, e, _ in pieces],
                             width=0.6, marker={"color": colour, "line": {"width": 0.5, "color": "#333"}},
                             customdata=[i for _, _, i in pieces], hovertemplate=_HOVER))
    return _layout(fig, rows, title, height, zone)


def _info(p, note: str) -> list:
    """The hover values of an operation (``customdata``; index 2 is its work center row)."""
    return [_e(p.op_id), _e(p.name), _e(p.work_center), f"{p.start:%Y-%m-%d %H:%M}", f"{p.end:%Y-%m-%d %H:%M}",
            p.duration_minutes, note, p.setup_minutes]


def gantt_by_order(result: ShopResult, rns: list[str] | None = None, *, title: str | None = None,
                   height: int | None = None) -> go.Figure:
    """One row per work order (``rns`` or all), operations coloured by work center, with
    the due moment as a marker (red when the order is late)."""
    outcome = {o.rn: o for o in result.orders}
    wanted = rns if rns is not None else sorted({p.rn for p in result.operations})
    keep = set(wanted)
    codes = sorted({p.work_center for p in result.operations})
    colour = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(codes)}
    fig = go.Figure()
    setups: list = []
    for code in codes:
        ys, bases, xs, data = [], [], [], []
        for p in result.operations:
            if p.work_center != code or p.rn not in keep:
                continue
            info = _info(p, "")
            setups.extend((s, e, _e(p.rn), info) for s, e in p.setup_intervals(result.time_zone))
            for s, e in p.run_intervals(result.time_zone) or ((p.start, p.end),):
                ys.append(_e(p.rn))
                bases.append(s.isoformat())
                xs.append(_ms(s, e))
                data.append(info)
        if ys:
            fig.add_trace(go.Bar(orientation="h", name=_e(code), y=ys, base=bases, x=xs, width=0.6,
                                 marker={"color": colour[code]}, customdata=data, hovertemplate=_HOVER))
    if setups:
        fig.add_trace(go.Bar(orientation="h", name="setup", y=[r for _, _, r, _ in setups],
                             base=[s.isoformat() for s, _, _, _ in setups], x=[_ms(s, e) for s, e, _, _ in setups],
                             width=0.6, marker={"color": SETUP}, customdata=[i for *_, i in setups],
                             hovertemplate=_HOVER))
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


def weekly_load(result: ShopResult, work_center: str | None = None, *, height: int = 360) -> go.Figure:
    """Planned hours and demand (work due that week) vs capacity per ISO week, for one work
    center or the sum of all; weeks whose demand exceeds capacity are marked red."""
    weeks: dict = {}
    for w in result.kpis.weekly_load:
        if work_center is not None and w.work_center != work_center:
            continue
        agg = weeks.setdefault(w.week_start, [0.0, 0.0, 0.0])
        agg[0] += w.capacity_hours
        agg[1] += w.planned_hours
        agg[2] += w.due_hours
    keys = sorted(weeks)
    labels = [f"{k:%Y-%m-%d}" for k in keys]
    cap = [round(weeks[k][0], 1) for k in keys]
    planned = [round(weeks[k][1], 1) for k in keys]
    due = [round(weeks[k][2], 1) for k in keys]
    over = [d > c + 1e-6 for d, c in zip(due, cap, strict=True)]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=labels, y=planned, name="planned (h)", marker={"color": ON_TIME},
                         hovertemplate="week %{x}: planned %{y:.1f} h<extra></extra>"))
    fig.add_trace(go.Bar(x=labels, y=due, name="due work (h)",
                         marker={"color": [LATE if o else "#ff7f0e" for o in over]},
                         hovertemplate="week %{x}: due %{y:.1f} h<extra></extra>"))
    fig.add_trace(go.Scatter(x=labels, y=cap, name="capacity (h)", mode="lines+markers",
                             line={"color": "#333", "dash": "dash"},
                             hovertemplate="week %{x}: capacity %{y:.1f} h<extra></extra>"))
    marks = [(lab, d) for lab, d, o in zip(labels, due, over, strict=True) if o]
    if marks:
        fig.add_trace(go.Scatter(x=[m[0] for m in marks], y=[m[1] for m in marks], mode="markers+text",
                                 name="overload", text=["overload"] * len(marks), textposition="top center",
                                 marker={"symbol": "triangle-down", "size": 12, "color": LATE},
                                 hovertemplate="week %{x}: overload<extra></extra>"))
    fig.update_layout(barmode="group", height=height, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                      xaxis={"type": "category", "title": "week starting"}, yaxis={"title": "hours"},
                      legend={"orientation": "h"})
    return fig
