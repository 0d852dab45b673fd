"""Schedule repository on SQLite and Postgres: lifecycle, results, pagination, filters,
sorting, deletes, stale runs, transactions."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.db.engine import session_scope
from webapp.db.models import Schedule, ScheduleResultRow, utcnow
from webapp.db.repos import schedules as schedule_repo
from webapp.db.repos.base import NotFound

from .conftest import add_schedule

RESULT = {
    "makespan_h": 50.0,
    "lower_bound_h": 48.0,
    "gap_pct": 4.1667,
    "proven_optimal": False,
    "blocks": 1,
    "changeovers": 1,
    "changeover_h": 4.0,
    "fill_h": 22.0,
    "clean_h": 24.0,
    "utilisation": 0.44,
    "lots": 2,
    "runtime_s": 0.01,
    "solver_status": "heuristic",
    "activities": [{"kind": "CLEAN", "block": 1, "start": "2030-01-01T00:00:00"}],
}


def test_schedule_lifecycle_complete(engine, alice):
    sch = add_schedule(engine, alice.id)
    assert sch.status == "pending" and sch.id is not None
    with session_scope(engine) as s:
        running = schedule_repo.mark_schedule_running(s, owner_id=alice.id, schedule_id=sch.id)
        assert running.status == "running" and running.started_at is not None
    with session_scope(engine) as s:
        schedule_repo.complete_schedule(s, owner_id=alice.id, schedule_id=sch.id, result=RESULT)
    with session_scope(engine) as s:
        got = schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=sch.id)
        assert got.status == "completed" and got.finished_at is not None
        assert got.input_data[0]["lot_id"] == "001"
        row = schedule_repo.get_result(s, owner_id=alice.id, schedule_id=sch.id)
        assert row.makespan_h == 50.0 and row.activities[0]["kind"] == "CLEAN"
    # completing again replaces the result (unique schedule_id)
    with session_scope(engine) as s:
        schedule_repo.complete_schedule(
            s, owner_id=alice.id, schedule_id=sch.id, result={**RESULT, "makespan_h": 49.0}
        )
    with session_scope(engine) as s:
        rows = s.exec(sa.select(ScheduleResultRow)).all()
        assert len(rows) == 1


def test_fail_removes_result_and_keeps_error(engine, alice):
    sch = add_schedule(engine, alice.id)
    with session_scope(engine) as s:
        schedule_repo.complete_schedule(s, owner_id=alice.id, schedule_id=sch.id, result=RESULT)
    with session_scope(engine) as s:
        schedule_repo.fail_schedule(s, owner_id=alice.id, schedule_id=sch.id, error="boom")
    with session_scope(engine) as s:
        got = schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=sch.id)
        assert got.status == "failed" and got.error_message == "boom"
        assert schedule_repo.get_result(s, owner_id=alice.id, schedule_id=sch.id) is None


def test_rollback_leaves_no_partial_result(engine, alice):
    sch = add_schedule(engine, alice.id)
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        schedule_repo.complete_schedule(s, owner_id=alice.id, schedule_id=sch.id, result=RESULT)
        raise RuntimeError("crash before commit")
    with session_scope(engine) as s:
        assert schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=sch.id).status == "pending"
        assert schedule_repo.get_result(s, owner_id=alice.id, schedule_id=sch.id) is None


def test_result_requires_existing_schedule(engine, alice):
    """The foreign key is enforced (SQLite: PRAGMA foreign_keys=ON)."""
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(ScheduleResultRow(schedule_id=999_999, **{**RESULT}))
        s.flush()


def test_list_pagination_filters_and_sort(engine, alice, bob):
    base = utcnow() - timedelta(days=10)
    with session_scope(engine) as s:
        for i in range(25):
            sch = schedule_repo.create_schedule(
                s,
                owner_id=alice.id,
                name=f"Run {i:02d}" + (" 50%_special" if i == 7 else ""),
                strategy="best" if i % 2 else "smart-pack",
                config={},
                input_data=[],
            )
            sch.created_at = base + timedelta(hours=i)
            if i % 5 == 0:
                sch.status = "failed"
            s.add(sch)
        schedule_repo.create_schedule(
            s, owner_id=bob.id, name="Run bob", strategy="best", config={}, input_data=[]
        )
    with session_scope(engine) as s:
        page = schedule_repo.list_schedules(s, owner_id=alice.id, limit=10, offset=0)
        assert page.total == 25 and len(page.items) == 10 and page.has_next
        assert not page.has_previous
        assert page.items[0].name.startswith("Run 24")  # newest first
        last = schedule_repo.list_schedules(s, owner_id=alice.id, limit=10, offset=20)
        assert len(last.items) == 5 and not last.has_next
        seen = {
            x.id
            for p in (0, 10, 20)
            for x in schedule_repo.list_schedules(s, owner_id=alice.id, limit=10, offset=p).items
        }
        assert len(seen) == 25

        assert schedule_repo.list_schedules(s, owner_id=alice.id, status="failed").total == 5
        assert schedule_repo.list_schedules(s, owner_id=alice.id, strategy="best").total == 12
        assert (
            schedule_repo.list_schedules(s, owner_id=alice.id, strategy=["best", "smart-pack"]).total == 25
        )
        assert schedule_repo.list_schedules(s, owner_id=alice.id, name_contains="run 1").total == 10
        # LIKE wildcards in the search text are literal
        assert schedule_repo.list_schedules(s, owner_id=alice.id, name_contains="50%_").total == 1
        assert schedule_repo.list_schedules(s, owner_id=alice.id, name_contains="5_%").total == 0
        window = schedule_repo.list_schedules(
            s,
            owner_id=alice.id,
            created_from=base + timedelta(hours=5),
            created_to=base + timedelta(hours=10),
        )
        assert window.total == 5
        by_name = schedule_repo.list_schedules(s, owner_id=alice.id, sort="name", descending=False)
        names = [x.name for x in by_name.items]
        assert names == sorted(names)
        assert schedule_repo.list_schedules(s, owner_id=alice.id, sort="makespan_h").total == 25
        with pytest.raises(ValueError):
            schedule_repo.list_schedules(s, owner_id=alice.id, sort="password_hash")
        # page size is clamped
        assert schedule_repo.list_schedules(s, owner_id=alice.id, limit=0).limit == 1


def test_sort_by_makespan_and_get_results(engine, alice):
    ids = []
    for makespan in (30.0, 10.0, 20.0):
        sch = add_schedule(engine, alice.id, name=f"m{makespan}")
        with session_scope(engine) as s:
            schedule_repo.complete_schedule(
                s, owner_id=alice.id, schedule_id=sch.id, result={**RESULT, "makespan_h": makespan}
            )
        ids.append(sch.id)
    pending = add_schedule(engine, alice.id, name="no result")
    with session_scope(engine) as s:
        page = schedule_repo.list_schedules(s, owner_id=alice.id, sort="makespan_h", descending=False)
        assert [x.name for x in page.items] == ["m10.0", "m20.0", "m30.0", "no result"]
        results = schedule_repo.get_results(s, owner_id=alice.id, schedule_ids=[*ids, pending.id])
        assert set(results) == set(ids)


def test_delete_schedules(engine, alice):
    a = add_schedule(engine, alice.id)
    b = add_schedule(engine, alice.id)
    with session_scope(engine) as s:
        schedule_repo.complete_schedule(s, owner_id=alice.id, schedule_id=a.id, result=RESULT)
    with session_scope(engine) as s:
        assert schedule_repo.delete_schedules(s, owner_id=alice.id, schedule_ids=[a.id, b.id, 424242]) == 2
        assert schedule_repo.delete_schedule(s, owner_id=alice.id, schedule_id=a.id) is False
    with session_scope(engine) as s:
        assert s.exec(sa.select(sa.func.count()).select_from(ScheduleResultRow)).one()[0] == 0


def test_fail_stale_runs(engine, alice):
    old = add_schedule(engine, alice.id, name="old")
    with session_scope(engine) as s:
        schedule_repo.mark_schedule_running(s, owner_id=alice.id, schedule_id=old.id)
    cutoff = utcnow() + timedelta(seconds=1)
    done = add_schedule(engine, alice.id, name="done")
    with session_scope(engine) as s:
        schedule_repo.complete_schedule(s, owner_id=alice.id, schedule_id=done.id, result=RESULT)
    with session_scope(engine) as s:
        assert schedule_repo.fail_stale_runs(s, last_seen_before=cutoff, error="interrupted") == 1
    with session_scope(engine) as s:
        assert schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=old.id).status == "failed"
        assert schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=done.id).status == "completed"
        assert schedule_repo.fail_stale_runs(s, last_seen_before=cutoff, error="x") == 0



def test_rename_and_missing_schedule(engine, alice, bob):
    sch = add_schedule(engine, alice.id)
    missing = sch.id + 1000
    with session_scope(engine) as s:
        renamed = schedule_repo.rename_schedule(s, owner_id=alice.id, schedule_id=sch.id, name="new name")
        assert renamed.name == "new name"
        assert schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=missing) is None
        for call, kw in (
            (schedule_repo.mark_schedule_running, {}),
            (schedule_repo.complete_schedule, {"result": RESULT}),
            (schedule_repo.fail_schedule, {"error": "x"}),
            (schedule_repo.rename_schedule, {"name": "x"}),
        ):
            with pytest.raises(NotFound):
                call(s, owner_id=alice.id, schedule_id=missing, **kw)
            with pytest.raises(NotFound):
                call(s, owner_id=bob.id, schedule_id=sch.id, **kw)
    with session_scope(engine) as s:
        assert schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=sch.id).name == "new name"


def test_problem_kind_and_empty_id_lists(engine, alice):
    add_schedule(engine, alice.id, name="filling run")
    shop = add_schedule(engine, alice.id, name="shop run", problem_kind="shop")
    assert shop.problem_kind == "shop"
    with pytest.raises(ValueError):
        add_schedule(engine, alice.id, problem_kind="packing")
    with session_scope(engine) as s:
        page = schedule_repo.list_schedules(s, owner_id=alice.id, problem_kind="shop")
        assert [x.name for x in page.items] == ["shop run"]
        assert schedule_repo.list_schedules(s, owner_id=alice.id).total == 2
        assert schedule_repo.get_results(s, owner_id=alice.id, schedule_ids=[]) == {}
        assert schedule_repo.delete_schedules(s, owner_id=alice.id, schedule_ids=[]) == 0


def test_stale_means_no_heartbeat_since(engine, alice, bob):
    """A run is judged by its last heartbeat, not by when it started."""
    fresh = add_schedule(engine, alice.id, name="long but alive")
    stale = add_schedule(engine, alice.id, name="dead")
    hour_ago = utcnow() - timedelta(hours=1)
    with session_scope(engine) as s:
        for sch in (fresh, stale):
            schedule_repo.mark_schedule_running(s, owner_id=alice.id, schedule_id=sch.id)
        s.exec(sa.update(Schedule).values(started_at=hour_ago, heartbeat_at=hour_ago))
    with session_scope(engine) as s:
        assert schedule_repo.record_heartbeat(s, owner_id=alice.id, schedule_id=fresh.id) is True
        assert schedule_repo.record_heartbeat(s, owner_id=bob.id, schedule_id=fresh.id) is False
    with session_scope(engine) as s:
        cutoff = utcnow() - timedelta(minutes=2)
        assert schedule_repo.fail_stale_runs(s, last_seen_before=cutoff, error="gone") == 1
    with session_scope(engine) as s:
        assert schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=fresh.id).status == "running"
        dead = schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=stale.id)
        assert dead.status == "failed" and dead.error_message == "gone"
        # a failed run's heartbeat is not written any more
        assert schedule_repo.record_heartbeat(s, owner_id=alice.id, schedule_id=stale.id) is False


def test_failed_run_is_never_completed(engine, alice):
    sch = add_schedule(engine, alice.id)
    with session_scope(engine) as s:
        schedule_repo.mark_schedule_running(s, owner_id=alice.id, schedule_id=sch.id)
    with session_scope(engine) as s:
        schedule_repo.fail_schedule(s, owner_id=alice.id, schedule_id=sch.id, error="interrupted")
    with pytest.raises(schedule_repo.RunAlreadyFailed, match="marked failed"), session_scope(engine) as s:
        schedule_repo.complete_schedule(s, owner_id=alice.id, schedule_id=sch.id, result=RESULT)
    with session_scope(engine) as s:
        stored = schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=sch.id)
        assert stored.status == "failed" and stored.error_message == "interrupted"
        assert schedule_repo.get_result(s, owner_id=alice.id, schedule_id=sch.id) is None



def test_list_leaves_out_excluded_ids_and_ids_are_never_reused(engine, alice):
    first, second, third = (add_schedule(engine, alice.id, name=f"s{i}").id for i in range(3))
    with session_scope(engine) as s:
        page = schedule_repo.list_schedules(s, owner_id=alice.id, exclude_ids=[second])
        assert {x.id for x in page.items} == {first, third} and page.total == 2
        assert schedule_repo.delete_schedule(s, owner_id=alice.id, schedule_id=third)
    assert add_schedule(engine, alice.id, name="next").id == third + 1  # not the deleted one's
