"""New schedule: upload lots → preview (every row error) → strategy → config → name → run."""

import streamlit as st

from webapp import ui
from webapp.access import can_create
from webapp.filling import runs

engine = ui.get_engine()
user = ui.require_user()
zone = runs.plant_zone(engine, user=user)

st.title("New schedule")
if not can_create(user):
    st.warning("Viewers can look at schedules but not create them.")
    st.stop()

st.subheader("1 · Lots")
uploaded = st.file_uploader(
    "Lots file (CSV or Excel): columns Lot ID, Type, Vials; optional Due (date/time), Priority (1 high … 3 low) "
    "and Release (earliest fill start)",
    type=["csv", "xlsx"],
    key="new_upload",
)
lots = None
file_name = None
if uploaded is not None:
    lots, error = ui.parse_upload(uploaded)
    if error is not None:
        ui.show_input_error(error, f"{uploaded.name} has problems")
        st.stop()
    file_name = uploaded.name
    st.session_state.pop(ui.LOTS_KEY, None)
elif st.session_state.get(ui.LOTS_KEY):
    preset = st.session_state[ui.LOTS_KEY]
    lots, file_name = preset["lots"], preset.get("file_name")
    st.info(f"Using preloaded lots: {ui.esc(file_name or 'demo data')}")
    if st.button("Clear the preloaded lots", key="new_clear_preset"):
        st.session_state.pop(ui.LOTS_KEY, None)
        st.rerun()
else:
    st.info("Upload a lots file, or use the demo data.")
    if st.button("Use the demo data", key="new_demo"):
        ui.load_demo_lots()
        st.rerun()
    st.stop()

types = sorted({lot.lot_type for lot in lots})
dated = sum(lot.due is not None for lot in lots)
released = sum(lot.release is not None for lot in lots)
st.caption(f"{ui.counted(len(lots), 'lot')} · {ui.counted(len(types), 'type')} · "
           f"{ui.counted(sum(lot.vials for lot in lots), 'vial')}"
           + (f" · {dated} with a due date" if dated else "") + (f" · {released} with a release" if released else ""))
ui.table(ui.lots_frame(lots), hide_index=True, width="stretch", height=260,
         column_config={"due": ui.time_column("due", zone), "release": ui.time_column("release", zone)})

st.subheader("2 · Strategy")
strategy = ui.strategy_select(key="new_strategy")

st.subheader("3 · Configuration")
config = ui.config_editor(user, key="new_cfg", lot_types=types)
st.caption(f"Times are plant time in **{ui.esc(zone)}**: a fixed start is read there, and without one "
           "the plan starts at the next full hour on the plant clock.")

if config is not None:
    with ui.guarded("These lots cannot be planned with this configuration", stop=True):
        for warning in runs.check_run(lots, {**config, "strategy": strategy}):
            st.warning(warning)

st.subheader("4 · Name and run")
ui.stopped_run_notice(ui.PAGE_NEW)  # a run cancelled here: what it stored
ui.follow_default("new_name", f"{file_name or 'schedule'} · {strategy}"[:255])  # until the user types a name
name = st.text_input("Schedule name", max_chars=255, key="new_name")
run = st.button("Run", type="primary", key="new_run", disabled=config is None)
if not run or config is None:
    st.stop()

with ui.guarded("The configuration has problems", stop=True):
    cfg = runs.run_config({**config, "strategy": strategy}, time_zone=zone)
with ui.guarded("The run was refused", stop=True):
    new_id = ui.run_schedule(engine, user, config=cfg, name=name, lots=lots, file_name=file_name,
                             origin=ui.PAGE_NEW)
st.success(f"Schedule #{new_id} stored.")
ui.open_schedule(new_id)
