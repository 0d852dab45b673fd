"""Work centers as master data: create with a calendar, change master fields at once, every
bad value listed, deletion refused while operations run on it (named) and else taking its
downtime and calendar exceptions; another organisation cannot see or touch them."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.webapp.shop.conftest import START
from webapp.errors import DuplicateName, InputError, NotFound, PermissionDenied
from webapp.shop import catalog as shop_catalog
from webapp.shop import edits as shop_edits
from webapp.shop import planning as shop_planning
from webapp.shop import work_centers as wcs
from webapp.views import DeletionImpact


def _by_code(engine, user, code):
    return next(w for w in shop_catalog.list_work_centers(engine, user=user) if w.code == code)


def test_create_and_change_a_work_center(engine, alice):
    wid = wcs.create_work_center(engine, user=alice, code=" CNC-9 ", name="5-axis", category="milling",
                                 capacity_hours_per_day=15, setup_time_minutes=20, cost_per_hour=80.5,
                                 shifts=["S1", "S2"], working_days=[0, 1, 2, 3, 4, 5])
    wc = _by_code(engine, alice, "CNC-9")
    assert (wc.id, wc.name, wc.category, wc.capacity_hours_per_day, wc.setup_time_minutes, wc.cost_per_hour) == (
        wid, "5-axis", "milling", 15.0, 20, 80.5)
    assert wc.shift_list == ["S1", "S2"] and wc.weekday_list == [0, 1, 2, 3, 4, 5] and wc.is_active
    assert wcs.categories(engine, user=alice) == ["milling"]
    wcs.save_work_center(engine, user=alice, work_center_id=wid, code="CNC-10", name="renamed", category="turning",
                         capacity_hours_per_day=7.5, setup_time_minutes=0, cost_per_hour=None, is_active=False,
                         status="maintenance")
    wc = _by_code(engine, alice, "CNC-10")
    assert (wc.name, wc.category, wc.capacity_hours_per_day, wc.cost_per_hour, wc.is_active, wc.status) == (
        "renamed", "turning", 7.5, None, False, "maintenance")
    with pytest.raises(DuplicateName):
        wcs.create_work_center(engine, user=alice, code="CNC-10")


def test_every_bad_value_is_listed_and_nothing_is_written(engine, alice):
    with pytest.raises(InputError) as caught:
        wcs.create_work_center(engine, user=alice, code=" ", capacity_hours_per_day=25, setup_time_minutes=-5,
                               cost_per_hour=-1, shifts=[], working_days=[])
    assert {p.column for p in caught.value.problems} == {
        "code", "capacity (h/day)", "setup (min)", "cost per hour", "shifts", "working days"}
    assert shop_catalog.list_work_centers(engine, user=alice) == []
    wid = wcs.create_work_center(engine, user=alice, code="A")
    with pytest.raises(InputError) as caught:
        wcs.save_work_center(engine, user=alice, work_center_id=wid, capacity_hours_per_day=0, status="broken",
                             shifts="S1")
    assert [(p.column, p.reason) for p in caught.value.problems] == [
        ("shifts", "'shifts' cannot be changed here"),
        ("capacity (h/day)", "the capacity must be more than 0 and at most 24 hours a day"),
        ("status", "unknown status 'broken'")]


def test_delete_is_refused_while_operations_run_on_it(engine, demo):
    code = shop_catalog.list_work_centers(engine, user=demo)[0].code
    wid = _by_code(engine, demo, code).id
    down = shop_edits.change("add_downtime", work_center=code, start=datetime(2026, 1, 6, 7),
                             end=datetime(2026, 1, 6, 9), reason="oil")
    shop_edits.accept(engine, user=demo, proposal=shop_edits.propose(engine, user=demo, changes=[down], start=START))
    usage = wcs.work_center_usage(engine, user=demo, work_center_id=wid)
    ops = [op.op_id for op in shop_planning.build_problem(engine, user=demo).operations if op.work_center == code]
    assert sorted(usage.operations) == sorted(ops) and usage.downtimes >= 1
    assert usage.describe().startswith(f"work center {code}: {len(ops)} operations on it in {usage.work_orders} "
                                       f"work orders, {usage.downtimes} downtime intervals")
    with pytest.raises(InputError, match=f"work center {code} cannot be deleted: operations {ops[0]}"):
        wcs.delete_work_center(engine, user=demo, work_center_id=wid)
    assert _by_code(engine, demo, code)
    refused = wcs.work_center_impact(engine, user=demo, work_center_id=wid)
    assert not refused.possible and refused.text == usage.refusal()
    spare = wcs.create_work_center(engine, user=demo, code="SPARE")
    assert wcs.work_center_impact(engine, user=demo, work_center_id=spare) == DeletionImpact(
        "Deleting work center SPARE: 0 operations on it in 0 work orders, 0 downtime intervals, 0 calendar "
        "exceptions (they go with it).")
    gone = wcs.delete_work_center(engine, user=demo, work_center_id=spare)
    assert gone.refusal() is None and "SPARE" not in [w.code for w in shop_catalog.list_work_centers(engine, user=demo)]


def test_a_work_center_without_operations_goes_with_its_downtime(engine, alice):
    wid = wcs.create_work_center(engine, user=alice, code="M1")
    wcs.create_work_center(engine, user=alice, code="M2")
    wo = shop_catalog.save_work_order(engine, user=alice, rn="R1", quantity=1)
    from webapp.shop import routings

    routings.save_routing(engine, user=alice, work_order_id=wo, rows=[
        {"sequence": 1, "work_center": "M2", "norma": 10, "quantity": 1}])
    down = shop_edits.change("add_downtime", work_center="M1", start=datetime(2026, 1, 6, 7),
                             end=datetime(2026, 1, 6, 9))
    shop_edits.accept(engine, user=alice, proposal=shop_edits.propose(engine, user=alice, changes=[down], start=START))
    assert wcs.work_center_usage(engine, user=alice, work_center_id=wid).describe() == (
        "work center M1: 0 operations on it in 0 work orders, 1 downtime intervals, 0 calendar exceptions")
    wcs.delete_work_center(engine, user=alice, work_center_id=wid)
    assert shop_catalog.downtimes(engine, user=alice) == []


def test_another_organisation_cannot_see_change_or_delete(engine, alice, bob, make_user):
    wid = wcs.create_work_center(engine, user=alice, code="MINE")
    assert shop_catalog.list_work_centers(engine, user=bob) == []
    for call in (lambda: wcs.save_work_center(engine, user=bob, work_center_id=wid, name="x"),
                 lambda: wcs.work_center_usage(engine, user=bob, work_center_id=wid),
                 lambda: wcs.delete_work_center(engine, user=bob, work_center_id=wid)):
        with pytest.raises(NotFound):
            call()
    viewer = make_user("vic", "viewer")
    with pytest.raises(PermissionDenied):
        wcs.create_work_center(engine, user=viewer, code="V")
    with pytest.raises(PermissionDenied):
        wcs.delete_work_center(engine, user=viewer, work_center_id=wid)
    assert _by_code(engine, alice, "MINE").name == ""


def test_a_code_differing_only_in_case_or_spaces_is_taken(engine, alice):
    wcs.create_work_center(engine, user=alice, code="LATHE")
    other = wcs.create_work_center(engine, user=alice, code="MILL")
    with pytest.raises(DuplicateName, match="work center 'LATHE' already exists"):
        wcs.create_work_center(engine, user=alice, code="lathe ")
    with pytest.raises(DuplicateName, match="work center 'LATHE' already exists"):
        wcs.save_work_center(engine, user=alice, work_center_id=other, code=" Lathe")
    wcs.save_work_center(engine, user=alice, work_center_id=other, code="mill")  # its own code, other case
    assert [w.code for w in shop_catalog.list_work_centers(engine, user=alice)] == ["LATHE", "mill"]


def test_deactivating_a_work_center_with_open_operations_warns_and_saves(engine, demo):
    problem = shop_planning.build_problem(engine, user=demo)
    open_ops = problem.open_operations()
    code = open_ops[0].work_center
    on_it = [op for op in open_ops if op.work_center == code]
    wc = _by_code(engine, demo, code)
    assert wcs.save_work_center(engine, user=demo, work_center_id=wc.id, name="renamed") is None
    warning = wcs.save_work_center(engine, user=demo, work_center_id=wc.id, is_active=False)
    orders = len({op.rn for op in on_it})
    assert warning == (f"{len(on_it)} open operation{'s' if len(on_it) != 1 else ''} in {orders} work "
                       f"order{'s' if orders != 1 else ''} {'are' if len(on_it) != 1 else 'is'} on {code}; "
                       "they will not be planned until moved")
    assert not _by_code(engine, demo, code).is_active
    assert wcs.save_work_center(engine, user=demo, work_center_id=wc.id, is_active=False) is None  # already off
    result = shop_planning.run_plan(engine, user=demo, start=START)
    assert {n.rn for n in result.not_planned} >= {op.rn for op in on_it}
    assert not any(p.work_center == code for p in result.operations)
