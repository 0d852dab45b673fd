"""Compare strategies on one input: run, table with the best marked (the tie rule stated),
each strategy's difference to the best, side-by-side Gantts. Every comparison is saved (``runs.run_comparison``) and can be reopened."""

import pandas as pd
import streamlit as st

from webapp import ui
from webapp.access import can_create
from webapp.charts import filling as charts
from webapp.charts import filling_compare
from webapp.filling import history, ranking, runs
from webapp.filling.runs import STRATEGIES

engine = ui.get_engine()
user = ui.require_user()

st.title("Compare strategies")

if can_create(user):
    with st.expander("New comparison", expanded=True):
        source = st.radio(
            "Input",
            ["Demo data", "Upload a file", "Lots of an existing schedule"],
            horizontal=True,
            key="cmp_source",
        )
        lots = None
        file_name = None
        if source == "Demo data":
            lots = ui.sample_lots()
            file_name = ui.SAMPLE_LOTS.name
        elif source == "Upload a file":
            uploaded = st.file_uploader("Lots file (CSV or Excel)", type=["csv", "xlsx"], key="cmp_upload")
            if uploaded is not None:
                lots, error = ui.parse_upload(uploaded)
                if error is not None:
                    ui.show_input_error(error, f"{uploaded.name} has problems")
                file_name = uploaded.name
        else:
            page, _ = history.list_schedules(engine, user=user, with_results=False, limit=100)
            if not page.items:
                st.info("No stored schedules yet.")
            else:
                by_id = {s.id: s for s in page.items}
                sid = st.selectbox(
                    "Schedule",
                    list(by_id),
                    format_func=lambda i: f"#{i} · {by_id[i].name}",
                    key="cmp_from_schedule",
                )
                lots = history.schedule_lots(by_id[sid])
                file_name = by_id[sid].file_name
        if lots:
            st.caption(f"{len(lots)} lots · {len({lot.lot_type for lot in lots})} types")

        all_strategies = st.checkbox("All strategies", value=True, key="cmp_all")
        chosen = list(STRATEGIES)
        if not all_strategies:
            chosen = st.multiselect(
                "Strategies",
                list(STRATEGIES),
                default=["smart-pack", "lpt-pack"],
                key="cmp_strategies",
            )
        config = ui.config_editor(user, key="cmp_cfg", lot_types={lot.lot_type for lot in lots or ()})
        if lots and config is not None:
            with ui.guarded("These lots cannot be planned with this configuration", stop=True):
                for warning in runs.check_run(lots, config):
                    st.warning(warning)
        name = st.text_input("Comparison name", value="", key="cmp_name", placeholder="comparison <date>")
        ready = bool(lots) and bool(chosen) and config is not None
        ui.stopped_run_notice(ui.PAGE_COMPARE)  # a comparison cancelled here: what it saved
        if st.button("Run comparison", type="primary", key="cmp_run", disabled=not ready):
            with ui.guarded("The comparison was refused"):
                comparison_id = ui.run_comparison(engine, user, strategies=chosen, config=config, name=name,
                                                  lots=lots, file_name=file_name)
                st.session_state[ui.COMPARISON_KEY] = comparison_id
                st.success(f"Comparison #{comparison_id} saved.")

st.subheader("Saved comparisons")
saved = history.list_comparisons(engine, user=user, limit=100)
if not saved.items:
    st.info("No comparisons yet. Run one above.")
    st.stop()
by_cid = {c.id: c for c in saved.items}
ids = list(by_cid)
wanted = st.session_state.get(ui.COMPARISON_KEY)
cid = st.selectbox(
    "Open comparison",
    ids,
    index=ids.index(wanted) if wanted in ids else 0,
    format_func=lambda i: f"#{i} · {by_cid[i].name} ({len(by_cid[i].strategies)} strategies)",
    key=f"cmp_open_{wanted}",
)
loaded = history.get_comparison(engine, user=user, comparison_id=cid)
if loaded is None:
    st.error("This comparison no longer exists.")
    st.stop()
comparison, stored_runs = loaded

rows, best = ranking.comparison_rows(comparison, stored_runs)
frame = pd.DataFrame(rows)
if best:
    st.success(f"Best: {ui.esc(best)} — {ui.esc(ranking.best_reason(rows, best, ranking.objective_of(comparison)))}")
st.caption(f"★ = the best run for objective {ranking.objective_of(comparison)}: {ranking.tie_rule(comparison)}. "
           "\"Behind\" is its makespan minus the best makespan.")
ui.table(
    frame,
    hide_index=True,
    width="stretch",
    column_config={
        "makespan_h": st.column_config.NumberColumn("makespan (h)", format="%.1f"),
        "behind_h": st.column_config.NumberColumn("behind the best (h)", format="%+.1f"),
        "behind_pct": st.column_config.NumberColumn("behind the best (%)", format="%+.1f"),
        "late_lots": st.column_config.NumberColumn("late lots", format="%d"),
        "weighted_tardiness_h": st.column_config.NumberColumn("weighted tardiness (h)", format="%.1f"),
        "gap_pct": st.column_config.NumberColumn("gap to bound (%)", format="%.2f",
                                                 help="to the strongest lower bound any run of this comparison proved"),
        "utilisation_pct": st.column_config.NumberColumn("utilisation (%)", format="%.1f"),
        "runtime_s": st.column_config.NumberColumn("runtime (s)", format="%.2f"),
        "lower_bound_h": st.column_config.NumberColumn("lower bound (h)", format="%.1f", help=ui.BOUND_HELP),
    },
)
if best:
    st.markdown("**Difference to the best** (makespan − best makespan)")
    st.plotly_chart(filling_compare.difference_bars(rows, best=best), width="stretch", key="cmp_bars")

with_results = [s for s in comparison.strategies if stored_runs.get(s) and stored_runs[s].result is not None]
if len(with_results) >= 1:
    st.subheader("Side by side")
    st.caption(f"Times are plant time in {ui.esc(runs.plant_zone(engine, user=user))}.")
    g1, g2 = st.columns(2)
    left = g1.selectbox("Left", with_results, index=0, key=f"cmp_left_{cid}")
    right = g2.selectbox("Right", with_results, index=min(1, len(with_results) - 1), key=f"cmp_right_{cid}")
    g1.plotly_chart(charts.gantt(stored_runs[left].result, title=left), width="stretch", key="cmp_gantt_l")
    g2.plotly_chart(charts.gantt(stored_runs[right].result, title=right), width="stretch", key="cmp_gantt_r")
    if g1.button("Open left schedule", key="cmp_open_left"):
        ui.open_schedule(stored_runs[left].schedule.id)

if can_create(user):
    with st.expander("Delete this comparison"):
        also = st.checkbox("Also delete its schedules", key="cmp_del_also")
        if st.button("Delete comparison", key="cmp_delete"):
            with ui.guarded("The comparison was not deleted", stop=True):
                history.delete_comparison(engine, user=user, comparison_id=cid, delete_schedules_too=also)
            st.session_state.pop(ui.COMPARISON_KEY, None)
            st.rerun()
