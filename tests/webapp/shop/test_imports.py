"""Workbook preview and import: all or nothing by default, the valid rows only when asked
(a bad row skips its whole work order), adding to the shop (orders updated by rn) versus
replacing it (confirmation counts), no plan current afterwards, clearing the shop, the demo,
viewers refused."""

from __future__ import annotations

import io

import openpyxl
import pytest
import sqlalchemy as sa

from scheduler_core.errors import InputError
from scheduler_core.shop.changes import change
from tests.conftest import xlsx
from tests.webapp.shop.conftest import START, row_counts, workbook
from webapp.errors import PermissionDenied
from webapp.shop import edits as shop_edits
from webapp.shop import imports as shop_imports
from webapp.shop import planning as shop_planning
from webapp.shop import scenarios as shop_scenarios


def _count(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608


def _accept_plan(engine, user) -> int:
    proposal = shop_edits.propose(engine, user=user, start=START)
    return shop_edits.accept(engine, user=user, proposal=proposal)


def test_demo_fills_empty_org_once(engine, demo):
    c = row_counts(engine)
    assert c["work_centers"] == 3 and c["work_orders"] == 12 and c["operations"] > 12
    with pytest.raises(InputError):
        shop_imports.load_demo(engine, user=demo, orders=5, start=START)
    assert row_counts(engine) == c


def test_import_preview_and_replace(engine, bob, tmp_path):
    data = workbook(tmp_path)
    read = shop_imports.preview_workbook(data, "shop.xlsx")
    assert read.complete and read.skipped == ()
    assert row_counts(engine)["work_orders"] == 0  # preview stores nothing
    summary = shop_imports.import_workbook(engine, user=bob, data=data, filename="shop.xlsx", mode="replace")
    assert len(summary.added_orders) == 8 and len(summary.added_work_centers) == 3
    assert summary.operations == len(read.problem.operations) and summary.replaced["work_orders"] == 0
    rebuilt = shop_planning.build_problem(engine, user=bob, start=START)
    assert {o.op_id for o in rebuilt.operations} == {o.op_id for o in read.problem.operations}
    assert rebuilt.problems() == []


def test_broken_workbook_changes_nothing_unless_the_valid_rows_are_asked_for(engine, demo, tmp_path):
    before = row_counts(engine)
    wb = openpyxl.load_workbook(io.BytesIO(workbook(tmp_path)))
    ws = wb["work_orders"]
    ws.cell(row=2, column=5).value = 7  # priority_level out of 1..3
    ws.cell(row=3, column=4).value = "many"  # quantity not a number
    bad = (ws.cell(row=2, column=1).value, ws.cell(row=3, column=1).value)
    buf = io.BytesIO()
    wb.save(buf)
    for mode in shop_imports.MODES:
        with pytest.raises(InputError) as info:
            shop_imports.import_workbook(engine, user=demo, data=buf.getvalue(), filename="broken.xlsx", mode=mode)
        assert {p.row for p in info.value.problems} >= {2, 3}
        assert row_counts(engine) == before
    summary = shop_imports.import_workbook(engine, user=demo, data=buf.getvalue(), filename="broken.xlsx",
                                           mode="replace", skip_invalid=True)
    assert {s.key for s in summary.skipped} == set(bad)
    assert summary.replaced["work_orders"] == 12 and len(summary.added_orders) == 6
    rns = {o.rn for o in shop_planning.build_problem(engine, user=demo, start=START).work_orders}
    assert len(rns) == 6 and not rns & set(bad)


def test_partial_add_skips_the_order_of_a_bad_operation_row(engine, demo):
    current = shop_planning.build_problem(engine, user=demo, start=START)
    wc = current.work_centers[0].code
    data = xlsx({
        "work_centers": [["code", "name"], [wc, current.work_centers[0].name]],
        "work_orders": [["rn", "quantity", "kpl", "product_name"], ["N-1", 4, "P-9", "Vratilo"], ["N-2", 2]],
        "operations": [["rn", "sequence", "name", "work_center", "norma"],
                       ["N-1", 1, "Tokarenje", wc, 30], ["N-1", 2, "Glodanje", wc, 20],
                       ["N-2", 1, "Rezanje", wc, -5], ["N-2", 2, "Savijanje", wc, 5]],
    })
    read = shop_imports.preview_workbook(data, "add.xlsx")
    assert read.skipped_orders() == ["N-2"]
    summary = shop_imports.import_read(engine, user=demo, read=read, mode="add", skip_invalid=True)
    assert summary.added_orders == ("N-1",) and summary.updated_orders == ()
    assert summary.added_work_centers == ()
    after = shop_planning.build_problem(engine, user=demo, start=START)
    assert {o.rn for o in after.work_orders} == {o.rn for o in current.work_orders} | {"N-1"}
    assert after.order("N-1").product_name == "Vratilo" and after.operation("N-1/2").name == "Glodanje"
    assert [op for op in after.operations if op.rn != "N-1"] == list(current.operations)


def test_add_updates_an_order_by_rn_replacing_its_routing_and_its_pins(engine, demo):
    _accept_plan(engine, demo)
    current = shop_planning.build_problem(engine, user=demo, start=START)
    rn = current.work_orders[0].rn
    wc = current.operation(f"{rn}/1").work_center
    on_wc = [op.op_id for op in current.operations if op.work_center == wc]
    other = next(op_id for op_id in on_wc if not op_id.startswith(f"{rn}/"))
    proposal = shop_edits.propose(engine, user=demo, start=START,
                                  changes=[change("move_up", queue=[other, f"{rn}/1"], op_id=f"{rn}/1")])
    shop_edits.accept(engine, user=demo, proposal=proposal)
    assert _count(engine, "shop_pins") == 1
    scenario = shop_scenarios.create_scenario(engine, user=demo, name="before the import")
    data = xlsx({
        "work_centers": [["code", "setup_time_minutes"], [wc, 25]],
        "work_orders": [["rn", "quantity", "priority_level"], [rn, 9, 1]],
        "operations": [["rn", "sequence", "work_center", "norma"], [rn, 1, wc, 45]],
    })
    summary = shop_imports.import_workbook(engine, user=demo, data=data, filename="upd.xlsx", mode="add")
    assert summary.updated_orders == (rn,) and summary.updated_work_centers == (wc,)
    assert summary.released_pins == 1 and summary.had_current_plan
    assert summary.replaced_operations == len([op for op in current.operations if op.rn == rn])
    after = shop_planning.build_problem(engine, user=demo, start=START)
    assert after.order(rn).quantity == 9 and after.order(rn).priority_level == 1
    assert [op.op_id for op in after.operations if op.rn == rn] == [f"{rn}/1"]
    assert after.operation(f"{rn}/1").norma == 45 and after.wc(wc).setup_time_minutes == 25
    assert after.wc(wc).calendar == current.wc(wc).calendar
    assert after.pins == () and _count(engine, "shop_pins") == 0
    # the plan made for the shop before the import is no longer current: re-plan
    assert shop_planning.current_plan(engine, user=demo) is None
    assert shop_planning.summary(engine, user=demo).current_plan_id is None
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM operations WHERE planned_start IS NOT NULL")).scalar() == 0
    assert all(s.stale for s in shop_scenarios.list_scenarios(engine, user=demo) if s.id == scenario)
    assert not shop_edits.last_change_set(engine, user=demo).undoable


def test_add_that_would_leave_open_work_on_an_inactive_work_center_is_refused(engine, demo):
    current = shop_planning.build_problem(engine, user=demo, start=START)
    wc = current.work_centers[0].code
    data = xlsx({"work_centers": [["code", "active"], [wc, "no"], [current.work_centers[1].code, "yes"]],
                  "work_orders": [["rn"], ["Z-1"]],
                  "operations": [["rn", "sequence", "work_center", "norma"],
                                 ["Z-1", 1, current.work_centers[1].code, 5]]})
    before = row_counts(engine)
    with pytest.raises(InputError, match="inactive"):
        shop_imports.import_workbook(engine, user=demo, data=data, filename="x.xlsx", mode="add")
    assert row_counts(engine) == before


def test_flat_sheet_added_to_a_shop_names_an_unknown_work_center_and_skips_its_order(engine, demo):
    current = shop_planning.build_problem(engine, user=demo, start=START)
    wc = current.work_centers[0]
    typo = wc.code[:-1] + ("9" if wc.code[-1] != "9" else "8")
    data = (f"RN;KPL;naziv;operacija;norma;radni_centar\n"
            f"F-1;K-7;Osovina;Tokarenje;30;{wc.code}\nF-1;K-7;Osovina;Bušenje;10;{typo}\n"
            f"F-2;K-8;Vratilo;Tokarenje;20;{wc.code}\n").encode()
    preview = shop_imports.preview_import(engine, user=demo, data=data, filename="flat.csv", mode="add")
    (problem,) = preview.read.problems
    assert (problem.row, problem.column) == (3, "operations!radni_centar")
    assert problem.reason == f"unknown work center '{typo}' — did you mean '{wc.code}'?"
    assert preview.read.skipped_orders() == ["F-1"] and preview.new_work_centers == ()
    with pytest.raises(InputError):
        shop_imports.import_workbook(engine, user=demo, data=data, filename="flat.csv", mode="add")
    summary = shop_imports.import_read(engine, user=demo, read=preview.read, mode="add", skip_invalid=True)
    assert summary.added_orders == ("F-2",) and summary.added_work_centers == ()
    after = shop_planning.build_problem(engine, user=demo, start=START)
    assert after.wc(wc.code) == wc and [w.code for w in after.work_centers] == [w.code for w in current.work_centers]


def test_a_read_not_checked_against_the_shop_cannot_add_work_centers_to_it(engine, demo):
    read = shop_imports.preview_workbook(b"RN;norma;radni_centar\nF-1;30;NEWC\n", "flat.csv")
    with pytest.raises(InputError, match="unknown work center 'NEWC'"):
        shop_imports.import_read(engine, user=demo, read=read, mode="add")


def test_flat_sheet_replacing_the_shop_creates_its_work_centers_and_names_them(engine, demo):
    data = b"RN;norma;radni_centar\nF-1;30;TOK-1\nF-1;10;BUS-2\n"
    preview = shop_imports.preview_import(engine, user=demo, data=data, filename="flat.csv", mode="replace")
    assert preview.read.complete and preview.new_work_centers == ("TOK-1", "BUS-2")
    summary = shop_imports.import_read(engine, user=demo, read=preview.read, mode="replace")
    assert summary.added_work_centers == ("TOK-1", "BUS-2")


def test_adding_keeps_the_order_fields_the_file_does_not_give(engine, demo):
    current = shop_planning.build_problem(engine, user=demo, start=START)
    old = current.work_orders[0]
    wc = current.work_centers[0].code
    data = xlsx({"operations": [["RN", "KPL", "naziv", "norma", "radni_centar", "datum_isporuke"],
                                [old.rn, old.kpl, old.product_name, 30, wc, "2027-01-15"]]})
    summary = shop_imports.import_workbook(engine, user=demo, data=data, filename="flat.xlsx", mode="add")
    assert summary.updated_orders == (old.rn,)
    after = shop_planning.build_problem(engine, user=demo, start=START).order(old.rn)
    assert after.delivery_date.isoformat()[:10] == "2027-01-15"
    assert (after.quantity, after.priority_level, after.assembly_date, after.third_date, after.status,
            after.urgency_rank) == (old.quantity, old.priority_level, old.assembly_date, old.third_date,
                                    old.status, old.urgency_rank)
    (op,) = [o for o in shop_planning.build_problem(engine, user=demo, start=START).operations if o.rn == old.rn]
    assert op.quantity == old.quantity and op.norma == 30


def test_adding_keeps_the_work_center_fields_the_file_leaves_out_or_blank(engine, demo):
    current = shop_planning.build_problem(engine, user=demo, start=START)
    wc = current.work_centers[0]
    data = xlsx({
        "work_centers": [["code", "name", "capacity_hours_per_day", "setup_time_minutes"],
                         [wc.code, "Renamed", None, wc.setup_time_minutes + 5]],
        "work_orders": [["rn"], ["N-1"]],
        "operations": [["rn", "sequence", "work_center", "norma"], ["N-1", 1, wc.code, 30]],
    })
    summary = shop_imports.import_workbook(engine, user=demo, data=data, filename="wc.xlsx", mode="add")
    assert summary.updated_work_centers == (wc.code,)
    after = shop_planning.build_problem(engine, user=demo, start=START).wc(wc.code)
    assert (after.name, after.setup_time_minutes) == ("Renamed", wc.setup_time_minutes + 5)
    assert (after.capacity_hours_per_day, after.category, after.cost_per_hour, after.active) == (
        wc.capacity_hours_per_day, wc.category, wc.cost_per_hour, wc.active)
    assert (after.calendar.weekdays, after.calendar.shift_names) == (wc.calendar.weekdays, wc.calendar.shift_names)


def test_import_refuses_a_norma_of_zero_like_the_routing_editor(tmp_path):
    data = xlsx({"operations": [["RN", "norma", "radni_centar"], ["F-1", 0, "TOK"], ["F-2", 5, "TOK"]]})
    read = shop_imports.preview_workbook(data, "n.xlsx")
    assert [(p.row, p.column, p.reason) for p in read.problems] == [
        (2, "operations!norma", "the norma must be more than 0 minutes")]
    assert read.skipped_orders() == ["F-1"]


def test_replace_counts_what_goes_and_keeps_plans_as_history(engine, demo, tmp_path):
    _accept_plan(engine, demo)
    counts = shop_imports.shop_counts(engine, user=demo)
    assert counts["work_orders"] == 12 and counts["plans"] == 1 and counts["change_sets"] == 1
    summary = shop_imports.import_workbook(engine, user=demo, data=workbook(tmp_path), filename="s.xlsx",
                                           mode="replace")
    assert summary.replaced == counts and summary.had_current_plan
    assert _count(engine, "shop_plans") == 1 and shop_planning.current_plan(engine, user=demo) is None


def test_clear_shop_removes_everything_dependent_in_one_transaction(engine, demo, bob, monkeypatch):
    _accept_plan(engine, demo)
    shop_scenarios.create_scenario(engine, user=demo, name="what if")
    counts = shop_imports.shop_counts(engine, user=demo)
    assert counts["scenarios"] == 1 and counts["plans"] == 1
    shop_imports.load_demo(engine, user=bob, orders=3, work_centers=2, start=START)  # another organisation

    from webapp.db.repos import organisations as organisation_repo

    real = organisation_repo.clear_shop

    def broken(session, **kwargs):
        real(session, **kwargs)
        raise RuntimeError("connection lost")

    monkeypatch.setattr(organisation_repo, "clear_shop", broken)
    with pytest.raises(RuntimeError):
        shop_imports.clear_shop(engine, user=demo)
    assert shop_imports.shop_counts(engine, user=demo) == counts  # rolled back whole
    monkeypatch.setattr(organisation_repo, "clear_shop", real)
    assert shop_imports.clear_shop(engine, user=demo) == counts
    left = shop_imports.shop_counts(engine, user=demo)
    assert set(left.values()) == {0}
    assert shop_imports.shop_counts(engine, user=bob)["work_orders"] == 3
    shop_imports.load_demo(engine, user=demo, orders=4, start=START)  # the demo loads again
    assert shop_planning.summary(engine, user=demo).work_orders == 4


def test_failure_while_storing_rolls_back(engine, demo, monkeypatch, tmp_path):
    before = row_counts(engine)
    from webapp.db.repos import work_orders as work_order_repo
    from webapp.shop import import_store

    calls = {"n": 0}
    real = work_order_repo.create_work_order

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    def failing(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(work_order_repo, "create_work_order", flaky)
    monkeypatch.setattr(import_store, "add_operations", failing)
    for mode in shop_imports.MODES:
        with pytest.raises(RuntimeError):
            shop_imports.import_workbook(engine, user=demo, data=workbook(tmp_path), filename="shop.xlsx", mode=mode)
        assert row_counts(engine) == before


def test_viewer_cannot_write_and_mode_is_checked(engine, demo, make_user, tmp_path):
    viewer = make_user("victor", "viewer")
    shop_planning.summary(engine, user=viewer)
    with pytest.raises(PermissionDenied):
        shop_imports.load_demo(engine, user=viewer, orders=3)
    read = shop_imports.preview_workbook(workbook(tmp_path), "s.xlsx")
    with pytest.raises(PermissionDenied):
        shop_imports.import_read(engine, user=viewer, read=read, mode="add")
    with pytest.raises(PermissionDenied):
        shop_imports.clear_shop(engine, user=viewer)
    with pytest.raises(InputError, match="unknown import mode"):
        shop_imports.import_read(engine, user=demo, read=read, mode="merge")
