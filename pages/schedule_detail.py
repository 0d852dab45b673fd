"""Schedule detail: header, KPI cards, Gantt, activity table, exports, re-run, delete."""

import pandas as pd
import streamlit as st

from webapp import exports, ui
from webapp.access import can_create
from webapp.charts import filling as charts
from webapp.filling import history, runs
from webapp.ui import master_forms

engine = ui.get_engine()
user = ui.require_user()
zone = runs.plant_zone(engine, user=user)

PAGE_SIZE = 50


def _wanted_id() -> int | None:
    raw = st.query_params.get("id")
    if raw is not None:
        return ui.id_from_text(raw)
    value = st.session_state.get(ui.DETAIL_KEY)
    return int(value) if value is not None else None


schedule_id = _wanted_id()
if schedule_id is None:
    st.title("Schedule detail")
    page, _ = history.list_schedules(engine, user=user, with_results=False, limit=50)
    if not page.items:
        st.info("No schedules yet. Create one on the New schedule page.")
        st.page_link(ui.PAGE_NEW, label="New schedule", icon=":material/add_circle:")
        st.stop()
    by_id = {s.id: s for s in page.items}
    chosen = st.selectbox(
        "Choose a schedule", list(by_id), format_func=lambda i: f"#{i} · {by_id[i].name}", key="detail_pick"
    )
    schedule_id = int(chosen)

ui.stopped_run_notice(ui.PAGE_DETAIL)  # a re-run cancelled here: what it stored
st.session_state[ui.DETAIL_KEY] = schedule_id
st.query_params["id"] = str(schedule_id)
stored = history.get_schedule(engine, user=user, schedule_id=schedule_id)
if stored is None:
    st.title("Schedule detail")
    st.error(f"Schedule #{schedule_id} does not exist or is not yours.")
    st.session_state.pop(ui.DETAIL_KEY, None)
    st.stop()

schedule, result = stored.schedule, stored.result
st.title(f"Schedule #{schedule.id}")
st.text(schedule.name)
st.caption(
    f"strategy **{ui.esc(schedule.strategy)}** · status **{ui.esc(history.shown_status(schedule.status, stored.result_row))}** · "
    f"created {ui.fmt_time(ui.plant_stamp(schedule.created_at, zone))} · finished "
    f"{ui.fmt_time(ui.plant_stamp(schedule.finished_at, zone))} ({ui.esc(zone)})"
    + (f" · file {ui.esc(schedule.file_name)}" if schedule.file_name else "")
)

if result is None:
    if schedule.status == "failed":
        st.error("This run failed:")
        st.text(schedule.error_message or "(no error text)")
    else:
        st.info(f"This schedule is {schedule.status}; no result yet.")
else:
    if history.shown_status(schedule.status, stored.result_row) != schedule.status:
        st.warning("This run was cancelled: the plan shown is the best found until then (not proven optimal).")
    st.caption(f"{ui.fmt_time(result.start)} → {ui.fmt_time(result.end)} plant time ({ui.esc(zone)}) · "
               f"solver: {ui.esc(result.solver_status)}")
    ui.kpi_cards(result)

    st.subheader("Gantt")
    view = st.segmented_control("View", list(charts.VIEWS), format_func=charts.VIEWS.get, default="line",
                                key="detail_gantt_view") or "line"
    st.plotly_chart(charts.gantt(result, view=view), width="stretch", key="detail_gantt")

    st.subheader("Activities")
    frame = pd.DataFrame(exports.schedule_activity_rows(result))
    has_due = result.kpis.max_lateness_h is not None
    if not has_due:  # no lot has a due date: nothing to show in these columns
        frame = frame.drop(columns=["due", "lateness_h"], errors="ignore")
    f1, f2, f3, f4 = st.columns([3, 3, 3, 2])
    kinds = f1.multiselect("Kind", ["CLEAN", "CHANGEOVER", "FILL"], key="detail_f_kind")
    type_col = "lot_type" if "lot_type" in frame.columns else None
    lot_types = sorted({a.lot_type for a in result.activities if a.lot_type})
    types = f2.multiselect("Lot type", lot_types, key="detail_f_type")
    blocks = f3.multiselect("Block", sorted({a.block for a in result.activities}), key="detail_f_block")
    mask = pd.Series(True, index=frame.index)
    if kinds and "kind" in frame.columns:
        mask &= frame["kind"].astype(str).isin(kinds)
    if types and type_col:
        mask &= frame[type_col].isin(types)
    if blocks and "block" in frame.columns:
        mask &= frame["block"].isin(blocks)
    late_only = f4.toggle(f"Late lots only ({result.kpis.late_lots})", key="detail_f_late", disabled=not has_due)
    if late_only and has_due:
        mask &= frame["lateness_h"].fillna(0) > 0
    shown = frame[mask]
    pages = max(1, -(-len(shown) // PAGE_SIZE))
    if st.session_state.get("detail_act_page", 1) > pages:  # the filters shrank the table
        st.session_state["detail_act_page"] = pages
    page_no = st.columns([1, 4])[0].number_input(
        "Activities page", min_value=1, max_value=pages, value=1, key="detail_act_page"
    )
    start = (int(page_no) - 1) * PAGE_SIZE
    ui.table(ui.mark_late(shown.iloc[start : start + PAGE_SIZE]), hide_index=True, width="stretch",
             column_config={"start": ui.time_column("start", zone), "end": ui.time_column("end", zone),
                            "due": ui.time_column("due", zone),
                            "lateness_h": st.column_config.NumberColumn(
                 "lateness (h)", format="%.1f", help="Hours the fill ends after the due date (negative: early)")})
    st.caption(f"{len(shown)} of {len(frame)} activities")

    st.subheader("Downloads")
    title = f"Schedule #{schedule.id} · {schedule.name}"
    base_name = f"schedule_{schedule.id}"
    d1, d2, d3 = st.columns(3)
    d1.download_button("CSV", exports.schedule_csv(result, time_zone=zone), file_name=f"{base_name}.csv", mime="text/csv",
                       key="dl_csv")
    d2.download_button(
        "Excel",
        exports.schedule_excel(result, title=title, time_zone=zone),
        file_name=f"{base_name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dl_xlsx",
    )
    d3.download_button("PDF", exports.schedule_pdf(result, title=title, time_zone=zone), file_name=f"{base_name}.pdf",
                       mime="application/pdf", key="dl_pdf")

if not can_create(user):
    st.stop()

if result is not None:
    st.page_link(ui.PAGE_FILL_WHATIF, label="What-if: change lots or settings, re-plan and compare",
                 icon=":material/science:", query_params={"id": str(schedule.id)})

with st.expander("Re-run with another strategy or config (creates a new schedule)"):
    rerun_strategy = ui.strategy_select(key="detail_rerun_strategy", default=schedule.strategy)
    rerun_cfg = ui.config_editor(user, key="detail_rerun_cfg", initial=schedule.config,
                                  lot_types={lot.lot_type for lot in history.schedule_lots(schedule)})
    ui.follow_default("detail_rerun_name", f"{schedule.name} · {rerun_strategy}"[:255])
    rerun_name = st.text_input("New name", key="detail_rerun_name")
    if st.button("Re-run", key="detail_rerun", disabled=rerun_cfg is None):
        with ui.guarded("The configuration has problems", stop=True):
            cfg = runs.run_config({**rerun_cfg, "strategy": rerun_strategy}, time_zone=zone)
        with ui.guarded("The re-run was refused", stop=True):
            new_id = ui.run_schedule(
                engine, user, config=cfg, name=rerun_name, lots=history.schedule_lots(schedule),
                file_name=schedule.file_name, origin=ui.PAGE_DETAIL,
            )
        ui.open_schedule(new_id)


def _leave_for_history() -> None:
    st.session_state.pop(ui.DETAIL_KEY, None)
    st.query_params.clear()
    st.switch_page(ui.PAGE_HISTORY)


master_forms.confirm_delete(  # the same dialog as History's bulk delete
    "detail_delete",
    "Delete this schedule…",
    lambda: history.deletion_impact(engine, user=user, schedule_ids=[schedule.id]),
    lambda: history.delete_schedules(engine, user=user, schedule_ids=[schedule.id]),
    f"Deleted schedule #{schedule.id}.",
    after=_leave_for_history,
)
