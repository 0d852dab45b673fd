"""Machines: work centers (create; master fields and status saved at once; delete with a
confirmation that says what goes with it), calendar editor (shifts, working days), calendar
exceptions per date range and downtime (add, change, remove — pending changes planned on
the board; an overlapping period is merged, an identical one refused), the downtime log,
load vs capacity per work center and day or week (heat map, overloads in red)."""

from datetime import time

import pandas as pd
import streamlit as st

from webapp import ui
from webapp.access import can_create
from webapp.shop import catalog, planning
from webapp.ui import change_set, master_forms, shop_charts, shop_widgets

engine = ui.get_engine()
user = ui.require_user()
can_edit = can_create(user)
DAYS = list(catalog.DAY_NAMES)
SHIFTS = list(catalog.SHIFT_NAMES)

st.title("Machines")
change_set.show_flash()
change_set.pending_panel(engine, user, "mc_pending")
wcs = catalog.list_work_centers(engine, user=user)
if can_edit:
    with st.expander("New work center", expanded=not wcs):
        master_forms.work_center_create_form(engine, user, "mc_new")
if not wcs:
    st.info("No work centers yet. Create one, load the demo shop or import a workbook.")
    shop_widgets.demo_panel(engine, user, "mc_demo")
    st.stop()

stored = planning.current_plan(engine, user=user)
util = stored.result.kpis.utilisation if stored else {}
ui.table(
    pd.DataFrame([
        {"code": w.code, "name": w.name, "category": w.category, "status": w.status, "active": w.is_active,
         "shifts": w.shifts, "working days": ", ".join(DAYS[d] for d in w.weekday_list),
         "capacity (h/day)": w.capacity_hours_per_day, "setup (min)": w.setup_time_minutes,
         "cost per hour": w.cost_per_hour, "utilisation": util.get(w.code)}
        for w in wcs
    ]),
    hide_index=True, width="stretch",
    column_config={"capacity (h/day)": st.column_config.NumberColumn(format="%.1f"),
                   "setup (min)": st.column_config.NumberColumn(format="%d"),
                   "cost per hour": st.column_config.NumberColumn(format="%.2f"),
                   "utilisation": st.column_config.ProgressColumn(format="percent", min_value=0, max_value=1)},
)

zone, own_zone = catalog.plant_time_zone(engine, user=user)
st.caption(f"Plant time zone: **{ui.esc(zone)}**" + ("" if own_zone else " (the deployment's default)")
           + " — shifts are wall-clock times there; a daylight-saving night has an hour more or less of work.")
if can_edit:
    with st.expander("Change the plant time zone"), st.form("mc_zone"):
        zones = catalog.TIME_ZONES
        new_zone = st.selectbox("Time zone", zones, index=zones.index(zone) if zone in zones else 0)
        if st.form_submit_button("Save time zone"):
            with ui.guarded("The time zone was not changed"):
                catalog.set_plant_time_zone(engine, user=user, time_zone=new_zone)
                change_set.flash(f"Plant time zone set to {new_zone}; re-plan to use it.")
                st.rerun()

by_code = {w.code: w for w in wcs}
today = planning.planning_now(engine, user=user).date()  # the plant's date, not the server's
code = st.selectbox("Work center", list(by_code), key="mc_wc")
wc = by_code[code]

if can_edit:
    master_forms.work_center_master_form(engine, user, wc)
    with st.form(f"mc_edit_{wc.id}"):
        st.markdown(f"**Shifts and working days of {ui.esc(wc.code)}**")
        c = st.columns(2)
        shifts = c[0].multiselect("Shifts", SHIFTS, default=wc.shift_list)
        days = c[1].multiselect("Working days", DAYS, default=[DAYS[d] for d in wc.weekday_list])
        st.caption("S1 07–15, S2 15–23, S3 23–07, each with a 30-minute break (7.5 working hours).")
        if st.form_submit_button("Add shift change to pending changes"):
            change_set.add(engine, user, "set_shifts", replan=False, work_center=code, shifts=shifts,
                           weekdays=[DAYS.index(d) for d in days])

    with st.form(f"mc_cal_{wc.id}"):
        st.markdown("**Calendar exceptions** (holidays, extra shifts) for a date range")
        c = st.columns(4)
        first = c[0].date_input("From", value=today)
        last = c[1].date_input("To", value=today)
        ex_shifts = c[2].multiselect("Shifts ", SHIFTS, default=SHIFTS)
        working = c[3].selectbox("Mark as", ["not working", "working"])
        note = st.text_input("Note", placeholder="e.g. public holiday")
        if st.form_submit_button("Add to pending changes"):
            change_set.add(engine, user, "set_calendar", replan=False, work_center=code, first=first, last=last,
                           shifts=ex_shifts, working=working == "working", note=note)

exceptions = catalog.calendar_exceptions(engine, user=user, code=code)
st.caption(f"{len(exceptions)} calendar exceptions on {ui.esc(code)}")
if exceptions:
    frame = pd.DataFrame(exceptions)
    ui.table(frame.drop(columns=["id"]), hide_index=True, width="stretch", height=200)
    if can_edit:
        by_id = {x["id"]: x for x in exceptions}
        rm = st.selectbox("Exception", list(by_id), format_func=lambda i: f"{by_id[i]['date']} {by_id[i]['shift']}",
                          key="mc_ex_sel")
        if st.button("Remove exception (pending change)", key="mc_ex_del"):
            change_set.add(engine, user, "clear_calendar_mark", replan=False, work_center=code,
                           day=by_id[rm]["date"], shift=by_id[rm]["shift"])

st.subheader("Downtime log")
if can_edit:
    with st.form("mc_down", clear_on_submit=True):
        down_from, down_until = shop_widgets.period_inputs(today, time(11))
        reason = st.text_input("Reason", placeholder="breakdown, maintenance …")
        if st.form_submit_button("Add downtime to pending changes"):
            master_forms.add_downtime(engine, user, code, down_from, down_until, reason)
downs = catalog.downtimes(engine, user=user)
if downs:
    ui.table(pd.DataFrame(downs).drop(columns=["id"]), hide_index=True, width="stretch",
                 column_config={"start": st.column_config.DatetimeColumn(f"start ({zone})", format="YYYY-MM-DD HH:mm"),
                                "end": st.column_config.DatetimeColumn(f"end ({zone})", format="YYYY-MM-DD HH:mm")})
    if can_edit:
        master_forms.downtime_editor(engine, user, downs)
else:
    st.caption("No downtime recorded.")

st.subheader("Load vs capacity")
shop_charts.load_panel(engine, user, "mc_load")
