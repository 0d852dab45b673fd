"""The chart panels of the shop pages: the Gantt window (presets day / week / month / all and
a range slider, the first week by default), the order picker of the order view (any order),
a click on a Gantt bar making that operation the board's selected operation, the what-if
Gantt pair on one time axis, and the load vs capacity panel (heat map, a machine's bars,
its table) of the Machines page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

from scheduler_core.shop import ShopProblem, ShopResult
from webapp.charts import shop as gantt
from webapp.charts import shop_load
from webapp.shop import planning
from webapp.ui.tables import table
from webapp.ui.widgets import esc, guarded

#: How many orders the order view shows before the planner picks others.
DEFAULT_ORDERS = 15
_PERIOD_NAMES = {"week": "weeks", "day": "days"}
_MEASURE_NAMES = {"planned": "planned load", "due": "work due"}


def gantt_window(result: ShopResult, key: str) -> tuple[datetime, datetime]:
    """Window presets and a range slider over the whole plan -> the window to draw
    (default: the first week from the plan start)."""
    lo, hi = gantt.plan_span(result)
    hi = max(hi, lo + timedelta(days=1))
    c = st.columns([2, 5])
    preset = c[0].radio("Window", list(gantt.WINDOWS), index=1, horizontal=True, key=f"{key}_preset",
                        help="the first day, week or month from the plan start, or the whole plan; "
                             "the slider moves and stretches it")
    a, b = gantt.window(result, preset)
    a, b = max(lo, min(a, hi)), min(b, hi)
    # one slider per preset, so choosing a preset starts from its own default window
    shown = c[1].slider("Shown", min_value=lo, max_value=hi, value=(a, b), step=timedelta(hours=1),
                        format="DD.MM.YY HH:mm", key=f"{key}_range_{preset}")
    first, last = shown
    return first, max(last, first + timedelta(hours=1))


def order_picker(result: ShopResult, key: str) -> list[str]:
    """Work orders for the order view: any order of the plan (type to search); at first the
    :data:`DEFAULT_ORDERS` due first."""
    by_due = sorted(result.orders, key=lambda o: (o.due is None, o.due or datetime.max, o.rn))
    return st.multiselect("Work orders", sorted(o.rn for o in result.orders),
                          default=[o.rn for o in by_due[:DEFAULT_ORDERS]], key=f"{key}_orders",
                          placeholder="type to search any work order",
                          help=f"at first the {DEFAULT_ORDERS} orders due first; add or remove any")


def select_on_click(result: ShopResult, chart_key: str, wc_key: str, op_key: str) -> Callable[[], None]:
    """The ``on_select`` callback of a Gantt: the clicked operation becomes the selected one
    (the work center and operation select boxes ``wc_key`` / ``op_key``)."""

    def pick() -> None:
        op_id = gantt.operation_at(st.session_state.get(chart_key))
        planned = next((p for p in result.operations if p.op_id == op_id), None)
        if planned is not None:
            st.session_state[wc_key] = planned.work_center
            st.session_state[op_key] = planned.op_id

    return pick


def board_gantt(result: ShopResult, problem: ShopProblem, key: str, wc_key: str, op_key: str) -> None:
    """The board's Gantt tabs (by work center in a window, by chosen orders); a click on a
    bar selects its operation for the board's actions."""
    t1, t2 = st.tabs(["By work center", "By order"])
    with t1:
        span = gantt_window(result, key)
        chart = f"{key}_wc"
        st.plotly_chart(gantt.gantt_by_work_center(result, problem, span=span), width="stretch", key=chart,
                        on_select=select_on_click(result, chart, wc_key, op_key), selection_mode="points")
        st.caption("Click a bar to select its operation for the actions above. Grey: non-working time; "
                   "amber: setup; red: late order; green: in progress.")
    with t2:
        rns = order_picker(result, key)
        if not rns:
            st.info("Choose work orders to show.")
        else:
            chart = f"{key}_order"
            st.plotly_chart(gantt.gantt_by_order(result, rns), width="stretch", key=chart,
                            on_select=select_on_click(result, chart, wc_key, op_key), selection_mode="points")
            st.caption("The due moment is the vertical marker (red: late).")


def gantt_pair(before: ShopResult | None, after: ShopResult, problems: tuple[ShopProblem | None, ShopProblem],
               key: str) -> None:
    """The baseline's Gantt above the scenario's, on the same time window."""
    span = gantt_window(after, key)
    if before is not None:
        st.plotly_chart(gantt.gantt_by_work_center(before, problems[0], span=span, title="Baseline"),
                        width="stretch", key=f"{key}_before")
    st.plotly_chart(gantt.gantt_by_work_center(after, problems[1], span=span, title="Scenario"),
                    width="stretch", key=f"{key}_after")


def load_panel(engine, user, key: str) -> None:
    """Load vs capacity of the current plan: a heat map of every work center (days or weeks,
    planned load or work due), and for the work center chosen (a click on its row, or the
    select box) its bars and table."""
    c = st.columns(2)
    period = c[0].radio("Columns", list(_PERIOD_NAMES), format_func=_PERIOD_NAMES.get, horizontal=True,
                        key=f"{key}_period")
    measure = c[1].radio("Figure", list(_MEASURE_NAMES), format_func=_MEASURE_NAMES.get, horizontal=True,
                         key=f"{key}_measure", help="\n\n".join(f"**{_MEASURE_NAMES[m]}**: {t}"
                                                               for m, t in shop_load.MEASURE_LABELS.items()))
    view = ()
    with guarded("The load cannot be shown"):
        view = planning.load_by_period(engine, user=user, period=period)
    if view is None:
        st.info("Accept a plan on the Scheduling board to see the load.")
    if not view:
        return
    stored, loads = view
    st.markdown(f"Figure: **{shop_load.MEASURE_LABELS[measure]}** against the available capacity (shifts, "
                "breaks, calendar exceptions and downtime, as they are now). Red: over capacity, with the hours over.")
    heat, wc_key = f"{key}_heat", f"{key}_wc"

    def pick() -> None:
        code = shop_load.work_center_at(st.session_state.get(heat))
        if code is not None:
            st.session_state[wc_key] = code

    st.plotly_chart(shop_load.load_heatmap(loads, measure), width="stretch", key=heat, on_select=pick,
                    selection_mode="points")
    st.caption(f"Plan #{stored.plan.id} from {stored.result.start:%Y-%m-%d %H:%M} ({esc(stored.result.time_zone)}); "
               + ("weeks start on Monday." if period == "week" else "one column per day.")
               + " Click a cell to see its work center below.")
    codes = list(dict.fromkeys(x.work_center for x in loads))
    code = st.selectbox("Work center", codes, key=wc_key)
    st.plotly_chart(shop_load.machine_load(loads, code, measure), width="stretch", key=f"{key}_bars")
    rows = [x for x in loads if x.work_center == code]
    frame = pd.DataFrame([{"period": x.start, "capacity (h)": x.capacity_hours, "planned (h)": x.planned_hours,
                           "work due (h)": x.due_hours, "load": x.ratio(measure),
                           "over capacity (h)": x.overload_hours(measure)} for x in rows])
    hours = st.column_config.NumberColumn(format="%.1f")
    table(frame, hide_index=True, width="stretch", key=f"{key}_table", column_config={
        "period": st.column_config.DateColumn("day" if period == "day" else "week from", format="YYYY-MM-DD"),
        "capacity (h)": hours, "planned (h)": hours, "work due (h)": hours, "over capacity (h)": hours,
        "load": st.column_config.NumberColumn(f"{_MEASURE_NAMES[measure]} / capacity", format="percent"),
    })
