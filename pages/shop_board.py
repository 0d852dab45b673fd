"""Scheduling board: the planner's loop. Edits (move up / down, a new sequence, pins,
move to another work center, fix a start, finish) collect as a pending change set; each
re-plans at once with the current plan's strategy and options; the proposal shows what it
changes; Accept writes edits and plan together, Discard writes nothing, Undo takes back the
last accepted change. Gantt charts and exports below."""

import streamlit as st

from webapp import ui
from webapp.access import can_create
from webapp.shop import planning
from webapp.ui import change_set, shop_charts, shop_widgets
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
change_set.show_flash()

if can_edit:
    with st.container(border=True):
        st.subheader("Re-plan")
        options = shop_widgets.strategy_controls("board", current)
        change_set.start_controls(engine, user, "board")
        pending = change_set.pending()
        label = f"Re-plan with {len(pending)} pending change(s)" if pending else "Re-plan"
        if st.button(label, type="primary", key="board_replan") and change_set.propose(engine, user, pending, options):
            st.rerun()
        change_set.undo_panel(engine, user, "board")
    change_set.proposal_panel(engine, user, current)
    if st.session_state.get(CANDIDATE_KEY) is None:
        change_set.pending_panel(engine, user, "board_pending", on_board=True)

proposal = st.session_state.get(CANDIDATE_KEY)
shown = proposal.result if proposal is not None else current
if shown is None:
    st.info("No plan yet: press **Re-plan** to plan the shop.")
    st.stop()
problem = proposal.problem if proposal is not None else planning.build_problem(engine, user=user, start=shown.start)

st.subheader("Late orders")
if stored is not None:
    st.caption(f"Current plan #{stored.plan.id} ({ui.esc(stored.plan.strategy)}): "
               f"{stored.result.kpis.late_orders} late of {stored.result.kpis.orders} orders")
else:
    st.caption("Proposed plan (no plan accepted yet)")
ui.table(shop_widgets.orders_frame(current if current is not None else shown, late_only=True),
             hide_index=True, width="stretch", key="board_late")
shop_widgets.kpi_cards(shown)
shop_widgets.not_planned_notice(shown)

st.subheader("Work center queue" + (" (proposed plan)" if proposal is not None else ""))
codes = sorted(shown.by_work_center())
wc = st.selectbox("Work center", codes, key="board_wc")
queue = shop_widgets.queue_frame(shown, wc, problem.pins)
ui.table(shop_widgets.highlight_late(queue, "late order"), hide_index=True, width="stretch")
st.caption(f"Times on the plant clock ({ui.esc(shown.time_zone)}). 📌 = pinned by the planner to a neighbour; "
           "everything else stays free for the strategy.")
ids = list(queue["operation"])
if can_edit and ids:
    with st.container(border=True):
        op_id = st.selectbox("Operation", ids, key="board_op")
        planned = next(p for p in shown.operations if p.op_id == op_id)
        c = st.columns(4)
        if c[0].button("Move up", key="board_up", help="pin it before the operation ahead of it; nothing else"):
            change_set.add(engine, user, "move_up", queue=ids, op_id=op_id)
        if c[1].button("Move down", key="board_down", help="pin it after the operation behind it; nothing else"):
            change_set.add(engine, user, "move_down", queue=ids, op_id=op_id)
        if c[2].button("Release start" if planned.pinned else "Fix start", key="board_pin",
                       help="keep the operation at its planned start in every re-plan"):
            change_set.add(engine, user, "fix_start", op_id=op_id, start=None if planned.pinned else planned.start)
        if c[3].button("Mark finished", key="board_finish"):
            change_set.add(engine, user, "finish_operation", op_id=op_id, at=planning.planning_now(engine, user=user))
        shop_widgets.move_controls(engine, user, problem, op_id)
        shop_widgets.pin_controls(engine, user, problem, wc)
        with st.expander("Edit the sequence"):
            edited = ui.editor(queue[["position", "operation", "name"]], disabled=["operation", "name"],
                               key="board_seq_editor")
            st.caption("Give operations new positions: only the ones you move are pinned to their new neighbours.")
            if st.button("Apply sequence", key="board_apply_seq"):
                order = list(edited.sort_values("position", kind="stable")["operation"])
                change_set.add(engine, user, "resequence", queue=ids, new_queue=order)

st.subheader("Gantt" + (" (proposed plan)" if proposal is not None else ""))
shop_charts.board_gantt(shown, problem, "board_gantt", "board_wc", "board_op")

if current is not None:
    st.subheader("Export the current plan")
    shop_widgets.download_buttons(current, "board_export")
