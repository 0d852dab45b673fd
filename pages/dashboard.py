"""Filling dashboard: counts, last KPIs, recent schedules, quick links, the demo-data path and
a link to the shop dashboard."""

import pandas as pd
import streamlit as st

from webapp import ui
from webapp.access import can_create
from webapp.filling import history, runs
from webapp.ui import session

engine = ui.get_engine()
user = ui.require_user()
zone = runs.plant_zone(engine, user=user)

st.title("Filling dashboard")
st.caption(f"Welcome, {ui.esc(user.name or user.username)}.")

page, results = history.list_schedules(engine, user=user, limit=10)
completed, _ = history.list_schedules(engine, user=user, with_results=False, limit=1, status="completed")
failed, _ = history.list_schedules(engine, user=user, with_results=False, limit=1, status="failed")
comparisons = history.list_comparisons(engine, user=user, limit=1)

cols = st.columns(4)
cols[0].metric("Schedules", page.total, border=True)
cols[1].metric("Completed", completed.total, border=True)
cols[2].metric("Failed", failed.total, border=True)
cols[3].metric("Comparisons", comparisons.total, border=True)

links = st.columns(4)
links[0].page_link(ui.PAGE_NEW, label="New schedule", icon=":material/add_circle:")
links[1].page_link(ui.PAGE_HISTORY, label="History", icon=":material/history:")
links[2].page_link(ui.PAGE_COMPARE, label="Compare strategies", icon=":material/compare_arrows:")
links[3].page_link(ui.PAGE_TEMPLATES, label="Config templates", icon=":material/tune:")

if can_create(user):
    with st.container(border=True):
        st.subheader("Try the demo data")
        st.write(
            "No file at hand? Load 40 sample lots of 4 product types and plan them in one "
            "click on the New schedule page."
        )
        if st.button("Try the demo data", type="primary", key="dash_demo"):
            ui.load_demo_lots()
            st.switch_page(ui.PAGE_NEW)

st.page_link(session.PAGE_SHOP_DASHBOARD, label="Shop dashboard: work orders, plan, load",
             icon=":material/factory:")

st.subheader("Recent schedules")
if not page.items:
    st.info("No schedules yet. Start with **New schedule** or the demo data above.")
else:
    last = next((results[s.id] for s in page.items if s.id in results), None)
    if last is not None:
        st.caption("Last completed schedule")
        k = st.columns(5)
        k[0].metric("Makespan", ui.fmt_hours(last.makespan_h))
        k[1].metric("Gap to bound", f"{(last.gap_pct or 0):.2f} %")
        k[2].metric("Blocks", last.blocks)
        k[3].metric("Utilisation", f"{last.utilisation * 100:.1f} %")
        k[4].metric("Late lots", last.late_lots if last.due_measured else "–",
                    help="Lots whose fill ends after their due date (– : no lot has a due date)")
    late = [r for r in results.values() if r.due_measured and r.late_lots]
    if late:
        st.warning(f"{len(late)} of the {len(results)} recent completed schedules {'has' if len(late) == 1 else 'have'} "
                   f"late lots ({sum(r.late_lots for r in late)} in all); the late lots column says which.")
    frame = pd.DataFrame(
        [
            {
                "id": s.id,
                "name": s.name,
                "strategy": s.strategy,
                "status": history.shown_status(s.status, results.get(s.id)),
                "created": ui.plant_stamp(s.created_at, zone),
                "makespan (h)": results[s.id].makespan_h if s.id in results else None,
                "late lots": results[s.id].due("late_lots") if s.id in results else None,
            }
            for s in page.items
        ]
    )
    ui.table(frame, hide_index=True, width="stretch", column_config={"created": ui.time_column("created", zone)})
    by_id = {s.id: s for s in page.items}
    choice = st.selectbox(
        "Open a schedule",
        list(by_id),
        format_func=lambda i: f"#{i} · {by_id[i].name}",
        key="dash_open_sel",
    )
    if st.button("Open", key="dash_open"):
        ui.open_schedule(choice)
