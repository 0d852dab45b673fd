"""What-if: copy the current plan into a private scenario, change capacity, calendar or
urgency there, re-plan, compare the KPIs with the baseline, promote to baseline."""

from datetime import date

import pandas as pd
import streamlit as st

from webapp import ui
from webapp.access import can_create
from webapp.shop import catalog, planning, scenarios
from webapp.ui import shop_widgets

engine = ui.get_engine()
user = ui.require_user()
can_edit = can_create(user)
DAYS = list(catalog.DAY_NAMES)
SHIFTS = list(catalog.SHIFT_NAMES)

st.title("What-if scenarios")
if planning.summary(engine, user=user).work_orders == 0:
    st.info("The shop is empty. Load the demo shop or import a workbook first.")
    st.stop()
stored = planning.current_plan(engine, user=user)
baseline = stored.result if stored else None
if baseline is None:
    st.caption("No accepted plan yet: scenarios compare against an empty baseline.")

if can_edit:
    c = st.columns([3, 1])
    name = c[0].text_input("Scenario name", value="What if …", key="wi_name")
    if c[1].button("Copy current plan into a scenario", key="wi_create"):
        sid = scenarios.create_scenario(engine, user=user, name=name)
        st.session_state["wi_sel"] = sid
        st.rerun()

mine = scenarios.list_scenarios(engine, user=user)
if not mine:
    st.info("No scenarios yet.")
    st.stop()
by_id = {s.id: s for s in mine}
if st.session_state.get("wi_sel") not in by_id:
    st.session_state["wi_sel"] = mine[0].id
sid = st.selectbox("Scenario", list(by_id), format_func=lambda i: f"#{i} · {by_id[i].name}", key="wi_sel")
scenario = by_id[sid]
problem = scenarios.scenario_problem(engine, user=user, scenario_id=sid)
if scenario.changes:
    st.caption("Changes in this scenario")
    st.dataframe(pd.DataFrame({"change": scenario.changes}), hide_index=True, width="stretch")


def apply(kind: str, **args) -> None:
    with ui.guarded("The change has problems"):
        text = scenarios.change_scenario(engine, user=user, scenario_id=sid, kind=kind, **args)
        st.session_state["wi_flash"] = f"Changed: {text}. Re-plan the scenario to see the effect."
        st.rerun()


if flash := st.session_state.pop("wi_flash", None):
    st.success(ui.esc(flash))

if can_edit:
    codes = [w.code for w in problem.work_centers]
    t1, t2, t3 = st.tabs(["Capacity", "Calendar", "Urgency"])
    with t1, st.form("wi_cap"):
        code = st.selectbox("Work center", codes)
        w = problem.wc(code)
        shifts = st.multiselect("Shifts", SHIFTS, default=sorted(w.calendar.shift_names or SHIFTS))
        days = st.multiselect("Working days", DAYS, default=[DAYS[d] for d in sorted(w.calendar.weekdays)])
        if st.form_submit_button("Apply capacity change"):
            apply("capacity", work_center=code, shifts=shifts, working_days=[DAYS.index(d) for d in days])
    with t2, st.form("wi_cal"):
        code = st.selectbox("Work center", codes)
        day = st.date_input("Date", value=date.today())
        shifts = st.multiselect("Shifts", SHIFTS, default=SHIFTS)
        working = st.selectbox("Mark as", ["not working", "working"])
        if st.form_submit_button("Apply calendar change"):
            apply("calendar", work_center=code, day=day, shifts=shifts, working=working == "working")
    with t3, st.form("wi_urg"):
        rns = [o.rn for o in problem.work_orders if o.status not in ("completed", "cancelled")]
        rn = st.selectbox("Work order", rns)
        rank = st.number_input("Urgency rank (0 = not on the list)", min_value=0, value=1)
        prio = st.selectbox("Priority", [1, 2, 3])
        if st.form_submit_button("Apply urgency change"):
            apply("urgency", rn=rn, urgency_rank=int(rank) or None, priority_level=int(prio))

    with st.container(border=True):
        params = shop_widgets.strategy_controls("wi")
        options = params["options"]
        if st.button("Re-plan scenario", type="primary", key="wi_replan"):
            with ui.guarded("The scenario cannot be planned"):
                ui.run_with_progress(
                    lambda h: scenarios.replan_scenario(
                        engine, user=user, scenario_id=sid, options=options, progress=ui.stepped(h, options.strategy)),
                    label="Planning the scenario",
                )
                st.rerun()

result = scenarios.scenario_result(engine, user=user, scenario_id=sid)
st.subheader("Scenario vs baseline")
st.dataframe(pd.DataFrame(scenarios.compare_kpis(baseline, result)), hide_index=True, width="stretch",
             key="wi_compare")
if result is None:
    st.info("The scenario has changed since it was planned: re-plan it to compare.")
elif can_edit:
    c = st.columns(2)
    if c[0].button("Promote to baseline", type="primary", key="wi_promote"):
        with ui.guarded("The scenario was not promoted", stop=True):
            plan_id = scenarios.promote_scenario(engine, user=user, scenario_id=sid)
        st.session_state["wi_flash"] = f"Scenario promoted: plan #{plan_id} is the current plan."
        st.rerun()
if can_edit and st.button("Delete scenario", key="wi_delete"):
    scenarios.delete_scenario(engine, user=user, scenario_id=sid)
    st.session_state.pop("wi_sel", None)
    st.rerun()
