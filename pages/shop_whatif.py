"""What-if: a private scenario = a copy of the shop plus its own change set (capacity,
calendar, a work center down from … to …, urgency); re-plan, compare with the baseline (KPIs,
makespan, per-order completion and lateness, the two Gantts on one time axis), promote: its changes are re-applied onto the current shop and re-planned
(conflicts are shown and asked about, never silently dropped)."""


import pandas as pd
import streamlit as st

from webapp import ui
from webapp.access import can_create
from webapp.shop import catalog, planning, scenarios
from webapp.ui import change_set, master_forms, shop_charts, shop_widgets

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
sid = st.selectbox("Scenario", list(by_id), key="wi_sel",
                   format_func=lambda i: f"#{i} · {by_id[i].name}" + (" · stale" if by_id[i].stale else ""))
scenario = by_id[sid]
problem = scenarios.scenario_problem(engine, user=user, scenario_id=sid)
if scenario.stale:
    st.warning(f"Stale: this scenario was copied from plan #{scenario.base_plan_id or '–'}, and "
               f"{'plan #' + str(stored.plan.id) if stored else 'no plan'} is current now. Its figures are those of "
               "the old shop; promoting re-applies its changes onto the current shop and re-plans.",
               icon=":material/history:")
if scenario.changes:
    st.caption("Changes in this scenario")
    ui.table(pd.DataFrame({"change": scenario.changes}), hide_index=True, width="stretch")


def apply(kind: str, **args) -> None:
    with ui.guarded("The change has problems"):
        text = scenarios.change_scenario(engine, user=user, scenario_id=sid, kind=kind, **args)
        change_set.flash(f"Changed: {text}. Re-plan the scenario to see the effect.")
        st.rerun()


change_set.show_flash()

if can_edit:
    today = planning.planning_now(engine, user=user).date()  # the plant's date
    codes = [w.code for w in problem.work_centers]
    t1, t2, t3, t4 = st.tabs(["Capacity", "Calendar", "Work center down", "Urgency"])
    with t1, st.form("wi_cap"):
        code = st.selectbox("Work center", codes)
        w = problem.wc(code)
        shifts = st.multiselect("Shifts", SHIFTS, default=sorted(w.calendar.shift_names or SHIFTS))
        days = st.multiselect("Working days", DAYS, default=[DAYS[d] for d in sorted(w.calendar.weekdays)])
        if st.form_submit_button("Apply capacity change"):
            apply("set_shifts", work_center=code, shifts=shifts, weekdays=[DAYS.index(d) for d in days])
    with t2, st.form("wi_cal"):
        code = st.selectbox("Work center", codes)
        c = st.columns(2)
        first = c[0].date_input("From", value=today)
        last = c[1].date_input("To", value=today)
        shifts = st.multiselect("Shifts", SHIFTS, default=SHIFTS)
        working = st.selectbox("Mark as", ["not working", "working"])
        if st.form_submit_button("Apply calendar change"):
            apply("set_calendar", work_center=code, first=first, last=last, shifts=shifts,
                  working=working == "working")
    with t3, st.form("wi_down"):
        st.caption("The work center is down from the first moment until the second (plant time), in one step.")
        code = st.selectbox("Work center", codes)
        down_from, down_until = shop_widgets.period_inputs(today)
        reason = st.text_input("Reason", value="what-if")
        if st.form_submit_button("Apply: work center down"):
            apply("add_downtime", work_center=code, start=down_from, end=down_until, reason=reason)
    with t4, st.form("wi_urg"):
        rns = [o.rn for o in problem.work_orders if o.status not in ("completed", "cancelled")]
        rn = st.selectbox("Work order", rns)
        rank = st.number_input("Urgency rank (0 = not on the list)", min_value=0, value=1)
        prio = st.selectbox("Priority", [1, 2, 3])
        if st.form_submit_button("Apply urgency change"):
            apply("set_urgency", rn=rn, urgency_rank=int(rank) or None, priority_level=int(prio))

    with st.container(border=True):
        options = shop_widgets.strategy_controls("wi", baseline)
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
ui.table(pd.DataFrame(scenarios.compare_kpis(baseline, result)), hide_index=True, width="stretch",
             key="wi_compare")
if result is None:
    st.info("The scenario has changed since it was planned: re-plan it to compare.")
else:
    before = baseline.kpis.makespan_hours if baseline else None
    st.markdown(f"**Makespan**: {'–' if before is None else f'{before:,.1f} h'} → {result.kpis.makespan_hours:,.1f} h "
                f"({scenarios.change_text(before, result.kpis.makespan_hours, ' h')})")
    st.subheader("Per order", help="completion and lateness before (baseline) and after (scenario), largest change first")
    orders = pd.DataFrame(scenarios.compare_orders(baseline, result))
    shift = orders["completion change (h)"]
    orders["completion change (h)"] = shift.where(shift.abs() >= 0.05)  # +0.0 reads "–", the text says no change
    ui.table(orders, key="wi_orders", column_config={
        "completion change (h)": st.column_config.NumberColumn(format="%+.1f")})
    st.subheader("Gantt: baseline above, scenario below (same time axis)")
    shown = planning.build_problem(engine, user=user, start=baseline.start) if baseline else None
    shop_charts.gantt_pair(baseline, result, (shown, problem), "wi_gantt")
if result is not None and can_edit:
    promote = st.button("Promote to baseline", type="primary", key="wi_promote",
                        help="re-apply this scenario's changes onto the current shop, re-plan, accept")
    if promote or st.session_state.get("wi_conflicts") == sid:
        with ui.guarded("The scenario was not promoted"):
            applied, skipped = scenarios.promotion_conflicts(engine, user=user, scenario_id=sid)
            go = not skipped
            if skipped:
                st.session_state["wi_conflicts"] = sid
                st.warning(f"{len(skipped)} of {len(applied) + len(skipped)} changes no longer apply to the current "
                           "shop:", icon=":material/warning:")
                ui.table(pd.DataFrame([{"change": c.describe(), "why": why} for c, why in skipped]),
                             hide_index=True, width="stretch")
                go = st.button(f"Promote with the other {len(applied)} changes", key="wi_promote_anyway")
            if go:
                plan_id = ui.run_with_progress(
                    lambda h: scenarios.promote_scenario(engine, user=user, scenario_id=sid,
                                                         without_conflicts=bool(skipped), progress=ui.stepped(h)),
                    label="Re-planning the current shop with the scenario's changes",
                )
                st.session_state.pop("wi_conflicts", None)
                change_set.flash(f"Scenario promoted: plan #{plan_id} is the current plan (undo on the board).")
                st.rerun()


def _delete_scenario() -> None:
    scenarios.delete_scenario(engine, user=user, scenario_id=sid)
    st.session_state.pop("wi_sel", None)


if can_edit:
    master_forms.confirm_delete("wi_delete", "Delete scenario…",
                                lambda: scenarios.scenario_impact(engine, user=user, scenario_id=sid),
                                _delete_scenario, "Scenario deleted.")
