"""Shop plan repository on SQLite and Postgres: plans private to their owner, paging, one
current plan per organisation."""

from __future__ import annotations

from datetime import datetime

import pytest

from webapp.db.engine import session_scope
from webapp.db.repos import organisations as organisation_repo
from webapp.db.repos import plans as plan_repo
from webapp.db.repos.base import NotFound

START = datetime(2026, 1, 5, 7)


def test_create_and_list_plans(engine, alice, bob, orgs):
    a, _ = orgs
    with session_scope(engine) as s:
        ids = [
            plan_repo.create_plan(s, organisation_id=a, owner_id=alice.id, strategy="dispatch", plan_start=START,
                                  name=f"p{i}", makespan_h=10.0 + i).id
            for i in range(3)
        ]
        with pytest.raises(KeyError):
            plan_repo.create_plan(s, organisation_id=a, owner_id=alice.id, plan_start=START)
        with pytest.raises(ValueError):
            plan_repo.create_plan(s, organisation_id=a, owner_id=alice.id, strategy="dispatch", plan_start=START,
                                  is_current=True)
    with session_scope(engine) as s:
        page = plan_repo.list_plans(s, owner_id=alice.id, limit=2)
        assert page.total == 3 and page.has_next
        assert [p.id for p in page.items] == sorted(ids, reverse=True)[:2]
        got = plan_repo.get_plan(s, owner_id=alice.id, plan_id=ids[0])
        assert (got.name, got.makespan_h, got.is_current) == ("p0", 10.0, False)
        assert plan_repo.get_plan(s, owner_id=bob.id, plan_id=ids[0]) is None
        assert plan_repo.list_plans(s, owner_id=bob.id).total == 0
        assert plan_repo.get_current_plan(s, organisation_id=a) is None


def test_one_current_plan_seen_by_every_member(engine, alice, bob, orgs):
    a, b = orgs
    with session_scope(engine) as s:
        organisation_repo.add_member(s, organisation_id=a, user_id=bob.id)
        first = plan_repo.create_plan(s, organisation_id=a, owner_id=alice.id, strategy="dispatch", plan_start=START)
        second = plan_repo.create_plan(s, organisation_id=a, owner_id=bob.id, strategy="optimise", plan_start=START)
        elsewhere = plan_repo.create_plan(s, organisation_id=b, owner_id=bob.id, strategy="dispatch",
                                          plan_start=START)
        plan_repo.set_current_plan(s, organisation_id=a, owner_id=alice.id, plan_id=first.id)
    with session_scope(engine) as s:
        # a member cannot accept someone else's plan, nor a plan of another organisation
        with pytest.raises(NotFound):
            plan_repo.set_current_plan(s, organisation_id=a, owner_id=bob.id, plan_id=first.id)
        with pytest.raises(NotFound):
            plan_repo.set_current_plan(s, organisation_id=a, owner_id=bob.id, plan_id=elsewhere.id)
        assert plan_repo.set_current_plan(s, organisation_id=a, owner_id=bob.id, plan_id=second.id).is_current
    with session_scope(engine) as s:
        assert plan_repo.get_current_plan(s, organisation_id=a).id == second.id
        assert plan_repo.get_plan(s, owner_id=alice.id, plan_id=first.id).is_current is False
        assert plan_repo.get_current_plan(s, organisation_id=b) is None
