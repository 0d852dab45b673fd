"""Scenario repository on SQLite and Postgres: private to the owner, update, delete."""

from __future__ import annotations

import pytest

from webapp.db.engine import session_scope
from webapp.db.repos import organisations as organisation_repo
from webapp.db.repos import scenarios as scenario_repo
from webapp.db.repos.base import NotFound


def test_scenarios_private_to_owner(engine, alice, bob, orgs):
    a, _ = orgs
    with session_scope(engine) as s:
        organisation_repo.add_member(s, organisation_id=a, user_id=bob.id)
        sc = scenario_repo.create_scenario(s, organisation_id=a, owner_id=alice.id, name="what if", problem={}, result={})
    with session_scope(engine) as s:
        assert scenario_repo.get_scenario(s, owner_id=bob.id, scenario_id=sc.id) is None
        assert scenario_repo.list_scenarios(s, owner_id=bob.id, organisation_id=a) == []
        assert not scenario_repo.delete_scenario(s, owner_id=bob.id, scenario_id=sc.id)
        assert [x.name for x in scenario_repo.list_scenarios(s, owner_id=alice.id, organisation_id=a)] == ["what if"]
        assert scenario_repo.delete_scenario(s, owner_id=alice.id, scenario_id=sc.id)



def test_update_scenario(engine, alice, bob, orgs):
    a, _ = orgs
    with session_scope(engine) as s:
        sc = scenario_repo.create_scenario(s, organisation_id=a, owner_id=alice.id, name="n" * 300,
                                           problem={"p": 1}, result={})
        assert len(sc.name) == 255 and sc.changes == [] and sc.base_plan_id is None
    with session_scope(engine) as s:
        upd = scenario_repo.update_scenario(s, owner_id=alice.id, scenario_id=sc.id, name="faster",
                                            changes=[{"move": "RN-1"}], result={"r": 2})
        assert (upd.name, upd.changes, upd.result) == ("faster", [{"move": "RN-1"}], {"r": 2})
        with pytest.raises(NotFound):
            scenario_repo.update_scenario(s, owner_id=bob.id, scenario_id=sc.id, name="x")
        with pytest.raises(ValueError):
            scenario_repo.update_scenario(s, owner_id=alice.id, scenario_id=sc.id, owner_id_x=bob.id)
        with pytest.raises(ValueError):
            scenario_repo.update_scenario(s, owner_id=alice.id, scenario_id=sc.id, organisation_id=2)
    with session_scope(engine) as s:
        got = scenario_repo.get_scenario(s, owner_id=alice.id, scenario_id=sc.id)
        assert (got.name, got.problem, got.changes) == ("faster", {"p": 1}, [{"move": "RN-1"}])
