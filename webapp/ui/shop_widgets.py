"""Streamlit widgets of the shop pages: tables of a plan, KPI cards, the strategy controls,
plan runs with progress, the demo panel (import and clear: ``shop_import``), downloads and the dashboard tiles.

User text appears only in dataframes, ``st.text`` or after escaping (``widgets.esc``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from scheduler_core.shop import DUE_BASES, STRATEGIES, ShopOptions, ShopProblem, ShopResult, options_of
from scheduler_core.shop.edits import category_change, move_targets
from scheduler_core.shop.result import NO_ROUTING, NOTHING_LEFT, ON_INACTIVE
from webapp import exports
from webapp.access import can_create
from webapp.shop import catalog, imports, planning
from webapp.ui import change_set
from webapp.ui.session import PAGE_BOARD
from webapp.ui.tables import table
from webapp.ui.widgets import esc, fmt_hours, guarded
from webapp.views import StoredPlan


def orders_frame(result: ShopResult, *, late_only: bool = False) -> pd.DataFrame:
    """The plan's work orders (latest first), or only the late ones; the time columns name
    the plant's zone."""
    due, done = f"due ({result.time_zone})", f"planned completion ({result.time_zone})"
    rows = [
        {
            "work order": o.rn,
            "priority": o.priority_level,
            "urgency rank": o.urgency_rank,
            due: o.due,
            done: o.completion,
            "lateness (h)": None if o.lateness_hours is None else round(o.lateness_hours, 1),
            "late": o.late,
        }
        for o in sorted(result.orders, key=lambda o: -(o.lateness_hours or -1e9))
        if o.late or not late_only
    ]
    return pd.DataFrame(rows, columns=["work order", "priority", "urgency rank", due, done,
                                       "lateness (h)", "late"])


def queue_frame(result: ShopResult, work_center: str, pins: tuple[tuple[str, str], ...] = ()) -> pd.DataFrame:
    """The queue of one work center in the plan, in start order; ``pin`` marks (📌) the
    operations the planner's ``pins`` tie to a neighbour, with the neighbours named; the time
    columns name the plant's zone."""
    start, end = f"start ({result.time_zone})", f"end ({result.time_zone})"
    late = {o.rn for o in result.orders if o.late}
    tied: dict[str, list[str]] = {}
    for first, then in pins:
        tied.setdefault(first, []).append(f"before {then}")
        tied.setdefault(then, []).append(f"after {first}")
    rows = [
        {
            "position": k,
            "pin": "📌 " + ", ".join(tied[p.op_id]) if p.op_id in tied else "",
            "operation": p.op_id,
            "name": p.name,
            start: p.start,
            end: p.end,
            "setup (min)": p.setup_minutes,
            "minutes": p.duration_minutes,
            "pieces": len(p.intervals),
            "late order": p.rn in late,
            "running": p.in_progress,
            "fixed start": p.pinned,
        }
        for k, p in enumerate(result.by_work_center().get(work_center, []), 1)
    ]
    return pd.DataFrame(rows, columns=["position", "pin", "operation", "name", start, end, "setup (min)",
                                       "minutes", "pieces", "late order", "running", "fixed start"])


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
    c[1].metric("Weighted tardiness", fmt_hours(k.weighted_tardiness_hours, whole_from=1000), border=True,
                help=f"{k.weighted_tardiness_hours:,.1f} h (weight × hours late, summed)")
    c[2].metric("Max lateness", fmt_hours(k.max_lateness_hours), border=True)
    c[3].metric("Makespan", fmt_hours(k.makespan_hours), border=True)
    c[4].metric("Operations", k.operations, border=True)


def strategy_controls(key: str, current: ShopResult | None = None) -> ShopOptions:
    """Strategy, due basis and time limit widgets; their defaults are the ``current`` plan's
    options (so a re-plan plans like the plan being edited), else those of ``ShopOptions``."""
    defaults = options_of(current) if current is not None else ShopOptions()
    c = st.columns(3)
    names = list(STRATEGIES)
    strategy = c[0].selectbox("Strategy", names, index=names.index(defaults.strategy), key=f"{key}_strategy",
                              help="\n\n".join(f"**{n}**: {d}" for n, d in STRATEGIES.items()))
    due = c[1].selectbox("Due date", list(DUE_BASES), index=DUE_BASES.index(defaults.due_basis), key=f"{key}_due")
    limit = c[2].number_input("Time limit (seconds)", min_value=1.0, max_value=600.0,
                              value=float(defaults.time_limit_s), step=1.0, format="%.0f", key=f"{key}_limit")
    return ShopOptions(strategy, due, float(limit))


def demo_panel(engine, user, key: str) -> None:
    """'Load demo shop' for an empty organisation."""
    if not can_create(user):
        st.info("The shop is empty. A planner can import a workbook or load the demo shop.")
        return
    with st.container(border=True):
        st.subheader("Load demo shop")
        st.write("No data yet? Generate a realistic metal-working shop (work centers with shift "
                 "calendars, work orders, operations); then press Re-plan on the board.")
        c = st.columns(3)
        orders = c[0].number_input("Work orders", min_value=5, max_value=1000, value=40, step=5, key=f"{key}_orders")
        wcs = c[1].number_input("Work centers", min_value=2, max_value=8, value=5, key=f"{key}_wcs")
        seed = c[2].number_input("Seed", min_value=1, value=1, key=f"{key}_seed")
        if st.button("Load demo shop", type="primary", key=f"{key}_load"):
            with guarded("The demo cannot be loaded", stop=True):
                counts = imports.load_demo(engine, user=user, seed=int(seed), orders=int(orders),
                                           work_centers=int(wcs))
            change_set.discard()
            st.success(f"Demo shop loaded: {counts['work_orders']} work orders, "
                       f"{counts['operations']} operations on {counts['work_centers']} work centers.")
            st.rerun()


def download_buttons(result: ShopResult, key: str, stem: str = "shop-plan") -> None:
    """Excel and PDF downloads of a plan (made when clicked, so the page does not wait for them)."""
    c = st.columns(2)
    c[0].download_button("Excel", lambda: exports.shop_plan_excel(result), file_name=f"{stem}.xlsx",
                         mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                         key=f"{key}_xlsx", icon=":material/table:")
    c[1].download_button("PDF", lambda: exports.shop_plan_pdf(result), file_name=f"{stem}.pdf",
                         mime="application/pdf", key=f"{key}_pdf", icon=":material/picture_as_pdf:")


def this_week_load(result: ShopResult, today: date | None = None) -> tuple[float, float]:
    """(planned hours, capacity hours) of all work centers in the current ISO week."""
    today = today or date.today()
    monday = today - timedelta(days=today.weekday())
    rows = [w for w in result.kpis.weekly_load if w.week_start == monday]
    return sum(w.planned_hours for w in rows), sum(w.capacity_hours for w in rows)


def dashboard_tiles(engine, user, stored: StoredPlan | None) -> None:
    """Shop tiles of the shop dashboard for the current plan ``stored`` (read by the page):
    late orders, load this week, open work orders and the next due ones."""
    upcoming = None
    with guarded("The open work orders cannot be read"):
        upcoming = catalog.list_work_orders(engine, user=user, status=["pending", "in_progress"],
                                            sort="assembly_date", limit=5)
    if upcoming is None:
        return
    st.subheader("Shop")
    c = st.columns(3)
    if stored is None:
        c[0].metric("Late orders", "–", help="no accepted plan yet", border=True)
        c[1].metric("Load this week", "–", border=True)
    else:
        k = stored.result.kpis
        c[0].metric("Late orders", f"{k.late_orders} / {k.orders}", border=True)
        planned, cap = this_week_load(stored.result, planning.planning_now(engine, user=user).date())
        c[1].metric("Load this week", f"{planned / cap:.0%}" if cap else "–",
                    delta=f"{planned:,.0f} of {cap:,.0f} h", delta_color="off", border=True)
    c[2].metric("Open work orders", upcoming.total, border=True)
    if upcoming.items:
        st.caption("Next due orders")
        table(pd.DataFrame([{"work order": o.rn, "assembly": o.assembly_date, "delivery": o.delivery_date,
                                    "priority": o.priority_level, "status": o.status} for o in upcoming.items]),
                     hide_index=True, width="stretch")
    st.page_link(PAGE_BOARD, label="Scheduling board", icon=":material/view_timeline:")


def move_controls(engine, user, problem: ShopProblem, op_id: str) -> None:
    """"Move to another work center": work centers of the operation's category first; one of
    another category asks for a confirmation that says why."""
    targets = move_targets(problem, op_id)
    if not targets:
        return
    same = dict(targets)
    c = st.columns([3, 2, 1])
    target = c[0].selectbox("Move to work center", [code for code, _ in targets], key="board_target",
                            format_func=lambda code: code if same[code] else f"{code} (other category)")
    why = category_change(problem, op_id, target)
    confirmed = False
    if why:
        c[1].warning(f"{esc(why)}.", icon=":material/warning:")
        confirmed = c[1].checkbox("Move across categories", key="board_move_confirm")
    if c[2].button("Move operation", key="board_move", disabled=bool(why) and not confirmed):
        change_set.add(engine, user, "move_operation", op_id=op_id, work_center=target, confirmed=confirmed)


def pin_controls(engine, user, problem: ShopProblem, work_center: str) -> None:
    """The planner's pins on ``work_center``: release one, all of the work center, or all."""
    on_wc = {op.op_id for op in problem.operations if op.work_center == work_center}
    pins = [pin for pin in problem.pins if pin[0] in on_wc]
    if not problem.pins:
        return
    with st.expander(f"📌 Pins ({len(pins)} on {work_center}, {len(problem.pins)} in all)"):
        if pins:
            chosen = st.selectbox("Pin", pins, format_func=lambda p: f"{p[0]} before {p[1]}", key="board_pin_sel")
            c = st.columns(3)
            if c[0].button("Release this pin", key="board_pin_release"):
                change_set.add(engine, user, "release_pin", first=chosen[0], then=chosen[1])
            if c[1].button(f"Release all on {work_center}", key="board_pin_release_wc"):
                change_set.add(engine, user, "release_pins", work_center=work_center)
        if st.button("Release all pins", key="board_pin_release_all"):
            change_set.add(engine, user, "release_pins")


def period_inputs(today: date, end_time: time = time(15)) -> tuple[datetime, datetime]:
    """Date and time inputs of a period on the plant clock (from ``today`` 07:00 to
    ``today`` ``end_time`` by default; ``today`` = the plant's date) -> ``(start, end)``."""
    c = st.columns(4)
    first = c[0].date_input("From (date)", value=today)
    first_time = c[1].time_input("From (time)", value=time(7))
    last = c[2].date_input("Until (date)", value=today)
    last_time = c[3].time_input("Until (time)", value=end_time)
    return datetime.combine(first, first_time), datetime.combine(last, last_time)


#: What to do about an order not planned, by the kind of reason (``NotPlanned.kind``).
NOT_PLANNED_ADVICE = {
    NO_ROUTING: "without a routing: give them operations on the Work orders page (or close them)",
    NOTHING_LEFT: "with every operation finished: complete them on the Work orders page",
    ON_INACTIVE: ("with open operations on an inactive work center: move those operations to an active one "
                  "(Work orders page) or activate the work center (Machines page)"),
}


def not_planned_notice(result: ShopResult) -> None:
    """Open orders the plan leaves out, each with its reason ("not planned: no routing"), as a
    warning with one line of advice per kind of reason present, and the list; nothing when
    every open order is planned."""
    if not result.not_planned:
        return
    n = len(result.not_planned)
    counts: dict[str, int] = {}
    for o in result.not_planned:
        counts[o.kind] = counts.get(o.kind, 0) + 1
    lines = [f"- {k} {NOT_PLANNED_ADVICE[kind]}" for kind, k in counts.items()]
    st.warning(f"{n} open work order{'s are' if n != 1 else ' is'} not planned:\n" + "\n".join(lines),
               icon=":material/warning:")
    table(pd.DataFrame([{"work order": o.rn, "not planned": o.reason} for o in result.not_planned]),
          height=min(36 * (n + 1) + 2, 220))
