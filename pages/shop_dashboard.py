"""Shop dashboard: late orders, load this week, the next due orders, the current plan and the
planner's recent plans, with links to the shop pages; the demo shop for an empty one."""

import pandas as pd
import streamlit as st

from webapp import ui
from webapp.shop import planning
from webapp.ui import session, shop_widgets

engine = ui.get_engine()
user = ui.require_user()

st.title("Shop dashboard")
st.caption(f"Welcome, {ui.esc(user.name or user.username)}.")
links = st.columns(4)
links[0].page_link(session.PAGE_BOARD, label="Scheduling board", icon=":material/view_timeline:")
links[1].page_link(session.PAGE_ORDERS, label="Work orders", icon=":material/assignment:")
links[2].page_link(session.PAGE_MACHINES, label="Machines", icon=":material/precision_manufacturing:")
links[3].page_link(session.PAGE_WHATIF, label="What-if", icon=":material/science:")

with ui.guarded("The shop cannot be read", stop=True):
    summary = planning.summary(engine, user=user)
    stored = planning.current_plan(engine, user=user)
    recent = planning.list_plans(engine, user=user, limit=10)
if summary.work_orders == 0:
    shop_widgets.demo_panel(engine, user, "shop_dash_demo")
    st.stop()

shop_widgets.dashboard_tiles(engine, user, stored)
st.subheader("Current plan")
if stored is None:
    st.info("No accepted plan yet: re-plan on the Scheduling board and accept the proposal.")
else:
    shop_widgets.kpi_cards(stored.result)
    shown = stored.result
    st.caption(f"{ui.esc(stored.plan.name)} · {shown.strategy} · planned from {shown.start:%Y-%m-%d %H:%M} "
               f"({ui.esc(shown.time_zone)})")

st.subheader("Your recent plans")
if not recent.items:
    st.caption("You have made no plan yet.")
else:
    ui.table(
        pd.DataFrame([{"plan": p.id, "name": p.name, "strategy": p.strategy, "current": p.is_current,
                       "late orders": p.late_orders, "weighted tardiness (h)": p.objective,
                       "makespan (h)": p.makespan_h, "made (UTC)": p.created_at} for p in recent.items]),
        hide_index=True, width="stretch",
        column_config={
            "plan": st.column_config.NumberColumn(format="%d"),
            "late orders": st.column_config.NumberColumn(format="%d"),
            "weighted tardiness (h)": st.column_config.NumberColumn(format="%.1f"),
            "makespan (h)": st.column_config.NumberColumn(format="%.1f"),
            "made (UTC)": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm"),
        },
    )
