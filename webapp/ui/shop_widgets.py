"""Streamlit widgets of the shop pages: tables of a plan, KPI cards, the strategy controls,
plan runs with progress, the demo / import panels, downloads and the dashboard tiles.

User text appears only in dataframes, ``st.text`` or after escaping (``widgets.esc``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from scheduler_core.shop import DUE_BASES, STRATEGIES, ShopOptions, ShopResult
from webapp import exports
from webapp.access import can_create
from webapp.shop import catalog, imports, planning
from webapp.ui.progress import run_with_progress, stepped
from webapp.ui.session import CANDIDATE_KEY, PAGE_BOARD
from webapp.ui.uploads import upload_bytes
from webapp.ui.widgets import guarded


def hours(v: float | None) -> str:
    """``12.5 h`` or ``–``."""
    return "–" if v is None else f"{v:,.1f} h"


def orders_frame(result: ShopResult, *, late_only: bool = False) -> pd.DataFrame:
    """The plan's work orders (latest first), or only the late ones."""
    rows = [
        {
            "work order": o.rn,
            "priority": o.priority_level,
            "urgency rank": o.urgency_rank,
            "due": o.due,
            "planned completion": o.completion,
            "lateness (h)": None if o.lateness_hours is None else round(o.lateness_hours, 1),
            "late": o.late,
        }
        for o in sorted(result.orders, key=lambda o: -(o.lateness_hours or -1e9))
        if o.late or not late_only
    ]
    return pd.DataFrame(rows, columns=["work order", "priority", "urgency rank", "due", "planned completion",
                                       "lateness (h)", "late"])


def queue_frame(result: ShopResult, work_center: str) -> pd.DataFrame:
    """The queue of one work center in the plan, in start order."""
    late = {o.rn for o in result.orders if o.late}
    rows = [
        {
            "position": k,
            "operation": p.op_id,
            "name": p.name,
            "start": p.start,
            "end": p.end,
            "minutes": p.duration_minutes,
            "pieces": len(p.intervals),
            "late order": p.rn in late,
            "running": p.in_progress,
            "pinned": p.pinned,
        }
        for k, p in enumerate(result.by_work_center().get(work_center, []), 1)
    ]
    return pd.DataFrame(rows, columns=["position", "operation", "name", "start", "end", "minutes", "pieces",
                                       "late order", "running", "pinned"])


def highlight_late(frame: pd.DataFrame, column: str):
    """A Styler colouring rows whose ``column`` is true (small frames only)."""
    if frame.empty or len(frame) > 800:
        return frame
    return frame.style.apply(
        lambda row: ["background-color: #fde0e0" if row[column] else "" for _ in row], axis=1
    )


def kpi_cards(result: ShopResult) -> None:
    """The KPI cards of a shop plan."""
    k = result.kpis
    c = st.columns(5)
    c[0].metric("Late orders", f"{k.late_orders} / {k.orders}", border=True)
    c[1].metric("Weighted tardiness", hours(k.weighted_tardiness_hours), border=True)
    c[2].metric("Max lateness", hours(k.max_lateness_hours), border=True)
    c[3].metric("Makespan", hours(k.makespan_hours), border=True)
    c[4].metric("Operations", k.operations, border=True)


def strategy_controls(key: str) -> dict[str, Any]:
    """Strategy, due basis, planning start and time limit widgets (defaults: those of
    ``ShopOptions``) -> ``run_plan`` keyword arguments (``options``, ``start``)."""
    defaults = ShopOptions()
    c = st.columns(4)
    names = list(STRATEGIES)
    strategy = c[0].selectbox("Strategy", names, index=names.index(defaults.strategy), key=f"{key}_strategy",
                              help="\n\n".join(f"**{n}**: {d}" for n, d in STRATEGIES.items()))
    due = c[1].selectbox("Due date", list(DUE_BASES), index=DUE_BASES.index(defaults.due_basis), key=f"{key}_due")
    start = planning.default_start()
    day = c[2].date_input("Planning start", value=start.date(), key=f"{key}_day")
    limit = c[3].number_input("Time limit (seconds)", min_value=1.0, max_value=600.0,
                              value=float(defaults.time_limit_s), step=1.0, key=f"{key}_limit")
    options = ShopOptions(strategy, due, float(limit))
    return {"options": options, "start": datetime.combine(day, start.time())}


def run_plan_with_progress(engine, user, params: dict[str, Any]) -> ShopResult | None:
    """Plan the stored shop with ``st.progress``; shows input problems and returns None."""
    strategy = params["options"].strategy
    with guarded("The shop cannot be planned"):
        return run_with_progress(
            lambda h: planning.run_plan(engine, user=user, progress=stepped(h, strategy), **params),
            label="Planning",
        )
    return None


def demo_panel(engine, user, key: str) -> None:
    """'Load demo shop' for an empty organisation."""
    if not can_create(user):
        st.info("The shop is empty. A planner can import a workbook or load the demo shop.")
        return
    with st.container(border=True):
        st.subheader("Load demo shop")
        st.write("No data yet? Generate a realistic metal-working shop (work centers with shift "
                 "calendars, work orders, operations) and plan it at once.")
        c = st.columns(3)
        orders = c[0].number_input("Work orders", min_value=5, max_value=1000, value=40, step=5, key=f"{key}_orders")
        wcs = c[1].number_input("Work centers", min_value=2, max_value=8, value=5, key=f"{key}_wcs")
        seed = c[2].number_input("Seed", min_value=1, value=1, key=f"{key}_seed")
        if st.button("Load demo shop", type="primary", key=f"{key}_load"):
            with guarded("The demo cannot be loaded", stop=True):
                counts = imports.load_demo(engine, user=user, seed=int(seed), orders=int(orders),
                                           work_centers=int(wcs))
            st.session_state.pop(CANDIDATE_KEY, None)
            st.success(f"Demo shop loaded: {counts['work_orders']} work orders, "
                       f"{counts['operations']} operations on {counts['work_centers']} work centers.")
            st.rerun()


def import_panel(engine, user, key: str) -> None:
    """Workbook upload → preview with row errors → import in one transaction."""
    uploaded = st.file_uploader("Shop workbook (Excel, or a flat CSV of operations)",
                                type=["xlsx", "xlsm", "csv"], key=f"{key}_upload")
    if uploaded is None:
        st.caption("Sheets work_centers, work_orders, operations (+ calendar, downtime), or the "
                   "shop's flat spreadsheet; Serbian/Croatian headers are accepted.")
        return
    problem = None
    with guarded("The workbook has problems"):
        problem = imports.preview_workbook(upload_bytes(uploaded), uploaded.name)
    if problem is None:
        return
    st.success(f"{len(problem.work_centers)} work centers · {len(problem.work_orders)} work orders · "
               f"{len(problem.operations)} operations — ready to import.")
    st.dataframe(pd.DataFrame([{"rn": o.rn, "product": o.kpl, "quantity": o.quantity,
                                "priority": o.priority_level, "assembly": o.assembly_date,
                                "delivery": o.delivery_date, "status": o.status}
                               for o in problem.work_orders[:200]]), hide_index=True, width="stretch")
    if can_create(user) and st.button("Import (replaces the shop data)", type="primary", key=f"{key}_import"):
        with guarded("The import failed; nothing was changed", stop=True):
            counts = imports.import_problem(engine, user=user, problem=problem)
        st.session_state.pop(CANDIDATE_KEY, None)
        st.success(f"Imported {counts['work_orders']} work orders and {counts['operations']} operations.")


def download_buttons(result: ShopResult, key: str, stem: str = "shop-plan") -> None:
    """Excel and PDF downloads of a plan."""
    c = st.columns(2)
    c[0].download_button("Excel", exports.shop_plan_excel(result), file_name=f"{stem}.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         key=f"{key}_xlsx", icon=":material/table:")
    c[1].download_button("PDF", exports.shop_plan_pdf(result), file_name=f"{stem}.pdf",
                         mime="application/pdf", key=f"{key}_pdf", icon=":material/picture_as_pdf:")


def this_week_load(result: ShopResult, today: date | None = None) -> tuple[float, float]:
    """(planned hours, capacity hours) of all work centers in the current ISO week."""
    today = today or date.today()
    monday = today - timedelta(days=today.weekday())
    rows = [w for w in result.kpis.weekly_load if w.week_start == monday]
    return sum(w.planned_hours for w in rows), sum(w.capacity_hours for w in rows)


def dashboard_tiles(engine, user) -> None:
    """Shop tiles for the dashboard: late orders, load this week, next due orders. Never
    breaks the dashboard: without shop data it shows a hint, on errors a caption."""
    try:
        summary = planning.summary(engine, user=user)
        if summary.work_orders == 0:
            st.caption("Shop: no work orders yet — see Shop › Work orders or the Scheduling board.")
            return
        stored = planning.current_plan(engine, user=user)
        upcoming = catalog.list_work_orders(engine, user=user, status=["pending", "in_progress"],
                                            sort="assembly_date", limit=5)
    except Exception as exc:  # noqa: BLE001 - the dashboard must render without the shop
        st.caption(f"Shop tiles unavailable ({type(exc).__name__}).")
        return
    st.subheader("Shop")
    c = st.columns(3)
    if stored is None:
        c[0].metric("Late orders", "–", help="no accepted plan yet", border=True)
        c[1].metric("Load this week", "–", border=True)
    else:
        k = stored.result.kpis
        c[0].metric("Late orders", f"{k.late_orders} / {k.orders}", border=True)
        planned, cap = this_week_load(stored.result)
        c[1].metric("Load this week", f"{planned / cap:.0%}" if cap else "–",
                    delta=f"{planned:,.0f} of {cap:,.0f} h", delta_color="off", border=True)
    c[2].metric("Open work orders", upcoming.total, border=True)
    if upcoming.items:
        st.caption("Next due orders")
        st.dataframe(pd.DataFrame([{"work order": o.rn, "assembly": o.assembly_date, "delivery": o.delivery_date,
                                    "priority": o.priority_level, "status": o.status} for o in upcoming.items]),
                     hide_index=True, width="stretch")
    st.page_link(PAGE_BOARD, label="Scheduling board", icon=":material/view_timeline:")
