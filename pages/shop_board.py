"""Scheduling board: queues per work center, reorder / move / pin / finish, re-plan with
progress, the difference to the current plan before accepting, Gantt charts, exports."""

import pandas as pd
import streamlit as st

from webapp import ui
from webapp.access import can_create
from webapp.charts import shop as shop_charts
from webapp.shop import edits, planning
from webapp.ui import shop_widgets
from webapp.ui.session import CANDIDATE_KEY

engine = ui.get_engine()
user = ui.require_user()
can_edit = can_create(user)

st.title("Scheduling board")
summary = planning.summary(engine, user=user)
if summary.work_orders == 0:
    st.info("The shop has no work orders yet. Load the demo shop or import a workbook on the Work orders page.")
    shop_widgets.demo_panel(engine, user, "board_demo")
    st.stop()

stored = planning.current_plan(engine, user=user)
current = stored.result if stored else None

with st.container(border=True):
    st.subheader("Re-plan")
    params = shop_widgets.strategy_controls("board")
    if can_edit and st.button("Re-plan", type="primary", key="board_replan"):
        result = shop_widgets.run_plan_with_progress(engine, user, params)
        if result is not None:
            st.session_state[CANDIDATE_KEY] = result


def replan_after_action(message: str) -> None:
    """After a planner action: re-plan with the chosen strategy, propose the result."""
    result = shop_widgets.run_plan_with_progress(engine, user, params)
    if result is not None:
        st.session_state[CANDIDATE_KEY] = result
        st.session_state["board_flash"] = message
        st.rerun()


candidate = st.session_state.get(CANDIDATE_KEY)
if flash := st.session_state.pop("board_flash", None):
    st.success(ui.esc(flash))

if candidate is not None:
    with st.container(border=True):
        st.subheader("Proposed plan (not accepted yet)")
        diff = planning.diff_plans(current, candidate)
        c = st.columns(4)
        c[0].metric("Weighted tardiness", shop_widgets.hours(diff.objective_after),
                    delta=None if diff.objective_change is None else f"{diff.objective_change:+,.1f} h",
                    delta_color="inverse", border=True)
        c[1].metric("Late orders", diff.late_after,
                    delta=None if diff.late_before is None else diff.late_after - diff.late_before,
                    delta_color="inverse", border=True)
        c[2].metric("Operations moved", len(diff.moved), border=True)
        c[3].metric("Strategy", candidate.strategy, border=True)
        st.caption(f"Orders that became late: {len(diff.became_late)} · became on time: "
                   f"{len(diff.became_on_time)} · runtime {candidate.runtime_s:.1f} s · {ui.esc(candidate.status)}")
        if diff.became_late or diff.became_on_time:
            st.dataframe(pd.DataFrame(
                [{"work order": r, "change": "became late"} for r in diff.became_late]
                + [{"work order": r, "change": "became on time"} for r in diff.became_on_time]),
                hide_index=True, width="stretch")
        if diff.moved:
            with st.expander(f"Operations moved ({len(diff.moved)})"):
                st.dataframe(pd.DataFrame(diff.moved), hide_index=True, width="stretch")
        for w in candidate.warnings[:10]:
            st.text(w)
        b = st.columns(2)
        if can_edit and b[0].button("Accept plan", type="primary", key="board_accept"):
            with ui.guarded("The plan was not accepted", stop=True):
                plan_id = planning.accept_plan(engine, user=user, result=candidate)
            st.session_state.pop(CANDIDATE_KEY, None)
            st.session_state["board_flash"] = f"Plan #{plan_id} accepted."
            st.rerun()
        if b[1].button("Discard", key="board_discard"):
            st.session_state.pop(CANDIDATE_KEY, None)
            st.rerun()

shown = candidate if candidate is not None else current
if shown is None:
    st.info("No plan yet: press **Re-plan** to plan the shop.")
    st.stop()

st.subheader("Late orders")
if stored is not None:
    st.caption(f"Current plan #{stored.plan.id} ({ui.esc(stored.plan.strategy)}): "
               f"{stored.result.kpis.late_orders} late of {stored.result.kpis.orders} orders")
else:
    st.caption("Proposed plan (no plan accepted yet)")
late_src = current if current is not None else shown
st.dataframe(shop_widgets.orders_frame(late_src, late_only=True), hide_index=True, width="stretch", key="board_late")
shop_widgets.kpi_cards(shown)

st.subheader("Work center queue")
codes = sorted(shown.by_work_center())
wc = st.selectbox("Work center", codes, key="board_wc")
queue = shop_widgets.queue_frame(shown, wc)
st.dataframe(shop_widgets.highlight_late(queue, "late order"), hide_index=True, width="stretch")
ids = list(queue["operation"])
if can_edit and ids:
    with st.container(border=True):
        op_id = st.selectbox("Operation", ids, key="board_op")
        c = st.columns(5)
        with ui.guarded("The change was not made"):
            if c[0].button("Move up", key="board_up"):
                edits.reorder(engine, user=user, work_center=wc, op_ids=edits.move_in_queue(ids, op_id, -1))
                replan_after_action(f"{op_id} moved up on {wc}.")
            if c[1].button("Move down", key="board_down"):
                edits.reorder(engine, user=user, work_center=wc, op_ids=edits.move_in_queue(ids, op_id, 1))
                replan_after_action(f"{op_id} moved down on {wc}.")
            planned = next(p for p in shown.operations if p.op_id == op_id)
            if c[2].button("Pin" if not planned.pinned else "Unpin", key="board_pin"):
                edits.pin_operation(engine, user=user, op_id=op_id, start=None if planned.pinned else planned.start)
                replan_after_action(f"{op_id} {'unpinned' if planned.pinned else 'pinned'}.")
            if c[3].button("Mark finished", key="board_finish"):
                edits.finish_operation(engine, user=user, op_id=op_id)
                replan_after_action(f"{op_id} finished.")
            others = [x for x in codes if x != wc] or codes
            target = c[4].selectbox("Move to", others, key="board_target", label_visibility="collapsed")
            if st.button("Move operation", key="board_move", help="to the work center chosen above"):
                edits.move_operation(engine, user=user, op_id=op_id, work_center=target)
                replan_after_action(f"{op_id} moved to {target}.")
        with st.expander("Edit the sequence"):
            edited = st.data_editor(queue[["position", "operation", "name"]], hide_index=True,
                                    disabled=["operation", "name"], key="board_seq_editor")
            e = st.columns(2)
            with ui.guarded("The sequence was not changed"):
                if e[0].button("Apply sequence", key="board_apply_seq"):
                    order = list(edited.sort_values("position", kind="stable")["operation"])
                    edits.reorder(engine, user=user, work_center=wc, op_ids=order)
                    replan_after_action(f"New sequence on {wc} applied.")
                if e[1].button("Clear manual sequence", key="board_clear_seq",
                               help="let re-planning choose the order on this work center again"):
                    edits.reorder(engine, user=user, work_center=wc, op_ids=[])
                    replan_after_action(f"Manual sequence on {wc} cleared.")

st.subheader("Gantt")
problem = planning.build_problem(engine, user=user, start=shown.start)
t1, t2 = st.tabs(["By work center", "By order"])
with t1:
    st.plotly_chart(shop_charts.gantt_by_work_center(shown, problem), width="stretch", key="board_gantt_wc")
with t2:
    rns = [o.rn for o in sorted(shown.orders, key=lambda o: (o.due is None, o.due))][:40]
    st.caption("The 40 orders due first; the due moment is the vertical marker.")
    st.plotly_chart(shop_charts.gantt_by_order(shown, rns), width="stretch", key="board_gantt_order")

if current is not None:
    st.subheader("Export the current plan")
    shop_widgets.download_buttons(current, "board_export")
