"""Start-up of the app, once per process: the engine, migrations to head, and runs a
stopped process left behind marked failed. Also the reset that tests and benchmarks use to
switch databases within one process."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from webapp.db.engine import Db, dispose_engine, get_engine, init_db, unit_of_work
from webapp.db.models import utcnow
from webapp.db.repos import schedules as schedule_repo
from webapp.settings import get_settings

#: When this process started (naive UTC); runs older than this cannot still be running here.
PROCESS_START: datetime = utcnow()
#: The error text of a run the app stopped in the middle of.
INTERRUPTED = "interrupted: the app stopped while this schedule was being planned; run it again"

_init_lock = threading.Lock()
_initialised: dict[str, Engine] = {}


def recover_stuck_runs(db: Db, *, started_before: datetime | None = None, grace: timedelta | None = None) -> int:
    """Mark ``pending``/``running`` schedules that began before ``started_before`` (default:
    :data:`PROCESS_START` minus ``grace``, default ``PSS_STUCK_RUN_GRACE_MIN`` minutes) as
    failed; returns how many. With several replicas the grace must exceed the longest run,
    so one replica's restart does not fail another replica's live run."""
    if started_before is None:
        if grace is None:
            grace = timedelta(minutes=get_settings().stuck_run_grace_min)
        started_before = PROCESS_START - grace
    with unit_of_work(db) as session:
        return schedule_repo.fail_stale_runs(session, started_before=started_before, error=INTERRUPTED)


def reset_process_state() -> None:
    """Forget settings, the engine and the start-up work, so the next call reads the
    environment again (tests and benchmarks that switch databases in one process)."""
    get_settings.cache_clear()
    dispose_engine()
    _initialised.clear()


def init_app(engine: Engine | None = None) -> Engine:
    """Start-up, once per process and database (later calls return at once): the engine from
    settings (or the given one), migrations to head, stuck runs marked failed."""
    engine = engine if engine is not None else get_engine()
    key = engine.url.render_as_string(hide_password=False)
    with _init_lock:
        if key not in _initialised:
            init_db(engine)
            recover_stuck_runs(engine)
            _initialised[key] = engine
    return _initialised[key]
