"""Master data: work orders, urgency, work centers and calendars, members."""

from __future__ import annotations

from datetime import date

import pytest

from scheduler_core.shop.edits import urgency_list
from tests.webapp.shop.conftest import START
from webapp.errors import NotFound, PermissionDenied
from webapp.shop import catalog as shop_catalog
from webapp.shop import edits as shop_edits
from webapp.shop import planning as shop_planning
from webapp.shop import scenarios as shop_scenarios


def test_work_orders_urgency_and_machines(engine, demo):
    page = shop_catalog.list_work_orders(engine, user=demo, limit=100)
    rns = [o.rn for o in page.items]
    new_id = shop_catalog.save_work_order(engine, user=demo, rn="NEW-1", quantity=3, priority_level=1,
                                assembly_date=date(2026, 1, 20), kpl="KPL-1", product_name="Shaft")
    shop_catalog.save_work_order(engine, user=demo, work_order_id=new_id, status="in_progress")
    assert shop_catalog.list_work_orders(engine, user=demo, rn_contains="new").items[0].status == "in_progress"
    up = shop_edits.change("move_urgency", rn=rns[0], step=-100)
    assert urgency_list(shop_edits.check(engine, user=demo, changes=[up]))[0] == rns[0]
    down = shop_edits.change("move_urgency", rn=rns[0], step=1)
    assert urgency_list(shop_edits.check(engine, user=demo, changes=[up, down]))[1] == rns[0]
    assert shop_catalog.delete_work_order(engine, user=demo, work_order_id=new_id)
    code = shop_catalog.list_work_centers(engine, user=demo)[0].code
    shop_catalog.update_work_center(engine, user=demo, code=code, shifts=["S1"], working_days=[0, 1, 2, 3, 4, 5],
                          status="maintenance")
    wc = shop_planning.build_problem(engine, user=demo).wc(code)
    assert wc.calendar.shift_names == frozenset({"S1"}) and 5 in wc.calendar.weekdays
    holiday = shop_edits.change("set_calendar", work_center=code, first=date(2026, 1, 7), last=date(2026, 1, 8),
                                shifts=["S1"], working=False, note="holiday")
    shop_edits.accept(engine, user=demo, proposal=shop_edits.propose(engine, user=demo, changes=[holiday], start=START))
    assert not shop_planning.build_problem(engine, user=demo).wc(code).calendar.is_working(date(2026, 1, 7), "S1")
    assert len([m for m in shop_catalog.calendar_exceptions(engine, user=demo, code=code) if m["note"] == "holiday"]) == 2


def test_members_share_the_shop_but_not_private_plans_or_scenarios(engine, demo, bob, make_user):
    proposal = shop_edits.propose(engine, user=demo, start=START)
    shop_edits.accept(engine, user=demo, proposal=proposal)
    result = proposal.result
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


def test_plant_time_zone(engine, demo, make_user, monkeypatch):
    from datetime import datetime

    from scheduler_core.shop.validate import validate_plan
    from webapp.errors import InputError as AppInputError
    from webapp.settings import get_settings

    assert shop_catalog.plant_time_zone(engine, user=demo) == ("UTC", False)
    monkeypatch.setenv("PSS_TIMEZONE", "America/New_York")
    get_settings.cache_clear()
    try:
        assert shop_catalog.plant_time_zone(engine, user=demo) == ("America/New_York", False)
    finally:
        monkeypatch.delenv("PSS_TIMEZONE")
        get_settings.cache_clear()
    shop_catalog.set_plant_time_zone(engine, user=demo, time_zone="Europe/Zagreb")
    assert shop_catalog.plant_time_zone(engine, user=demo) == ("Europe/Zagreb", True)
    with pytest.raises(AppInputError, match="unknown time zone"):
        shop_catalog.set_plant_time_zone(engine, user=demo, time_zone="Europe/Atlantis")
    with pytest.raises(PermissionDenied):
        shop_catalog.set_plant_time_zone(engine, user=make_user("vic", "viewer"), time_zone="UTC")
    # a plan over the spring night of the plant's zone is in real minutes and valid
    spring = datetime(2026, 3, 27, 22)
    proposal = shop_edits.propose(engine, user=demo, start=spring)
    assert proposal.result.time_zone == "Europe/Zagreb" and proposal.problem.time_zone == "Europe/Zagreb"
    assert validate_plan(proposal.problem, proposal.result) == []
    shop_edits.accept(engine, user=demo, proposal=proposal)
    assert shop_planning.current_plan(engine, user=demo).result.time_zone == "Europe/Zagreb"
