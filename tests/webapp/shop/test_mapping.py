"""Rows <-> ShopProblem: the stored shop reads back as the problem it was made from."""

from __future__ import annotations

from datetime import date, timedelta

from scheduler_core.shop import codec as shop_codec
from tests.webapp.shop.conftest import START
from webapp import exports
from webapp.shop import catalog as shop_catalog
from webapp.shop import planning as shop_planning


def test_export_and_json_round_trip(engine, demo):
    result = shop_planning.run_plan(engine, user=demo, start=START)
    assert exports.shop_plan_excel(result)[:2] == b"PK"
    assert exports.shop_plan_pdf(result).startswith(b"%PDF")
    problem = shop_planning.build_problem(engine, user=demo, start=START)
    assert shop_codec.problem_from_json(shop_codec.problem_to_json(problem)) == problem
    assert shop_codec.result_from_json(shop_codec.result_to_json(result)).kpis == result.kpis


def test_save_changes_writes_every_edit_and_reads_back(engine, demo):
    from scheduler_core.shop import Downtime
    from scheduler_core.shop import edits as core
    from webapp.access import acting_member
    from webapp.db.engine import session_scope
    from webapp.shop.mapping import load_problem, save_changes

    with session_scope(engine) as session:
        _, org = acting_member(session, demo, write=True)
        before = load_problem(session, org, START)
        wc = before.work_centers[0].code
        firsts = {}
        for op in before.open_operations():
            if op.work_center == wc and op.status != "in_progress":
                firsts.setdefault(op.rn, op.op_id)  # one operation per order: any order of them is a valid queue
        queue = list(firsts.values())[:3]
        other = before.work_centers[1].code
        rn = before.work_orders[-1].rn
        after = core.resequence(before, queue, list(reversed(queue)))
        assert after.pins
        after = core.move_operation(after, queue[0], other, confirmed=True)
        after = core.add_downtime(after, Downtime(wc, START, START + timedelta(hours=3), "belt"))
        after = core.set_calendar(after, other, date(2026, 1, 7), date(2026, 1, 7), ["S2"], False)
        after = core.set_shifts(after, other, ["S1"], [0, 1, 2, 3, 4])
        after = core.set_urgency(after, rn, 1, 1)
        after = core.finish_operation(after, queue[1], START + timedelta(hours=1))
        save_changes(session, org, before, after, notes={other: "edited"})
    with session_scope(engine) as session:
        back = load_problem(session, org, START)
    assert back.pins == after.pins
    assert back.operations == after.operations and back.work_orders == after.work_orders
    assert set(back.downtime) == set(after.downtime)
    for w_back, w_after in zip(back.work_centers, after.work_centers, strict=True):
        assert w_back.capacity_hours_per_day == w_after.capacity_hours_per_day
        assert w_back.calendar.shift_names == w_after.calendar.shift_names
        assert {(d, s): f for d, s, f in w_back.calendar.overrides} == {(d, s): f for d, s, f in w_after.calendar.overrides}
    marks = shop_catalog.calendar_exceptions(engine, user=demo, code=other)
    assert [(m["date"], m["shift"], m["working"]) for m in marks if m["note"] == "edited"] == [
        (date(2026, 1, 7), "S2", False)
    ]


def test_save_changes_removes_downtime(engine, demo):
    from scheduler_core.shop import Downtime
    from scheduler_core.shop import edits as core
    from webapp.access import acting_member
    from webapp.db.engine import session_scope
    from webapp.shop.mapping import load_problem, save_changes

    down = Downtime(shop_catalog.list_work_centers(engine, user=demo)[0].code, START, START + timedelta(hours=2))
    before = shop_catalog.downtimes(engine, user=demo)
    with session_scope(engine) as session:
        _, org = acting_member(session, demo, write=True)
        problem = load_problem(session, org, START)
        save_changes(session, org, problem, core.add_downtime(problem, down))
    assert len(shop_catalog.downtimes(engine, user=demo)) == len(before) + 1
    with session_scope(engine) as session:
        _, org = acting_member(session, demo, write=True)
        problem = load_problem(session, org, START)
        save_changes(session, org, problem, core.remove_downtime(problem, down))
    assert shop_catalog.downtimes(engine, user=demo) == before
