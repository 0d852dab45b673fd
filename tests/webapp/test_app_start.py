"""Start-up: migrations once per process and database, stuck runs marked failed."""

from __future__ import annotations

from datetime import timedelta

from webapp import app_start
from webapp.db.engine import session_scope
from webapp.db.models import utcnow
from webapp.db.repos import schedules as schedule_repo
from webapp.db.repos import users as user_repo
from webapp.filling import history as fill_history


def test_recover_stuck_runs(engine, alice):
    with session_scope(engine) as s:
        sch = schedule_repo.create_schedule(
            s, owner_id=alice.id, name="stuck", strategy="best", config={}, input_data=[]
        )
        schedule_repo.mark_schedule_running(s, owner_id=alice.id, schedule_id=sch.id)
    assert app_start.recover_stuck_runs(engine, started_before=utcnow() - timedelta(hours=1)) == 0
    assert app_start.recover_stuck_runs(engine, started_before=utcnow() + timedelta(seconds=5)) == 1
    stored = fill_history.get_schedule(engine, user=alice, schedule_id=sch.id)
    assert stored.schedule.status == "failed" and "interrupted" in stored.schedule.error_message


def test_init_app_migrates_and_recovers_once(raw_engine, monkeypatch):
    calls = []
    monkeypatch.setattr(app_start, "_initialised", {})
    real = app_start.recover_stuck_runs
    monkeypatch.setattr(app_start, "recover_stuck_runs", lambda db: calls.append(real(db)))
    assert app_start.init_app(raw_engine) is raw_engine
    assert app_start.init_app(raw_engine) is raw_engine
    assert calls == [0]
    with session_scope(raw_engine) as s:
        assert user_repo.count_users(s) == 0  # schema exists
