"""The heartbeat of a running schedule: written at most every few seconds from progress
reports, kept alive while the planner is silent, and stopping a run marked failed."""

from __future__ import annotations

import time

import pytest

from webapp.db.engine import session_scope
from webapp.db.repos import schedules as schedule_repo
from webapp.filling.heartbeat import Heartbeat


def _running(engine, owner_id: int) -> int:
    with session_scope(engine) as s:
        sch = schedule_repo.create_schedule(s, owner_id=owner_id, name="r", strategy="best", config={}, input_data=[])
        schedule_repo.mark_schedule_running(s, owner_id=owner_id, schedule_id=sch.id)
        return sch.id


def _beat_at(engine, owner_id: int, sid: int):
    with session_scope(engine) as s:
        return schedule_repo.get_schedule(s, owner_id=owner_id, schedule_id=sid).heartbeat_at


def test_progress_reports_beat_at_most_every_interval(engine, alice):
    sid = _running(engine, alice.id)
    now = [100.0]
    reports = []
    beat = Heartbeat(engine, owner_id=alice.id, schedule_id=sid, progress=lambda f, m: reports.append(m),
                     every_s=5, clock=lambda: now[0])
    first = _beat_at(engine, alice.id, sid)
    beat(0.1, "a")
    assert _beat_at(engine, alice.id, sid) == first  # within the interval: no write
    now[0] += 5
    beat(0.2, "b")
    second = _beat_at(engine, alice.id, sid)
    assert second > first and reports == ["a", "b"]


def test_silent_planner_is_kept_alive(engine, alice):
    sid = _running(engine, alice.id)
    first = _beat_at(engine, alice.id, sid)
    beat = Heartbeat(engine, owner_id=alice.id, schedule_id=sid, progress=lambda f, m: None)
    with beat.kept_alive(every_s=0.05):
        time.sleep(0.3)
    assert _beat_at(engine, alice.id, sid) > first


def test_run_marked_failed_stops_at_the_next_report(engine, alice):
    sid = _running(engine, alice.id)
    with session_scope(engine) as s:
        schedule_repo.fail_schedule(s, owner_id=alice.id, schedule_id=sid, error="interrupted")
    beat = Heartbeat(engine, owner_id=alice.id, schedule_id=sid, progress=lambda f, m: None, every_s=0)
    with pytest.raises(schedule_repo.RunAlreadyFailed, match="planning stopped"):
        beat(0.5, "solution 12")
    assert beat.abandoned


def test_lost_beat_does_not_end_the_run(alice, engine, caplog):
    def broken():
        raise ConnectionError("database away")

    beat = Heartbeat(broken, owner_id=alice.id, schedule_id=1, progress=lambda f, m: None, every_s=0)
    beat(0.5, "still planning")  # logged, not raised
    assert not beat.abandoned and "could not write the heartbeat" in caplog.text
