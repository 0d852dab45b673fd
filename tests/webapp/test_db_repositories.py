"""Repositories on SQLite and Postgres: CRUD, pagination, filters, sorting, transactions."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.db import repositories as repo
from webapp.db.engine import session_scope
from webapp.db.models import ConfigTemplate, ScheduleResultRow, utcnow

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


def _schedule(engine, owner_id, name="plan", strategy="smart-pack", **kw):
    with session_scope(engine) as s:
        return repo.create_schedule(
            s,
            owner_id=owner_id,
            name=name,
            strategy=strategy,
            config={"strategy": strategy},
            input_data=[{"lot_id": "001", "lot_type": "A", "vials": 10}],
            file_name="lots.csv",
            **kw,
        )


def test_user_crud_and_unique_username(engine, alice):
    with session_scope(engine) as s:
        assert repo.get_user_by_username(s, username="alice").id == alice.id
        assert repo.count_users(s) == 1
        assert repo.count_active_admins(s) == 1
        with pytest.raises(repo.DuplicateName):
            repo.create_user(s, username="alice", password_hash="x")
        # the session is still usable after the refused insert
        assert repo.count_users(s) == 1
    with session_scope(engine) as s:
        repo.update_user(s, user_id=alice.id, name="Alice A.")
        with pytest.raises(ValueError):
            repo.update_user(s, user_id=alice.id, no_such_field=1)
    with session_scope(engine) as s:
        assert repo.get_user(s, user_id=alice.id).name == "Alice A."
        page = repo.list_users(s, name_contains="ALI")
        assert page.total == 1


def test_schedule_lifecycle_complete(engine, alice):
    sch = _schedule(engine, alice.id)
    assert sch.status == "pending" and sch.id is not None
    with session_scope(engine) as s:
        running = repo.mark_schedule_running(s, owner_id=alice.id, schedule_id=sch.id)
        assert running.status == "running" and running.started_at is not None
    with session_scope(engine) as s:
        repo.complete_schedule(s, owner_id=alice.id, schedule_id=sch.id, result=RESULT)
    with session_scope(engine) as s:
        got = repo.get_schedule(s, owner_id=alice.id, schedule_id=sch.id)
        assert got.status == "completed" and got.finished_at is not None
        assert got.input_data[0]["lot_id"] == "001"
        row = repo.get_result(s, owner_id=alice.id, schedule_id=sch.id)
        assert row.makespan_h == 50.0 and row.activities[0]["kind"] == "CLEAN"
    # completing again replaces the result (unique schedule_id)
    with session_scope(engine) as s:
        repo.complete_schedule(
            s, owner_id=alice.id, schedule_id=sch.id, result={**RESULT, "makespan_h": 49.0}
        )
    with session_scope(engine) as s:
        rows = s.exec(sa.select(ScheduleResultRow)).all()
        assert len(rows) == 1


def test_fail_removes_result_and_keeps_error(engine, alice):
    sch = _schedule(engine, alice.id)
    with session_scope(engine) as s:
        repo.complete_schedule(s, owner_id=alice.id, schedule_id=sch.id, result=RESULT)
    with session_scope(engine) as s:
        repo.fail_schedule(s, owner_id=alice.id, schedule_id=sch.id, error="boom")
    with session_scope(engine) as s:
        got = repo.get_schedule(s, owner_id=alice.id, schedule_id=sch.id)
        assert got.status == "failed" and got.error_message == "boom"
        assert repo.get_result(s, owner_id=alice.id, schedule_id=sch.id) is None


def test_rollback_leaves_no_partial_result(engine, alice):
    sch = _schedule(engine, alice.id)
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        repo.complete_schedule(s, owner_id=alice.id, schedule_id=sch.id, result=RESULT)
        raise RuntimeError("crash before commit")
    with session_scope(engine) as s:
        assert repo.get_schedule(s, owner_id=alice.id, schedule_id=sch.id).status == "pending"
        assert repo.get_result(s, owner_id=alice.id, schedule_id=sch.id) is None


def test_result_requires_existing_schedule(engine, alice):
    """The foreign key is enforced (SQLite: PRAGMA foreign_keys=ON)."""
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(ScheduleResultRow(schedule_id=999_999, **{**RESULT}))
        s.flush()


def test_list_pagination_filters_and_sort(engine, alice, bob):
    base = utcnow() - timedelta(days=10)
    with session_scope(engine) as s:
        for i in range(25):
            sch = repo.create_schedule(
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
        repo.create_schedule(
            s, owner_id=bob.id, name="Run bob", strategy="best", config={}, input_data=[]
        )
    with session_scope(engine) as s:
        page = repo.list_schedules(s, owner_id=alice.id, limit=10, offset=0)
        assert page.total == 25 and len(page.items) == 10 and page.has_next
        assert not page.has_previous
        assert page.items[0].name.startswith("Run 24")  # newest first
        last = repo.list_schedules(s, owner_id=alice.id, limit=10, offset=20)
        assert len(last.items) == 5 and not last.has_next
        seen = {
            x.id
            for p in (0, 10, 20)
            for x in repo.list_schedules(s, owner_id=alice.id, limit=10, offset=p).items
        }
        assert len(seen) == 25

        assert repo.list_schedules(s, owner_id=alice.id, status="failed").total == 5
        assert repo.list_schedules(s, owner_id=alice.id, strategy="best").total == 12
        assert (
            repo.list_schedules(s, owner_id=alice.id, strategy=["best", "smart-pack"]).total == 25
        )
        assert repo.list_schedules(s, owner_id=alice.id, name_contains="run 1").total == 10
        # LIKE wildcards in the search text are literal
        assert repo.list_schedules(s, owner_id=alice.id, name_contains="50%_").total == 1
        assert repo.list_schedules(s, owner_id=alice.id, name_contains="5_%").total == 0
        window = repo.list_schedules(
            s,
            owner_id=alice.id,
            created_from=base + timedelta(hours=5),
            created_to=base + timedelta(hours=10),
        )
        assert window.total == 5
        by_name = repo.list_schedules(s, owner_id=alice.id, sort="name", descending=False)
        names = [x.name for x in by_name.items]
        assert names == sorted(names)
        assert repo.list_schedules(s, owner_id=alice.id, sort="makespan_h").total == 25
        with pytest.raises(ValueError):
            repo.list_schedules(s, owner_id=alice.id, sort="password_hash")
        # page size is clamped
        assert repo.list_schedules(s, owner_id=alice.id, limit=0).limit == 1


def test_sort_by_makespan_and_get_results(engine, alice):
    ids = []
    for makespan in (30.0, 10.0, 20.0):
        sch = _schedule(engine, alice.id, name=f"m{makespan}")
        with session_scope(engine) as s:
            repo.complete_schedule(
                s, owner_id=alice.id, schedule_id=sch.id, result={**RESULT, "makespan_h": makespan}
            )
        ids.append(sch.id)
    pending = _schedule(engine, alice.id, name="no result")
    with session_scope(engine) as s:
        page = repo.list_schedules(s, owner_id=alice.id, sort="makespan_h", descending=False)
        assert [x.name for x in page.items] == ["m10.0", "m20.0", "m30.0", "no result"]
        results = repo.get_results(s, owner_id=alice.id, schedule_ids=[*ids, pending.id])
        assert set(results) == set(ids)


def test_delete_schedules(engine, alice):
    a = _schedule(engine, alice.id)
    b = _schedule(engine, alice.id)
    with session_scope(engine) as s:
        repo.complete_schedule(s, owner_id=alice.id, schedule_id=a.id, result=RESULT)
    with session_scope(engine) as s:
        assert repo.delete_schedules(s, owner_id=alice.id, schedule_ids=[a.id, b.id, 424242]) == 2
        assert repo.delete_schedule(s, owner_id=alice.id, schedule_id=a.id) is False
    with session_scope(engine) as s:
        assert s.exec(sa.select(sa.func.count()).select_from(ScheduleResultRow)).one()[0] == 0


def test_fail_stale_runs(engine, alice):
    old = _schedule(engine, alice.id, name="old")
    with session_scope(engine) as s:
        repo.mark_schedule_running(s, owner_id=alice.id, schedule_id=old.id)
    cutoff = utcnow() + timedelta(seconds=1)
    done = _schedule(engine, alice.id, name="done")
    with session_scope(engine) as s:
        repo.complete_schedule(s, owner_id=alice.id, schedule_id=done.id, result=RESULT)
    with session_scope(engine) as s:
        assert repo.fail_stale_runs(s, started_before=cutoff, error="interrupted") == 1
    with session_scope(engine) as s:
        assert repo.get_schedule(s, owner_id=alice.id, schedule_id=old.id).status == "failed"
        assert repo.get_schedule(s, owner_id=alice.id, schedule_id=done.id).status == "completed"
        assert repo.fail_stale_runs(s, started_before=cutoff, error="x") == 0


def test_comparisons(engine, alice):
    a = _schedule(engine, alice.id, strategy="best")
    b = _schedule(engine, alice.id, strategy="smart-pack")
    runs = {
        "best": {"schedule_id": a.id, "result_id": None, "status": "completed"},
        "smart-pack": {"schedule_id": b.id, "result_id": None, "status": "failed"},
    }
    with session_scope(engine) as s:
        c = repo.create_comparison(
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
        got = repo.get_comparison(s, owner_id=alice.id, comparison_id=c.id)
        assert got.runs["best"]["schedule_id"] == a.id
        assert got.strategies == ["best", "smart-pack"]
        assert repo.list_comparisons(s, owner_id=alice.id, name_contains="what").total == 1
        assert repo.delete_comparison(
            s, owner_id=alice.id, comparison_id=c.id, delete_schedules_too=True
        )
    with session_scope(engine) as s:
        assert repo.get_schedule(s, owner_id=alice.id, schedule_id=a.id) is None
        assert repo.list_comparisons(s, owner_id=alice.id).total == 0


def test_templates_unique_name_default_and_sharing(engine, alice, bob):
    with session_scope(engine) as s:
        t1 = repo.create_template(s, owner_id=alice.id, name="Std", config={"clean_hours": 24})
        t2 = repo.create_template(
            s, owner_id=alice.id, name="Fast", config={}, is_default=True, is_shared=True
        )
        with pytest.raises(repo.DuplicateName):
            repo.create_template(s, owner_id=alice.id, name="Std", config={})
        # another user may use the same name
        repo.create_template(s, owner_id=bob.id, name="Std", config={})
    with session_scope(engine) as s:
        assert repo.get_default_template(s, owner_id=alice.id).id == t2.id
        repo.set_default_template(s, owner_id=alice.id, template_id=t1.id)
    with session_scope(engine) as s:
        defaults = s.exec(
            sa.select(ConfigTemplate.id).where(
                ConfigTemplate.owner_id == alice.id, ConfigTemplate.is_default
            )
        ).all()
        assert [d[0] for d in defaults] == [t1.id]
        page = repo.list_templates(s, user_id=alice.id)
        assert [t.name for t in page.items] == ["Std", "Fast"]  # default first
        with pytest.raises(repo.DuplicateName):
            repo.update_template(s, owner_id=alice.id, template_id=t2.id, name="Std")
    with session_scope(engine) as s:
        upd = repo.update_template(
            s, owner_id=alice.id, template_id=t2.id, name="Faster", description="d"
        )
        assert upd.name == "Faster" and upd.description == "d"
        # bob sees his own and alice's shared template, own first
        names = [(t.owner_id, t.name) for t in repo.list_templates(s, user_id=bob.id).items]
        assert names == [(bob.id, "Std"), (alice.id, "Faster")]
        assert repo.list_templates(s, user_id=bob.id, only_own=True).total == 1
        repo.set_default_template(s, owner_id=alice.id, template_id=None)
    with session_scope(engine) as s:
        assert repo.get_default_template(s, owner_id=alice.id) is None
        assert repo.delete_template(s, owner_id=alice.id, template_id=t1.id)
        assert not repo.delete_template(s, owner_id=alice.id, template_id=t1.id)


def test_one_default_per_user_enforced_by_database(engine, alice):
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        s.add(ConfigTemplate(owner_id=alice.id, name="a", config={}, is_default=True))
        s.add(ConfigTemplate(owner_id=alice.id, name="b", config={}, is_default=True))
        s.flush()
