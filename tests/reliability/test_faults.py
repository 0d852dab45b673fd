"""Fault injection: solver crash / time-out, the database going away mid-run, the app
being killed during a run.

* Solver faults (SQLite and Postgres, a fresh schema per test as in tests/webapp/conftest.py):
  ``plan`` (as :mod:`webapp.services` imports it) raises, or the progress callback raises,
  or the result cannot be stored → the schedule is ``failed`` with the reason, no result
  row, :class:`RunFailed` raised.
* Database down mid-run (Postgres, marked ``postgres``): the progress callback stops the
  cluster (``pg_ctlcluster stop``); the run ends with the database error, leaves no result
  row; once Postgres is back (always restarted in ``finally``) the same engine runs again
  (``pool_pre_ping``) and ``recover_stuck_runs`` fails the interrupted schedule.
* App killed during a run: a child process is SIGKILLed inside the solver; the next
  process's ``init_app`` marks the schedule ``failed`` ("interrupted").
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import bcrypt
import pytest
import sqlalchemy as sa

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:  # the webapp package (see tests/webapp/conftest.py)
    sys.path.insert(0, str(_ROOT))

from scheduler_core.filling import FillingConfig, Lot  # noqa: E402
from scheduler_core.filling import codec as filling_codec  # noqa: E402
from tests.pages import conftest as pc  # noqa: E402
from tests.webapp.conftest import DB_PARAMS, PgSchema, _pg_url, fresh_pg_schema  # noqa: E402
from webapp import app_start, errors  # noqa: E402
from webapp.db.engine import create_engine_from_url, init_db, session_scope  # noqa: E402
from webapp.db.models import utcnow  # noqa: E402
from webapp.db.repos import schedules as schedule_repo  # noqa: E402
from webapp.db.repos import users as user_repo  # noqa: E402
from webapp.filling import history as fill_history  # noqa: E402
from webapp.filling import runs as fill_runs  # noqa: E402

pytestmark = pytest.mark.timeout(300)

HASH = bcrypt.hashpw(b"correct-horse-42", bcrypt.gensalt(rounds=4)).decode()
CFG = FillingConfig(start_time=datetime(2026, 12, 1, 6))
LOTS = [Lot(f"L{k}", "AB"[k % 2], 20_000 + 500 * k) for k in range(8)]
PG_CLUSTER = ("15", "main")

app_env = pc.app_env  # fixture: a fresh app database (PSS_DATA_DIR) for the page test


# --------------------------------------------------------------------------- helpers


@pytest.fixture(params=DB_PARAMS)
def engine(request, tmp_path):
    """A migrated engine: SQLite file, or a fresh Postgres schema (dropped afterwards)."""
    if request.param == "sqlite":
        eng = create_engine_from_url(f"sqlite:///{tmp_path / 'studio.sqlite3'}")
        init_db(eng)
        try:
            yield eng
        finally:
            eng.dispose()
        return
    with fresh_pg_schema() as url:
        eng = create_engine_from_url(url)
        try:
            init_db(eng)
            yield eng
        finally:
            eng.dispose()


def _user(engine, username: str = "planner") -> int:
    with session_scope(engine) as session:
        user = user_repo.create_user(session, username=username, password_hash=HASH, role="planner")
        session.flush()
        return user.id


def _rows(engine) -> tuple[dict[int, tuple[str, str | None]], int]:
    """{schedule id: (status, error)} and the number of result rows."""
    with engine.connect() as conn:
        schedules = {
            sid: (status, error)
            for sid, status, error in conn.execute(
                sa.text("SELECT id, status, error_message FROM schedules")
            ).all()
        }
        results = conn.execute(sa.text("SELECT count(*) FROM schedule_results")).scalar_one()
    return schedules, results


def _run(engine, uid: int, **kw) -> int:
    return fill_runs.run_filling_schedule(engine, user=uid, name="fault run", lots=LOTS, config=replace(CFG, strategy="smart-pack"), **kw)


# --------------------------------------------------------------------- solver faults


class SolverCrashed(RuntimeError):
    pass


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (SolverCrashed("segfault in the MIP model"), "SolverCrashed: segfault in the MIP model"),
        (TimeoutError("solver exceeded its time limit (8 s)"), "TimeoutError: solver exceeded"),
        (MemoryError(), "MemoryError"),
    ],
    ids=["crash", "timeout", "out-of-memory"],
)
def test_solver_failure_marks_schedule_failed(engine, monkeypatch, error, reason):
    uid = _user(engine)

    def broken_plan(problem, cfg, *, progress, cancel=None):
        progress(0.3, "searching")
        raise error

    monkeypatch.setattr(fill_runs, "plan", broken_plan)
    with pytest.raises(errors.RunFailed) as info:
        _run(engine, uid)
    assert info.value.error is error and info.value.__cause__ is error
    assert reason in str(info.value) and reason in info.value.lines()[0]
    schedules, results = _rows(engine)
    assert schedules == {info.value.schedule_id: ("failed", schedules[info.value.schedule_id][1])}
    assert reason in schedules[info.value.schedule_id][1]
    assert results == 0
    stored = fill_history.get_schedule(engine, user=uid, schedule_id=info.value.schedule_id)
    assert stored.schedule.status == "failed" and stored.result is None
    assert stored.schedule.finished_at is not None

    # the service is not poisoned: the next run (real solver) completes
    monkeypatch.undo()
    ok = _run(engine, uid)
    schedules, results = _rows(engine)
    assert schedules[ok][0] == "completed" and results == 1


def test_progress_callback_failure_marks_schedule_failed(engine):
    uid = _user(engine)
    calls = []

    def progress(fraction, message):
        calls.append(message)
        if len(calls) == 2:
            raise ConnectionResetError("the browser session went away")

    with pytest.raises(errors.RunFailed) as info:
        _run(engine, uid, progress=progress)
    schedules, results = _rows(engine)
    status, error = schedules[info.value.schedule_id]
    assert status == "failed" and "ConnectionResetError: the browser session went away" in error
    assert results == 0


def test_result_that_cannot_be_stored_marks_schedule_failed(engine, monkeypatch):
    """The solver finished, but writing its result fails: no half-written result."""
    uid = _user(engine)
    real = schedule_repo.complete_schedule

    def failing(session, **kw):
        real(session, **kw)  # result row written inside the transaction ...
        raise OSError("disk full")  # ... then the commit never happens

    monkeypatch.setattr(schedule_repo, "complete_schedule", failing)
    with pytest.raises(errors.RunFailed) as info:
        _run(engine, uid)
    schedules, results = _rows(engine)
    assert schedules[info.value.schedule_id][0] == "failed"
    assert "OSError: disk full" in schedules[info.value.schedule_id][1]
    assert results == 0


# ------------------------------------------------------------ database goes away


def _pg_ctl(action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *PG_CLUSTER, action],
        check=True,
        capture_output=True,
        timeout=60,
    )


def _pg_ready(timeout_s: float = 60) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        done = subprocess.run(["pg_isready", "-h", "127.0.0.1"], capture_output=True)
        if done.returncode == 0:
            return True
        time.sleep(0.3)
    return False


def _ensure_pg_up() -> None:
    if not _pg_ready(1):
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", *PG_CLUSTER, "start"],
            capture_output=True,
            timeout=60,
        )
    assert _pg_ready(60), "Postgres did not come back"


@pytest.mark.postgres
def test_database_goes_away_mid_run_then_recovers():
    base = _pg_url()
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    if shutil.which("pg_ctlcluster") is None:
        pytest.skip("pg_ctlcluster is not available (cannot stop the server)")
    schema = PgSchema(base)
    schema.create()
    engine = create_engine_from_url(schema.url)
    assert engine.pool._pre_ping, "Postgres engines need pool_pre_ping to survive a restart"
    outcome: dict[str, object] = {}
    stopped = threading.Event()
    try:
        init_db(engine)
        uid = _user(engine)

        def progress(fraction, message):
            if not stopped.is_set():
                stopped.set()
                started = time.monotonic()
                _pg_ctl("stop")  # fast shutdown: every connection is closed
                outcome["stop_s"] = time.monotonic() - started

        def work():
            try:
                outcome["id"] = _run(engine, uid, progress=progress)
            except BaseException as exc:  # noqa: BLE001 - checked below
                outcome["error"] = exc

        t0 = time.monotonic()
        worker = threading.Thread(target=work, daemon=True)
        worker.start()
        worker.join(120)
        outcome["run_s"] = time.monotonic() - t0
        assert not worker.is_alive(), "the run hung after the database went away"
        assert stopped.is_set() and "id" not in outcome
        error = outcome["error"]
        # a clear database error: the run could neither store its result nor mark itself failed
        assert isinstance(error, sa.exc.OperationalError | errors.RunFailed), repr(error)
        if isinstance(error, sa.exc.OperationalError):
            assert any("could not mark schedule" in n for n in getattr(error, "__notes__", []))

        _pg_ctl("start")
        assert _pg_ready(60)

        # nothing partial: the interrupted schedule has no result and is not completed
        schedules, results = _rows(engine)  # same engine: pre-ping replaces dead connections
        assert len(schedules) == 1 and results == 0
        (sid, (status, _)), = schedules.items()
        assert status in ("running", "failed")

        # the app recovers: a new run on the same engine succeeds
        t1 = time.monotonic()
        ok = _run(engine, uid)
        outcome["rerun_s"] = time.monotonic() - t1
        schedules, results = _rows(engine)
        assert schedules[ok][0] == "completed" and results == 1

        # the failure that could not be written while the database was down is written by
        # that next run, with the run's own error: nothing stays running until a restart
        assert schedules[sid][0] == "failed", schedules[sid]
        assert "interrupted" not in (schedules[sid][1] or "")
        marked = app_start.recover_stuck_runs(engine, now=utcnow() + app_start.STALE_AFTER + timedelta(seconds=1))
        assert marked == 0
        assert schedules[ok][0] == "completed"  # completed runs are left alone
        print(f"db-down fault: {outcome}")
    finally:
        _ensure_pg_up()
        engine.dispose()
        schema.drop()


# ------------------------------------------------------------------- app killed


_CHILD = textwrap.dedent(
    """
    import os, signal, sys
    sys.path.insert(0, {root!r})
    from datetime import datetime
    from scheduler_core.filling import FillingConfig, Lot
    from webapp.db.engine import create_engine_from_url
    from webapp.filling import runs as fill_runs

    engine = create_engine_from_url({url!r})

    def progress(fraction, message):
        print("PLANNING", flush=True)
        os.kill(os.getpid(), signal.SIGKILL)  # the app is killed mid-run

    lots = [Lot(f"L{{k}}", "AB"[k % 2], 20_000 + 500 * k) for k in range(8)]
    fill_runs.run_filling_schedule(engine, user={uid}, name="killed run", lots=lots, config=FillingConfig(start_time=datetime(2026, 12, 1, 6), strategy="best"), progress=progress)
    print("NOT KILLED", flush=True)
    """
)

_RESTART = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, {root!r})
    from webapp import app_start
    from webapp.db.engine import create_engine_from_url

    app_start.init_app(create_engine_from_url({url!r}))
    print("STARTED", flush=True)
    """
)


def test_app_killed_during_run_leaves_schedule_failed_on_restart(engine):
    uid = _user(engine)
    url = engine.url.render_as_string(hide_password=False)
    env = dict(os.environ)
    child = subprocess.run(
        [sys.executable, "-c", _CHILD.format(root=str(_ROOT), url=url, uid=uid)],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr[-2000:]
    assert "PLANNING" in child.stdout and "NOT KILLED" not in child.stdout
    schedules, results = _rows(engine)
    assert [s for s, _ in schedules.values()] == ["running"] and results == 0  # as left by the kill

    # a schedule a viewer can open meanwhile says so (not a crash)
    (sid,) = schedules
    stored = fill_history.get_schedule(engine, user=uid, schedule_id=sid)
    assert stored.schedule.status == "running" and stored.result is None

    # a restart while its heartbeat is fresh leaves it (it could be another replica's run)
    restart = subprocess.run(
        [sys.executable, "-c", _RESTART.format(root=str(_ROOT), url=url)],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert restart.returncode == 0 and _rows(engine)[0][sid][0] == "running", restart.stderr[-2000:]
    # no heartbeat for longer than STALE_AFTER (time passes): the next start fails it
    with session_scope(engine) as session:
        session.execute(sa.text("UPDATE schedules SET heartbeat_at = :t WHERE id = :i"),
                        {"t": utcnow() - app_start.STALE_AFTER - timedelta(seconds=5), "i": sid})
    restart = subprocess.run(
        [sys.executable, "-c", _RESTART.format(root=str(_ROOT), url=url)],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert restart.returncode == 0 and "STARTED" in restart.stdout, restart.stderr[-2000:]
    schedules, results = _rows(engine)
    status, error = schedules[sid]
    assert status == "failed" and error.startswith("interrupted:") and results == 0

    # resumable: the stored input runs again as a new schedule
    stored = fill_history.get_schedule(engine, user=uid, schedule_id=sid)
    again = fill_runs.run_filling_schedule(engine, user=uid, name="re-run", lots=filling_codec.lots_from_json(stored.schedule.input_data), config=replace(filling_codec.config_from_json(stored.schedule.config), strategy="smart-pack"))
    assert _rows(engine)[0][again][0] == "completed"


def test_live_run_of_another_replica_is_left_alone_then_failed_when_silent(engine):
    """A replica's start-up recovery spares a run whose heartbeat is fresh; once it is
    stale the run fails, once, and its late result is refused (it stays failed)."""
    uid = _user(engine)
    with session_scope(engine) as session:
        s = schedule_repo.create_schedule(
            session, owner_id=uid, name="left running", strategy="best", config={}, input_data=[]
        )
        session.flush()
        sid = s.id
    with session_scope(engine) as session:
        schedule_repo.mark_schedule_running(session, owner_id=uid, schedule_id=sid)
    assert app_start.recover_stuck_runs(engine) == 0
    assert _rows(engine)[0][sid][0] == "running"
    later = utcnow() + app_start.STALE_AFTER + timedelta(seconds=1)
    assert app_start.recover_stuck_runs(engine, now=later) == 1
    status, error = _rows(engine)[0][sid]
    assert status == "failed" and "interrupted" in error
    assert app_start.recover_stuck_runs(engine, now=later) == 0
    with pytest.raises(schedule_repo.RunAlreadyFailed), session_scope(engine) as session:
        schedule_repo.complete_schedule(session, owner_id=uid, schedule_id=sid, result={})
    assert _rows(engine)[0][sid][0] == "failed"


def test_failure_that_cannot_be_recorded_raises_the_run_error(engine, monkeypatch):
    """Storing the result and then marking the schedule failed both fail (database gone):
    the caller gets the run's own error with a note, not the follow-up error."""
    uid = _user(engine)
    first = sa.exc.OperationalError("INSERT ...", {}, ConnectionRefusedError("server closed"))

    def no_complete(session, **kw):
        raise first

    def no_fail(session, **kw):
        raise sa.exc.OperationalError("UPDATE ...", {}, ConnectionRefusedError("still down"))

    monkeypatch.setattr(schedule_repo, "complete_schedule", no_complete)
    monkeypatch.setattr(schedule_repo, "fail_schedule", no_fail)
    with pytest.raises(sa.exc.OperationalError) as info:
        _run(engine, uid)
    assert info.value is first
    assert any("could not mark schedule" in n and "still down" in n for n in info.value.__notes__)
    schedules, results = _rows(engine)
    assert [s for s, _ in schedules.values()] == ["running"] and results == 0


# ------------------------------------------------------------ what the page shows


def test_new_schedule_page_shows_a_clear_error_when_the_database_goes_away(app_env, monkeypatch):
    """The run cannot store its result nor mark itself failed (database gone): the page
    shows a plain message, not a traceback; nothing partial is stored."""
    from webapp import ui

    eng = app_start.init_app()
    anna = pc.make_user(eng, "anna")

    def gone(session, **kw):
        raise sa.exc.OperationalError("UPDATE schedules ...", {}, ConnectionRefusedError("Connection refused"))

    monkeypatch.setattr(schedule_repo, "complete_schedule", gone)
    monkeypatch.setattr(schedule_repo, "fail_schedule", gone)
    lots = ui.sample_lots()[:6]
    at = pc.open_page(anna, ui.PAGE_NEW, **{ui.LOTS_KEY: {"lots": lots, "file_name": "demo"}})
    at.selectbox(key="new_strategy").set_value("smart-pack").run()
    at.button(key="new_run").click().run()
    pc.assert_ok(at)
    assert any("database could not be reached" in e.value for e in at.error)
    assert any("Connection refused" in t.value for t in at.text)
    schedules, results = _rows(eng)
    assert [s for s, _ in schedules.values()] == ["running"] and results == 0
