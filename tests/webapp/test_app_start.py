"""Start-up: migrations once per process and database, runs with a stale heartbeat marked
failed (fresh ones left to their replica), the start-up admin, the cookie key checked."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from webapp import app_start, auth
from webapp.db.engine import session_scope
from webapp.db.models import Schedule, utcnow
from webapp.db.repos import schedules as schedule_repo
from webapp.db.repos import users as user_repo
from webapp.filling import history as fill_history


def test_recover_stuck_runs(engine, alice):
    with session_scope(engine) as s:
        sch = schedule_repo.create_schedule(
            s, owner_id=alice.id, name="stuck", strategy="best", config={}, input_data=[]
        )
        schedule_repo.mark_schedule_running(s, owner_id=alice.id, schedule_id=sch.id)
    # its heartbeat is fresh: another replica (or this process) is still planning it
    assert app_start.recover_stuck_runs(engine) == 0
    assert app_start.recover_stuck_runs(engine, now=utcnow() + app_start.STALE_AFTER - timedelta(seconds=5)) == 0
    # no heartbeat for longer than STALE_AFTER: its process died
    assert app_start.recover_stuck_runs(engine, now=utcnow() + app_start.STALE_AFTER + timedelta(seconds=5)) == 1
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


def test_a_run_started_long_ago_with_a_fresh_heartbeat_is_left_alone(engine, alice):
    with session_scope(engine) as s:
        sch = schedule_repo.create_schedule(s, owner_id=alice.id, name="long", strategy="best", config={}, input_data=[])
        schedule_repo.mark_schedule_running(s, owner_id=alice.id, schedule_id=sch.id)
        s.exec(sa.update(Schedule).values(started_at=utcnow() - timedelta(hours=3), created_at=utcnow() - timedelta(hours=3)))
    assert app_start.recover_stuck_runs(engine) == 0
    with session_scope(engine) as s:
        s.exec(sa.update(Schedule).values(heartbeat_at=utcnow() - timedelta(minutes=3)))
    assert app_start.recover_stuck_runs(engine) == 1


def test_start_admin_from_the_environment(engine):
    env = {"PSS_ADMIN_USER": "ops", "PSS_ADMIN_PASSWORD": "Sunflower-2030"}
    assert app_start.ensure_start_admin(engine, env) is True
    assert app_start.ensure_start_admin(engine, {**env, "PSS_ADMIN_PASSWORD": "Other-lantern-2044"}) is False
    assert auth.authenticate(engine, username="ops", password="Sunflower-2030").role == "admin"
    assert app_start.ensure_start_admin(engine, {}) is False


@pytest.mark.parametrize(
    ("env", "name"),
    [({"PSS_ADMIN_USER": "ops"}, "PSS_ADMIN_PASSWORD"), ({"PSS_ADMIN_USER": "ops", "PSS_ADMIN_PASSWORD": "Password123"}, "PSS_ADMIN_USER")],
)
def test_bad_start_admin_stops_the_app(engine, env, name):
    from webapp.settings import SettingsError

    with pytest.raises(SettingsError, match=name):
        app_start.ensure_start_admin(engine, env)
    with session_scope(engine) as s:
        assert user_repo.count_users(s) == 0


def test_init_app_refuses_a_short_cookie_key_on_postgres(raw_engine, monkeypatch):
    from webapp.settings import SettingsError, get_settings

    monkeypatch.setattr(app_start, "_initialised", {})
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("PSS_COOKIE_KEY", "too-short")
    get_settings.cache_clear()
    try:
        with pytest.raises(SettingsError, match="PSS_COOKIE_KEY"):
            app_start.init_app(raw_engine)
    finally:
        get_settings.cache_clear()
