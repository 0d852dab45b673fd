"""The shared repository pieces on SQLite and Postgres: pages, clamping, the name filter
and the shop write helpers."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import col, select

from webapp.db.engine import session_scope
from webapp.db.models import User
from webapp.db.repos import base
from webapp.db.repos.base import DuplicateName, NotFound, Page
from webapp.db.shop_models import Organisation, ShopWorkOrder


def test_page_is_frozen_and_knows_its_neighbours():
    page = Page(items=[1, 2], total=5, limit=2, offset=2)
    assert page.has_next and page.has_previous
    assert not Page(items=[1], total=1, limit=10, offset=0).has_next
    assert not Page(items=[], total=0, limit=10, offset=0).has_previous
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.total = 6  # type: ignore[misc]


def test_errors_are_the_builtin_kinds():
    assert issubclass(NotFound, LookupError)
    assert issubclass(DuplicateName, ValueError)


def test_clamp():
    assert base.clamp(0, -3) == (1, 0)
    assert base.clamp(base.MAX_PAGE_SIZE + 1, 7) == (base.MAX_PAGE_SIZE, 7)
    assert base.clamp("20", "4") == (20, 4)
    with pytest.raises(ValueError):
        base.clamp("many", 0)


def test_paginate_and_name_filter(engine, make_user):
    for name in ("ann", "a_b", "axb", "bob"):
        make_user(name)
    with session_scope(engine) as s:
        stmt = select(User)
        page = base.paginate(s, stmt, order_by=[col(User.username)], limit=2, offset=1)
        assert [u.username for u in page.items] == ["ann", "axb"]
        assert (page.total, page.limit, page.offset) == (4, 2, 1)
        assert base.paginate(s, stmt, order_by=[col(User.username)], limit=10_000, offset=-1).limit == (
            base.MAX_PAGE_SIZE
        )
        assert base.name_filter(User.username, "  ") is None
        assert base.name_filter(User.username, None) is None
        found = s.exec(select(User).where(base.name_filter(User.username, " A_ "))).all()
        assert [u.username for u in found] == ["a_b"]  # "_" is literal, not a wildcard


def test_flush_unique_turns_a_unique_violation_into_duplicate_name(engine):
    with session_scope(engine) as s:
        s.add(Organisation(code="ACME", name="Acme"))
        base.flush_unique(s, "organisation 'ACME'")
    with pytest.raises(DuplicateName, match="organisation 'ACME' already exists"), session_scope(engine) as s:
        s.add(Organisation(code="ACME", name="Again"))
        base.flush_unique(s, "organisation 'ACME'")
    with session_scope(engine) as s:
        assert [o.name for o in s.exec(select(Organisation)).all()] == ["Acme"]


def test_set_fields():
    row = ShopWorkOrder(organisation_id=1, rn="RN-1")
    before = row.updated_at
    base.set_fields(row, {"quantity": 3, "status": "completed"}, base.FIXED_FIELDS)
    assert (row.quantity, row.status) == (3, "completed") and row.updated_at >= before
    with pytest.raises(ValueError, match="read-only"):
        base.set_fields(row, {"organisation_id": 2}, base.FIXED_FIELDS)
    with pytest.raises(ValueError):
        base.set_fields(row, {"rn": "x"}, base.FIXED_FIELDS | {"rn"})
    with pytest.raises(ValueError):
        base.set_fields(row, {"no_such_column": 1}, base.FIXED_FIELDS)
    assert row.organisation_id == 1 and row.rn == "RN-1"
    org = Organisation(code="X", name="X")  # no updated_at column: nothing stamped
    base.set_fields(org, {"name": "Y"}, base.FIXED_FIELDS)
    assert org.name == "Y"
