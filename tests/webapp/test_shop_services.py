"""Shop services on SQLite and Postgres: import (all or nothing), demo, plan + accept,
planner actions, what-if scenarios, isolation between organisations and users."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from scheduler_core.errors import InputError
from scheduler_core.shop import ShopOptions, demo_shop, write_workbook
from scheduler_core.shop import codec as shop_codec
from webapp import exports
from webapp.auth import PermissionDenied
from webapp.db.repos.base import NotFound
from webapp.shop import catalog as shop_catalog
from webapp.shop import edits as shop_edits
from webapp.shop import imports as shop_imports
from webapp.shop import planning as shop_planning
from webapp.shop import scenarios as shop_scenarios

START = datetime(2026, 1, 5, 7)  # a Monday


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608
            for t in ("work_centers", "work_orders", "operations", "calendar_exceptions", "downtimes",
                      "shop_plans")
        }


def _workbook(tmp_path, **kwargs) -> bytes:
    path = write_workbook(demo_shop(3, work_centers=3, orders=8, start=START, **kwargs), tmp_path / "shop.xlsx")
    return path.read_bytes()


@pytest.fixture
def demo(engine, alice):
    shop_imports.load_demo(engine, user=alice, orders=12, work_centers=3, start=START)
    return alice


def test_demo_fills_empty_org_once(engine, demo):
    c = _counts(engine)
    assert c["work_centers"] == 3 and c["work_orders"] == 12 and c["operations"] > 12
    with pytest.raises(InputError):
        shop_imports.load_demo(engine, user=demo, orders=5, start=START)
    assert _counts(engine) == c


def test_import_preview_and_commit(engine, bob, tmp_path):
    data = _workbook(tmp_path)
    problem = shop_imports.preview_workbook(data, "shop.xlsx")
    assert _counts(engine)["work_orders"] == 0  # preview stores nothing
    counts = shop_imports.import_workbook(engine, user=bob, data=data, filename="shop.xlsx")
    assert counts == {"work_centers": 3, "work_orders": 8, "operations": len(problem.operations)}
    rebuilt = shop_planning.build_problem(engine, user=bob, start=START)
    assert {o.op_id for o in rebuilt.operations} == {o.op_id for o in problem.operations}
    assert rebuilt.problems() == []


def test_broken_workbook_changes_nothing(engine, demo, tmp_path):
    before = _counts(engine)
    wb = openpyxl.load_workbook(io.BytesIO(_workbook(tmp_path)))
    ws = wb["work_orders"]
    ws.cell(row=2, column=5).value = 7  # priority_level out of 1..3
    ws.cell(row=3, column=4).value = "many"  # quantity not a number
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(InputError) as info:
        shop_imports.import_workbook(engine, user=demo, data=buf.getvalue(), filename="broken.xlsx")
    assert {p.row for p in info.value.problems} >= {2, 3}
    assert _counts(engine) == before


def test_failure_while_storing_rolls_back(engine, demo, monkeypatch, tmp_path):
    before = _counts(engine)
    from webapp.db.repos import work_orders as work_order_repo

    calls = {"n": 0}
    real = work_order_repo.create_work_order

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(work_order_repo, "create_work_order", flaky)
    with pytest.raises(RuntimeError):
        shop_imports.import_workbook(engine, user=demo, data=_workbook(tmp_path), filename="shop.xlsx")
    assert _counts(engine) == before


def test_plan_accept_stores_plan_and_planned_times(engine, demo):
    progress = []
    result = shop_planning.run_plan(engine, user=demo, start=START, progress=lambda f, m: progress.append(f), options=ShopOptions("optimise", time_limit_s=1))
    assert progress and result.operations
    assert shop_planning.current_plan(engine, user=demo) is None
    first = shop_planning.diff_plans(None, result)
    assert first.objective_before is None and len(first.new_operations) == len(result.operations)
    plan_id = shop_planning.accept_plan(engine, user=demo, result=result)
    stored = shop_planning.current_plan(engine, user=demo)
    assert stored.plan.id == plan_id and stored.plan.strategy == "optimise"
    assert stored.result.kpis == result.kpis
    assert [p.op_id for p in stored.result.operations] == [p.op_id for p in result.operations]
    with engine.connect() as conn:
        planned = conn.execute(sa.text("SELECT count(*) FROM operations WHERE planned_start IS NOT NULL")).scalar_one()
    assert planned == len(result.operations)
    again = shop_planning.run_plan(engine, user=demo, start=START, options=ShopOptions("dispatch"))
    second_id = shop_planning.accept_plan(engine, user=demo, result=again)
    assert shop_planning.current_plan(engine, user=demo).plan.id == second_id
    assert shop_planning.list_plans(engine, user=demo).total == 2


def test_actions_reorder_move_pin_finish_downtime(engine, demo):
    base = shop_planning.run_plan(engine, user=demo, start=START)
    wc, queue = max(base.by_work_center().items(), key=lambda kv: len(kv[1]))
    ids = [p.op_id for p in queue if not p.in_progress]
    k = next(k for k in range(1, len(ids)) if ids[k].endswith("/1"))
    wanted = shop_edits.move_in_queue(ids, ids[k], -1)
    assert wanted[k - 1] == ids[k]
    shop_edits.reorder(engine, user=demo, work_center=wc, op_ids=wanted)
    problem = shop_planning.build_problem(engine, user=demo, start=START)
    assert list(problem.manual_sequences[wc]) == wanted
    after = shop_planning.run_plan(engine, user=demo, start=START)
    order = [p.op_id for p in after.by_work_center()[wc]]
    assert order.index(ids[k]) < order.index(ids[k - 1])
    diff = shop_planning.diff_plans(base, after)
    assert diff.moved and diff.objective_before == base.kpis.weighted_tardiness_hours
    with pytest.raises(InputError):
        shop_edits.reorder(engine, user=demo, work_center=wc, op_ids=[ids[0], ids[0]])

    other = next(w.code for w in shop_catalog.list_work_centers(engine, user=demo) if w.code != wc)
    shop_edits.move_operation(engine, user=demo, op_id=ids[0], work_center=other)
    moved = shop_planning.build_problem(engine, user=demo, start=START)
    assert next(o for o in moved.operations if o.op_id == ids[0]).work_center == other
    assert ids[0] not in moved.manual_sequences.get(wc, ())

    pin_at = START + timedelta(days=2)
    shop_edits.pin_operation(engine, user=demo, op_id=ids[1], start=pin_at)
    assert next(o for o in shop_planning.build_problem(engine, user=demo).operations if o.op_id == ids[1]).pinned_start == pin_at

    shop_edits.finish_operation(engine, user=demo, op_id=ids[2])
    rn = ids[3].split("/")[0]
    shop_edits.finish_order(engine, user=demo, rn=rn)
    p = shop_planning.build_problem(engine, user=demo, start=START)
    open_ids = {o.op_id for o in p.open_operations()}
    assert ids[2] not in open_ids and not any(i.startswith(rn + "/") for i in open_ids)

    shop_edits.record_downtime(engine, user=demo, work_center=wc, start=START, end=START + timedelta(hours=4),
                       reason="spindle <b>")
    assert any(d["reason"] == "spindle <b>" for d in shop_catalog.downtimes(engine, user=demo))
    with pytest.raises(InputError):
        shop_edits.record_downtime(engine, user=demo, work_center=wc, start=START, end=START)


def test_work_orders_urgency_and_machines(engine, demo):
    page = shop_catalog.list_work_orders(engine, user=demo, limit=100)
    rns = [o.rn for o in page.items]
    new_id = shop_catalog.save_work_order(engine, user=demo, rn="NEW-1", quantity=3, priority_level=1,
                                assembly_date=date(2026, 1, 20), kpl="KPL-1", product_name="Shaft")
    shop_catalog.save_work_order(engine, user=demo, work_order_id=new_id, status="in_progress")
    assert shop_catalog.list_work_orders(engine, user=demo, rn_contains="new").items[0].status == "in_progress"
    ranked = shop_edits.move_urgency(engine, user=demo, rn=rns[0], step=-100)
    assert ranked[0] == rns[0]
    assert shop_edits.move_urgency(engine, user=demo, rn=rns[0], step=1)[1] == rns[0]
    assert shop_catalog.delete_work_order(engine, user=demo, work_order_id=new_id)
    code = shop_catalog.list_work_centers(engine, user=demo)[0].code
    shop_catalog.update_work_center(engine, user=demo, code=code, shifts=["S1"], working_days=[0, 1, 2, 3, 4, 5],
                          status="maintenance")
    wc = shop_planning.build_problem(engine, user=demo).wc(code)
    assert wc.calendar.shift_names == frozenset({"S1"}) and 5 in wc.calendar.weekdays
    n = shop_edits.set_calendar(engine, user=demo, code=code, first=date(2026, 1, 7), last=date(2026, 1, 8),
                        shifts=["S1"], working=False, note="holiday")
    assert n == 2
    assert not shop_planning.build_problem(engine, user=demo).wc(code).calendar.is_working(date(2026, 1, 7), "S1")


def test_scenario_copy_change_replan_compare_promote(engine, demo):
    base = shop_planning.run_plan(engine, user=demo, start=START)
    shop_planning.accept_plan(engine, user=demo, result=base)
    sid = shop_scenarios.create_scenario(engine, user=demo, name="one shift on the lathe")
    assert shop_scenarios.scenario_result(engine, user=demo, scenario_id=sid).kpis == base.kpis
    code = base.operations[0].work_center
    shop_scenarios.change_scenario(engine, user=demo, scenario_id=sid, kind="capacity", work_center=code, shifts=["S1"],
                       working_days=[0, 1, 2, 3, 4])
    rn = base.orders[-1].rn
    shop_scenarios.change_scenario(engine, user=demo, scenario_id=sid, kind="urgency", rn=rn, urgency_rank=1)
    assert shop_scenarios.scenario_result(engine, user=demo, scenario_id=sid) is None
    # the shop itself is unchanged until the scenario is promoted
    assert shop_planning.build_problem(engine, user=demo).wc(code).calendar.shift_names != frozenset({"S1"})
    result = shop_scenarios.replan_scenario(engine, user=demo, scenario_id=sid)
    rows = shop_scenarios.compare_kpis(base, result)
    assert rows[0]["baseline"] == base.kpis.weighted_tardiness_hours
    plan_id = shop_scenarios.promote_scenario(engine, user=demo, scenario_id=sid)
    assert shop_planning.current_plan(engine, user=demo).plan.id == plan_id
    shop = shop_planning.build_problem(engine, user=demo)
    assert shop.wc(code).calendar.shift_names == frozenset({"S1"})
    assert shop.order(rn).urgency_rank == 1
    assert shop_scenarios.delete_scenario(engine, user=demo, scenario_id=sid)


def test_isolation_between_users_and_organisations(engine, demo, bob):
    shop_planning.accept_plan(engine, user=demo, result=shop_planning.run_plan(engine, user=demo, start=START))
    sid = shop_scenarios.create_scenario(engine, user=demo, name="mine")
    assert shop_planning.summary(engine, user=bob).work_orders == 0
    assert shop_planning.current_plan(engine, user=bob) is None
    assert shop_planning.list_plans(engine, user=bob).total == 0
    assert shop_scenarios.list_scenarios(engine, user=bob) == []
    with pytest.raises(NotFound):
        shop_scenarios.scenario_problem(engine, user=bob, scenario_id=sid)
    with pytest.raises(NotFound):
        shop_edits.finish_order(engine, user=bob, rn=shop_catalog.list_work_orders(engine, user=demo).items[0].rn)
    with pytest.raises(InputError):
        shop_planning.run_plan(engine, user=bob)  # bob's organisation has no operations


def test_viewer_cannot_write(engine, demo, make_user):
    viewer = make_user("victor", "viewer")
    shop_planning.summary(engine, user=viewer)
    with pytest.raises(PermissionDenied):
        shop_imports.load_demo(engine, user=viewer, orders=3)


def test_export_and_json_round_trip(engine, demo):
    result = shop_planning.run_plan(engine, user=demo, start=START)
    assert exports.shop_plan_excel(result)[:2] == b"PK"
    assert exports.shop_plan_pdf(result).startswith(b"%PDF")
    problem = shop_planning.build_problem(engine, user=demo, start=START)
    assert shop_codec.problem_from_json(shop_codec.problem_to_json(problem)) == problem
    assert shop_codec.result_from_json(shop_codec.result_to_json(result)).kpis == result.kpis


def test_members_share_the_shop_but_not_private_plans_or_scenarios(engine, demo, bob, make_user):
    result = shop_planning.run_plan(engine, user=demo, start=START)
    shop_planning.accept_plan(engine, user=demo, result=result)
    sid = shop_scenarios.create_scenario(engine, user=demo, name="private")
    with pytest.raises(PermissionDenied):
        shop_catalog.add_member(engine, user=make_user("carl", "planner"), username="bob")
    shop_catalog.add_member(engine, user=demo, username="bob")
    assert shop_planning.summary(engine, user=bob).work_orders == 12
    assert shop_planning.current_plan(engine, user=bob).result.kpis == result.kpis  # the shared baseline
    assert shop_planning.list_plans(engine, user=bob).total == 0  # plan history stays private
    assert shop_scenarios.list_scenarios(engine, user=bob) == []
    with pytest.raises(NotFound):
        shop_scenarios.scenario_result(engine, user=bob, scenario_id=sid)
    with pytest.raises(NotFound):
        shop_catalog.add_member(engine, user=demo, username="nobody")
