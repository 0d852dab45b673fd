"""User repository on SQLite and Postgres: CRUD, unique username, counts, list filters."""

from __future__ import annotations

import pytest

from webapp.db.engine import session_scope
from webapp.db.repos import users as user_repo
from webapp.db.repos.base import DuplicateName, NotFound


def test_user_crud_and_unique_username(engine, alice):
    with session_scope(engine) as s:
        assert user_repo.get_user_by_username(s, username="alice").id == alice.id
        assert user_repo.count_users(s) == 1
        assert user_repo.count_active_admins(s) == 1
        with pytest.raises(DuplicateName):
            user_repo.create_user(s, username="alice", password_hash="x")
        # the session is still usable after the refused insert
        assert user_repo.count_users(s) == 1
    with session_scope(engine) as s:
        user_repo.update_user(s, user_id=alice.id, name="Alice A.")
        with pytest.raises(ValueError):
            user_repo.update_user(s, user_id=alice.id, no_such_field=1)
    with session_scope(engine) as s:
        assert user_repo.get_user(s, user_id=alice.id).name == "Alice A."
        page = user_repo.list_users(s, name_contains="ALI")
        assert page.total == 1


def test_missing_user(engine, alice):
    with session_scope(engine) as s:
        assert user_repo.get_user(s, user_id=alice.id + 1000) is None
        assert user_repo.get_user_by_username(s, username="nobody") is None
        with pytest.raises(NotFound):
            user_repo.update_user(s, user_id=alice.id + 1000, name="x")
        with pytest.raises(ValueError):
            user_repo.update_user(s, user_id=alice.id, id=5)


def test_list_users_filters_and_counts(engine, make_user):
    make_user("zed", "admin")
    make_user("amy", "planner")
    make_user("old-admin", "admin", active=False)
    make_user("vic", "viewer")
    with session_scope(engine) as s:
        assert user_repo.count_users(s) == 4
        assert user_repo.count_active_admins(s) == 1
        page = user_repo.list_users(s)
        assert [u.username for u in page.items] == ["amy", "old-admin", "vic", "zed"]
        assert [u.username for u in user_repo.list_users(s, role="admin").items] == ["old-admin", "zed"]
        assert [u.username for u in user_repo.list_users(s, role="admin", active=True).items] == ["zed"]
        assert user_repo.list_users(s, active=False).total == 1
        second = user_repo.list_users(s, limit=2, offset=2)
        assert [u.username for u in second.items] == ["vic", "zed"] and not second.has_next
