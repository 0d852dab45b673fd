"""Change set repository on SQLite and Postgres: the newest not-undone change set of an
organisation, undo stamps, another organisation's change sets are missing."""

from __future__ import annotations

from datetime import datetime

import pytest

from webapp.db.engine import session_scope
from webapp.db.repos import change_sets as change_set_repo
from webapp.db.repos.base import NotFound


def test_last_change_set_and_undo(engine, alice, orgs):
    a, b = orgs
    with session_scope(engine) as s:
        assert change_set_repo.last_change_set(s, organisation_id=a) is None
        first = change_set_repo.create_change_set(s, organisation_id=a, owner_id=alice.id, summary="x" * 600,
                                                  changes=[], before={"name": "shop"}, plan_id=None,
                                                  previous_plan_id=None)
        second = change_set_repo.create_change_set(s, organisation_id=a, owner_id=alice.id, summary="second",
                                                   changes=[{"kind": "move_up", "args": {}}], before={},
                                                   plan_id=None, previous_plan_id=None)
    assert len(first.summary) == 500
    with session_scope(engine) as s:
        assert change_set_repo.last_change_set(s, organisation_id=a).id == second.id
        assert change_set_repo.last_change_set(s, organisation_id=b) is None
        with pytest.raises(NotFound):
            change_set_repo.mark_undone(s, organisation_id=b, change_set_id=second.id, at=datetime(2026, 1, 1))
        change_set_repo.mark_undone(s, organisation_id=a, change_set_id=second.id, at=datetime(2026, 1, 1))
    with session_scope(engine) as s:
        last = change_set_repo.last_change_set(s, organisation_id=a)
        assert last.id == first.id and last.before == {"name": "shop"}
