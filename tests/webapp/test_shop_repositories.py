"""Shop repositories on SQLite and Postgres: organisations, isolation, constraints, plans."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from webapp.db import shop_repositories as srepo
from webapp.db.engine import session_scope
from webapp.db.repositories import DuplicateName, NotFound


@pytest.fixture
def orgs(engine, alice, bob):
    with session_scope(engine) as s:
        a = srepo.ensure_organisation(s, user_id=alice.id, username=alice.username).id
        b = srepo.ensure_organisation(s, user_id=bob.id, username=bob.username).id
    return a, b


def test_ensure_organisation_is_idempotent_and_membership(engine, alice, orgs):
    a, b = orgs
    assert a != b
    with session_scope(engine) as s:
        assert srepo.ensure_organisation(s, user_id=alice.id, username="alice").id == a
        assert srepo.main_plant(s, organisation_id=a).code == "MAIN"
        assert srepo.get_membership(s, user_id=alice.id).role == "owner"


def test_work_orders_crud_filters_and_checks(engine, orgs):
    a, _ = orgs
    with session_scope(engine) as s:
        for i in range(5):
            srepo.create_work_order(s, organisation_id=a, rn=f"RN-{i}", quantity=1 + i, priority_level=1 + i % 3,
                                    assembly_date=date(2026, 1, 1 + i))
    with session_scope(engine) as s:
        page = srepo.list_work_orders(s, organisation_id=a, limit=2)
        assert page.total == 5 and [o.rn for o in page.items] == ["RN-0", "RN-1"]
        assert srepo.list_work_orders(s, organisation_id=a, priority=[1]).total == 2
        assert srepo.list_work_orders(s, organisation_id=a, rn_contains="rn-3").items[0].rn == "RN-3"
        assert srepo.list_work_orders(s, organisation_id=a, due_from=date(2026, 1, 4)).total == 2
        with pytest.raises(DuplicateName):
            srepo.create_work_order(s, organisation_id=a, rn="RN-1")
        with pytest.raises(ValueError):
            srepo.create_work_order(s, organisation_id=a, rn="X", priority_level=5)
        wo = srepo.get_work_order(s, organisation_id=a, rn="RN-2")
        srepo.update_work_order(s, organisation_id=a, work_order_id=wo.id, status="in_progress")
        with pytest.raises(ValueError):
            srepo.update_work_order(s, organisation_id=a, work_order_id=wo.id, status="lost")
    with session_scope(engine) as s:
        assert srepo.list_work_orders(s, organisation_id=a, status="in_progress").total == 1


def test_isolation_between_organisations(engine, alice, bob, orgs):
    a, b = orgs
    with session_scope(engine) as s:
        wc = srepo.create_work_center(s, organisation_id=a, code="TOK-1", name="Lathe")
        wo = srepo.create_work_order(s, organisation_id=a, rn="RN-A")
        op = srepo.create_operation(s, organisation_id=a, work_order_id=wo.id, work_center_id=wc.id,
                                    sequence=1, norma=30.0)
        plan = srepo.create_plan(s, organisation_id=a, owner_id=alice.id, strategy="dispatch",
                                 plan_start=datetime(2026, 1, 5, 7), result={"x": 1})
        srepo.set_current_plan(s, organisation_id=a, owner_id=alice.id, plan_id=plan.id)
        ids = wc.id, wo.id, op.id, plan.id
    wc_id, wo_id, op_id, plan_id = ids
    with session_scope(engine) as s:
        # the same codes are free in another organisation
        srepo.create_work_center(s, organisation_id=b, code="TOK-1")
        srepo.create_work_order(s, organisation_id=b, rn="RN-A")
        assert srepo.get_work_order(s, organisation_id=b, work_order_id=wo_id) is None
        assert srepo.get_work_center(s, organisation_id=b, work_center_id=wc_id) is None
        assert srepo.get_operation(s, organisation_id=b, operation_id=op_id) is None
        assert srepo.list_work_orders(s, organisation_id=b).total == 1
        assert srepo.get_plan(s, owner_id=bob.id, plan_id=plan_id) is None
        assert srepo.get_current_plan(s, organisation_id=b) is None
        assert srepo.list_plans(s, owner_id=bob.id).total == 0
        assert not srepo.delete_work_order(s, organisation_id=b, work_order_id=wo_id)
        with pytest.raises(NotFound):
            srepo.update_operation(s, organisation_id=b, operation_id=op_id, status="completed")
        with pytest.raises(NotFound):
            srepo.set_current_plan(s, organisation_id=b, owner_id=bob.id, plan_id=plan_id)
        with pytest.raises(NotFound):
            srepo.add_downtime(s, organisation_id=b, work_center_id=wc_id, start_at=datetime(2026, 1, 1),
                               end_at=datetime(2026, 1, 2))
    with session_scope(engine) as s:
        assert srepo.get_current_plan(s, organisation_id=a).id == plan_id
        assert srepo.get_operation(s, organisation_id=a, operation_id=op_id).norma == 30.0


def test_calendar_downtime_and_clear(engine, alice, orgs):
    a, _ = orgs
    with session_scope(engine) as s:
        wc = srepo.create_work_center(s, organisation_id=a, code="GLO-1")
        srepo.set_calendar_exception(s, organisation_id=a, work_center_id=wc.id, day=date(2026, 1, 1),
                                     shift="S1", working=False)
        srepo.set_calendar_exception(s, organisation_id=a, work_center_id=wc.id, day=date(2026, 1, 1),
                                     shift="S1", working=True)
        srepo.add_downtime(s, organisation_id=a, work_center_id=wc.id, start_at=datetime(2026, 1, 2, 8),
                           end_at=datetime(2026, 1, 2, 12), reason="breakdown")
        with pytest.raises(ValueError):
            srepo.add_downtime(s, organisation_id=a, work_center_id=wc.id, start_at=datetime(2026, 1, 2, 8),
                               end_at=datetime(2026, 1, 2, 8))
    with session_scope(engine) as s:
        exc = srepo.list_calendar_exceptions(s, organisation_id=a)
        assert [(x.shift, x.working) for x in exc] == [("S1", True)]
        assert len(srepo.list_downtimes(s, organisation_id=a)) == 1
        srepo.clear_shop(s, organisation_id=a)
    with session_scope(engine) as s:
        assert srepo.list_work_centers(s, organisation_id=a) == []
        assert srepo.list_downtimes(s, organisation_id=a) == []


def test_scenarios_private_to_owner(engine, alice, bob, orgs):
    a, _ = orgs
    with session_scope(engine) as s:
        srepo.add_member(s, organisation_id=a, user_id=bob.id)
        sc = srepo.create_scenario(s, organisation_id=a, owner_id=alice.id, name="what if", problem={}, result={})
    with session_scope(engine) as s:
        assert srepo.get_scenario(s, owner_id=bob.id, scenario_id=sc.id) is None
        assert srepo.list_scenarios(s, owner_id=bob.id, organisation_id=a) == []
        assert not srepo.delete_scenario(s, owner_id=bob.id, scenario_id=sc.id)
        assert [x.name for x in srepo.list_scenarios(s, owner_id=alice.id, organisation_id=a)] == ["what if"]
        assert srepo.delete_scenario(s, owner_id=alice.id, scenario_id=sc.id)
