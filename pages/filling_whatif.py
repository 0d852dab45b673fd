"""Filling what-if: from a stored schedule, change lots (edit, add, remove, a due date) or
the plan settings, re-plan, and see both plans side by side (KPI deltas, the lots that moved,
both Gantts on one time axis); keep the variant as a new schedule or discard it. The
original is never changed."""

import pandas as pd
import streamlit as st

from webapp import ui
from webapp.access import can_create
from webapp.charts import filling as charts
from webapp.charts import filling_compare
from webapp.filling import history, runs, whatif

engine = ui.get_engine()
user = ui.require_user()
PROPOSAL_KEY = "fill_whatif_proposal"

st.title("Filling what-if")
st.caption(f"Times are plant time in **{ui.esc(runs.plant_zone(engine, user=user))}**.")
raw = st.query_params.get("id")
schedule_id = ui.id_from_text(raw) if raw is not None else st.session_state.get(ui.DETAIL_KEY)
if schedule_id is None:
    page, _ = history.list_schedules(engine, user=user, with_results=False, status="completed", limit=100)
    if not page.items:
        st.info("No completed schedules yet. Create one on the New schedule page.")
        st.stop()
    by_id = {s.id: s for s in page.items}
    schedule_id = st.selectbox("Start from schedule", list(by_id), format_func=lambda i: f"#{i} · {by_id[i].name}",
                               key="fwi_pick")
st.query_params["id"] = str(schedule_id)
with ui.guarded("The what-if cannot start", stop=True):
    schedule, before = whatif.original(engine, user=user, schedule_id=int(schedule_id))
st.caption(f"From schedule **#{schedule.id} · {ui.esc(schedule.name)}** ({ui.esc(schedule.strategy)}, "
           f"makespan {ui.fmt_hours(before.kpis.makespan_h)}, start {ui.fmt_time(before.start)}). "
           "Nothing is stored until you keep the variant; the original stays as it is.")
if not can_create(user):
    st.info("Viewers can look at schedules but not plan what-ifs.")
    st.stop()

st.subheader("Lots")
st.caption("Edit vials, type, priority (1 high … 3 low), due or release; add lots in the last row, remove one by "
           "selecting its row and pressing Delete. Row 1 is the first lot.")
frame = pd.DataFrame(whatif.lots_rows(before.lots), columns=list(whatif.COLUMNS))
for column in ("Due", "Release"):
    frame[column] = pd.to_datetime(frame[column])
edited = ui.editor(frame, num_rows="dynamic", key=f"fwi_lots_{schedule.id}", column_config={
    "Vials": st.column_config.NumberColumn("Vials", min_value=1, step=1, format="localized"),
    "Priority": st.column_config.NumberColumn("Priority", min_value=1, max_value=3, step=1, format="%d"),
    "Due": st.column_config.DatetimeColumn("Due", format="YYYY-MM-DD HH:mm", step=60),
    "Release": st.column_config.DatetimeColumn("Release", format="YYYY-MM-DD HH:mm", step=60),
})

st.subheader("Plan settings")
c1, c2 = st.columns(2)
with c1:
    strategy = ui.strategy_select(key=f"fwi_strategy_{schedule.id}", default=schedule.strategy)
objectives = list(whatif.OBJECTIVES)
objective = c2.radio("Objective", objectives, format_func=whatif.OBJECTIVES.get, key=f"fwi_objective_{schedule.id}",
                     index=objectives.index(before.config.objective))
config = ui.config_editor(user, key=f"fwi_cfg_{schedule.id}", allow_upload=False, initial=schedule.config,
                          lot_types={str(t) for t in edited["Type"].dropna()})

if st.button("Re-plan", type="primary", key="fwi_run", disabled=config is None):
    st.session_state.pop(PROPOSAL_KEY, None)
    with ui.guarded("The lots have problems; nothing was planned", stop=True):
        lots = whatif.lots_from_rows(edited.to_dict("records"))
    settings = {**config, "strategy": strategy, "objective": objective}

    def work(progress: ui.ProgressHolder):
        proposal = whatif.propose(engine, user=user, schedule_id=schedule.id, lots=lots, config=settings,
                                  progress=ui.stepped(progress, strategy), on_wait=progress.queued,
                                  cancel=progress.cancel)
        progress(1.0, "done")
        return proposal

    def keep_stopped(proposal) -> tuple[str, None]:  # a cancelled re-plan: its best plan is the what-if
        st.session_state[PROPOSAL_KEY] = proposal
        return "Its best plan is shown below (nothing was stored).", None

    with ui.guarded("The what-if was refused; nothing was planned", stop=True):
        st.session_state[PROPOSAL_KEY] = ui.run_with_progress(
            work, label=f"Re-planning with {strategy}", time_limit_s=settings.get("time_limit_s"),
            explain=keep_stopped, origin=ui.PAGE_FILL_WHATIF, cancellable=True)

ui.stopped_run_notice(ui.PAGE_FILL_WHATIF)  # a re-plan cancelled here: its best plan becomes the what-if

proposal = st.session_state.get(PROPOSAL_KEY)
if proposal is None or proposal.schedule.id != schedule.id:
    st.stop()

st.divider()
st.subheader("Before and after")
for warning in proposal.warnings:
    st.warning(warning)
st.caption(f"Variant: {ui.esc(proposal.after.strategy)}, objective {ui.esc(proposal.after.config.objective)} · "
           f"solver: {ui.esc(proposal.after.solver_status)} · green = better, red = worse")
cards = [*st.columns(4), *st.columns(4)]
for card, d in zip(cards, proposal.deltas, strict=False):
    value = "–" if d.after is None else f"{d.after:,.1f} {d.unit}".strip() if d.unit else f"{d.after:,.0f}"
    change = None if d.change is None else (f"{d.change:+,.1f} {d.unit}".strip() if d.unit else f"{d.change:+,.0f}")
    same = d.verdict == "same"
    colour = "off" if same else "inverse" if d.lower_is_better else "normal"
    card.metric(d.label, value, delta="no change" if same and change else change, delta_color=colour,
                delta_arrow="off" if same else "auto", border=True,
                help=f"before: {'–' if d.before is None else f'{d.before:,.1f}'} {d.unit} · {d.verdict}")

moved = [c for c in proposal.changes if c.status != "unchanged"]
st.markdown(f"**Lots** — {len(moved)} of {len(proposal.changes)} changed, biggest change first")
lot_frame = pd.DataFrame(whatif.lot_table(proposal))
only_changed = st.toggle("Only lots that changed", value=True, key="fwi_only_changed")
ui.table(lot_frame[lot_frame["change"] != "unchanged"] if only_changed else lot_frame, key="fwi_lot_table")

view = st.segmented_control("View", list(charts.VIEWS), format_func=charts.VIEWS.get, default="line",
                            key="fwi_gantt_view") or "line"
st.plotly_chart(filling_compare.whatif_gantt(proposal.before, proposal.after, view=view,
                                             titles=(f"Before: #{schedule.id} {schedule.name}", "What-if")),
                width="stretch", key="fwi_gantt")

k1, k2, k3 = st.columns([3, 1, 1], vertical_alignment="bottom")
ui.follow_default("fwi_name", proposal.default_name)  # another schedule's what-if: its own name
name = k1.text_input("Name of the kept variant", key="fwi_name", max_chars=255)
if k2.button("Keep as new schedule", type="primary", key="fwi_keep"):
    with ui.guarded("The variant was not stored", stop=True):
        new_id = whatif.keep(engine, user=user, proposal=proposal, name=name)
    st.session_state.pop(PROPOSAL_KEY, None)
    ui.open_schedule(new_id)
if k3.button("Discard", key="fwi_discard"):
    st.session_state.pop(PROPOSAL_KEY, None)
    st.rerun()
