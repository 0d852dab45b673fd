"""Roles and the acting user of a service call."""

from __future__ import annotations

import pytest

from webapp import access, auth
from webapp.db.engine import session_scope
from webapp.errors import PermissionDenied


def test_role_checks():
    class U:
        def __init__(self, role, active=True):
            self.role, self.active = role, active

    assert access.can_create(U("admin")) and access.can_create(U("planner"))
    assert not access.can_create(U("viewer"))
    assert not access.can_create(U("planner", active=False))
    assert not access.can_create(None)
    assert access.is_admin(U("admin")) and not access.is_admin(U("planner"))



def test_user_id_needs_a_user():
    assert access.user_id(7) == 7
    with pytest.raises(PermissionDenied, match="not logged in"):
        access.user_id(None)


def test_acting_user_rereads_role_and_active_flag(engine):
    anna = auth.register_user(engine, username="anna", email="a@example.com", password="Sunflower-2030")
    ben = auth.register_user(engine, username="bennet", email="b@example.com", password="Sunflower-2030")
    with session_scope(engine) as session:
        assert access.acting_user(session, anna.id, write=True).username == "anna"
    auth.set_role(engine, acting_user=anna, user_id=ben.id, role="viewer")
    with session_scope(engine) as session:
        assert access.acting_user(session, ben.id, write=False).role == "viewer"
        with pytest.raises(PermissionDenied, match="viewers"):
            access.acting_user(session, ben.id, write=True)
    auth.set_active(engine, acting_user=anna, user_id=ben.id, active=False)
    with session_scope(engine) as session, pytest.raises(PermissionDenied, match="not active"):
        access.acting_user(session, ben.id, write=False)


def test_acting_member_creates_the_organisation_once(engine):
    anna = auth.register_user(engine, username="anna", email="a@example.com", password="Sunflower-2030")
    with session_scope(engine) as session:
        first = access.acting_member(session, anna, write=False)
    with session_scope(engine) as session:
        assert access.acting_member(session, anna, write=True) == first
