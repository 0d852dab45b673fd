"""User B can never read, list, change or delete user A's private rows — through any
repository or service call."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

import pytest
import sqlalchemy as sa

from scheduler_core.filling import FillingConfig, Lot
from webapp import errors
from webapp.db.engine import session_scope
from webapp.db.models import Comparison, ConfigTemplate, Schedule, ScheduleResultRow
from webapp.db.repos import comparisons as comparison_repo
from webapp.db.repos import schedules as schedule_repo
from webapp.db.repos import templates as template_repo
from webapp.db.repos.base import NotFound
from webapp.filling import history as fill_history
from webapp.filling import runs as fill_runs
from webapp.filling import templates as fill_templates

LOTS = [Lot("001", "A", 19920 * 10), Lot("002", "B", 19920 * 20)]
CONFIG = FillingConfig(start_time=datetime(2030, 1, 1), time_limit_s=1)


@pytest.fixture
def world(engine, make_user):
    """Alice (a planner) owns a completed schedule, a comparison, a private and a shared
    template; Bob is a planner and Carol an *admin*: neither may touch Alice's private rows."""
    alice = make_user("alice", "planner")
    bob = make_user("bob", "planner")
    carol = make_user("carol", "admin")
    sid = fill_runs.run_filling_schedule(engine, user=alice, name="alice secret", lots=LOTS, config=replace(CONFIG, strategy="smart-pack"))
    cid = fill_runs.run_comparison(
        engine,
        user=alice,
        name="alice cmp",
        lots=LOTS,
        config=CONFIG,
        strategies=["smart-pack", "lpt-pack"],
    )
    private = fill_templates.create_template(
        engine, user=alice, name="private", config={}, is_default=True
    )
    shared = fill_templates.create_template(engine, user=alice, name="shared", config={}, is_shared=True)
    return {
        "alice": alice,
        "others": [bob, carol],
        "sid": sid,
        "cid": cid,
        "private": private,
        "shared": shared,
    }


def _snapshot(engine):
    with session_scope(engine) as s:
        return {
            model.__tablename__: sorted(
                json.dumps(r.model_dump(mode="json"), sort_keys=True)
                for r in s.exec(sa.select(model)).scalars().all()
            )
            for model in (Schedule, ScheduleResultRow, Comparison, ConfigTemplate)
        }


def test_repositories_hide_other_users_rows(engine, world):
    sid, cid = world["sid"], world["cid"]
    before = _snapshot(engine)
    for other in world["others"]:
        oid = other.id
        with session_scope(engine) as s:
            assert schedule_repo.get_schedule(s, owner_id=oid, schedule_id=sid) is None
            assert schedule_repo.get_result(s, owner_id=oid, schedule_id=sid) is None
            assert schedule_repo.get_results(s, owner_id=oid, schedule_ids=[sid]) == {}
            assert schedule_repo.list_schedules(s, owner_id=oid).total == 0
            assert schedule_repo.list_schedules(s, owner_id=oid, name_contains="alice").total == 0
            assert schedule_repo.list_schedules(s, owner_id=oid, sort="makespan_h").total == 0
            assert comparison_repo.get_comparison(s, owner_id=oid, comparison_id=cid) is None
            assert comparison_repo.list_comparisons(s, owner_id=oid).total == 0
            assert template_repo.get_template(s, user_id=oid, template_id=world["private"]) is None
            assert template_repo.get_default_template(s, owner_id=oid) is None
            visible = {t.id for t in template_repo.list_templates(s, user_id=oid).items}
            assert visible == {world["shared"]}
            assert template_repo.get_template(s, user_id=oid, template_id=world["shared"]) is not None

            t_private, t_shared = world["private"], world["shared"]
            refused = [
                (schedule_repo.mark_schedule_running, {"schedule_id": sid}),
                (schedule_repo.complete_schedule, {"schedule_id": sid, "result": {}}),
                (schedule_repo.fail_schedule, {"schedule_id": sid, "error": "x"}),
                (schedule_repo.rename_schedule, {"schedule_id": sid, "name": "x"}),
                (template_repo.update_template, {"template_id": t_private, "name": "x"}),
                (template_repo.update_template, {"template_id": t_shared, "config": {"clean_hours": 1}}),
                (template_repo.set_default_template, {"template_id": t_shared}),
                (
                    comparison_repo.create_comparison,
                    {
                        "name": "steal",
                        "input_data": [],
                        "strategies": ["best"],
                        "runs": {"best": {"schedule_id": sid}},
                    },
                ),
            ]
            for fn, kwargs in refused:
                with pytest.raises(NotFound):
                    fn(s, owner_id=oid, **kwargs)
            assert schedule_repo.delete_schedule(s, owner_id=oid, schedule_id=sid) is False
            assert schedule_repo.delete_schedules(s, owner_id=oid, schedule_ids=[sid]) == 0
            assert (
                comparison_repo.delete_comparison(
                    s, owner_id=oid, comparison_id=cid, delete_schedules_too=True
                )
                is False
            )
            assert template_repo.delete_template(s, owner_id=oid, template_id=world["private"]) is False
            assert template_repo.delete_template(s, owner_id=oid, template_id=world["shared"]) is False
    assert _snapshot(engine) == before


def test_services_hide_other_users_rows(engine, world):
    sid, cid = world["sid"], world["cid"]
    before = _snapshot(engine)
    for other in world["others"]:
        assert fill_history.get_schedule(engine, user=other, schedule_id=sid) is None
        page, results = fill_history.list_schedules(engine, user=other)
        assert page.total == 0 and results == {}
        assert fill_history.get_comparison(engine, user=other, comparison_id=cid) is None
        assert fill_history.list_comparisons(engine, user=other).total == 0
        assert fill_history.delete_schedules(engine, user=other, schedule_ids=[sid]) == 0
        assert not fill_history.delete_comparison(
            engine, user=other, comparison_id=cid, delete_schedules_too=True
        )
        assert fill_templates.get_template(engine, user=other, template_id=world["private"]) is None
        assert fill_templates.get_default_template(engine, user=other) is None
        for tid in (world["private"], world["shared"]):
            with pytest.raises(errors.NotFound):
                fill_templates.update_template(engine, user=other, template_id=tid, name="mine")
            with pytest.raises(errors.NotFound):
                fill_templates.share_template(engine, user=other, template_id=tid, shared=False)
            with pytest.raises(errors.NotFound):
                fill_templates.set_default_template(engine, user=other, template_id=tid)
            assert not fill_templates.delete_template(engine, user=other, template_id=tid)
        with pytest.raises(errors.NotFound):
            fill_templates.duplicate_template(engine, user=other, template_id=world["private"])
    assert _snapshot(engine) == before
    # the owner still sees everything
    alice = world["alice"]
    assert fill_history.get_schedule(engine, user=alice, schedule_id=sid).result is not None
    assert fill_history.list_schedules(engine, user=alice)[0].total == 3
    assert fill_history.get_comparison(engine, user=alice, comparison_id=cid) is not None


def test_other_users_schedules_do_not_leak_into_a_comparison(engine, world):
    bob = world["others"][0]
    cid = fill_runs.run_comparison(
        engine, user=bob, name="bob", lots=LOTS, config=CONFIG, strategies=["smart-pack"]
    )
    comparison, runs = fill_history.get_comparison(engine, user=bob, comparison_id=cid)
    assert all(r.schedule.owner_id == bob.id for r in runs.values())
    assert fill_history.list_schedules(engine, user=bob)[0].total == 1
