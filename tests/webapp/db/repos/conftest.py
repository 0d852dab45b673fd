"""Shared helpers of the repository tests (the database fixtures come from
``tests/webapp/conftest.py``): a schedule factory and two users' organisations."""

from __future__ import annotations

import pytest

from webapp.db.engine import session_scope
from webapp.db.repos import organisations as organisation_repo
from webapp.db.repos import schedules as schedule_repo


def add_schedule(engine, owner_id, name="plan", strategy="smart-pack", **kw):
    """Store a ``pending`` schedule of ``owner_id`` (one lot) in its own unit of work."""
    with session_scope(engine) as s:
        return schedule_repo.create_schedule(
            s,
            owner_id=owner_id,
            name=name,
            strategy=strategy,
            config={"strategy": strategy},
            input_data=[{"lot_id": "001", "lot_type": "A", "vials": 10}],
            file_name="lots.csv",
            **kw,
        )


@pytest.fixture
def orgs(engine, alice, bob):
    """The ids of Alice's and Bob's personal organisations."""
    with session_scope(engine) as s:
        a = organisation_repo.ensure_organisation(s, user_id=alice.id, username=alice.username).id
        b = organisation_repo.ensure_organisation(s, user_id=bob.id, username=bob.username).id
    return a, b
