"""Scheduling board (AppTest): demo in one click, re-plan with progress, diff, accept;
move up -> discard writes nothing, move up -> accept writes one pin, undo; edits propose at
once with the current plan's options; moving across categories asks first; Gantt charts,
exports; dashboard tiles; isolation between organisations."""

from __future__ import annotations

from datetime import datetime

from scheduler_core.errors import InputError
from tests.pages.conftest import assert_ok, click, make_user, open_page, shows
from webapp.shop import edits as shop_edits
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


def _pins(engine) -> int:
    import sqlalchemy as sa

    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM shop_pins")).scalar_one()


def _movable(engine, user, ids: list[str]) -> str:
    """The last operation of a queue that can move up (not behind its own order's earlier
    step, not planned here as an alternative, not behind running work)."""
    for op_id in reversed(ids[1:]):
        try:
            shop_edits.check(engine, user=user, changes=[shop_edits.change("move_up", queue=ids, op_id=op_id)])
        except InputError:
            continue
        return op_id
    raise AssertionError("no operation of the queue can move up")


def test_replan_diff_accept_move_up_discard_accept_undo(engine, user):
    shop_imports.load_demo(engine, user=user, orders=10, work_centers=3, start=START)
    at = open_page(user, session.PAGE_BOARD)
    at.radio(key="board_start_mode").set_value("at").run()
    at.date_input(key="board_start_day").set_value(START.date())
    at.time_input(key="board_start_time").set_value(START.time())
    at.selectbox(key="board_strategy").set_value("optimise")
    at.number_input(key="board_limit").set_value(1.0)
    at.button(key="board_replan").click().run()
    assert_ok(at)
    assert any(s.value == "Proposed plan (not accepted yet)" for s in at.subheader)
    assert {m.label for m in at.metric} >= {"Weighted tardiness", "Late orders", "Operations moved"}
    at.button(key="board_accept").click().run()
    assert_ok(at)
    first = shop_planning.current_plan(engine, user=user)
    assert first is not None and first.plan.strategy == "optimise"
    assert any(f"Current plan #{first.plan.id}" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 2
    # a new session's strategy widget starts at the current plan's options
    at = open_page(user, session.PAGE_BOARD)
    assert at.selectbox(key="board_strategy").value == "optimise" and at.number_input(key="board_limit").value == 1.0
    at.radio(key="board_start_mode").set_value("at").run()
    at.date_input(key="board_start_day").set_value(START.date())
    at.time_input(key="board_start_time").set_value(START.time()).run()
    before = shop_planning.build_problem(engine, user=user, start=START)

    # move up -> proposal (current plan's strategy) -> discard: nothing written
    ids = list(at.selectbox(key="board_op").options)
    at.selectbox(key="board_op").set_value(_movable(engine, user, ids))
    at.button(key="board_up").click().run()
    assert_ok(at)
    assert any("moved up" in s.value for s in at.success)
    assert any("with optimise" in c.value for c in at.caption)
    at.button(key="board_discard").click().run()
    assert_ok(at)
    assert shop_planning.build_problem(engine, user=user, start=START) == before and _pins(engine) == 0
    assert shop_planning.current_plan(engine, user=user).plan.id == first.plan.id

    # move up -> accept: one pin, shown in the queue
    ids = list(at.selectbox(key="board_op").options)
    at.selectbox(key="board_op").set_value(_movable(engine, user, ids))
    at.button(key="board_up").click().run()
    at.button(key="board_accept").click().run()
    assert_ok(at)
    second = shop_planning.current_plan(engine, user=user)
    assert second.plan.id != first.plan.id and _pins(engine) == 1
    queue = next(d.value for d in at.dataframe if "pin" in d.value.columns)
    assert any("📌" in str(v) for v in queue["pin"])
    assert {b.label for b in at.get("download_button")} >= {"Excel", "PDF"}
    # undo: the pin and the previous plan come back
    at.button(key="board_undo").click().run()
    assert_ok(at)
    assert _pins(engine) == 0 and shop_planning.current_plan(engine, user=user).plan.id == first.plan.id
    assert any("Undone" in s.value for s in at.success)

    # the other edits each propose at once; accept them all
    op = at.selectbox(key="board_op").value
    for key, text in (("board_pin", "fixed to start"), ("board_finish", "finished")):
        at.button(key=key).click().run()
        assert_ok(at)
        assert any(text in s.value for s in at.success), key
    at.button(key="board_accept").click().run()
    assert_ok(at)
    problem = shop_planning.build_problem(engine, user=user)
    assert op not in {o.op_id for o in problem.open_operations()}


def test_move_to_another_category_asks_first(engine, user):
    shop_imports.load_demo(engine, user=user, orders=10, work_centers=3, start=START)
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    at = open_page(user, session.PAGE_BOARD)
    problem = shop_planning.build_problem(engine, user=user)
    op = problem.operation(at.selectbox(key="board_op").value)
    own = problem.wc(op.work_center).category
    targets = [t.removesuffix(" (other category)") for t in at.selectbox(key="board_target").options]
    assert [problem.wc(t).category == own for t in targets] == sorted(
        (problem.wc(t).category == own for t in targets), reverse=True)  # same category first
    other = next(t for t in targets if problem.wc(t).category != own)
    at.selectbox(key="board_target").set_value(other).run()
    assert_ok(at)
    assert any("confirm" in w.value or own in w.value for w in at.warning)
    assert at.button(key="board_move").disabled
    at.checkbox(key="board_move_confirm").check().run()
    at.button(key="board_move").click().run()
    assert_ok(at)
    assert any("moved to" in s.value and "another category" in s.value for s in at.success)


def test_dashboard_tiles_and_isolation(engine, user):
    at = open_page(user, session.PAGE_SHOP_DASHBOARD)
    assert_ok(at)
    assert at.button(key="shop_dash_demo_load")  # an empty shop offers the demo
    shop_imports.load_demo(engine, user=user, orders=8, work_centers=3, start=START)
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    at = open_page(user)
    assert_ok(at)
    assert {m.label for m in at.metric} >= {"Late orders", "Load this week", "Open work orders"}
    other = make_user(engine, "bert")
    at = open_page(other, session.PAGE_BOARD)
    assert_ok(at)
    assert any("no work orders yet" in i.value for i in at.info)


def test_stale_pending_changes_are_named_and_discarded_on_the_board(engine, user):
    from datetime import timedelta

    shop_imports.load_demo(engine, user=user, orders=10, work_centers=3, start=START)
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    code = shop_planning.build_problem(engine, user=user).work_centers[0].code
    gone = shop_edits.change("remove_downtime", work_center=code, start=START, end=START + timedelta(hours=1))
    at = open_page(user, session.PAGE_BOARD, shop_changes=[gone])
    assert_ok(at)
    assert shows(at.markdown, "Pending changes (1)")
    assert shows(click(at, "board_up").error, "pending changes no longer apply")
    assert not shows(click(at, "board_pending_discard").markdown, "Pending changes")


def test_gantt_window_presets_and_order_picker(engine, user):
    import json
    from datetime import timedelta

    shop_imports.load_demo(engine, user=user, orders=40, work_centers=3, start=START)
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    at = open_page(user, session.PAGE_BOARD)
    assert_ok(at)
    assert at.radio(key="board_gantt_preset").value == "week"
    assert at.slider(key="board_gantt_range_week").value == (START, START + timedelta(days=7))

    def x_range():
        spec = json.loads(at.get("plotly_chart")[0].proto.spec)
        return spec["layout"]["xaxis"]["range"]

    assert x_range() == [START.isoformat(), (START + timedelta(days=7)).isoformat()]
    at.radio(key="board_gantt_preset").set_value("day").run()
    assert_ok(at)
    assert x_range() == [START.isoformat(), (START + timedelta(days=1)).isoformat()]
    at.slider(key="board_gantt_range_day").set_value((START + timedelta(days=1), START + timedelta(days=3))).run()
    assert_ok(at)
    assert x_range() == [(START + timedelta(days=1)).isoformat(), (START + timedelta(days=3)).isoformat()]
    at.radio(key="board_gantt_preset").set_value("all").run()
    assert_ok(at)
    end = max(p.end for p in shop_planning.current_plan(engine, user=user).result.operations)
    assert x_range()[1] >= end.isoformat()[:13]

    picker = at.multiselect(key="board_gantt_orders")
    assert len(picker.options) == 40 and len(picker.value) == 15  # any order can be picked
    last = sorted(picker.options)[-1]
    picker.set_value([last]).run()
    assert_ok(at)
    spec = json.loads(at.get("plotly_chart")[1].proto.spec)
    rows = {y for t in spec["data"] if t["type"] == "bar" for y in t["y"]}
    assert rows == {last}
    picker.set_value([]).run()
    assert any("Choose work orders" in i.value for i in at.info)


def test_an_order_without_routing_is_named_as_not_planned_on_the_board(engine, user):
    from webapp.shop import catalog as shop_catalog

    shop_imports.load_demo(engine, user=user, orders=6, work_centers=2, start=START)
    shop_catalog.save_work_order(engine, user=user, rn="NO-ROUTING-1", quantity=3)
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    at = open_page(user, session.PAGE_BOARD)
    assert_ok(at)
    assert shows(at.warning, "1 open work order is not planned")
    assert shows(at.warning, "1 without a routing: give them operations") and not shows(at.warning, "inactive")
    listed = next(d.value for d in at.dataframe if "not planned" in d.value.columns)
    assert listed.to_dict("records") == [{"work order": "NO-ROUTING-1", "not planned": "no routing"}]


def test_orders_on_an_inactive_work_center_are_not_planned_the_rest_is(engine, user):
    from webapp.shop import catalog as shop_catalog
    from webapp.shop import planning as shop_planning
    from webapp.shop import work_centers as shop_work_centers

    shop_imports.load_demo(engine, user=user, orders=6, work_centers=2, start=START)
    shop_catalog.save_work_order(engine, user=user, rn="NO-ROUTING-1", quantity=3)
    problem = shop_planning.build_problem(engine, user=user)
    code = problem.open_operations()[0].work_center
    blocked = sorted({op.rn for op in problem.open_operations() if op.work_center == code})
    wc = next(w for w in shop_catalog.list_work_centers(engine, user=user) if w.code == code)
    shop_work_centers.save_work_center(engine, user=user, work_center_id=wc.id, is_active=False)
    shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    at = open_page(user, session.PAGE_BOARD)
    assert_ok(at)
    assert shows(at.warning, f"{len(blocked) + 1} open work orders are not planned")
    assert shows(at.warning, "1 without a routing")
    assert shows(at.warning, f"{len(blocked)} with open operations on an inactive work center: move those")
    listed = next(d.value for d in at.dataframe if "not planned" in d.value.columns).to_dict("records")
    assert sorted(r["work order"] for r in listed) == sorted([*blocked, "NO-ROUTING-1"])
    assert all(f"is on inactive work center {code}" in r["not planned"] for r in listed if r["work order"] in blocked)
