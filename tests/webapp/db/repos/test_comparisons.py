"""Comparison repository on SQLite and Postgres: create, read, list, delete (with or
without the schedules of the runs)."""

from __future__ import annotations

import pytest

from webapp.db.engine import session_scope
from webapp.db.repos import comparisons as comparison_repo
from webapp.db.repos import schedules as schedule_repo
from webapp.db.repos.base import NotFound

from .conftest import add_schedule


def test_comparisons(engine, alice):
    a = add_schedule(engine, alice.id, strategy="best")
    b = add_schedule(engine, alice.id, strategy="smart-pack")
    runs = {
        "best": {"schedule_id": a.id, "result_id": None, "status": "completed"},
        "smart-pack": {"schedule_id": b.id, "result_id": None, "status": "failed"},
    }
    with session_scope(engine) as s:
        c = comparison_repo.create_comparison(
            s,
            owner_id=alice.id,
            name="What if",
            input_data=[{"lot_id": "1"}],
            strategies=["best", "smart-pack"],
            runs=runs,
            file_name="lots.csv",
            config={"x": 1},
        )
    with session_scope(engine) as s:
        got = comparison_repo.get_comparison(s, owner_id=alice.id, comparison_id=c.id)
        assert got.runs["best"]["schedule_id"] == a.id
        assert got.strategies == ["best", "smart-pack"]
        assert comparison_repo.list_comparisons(s, owner_id=alice.id, name_contains="what").total == 1
        assert comparison_repo.delete_comparison(
            s, owner_id=alice.id, comparison_id=c.id, delete_schedules_too=True
        )
    with session_scope(engine) as s:
        assert schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=a.id) is None
        assert comparison_repo.list_comparisons(s, owner_id=alice.id).total == 0



def test_comparison_needs_own_schedules_and_can_keep_them(engine, alice, bob):
    mine = add_schedule(engine, alice.id)
    theirs = add_schedule(engine, bob.id)
    with session_scope(engine) as s:
        with pytest.raises(NotFound):
            comparison_repo.create_comparison(
                s, owner_id=alice.id, name="x", input_data=[], strategies=["best"],
                runs={"best": {"schedule_id": theirs.id}},
            )
        c = comparison_repo.create_comparison(
            s, owner_id=alice.id, name="kept", input_data=[], strategies=["best", "none"],
            runs={"best": {"schedule_id": mine.id}, "none": {"schedule_id": None}},
        )
        assert c.config == {} and c.file_name is None
    with session_scope(engine) as s:
        assert comparison_repo.get_comparison(s, owner_id=bob.id, comparison_id=c.id) is None
        assert comparison_repo.list_comparisons(s, owner_id=bob.id).total == 0
        assert not comparison_repo.delete_comparison(s, owner_id=bob.id, comparison_id=c.id)
        assert comparison_repo.delete_comparison(s, owner_id=alice.id, comparison_id=c.id)
        assert not comparison_repo.delete_comparison(s, owner_id=alice.id, comparison_id=c.id)
    with session_scope(engine) as s:
        assert schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=mine.id) is not None


def test_list_comparisons_order_and_dates(engine, alice):
    with session_scope(engine) as s:
        ids = [
            comparison_repo.create_comparison(
                s, owner_id=alice.id, name=f"c{i}", input_data=[], strategies=[], runs={}
            ).id
            for i in range(3)
        ]
    with session_scope(engine) as s:
        newest_first = comparison_repo.list_comparisons(s, owner_id=alice.id)
        assert [c.id for c in newest_first.items] == sorted(ids, reverse=True)
        oldest_first = comparison_repo.list_comparisons(s, owner_id=alice.id, descending=False, limit=2)
        assert [c.id for c in oldest_first.items] == sorted(ids)[:2] and oldest_first.has_next
        first = comparison_repo.get_comparison(s, owner_id=alice.id, comparison_id=ids[0])
        assert comparison_repo.list_comparisons(s, owner_id=alice.id, created_to=first.created_at).total == 0
        assert comparison_repo.list_comparisons(s, owner_id=alice.id, created_from=first.created_at).total == 3


def test_all_comparisons_are_the_owners_oldest_first(engine, alice, bob):
    a = add_schedule(engine, alice.id)
    with session_scope(engine) as s:
        ids = [
            comparison_repo.create_comparison(
                s, owner_id=alice.id, name=n, input_data=[], strategies=["best"],
                runs={"best": {"schedule_id": a.id, "status": "completed"}},
            ).id
            for n in ("first", "second")
        ]
    with session_scope(engine) as s:
        assert [c.id for c in comparison_repo.all_comparisons(s, owner_id=alice.id)] == ids
        assert comparison_repo.all_comparisons(s, owner_id=bob.id) == []
