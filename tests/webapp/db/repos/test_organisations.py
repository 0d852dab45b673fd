"""Organisation repository on SQLite and Postgres: personal organisations, membership,
plants, clearing the shop, and isolation of every shop table between organisations."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from webapp.db.engine import session_scope
from webapp.db.repos import operations as operation_repo
from webapp.db.repos import organisations as organisation_repo
from webapp.db.repos import plans as plan_repo
from webapp.db.repos import work_centers as work_center_repo
from webapp.db.repos import work_orders as work_order_repo
from webapp.db.repos.base import DuplicateName, NotFound


def test_ensure_organisation_is_idempotent_and_membership(engine, alice, orgs):
    a, b = orgs
    assert a != b
    with session_scope(engine) as s:
        assert organisation_repo.ensure_organisation(s, user_id=alice.id, username="alice").id == a
        assert organisation_repo.main_plant(s, organisation_id=a).code == "MAIN"
        assert organisation_repo.get_membership(s, user_id=alice.id).role == "owner"


def test_isolation_between_organisations(engine, alice, bob, orgs):
    a, b = orgs
    with session_scope(engine) as s:
        wc = work_center_repo.create_work_center(s, organisation_id=a, code="TOK-1", name="Lathe")
        wo = work_order_repo.create_work_order(s, organisation_id=a, rn="RN-A")
        op = operation_repo.create_operation(s, organisation_id=a, work_order_id=wo.id, work_center_id=wc.id,
                                             sequence=1, norma=30.0)
        plan = plan_repo.create_plan(s, organisation_id=a, owner_id=alice.id, strategy="dispatch",
                                     plan_start=datetime(2026, 1, 5, 7), result={"x": 1})
        plan_repo.set_current_plan(s, organisation_id=a, owner_id=alice.id, plan_id=plan.id)
        ids = wc.id, wo.id, op.id, plan.id
    wc_id, wo_id, op_id, plan_id = ids
    with session_scope(engine) as s:
        # the same codes are free in another organisation
        work_center_repo.create_work_center(s, organisation_id=b, code="TOK-1")
        work_order_repo.create_work_order(s, organisation_id=b, rn="RN-A")
        assert work_order_repo.get_work_order(s, organisation_id=b, work_order_id=wo_id) is None
        assert work_center_repo.get_work_center(s, organisation_id=b, work_center_id=wc_id) is None
        assert operation_repo.get_operation(s, organisation_id=b, operation_id=op_id) is None
        assert work_order_repo.list_work_orders(s, organisation_id=b).total == 1
        assert plan_repo.get_plan(s, owner_id=bob.id, plan_id=plan_id) is None
        assert plan_repo.get_current_plan(s, organisation_id=b) is None
        assert plan_repo.list_plans(s, owner_id=bob.id).total == 0
        assert not work_order_repo.delete_work_order(s, organisation_id=b, work_order_id=wo_id)
        with pytest.raises(NotFound):
            operation_repo.update_operation(s, organisation_id=b, operation_id=op_id, status="completed")
        with pytest.raises(NotFound):
            plan_repo.set_current_plan(s, organisation_id=b, owner_id=bob.id, plan_id=plan_id)
        with pytest.raises(NotFound):
            work_center_repo.add_downtime(s, organisation_id=b, work_center_id=wc_id, start_at=datetime(2026, 1, 1),
                                          end_at=datetime(2026, 1, 2))
    with session_scope(engine) as s:
        assert plan_repo.get_current_plan(s, organisation_id=a).id == plan_id
        assert operation_repo.get_operation(s, organisation_id=a, operation_id=op_id).norma == 30.0



def test_organisation_of_create_and_members(engine, alice, bob, make_user, orgs):
    a, b = orgs
    carol = make_user("carol")
    with session_scope(engine) as s:
        assert organisation_repo.organisation_of(s, user_id=alice.id).id == a
        assert organisation_repo.organisation_of(s, user_id=carol.id) is None
        assert organisation_repo.get_membership(s, user_id=carol.id) is None
        org = organisation_repo.create_organisation(s, code="ACME", name="Acme")
        assert organisation_repo.main_plant(s, organisation_id=org.id).name == "Main plant"
        with pytest.raises(NotFound):
            organisation_repo.add_member(s, organisation_id=org.id + 1000, user_id=carol.id)
        link = organisation_repo.add_member(s, organisation_id=org.id, user_id=carol.id)
        assert (link.organisation_id, link.role) == (org.id, "member")
        # a member moves: a user belongs to one organisation
        moved = organisation_repo.add_member(s, organisation_id=a, user_id=bob.id, role="planner")
        assert (moved.organisation_id, moved.role) == (a, "planner")
    with pytest.raises(DuplicateName), session_scope(engine) as s:
        organisation_repo.create_organisation(s, code="ACME", name="Other")
    with session_scope(engine) as s:
        assert organisation_repo.organisation_of(s, user_id=carol.id).code == "ACME"
        assert organisation_repo.organisation_of(s, user_id=bob.id).id == a
        assert organisation_repo.ensure_organisation(s, user_id=carol.id, username="carol").code == "ACME"


def test_clear_shop_keeps_plans_and_other_organisations(engine, alice, bob, orgs):
    a, b = orgs
    with session_scope(engine) as s:
        for org in (a, b):
            wc = work_center_repo.create_work_center(s, organisation_id=org, code="W1")
            wo = work_order_repo.create_work_order(s, organisation_id=org, rn="RN-1")
            operation_repo.create_operation(s, organisation_id=org, work_order_id=wo.id, work_center_id=wc.id,
                                            sequence=1)
            work_center_repo.set_calendar_exception(s, organisation_id=org, work_center_id=wc.id,
                                                    day=date(2026, 1, 1), shift="S1", working=False)
        plan = plan_repo.create_plan(s, organisation_id=a, owner_id=alice.id, strategy="dispatch",
                                     plan_start=datetime(2026, 1, 5, 7))
        plan_repo.set_current_plan(s, organisation_id=a, owner_id=alice.id, plan_id=plan.id)
    with session_scope(engine) as s:
        organisation_repo.clear_shop(s, organisation_id=a)
    with session_scope(engine) as s:
        assert work_order_repo.count_work_orders(s, organisation_id=a) == 0
        assert operation_repo.count_operations(s, organisation_id=a) == 0
        assert work_center_repo.list_calendar_exceptions(s, organisation_id=a) == []
        assert plan_repo.get_plan(s, owner_id=alice.id, plan_id=plan.id) is not None
        assert plan_repo.get_current_plan(s, organisation_id=a) is None
        assert organisation_repo.main_plant(s, organisation_id=a) is not None
        assert organisation_repo.get_membership(s, user_id=alice.id).organisation_id == a
        assert work_order_repo.count_work_orders(s, organisation_id=b) == 1
        assert operation_repo.count_operations(s, organisation_id=b) == 1
        assert len(work_center_repo.list_work_centers(s, organisation_id=b)) == 1


def test_clear_shop_with_plans_takes_scenarios_and_change_sets_too(engine, alice, orgs):
    from webapp.db.repos import change_sets as change_set_repo
    from webapp.db.repos import scenarios as scenario_repo

    a, b = orgs
    with session_scope(engine) as s:
        work_order_repo.create_work_order(s, organisation_id=a, rn="RN-1")
        plan = plan_repo.create_plan(s, organisation_id=a, owner_id=alice.id, strategy="dispatch",
                                     plan_start=datetime(2026, 1, 5, 7))
        scenario_repo.create_scenario(s, organisation_id=a, owner_id=alice.id, name="w", problem={}, result={},
                                      base_plan_id=plan.id)
        change_set_repo.create_change_set(s, organisation_id=a, owner_id=alice.id, summary="x", changes=[],
                                          before={}, plan_id=plan.id, previous_plan_id=None)
        counts = organisation_repo.shop_counts(s, organisation_id=a)
        assert (counts["work_orders"], counts["plans"], counts["scenarios"], counts["change_sets"]) == (1, 1, 1, 1)
        assert set(organisation_repo.shop_counts(s, organisation_id=b).values()) == {0}
    with session_scope(engine) as s:
        organisation_repo.clear_shop(s, organisation_id=a, with_plans=True)
    with session_scope(engine) as s:
        assert set(organisation_repo.shop_counts(s, organisation_id=a).values()) == {0}
        assert organisation_repo.main_plant(s, organisation_id=a) is not None


def test_plants_are_listed_created_changed_and_deleted_per_organisation(engine, orgs):
    a, b = orgs
    with session_scope(engine) as s:
        pid = organisation_repo.create_plant(s, organisation_id=a, code="P2", location="Split").id
        wc = work_center_repo.create_work_center(s, organisation_id=a, code="W1")
        wc.plant_id = pid
        s.add(wc)
    with session_scope(engine) as s:
        assert [p.code for p in organisation_repo.list_plants(s, organisation_id=a)] == ["MAIN", "P2"]
        assert organisation_repo.work_centers_of_plant(s, organisation_id=a, plant_id=pid) == ["W1"]
        with pytest.raises(NotFound):
            organisation_repo.update_plant(s, organisation_id=b, plant_id=pid, name="x")
        assert not organisation_repo.delete_plant(s, organisation_id=b, plant_id=pid)
        assert organisation_repo.update_plant(s, organisation_id=a, plant_id=pid, name="Second").name == "Second"
    with pytest.raises(DuplicateName), session_scope(engine) as s:
        organisation_repo.create_plant(s, organisation_id=a, code="MAIN")
    with session_scope(engine) as s:
        assert organisation_repo.delete_plant(s, organisation_id=a, plant_id=pid)
        assert work_center_repo.get_work_center(s, organisation_id=a, code="W1").plant_id is None
