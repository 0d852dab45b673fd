"""User B can never read, list, change or delete user A's private rows — through any
repository or service call."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
import sqlalchemy as sa

import webapp.services as services
from scheduler_core.filling import FillingConfig, Lot
from webapp.db import repositories as repo
from webapp.db.engine import session_scope
from webapp.db.models import Comparison, ConfigTemplate, Schedule, ScheduleResultRow

LOTS = [Lot("001", "A", 19920 * 10), Lot("002", "B", 19920 * 20)]
CONFIG = FillingConfig(start_time=datetime(2030, 1, 1), time_limit_s=1)


@pytest.fixture
def world(engine, make_user):
    """Alice (a planner) owns a completed schedule, a comparison, a private and a shared
    template; Bob is a planner and Carol an *admin*: neither may touch Alice's private rows."""
    alice = make_user("alice", "planner")
    bob = make_user("bob", "planner")
    carol = make_user("carol", "admin")
    sid = services.run_filling_schedule(
        engine, user=alice, name="alice secret", lots=LOTS, config=CONFIG, strategy="smart-pack"
    )
    cid = services.run_comparison(
        engine,
        user=alice,
        name="alice cmp",
        lots=LOTS,
        config=CONFIG,
        strategies=["smart-pack", "lpt-pack"],
    )
    private = services.create_template(
        engine, user=alice, name="private", config={}, is_default=True
    )
    shared = services.create_template(engine, user=alice, name="shared", config={}, is_shared=True)
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
            assert repo.get_schedule(s, owner_id=oid, schedule_id=sid) is None
            assert repo.get_result(s, owner_id=oid, schedule_id=sid) is None
            assert repo.get_results(s, owner_id=oid, schedule_ids=[sid]) == {}
            assert repo.list_schedules(s, owner_id=oid).total == 0
            assert repo.list_schedules(s, owner_id=oid, name_contains="alice").total == 0
            assert repo.list_schedules(s, owner_id=oid, sort="makespan_h").total == 0
            assert repo.get_comparison(s, owner_id=oid, comparison_id=cid) is None
            assert repo.list_comparisons(s, owner_id=oid).total == 0
            assert repo.get_template(s, user_id=oid, template_id=world["private"]) is None
            assert repo.get_default_template(s, owner_id=oid) is None
            visible = {t.id for t in repo.list_templates(s, user_id=oid).items}
            assert visible == {world["shared"]}
            assert repo.get_template(s, user_id=oid, template_id=world["shared"]) is not None

            t_private, t_shared = world["private"], world["shared"]
            refused = [
                (repo.mark_schedule_running, {"schedule_id": sid}),
                (repo.complete_schedule, {"schedule_id": sid, "result": {}}),
                (repo.fail_schedule, {"schedule_id": sid, "error": "x"}),
                (repo.rename_schedule, {"schedule_id": sid, "name": "x"}),
                (repo.update_template, {"template_id": t_private, "name": "x"}),
                (repo.update_template, {"template_id": t_shared, "config": {"clean_hours": 1}}),
                (repo.set_default_template, {"template_id": t_shared}),
                (
                    repo.create_comparison,
                    {
                        "name": "steal",
                        "input_data": [],
                        "strategies": ["best"],
                        "runs": {"best": {"schedule_id": sid}},
                    },
                ),
            ]
            for fn, kwargs in refused:
                with pytest.raises(repo.NotFound):
                    fn(s, owner_id=oid, **kwargs)
            assert repo.delete_schedule(s, owner_id=oid, schedule_id=sid) is False
            assert repo.delete_schedules(s, owner_id=oid, schedule_ids=[sid]) == 0
            assert (
                repo.delete_comparison(
                    s, owner_id=oid, comparison_id=cid, delete_schedules_too=True
                )
                is False
            )
            assert repo.delete_template(s, owner_id=oid, template_id=world["private"]) is False
            assert repo.delete_template(s, owner_id=oid, template_id=world["shared"]) is False
    assert _snapshot(engine) == before


def test_services_hide_other_users_rows(engine, world):
    sid, cid = world["sid"], world["cid"]
    before = _snapshot(engine)
    for other in world["others"]:
        assert services.get_schedule(engine, user=other, schedule_id=sid) is None
        page, results = services.list_schedules(engine, user=other)
        assert page.total == 0 and results == {}
        assert services.get_comparison(engine, user=other, comparison_id=cid) is None
        assert services.list_comparisons(engine, user=other).total == 0
        assert services.delete_schedules(engine, user=other, schedule_ids=[sid]) == 0
        assert not services.delete_comparison(
            engine, user=other, comparison_id=cid, delete_schedules_too=True
        )
        assert services.get_template(engine, user=other, template_id=world["private"]) is None
        assert services.get_default_template(engine, user=other) is None
        for tid in (world["private"], world["shared"]):
            with pytest.raises(services.NotFound):
                services.update_template(engine, user=other, template_id=tid, name="mine")
            with pytest.raises(services.NotFound):
                services.share_template(engine, user=other, template_id=tid, shared=False)
            with pytest.raises(services.NotFound):
                services.set_default_template(engine, user=other, template_id=tid)
            assert not services.delete_template(engine, user=other, template_id=tid)
        with pytest.raises(services.NotFound):
            services.duplicate_template(engine, user=other, template_id=world["private"])
    assert _snapshot(engine) == before
    # the owner still sees everything
    alice = world["alice"]
    assert services.get_schedule(engine, user=alice, schedule_id=sid).result is not None
    assert services.list_schedules(engine, user=alice)[0].total == 3
    assert services.get_comparison(engine, user=alice, comparison_id=cid) is not None


def test_other_users_schedules_do_not_leak_into_a_comparison(engine, world):
    bob = world["others"][0]
    cid = services.run_comparison(
        engine, user=bob, name="bob", lots=LOTS, config=CONFIG, strategies=["smart-pack"]
    )
    comparison, runs = services.get_comparison(engine, user=bob, comparison_id=cid)
    assert all(r.schedule.owner_id == bob.id for r in runs.values())
    assert services.list_schedules(engine, user=bob)[0].total == 1
