"""Scheduling board (AppTest): demo in one click, re-plan with progress, diff, accept,
reorder, Gantt charts, exports; dashboard tiles; isolation between organisations."""

from __future__ import annotations

from datetime import datetime

from tests.pages.conftest import assert_ok, make_user, open_page
from webapp.shop import imports as shop_imports
from webapp.shop import planning as shop_planning
from webapp.ui import session

START = datetime(2026, 1, 5, 7)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_empty_board_loads_demo(engine, user):
    at = open_page(user, session.PAGE_BOARD)
    assert_ok(at)
    assert at.title[0].value == "Scheduling board"
    at.number_input(key="board_demo_orders").set_value(10)
    at.number_input(key="board_demo_wcs").set_value(3)
    at.button(key="board_demo_load").click().run()
    assert_ok(at)
    assert shop_planning.summary(engine, user=user).work_orders == 10
    assert any("No plan yet" in i.value for i in at.info)


def test_replan_diff_accept_and_reorder(engine, user):
    shop_imports.load_demo(engine, user=user, orders=10, work_centers=3, start=START)
    at = open_page(user, session.PAGE_BOARD)
    at.date_input(key="board_day").set_value(START.date())
    at.number_input(key="board_limit").set_value(1.0)
    at.button(key="board_replan").click().run()
    assert_ok(at)
    assert any(s.value == "Proposed plan (not accepted yet)" for s in at.subheader)
    assert {m.label for m in at.metric} >= {"Weighted tardiness", "Late orders", "Operations moved"}
    at.button(key="board_accept").click().run()
    assert_ok(at)
    first = shop_planning.current_plan(engine, user=user)
    assert first is not None
    assert any(f"Current plan #{first.plan.id}" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 2
    # reorder: move the last operation of the queue up, re-planned at once
    ids = list(at.selectbox(key="board_op").options)
    at.selectbox(key="board_op").set_value(ids[-1])
    at.button(key="board_up").click().run()
    assert_ok(at)
    assert any("moved up" in s.value for s in at.success)
    assert any(s.value == "Proposed plan (not accepted yet)" for s in at.subheader)
    at.button(key="board_accept").click().run()
    assert_ok(at)
    second = shop_planning.current_plan(engine, user=user)
    assert second.plan.id != first.plan.id
    assert any(f"Current plan #{second.plan.id}" in c.value for c in at.caption)
    assert {b.label for b in at.get("download_button")} >= {"Excel", "PDF"}
    # the other planner actions each re-plan at once
    op = at.selectbox(key="board_op").value
    for key, text in (("board_pin", "pinned"), ("board_clear_seq", "cleared"), ("board_move", "moved to"),
                      ("board_finish", "finished")):
        at.button(key=key).click().run()
        assert_ok(at)
        assert any(text in s.value for s in at.success), key
    problem = shop_planning.build_problem(engine, user=user)
    assert op not in {o.op_id for o in problem.open_operations()} or any(
        o.pinned_start for o in problem.operations)


def test_dashboard_tiles_and_isolation(engine, user):
    at = open_page(user)
    assert_ok(at)
    assert any("Shop: no work orders yet" in c.value for c in at.caption)
    shop_imports.load_demo(engine, user=user, orders=8, work_centers=3, start=START)
    shop_planning.accept_plan(engine, user=user, result=shop_planning.run_plan(engine, user=user, start=START))
    at = open_page(user)
    assert_ok(at)
    assert {m.label for m in at.metric} >= {"Late orders", "Load this week", "Open work orders"}
    other = make_user(engine, "bert")
    at = open_page(other, session.PAGE_BOARD)
    assert_ok(at)
    assert any("no work orders yet" in i.value for i in at.info)
