"""Start-up of the app, once per process: the settings checked (a cookie key too short for a
shared deployment stops the app), the engine, migrations to head, the start-up admin
(``PSS_ADMIN_USER``/``PSS_ADMIN_PASSWORD``) and runs whose process died marked failed. Also
the reset that tests and benchmarks use to switch databases within one process."""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from scheduler_core.errors import Problem
from webapp import auth, solves
from webapp.db.engine import Db, dispose_engine, get_engine, init_db, unit_of_work
from webapp.db.models import utcnow
from webapp.db.repos import schedules as schedule_repo
from webapp.settings import SettingsError, cookie_key, get_settings

#: The error text of a run the app stopped in the middle of.
INTERRUPTED = "interrupted: the app stopped while this schedule was being planned; run it again"
#: A running schedule whose heartbeat is older than this belongs to a process that died (a
#: live run beats every few seconds, see ``filling.heartbeat``); no setting to get wrong.
STALE_AFTER = timedelta(minutes=2)

_init_lock = threading.Lock()
_initialised: dict[str, Engine] = {}


def recover_stuck_runs(db: Db, *, now: datetime | None = None) -> int:
    """Mark failed the ``pending``/``running`` schedules whose heartbeat is older than
    :data:`STALE_AFTER` at ``now`` (default: now); returns how many. A run of another live
    replica keeps beating, so it is left alone."""
    with unit_of_work(db) as session:
        return schedule_repo.fail_stale_runs(
            session, last_seen_before=(now or utcnow()) - STALE_AFTER, error=INTERRUPTED
        )


def ensure_start_admin(db: Db, env: Mapping[str, str] | None = None) -> bool:
    """Create the admin named by ``PSS_ADMIN_USER`` with ``PSS_ADMIN_PASSWORD`` when that
    user does not exist; returns whether it was created. Raises :class:`SettingsError`
    naming the variable when the password is missing or refused by the password rules."""
    env = os.environ if env is None else env
    username = env.get("PSS_ADMIN_USER", "").strip()
    if not username:
        return False
    password = env.get("PSS_ADMIN_PASSWORD", "")
    if not password:
        raise SettingsError(Problem("PSS_ADMIN_USER is set but PSS_ADMIN_PASSWORD is empty"))
    try:
        return auth.ensure_admin(db, username=username, password=password)
    except auth.RegistrationError as exc:
        raise SettingsError(
            [Problem(f"PSS_ADMIN_USER / PSS_ADMIN_PASSWORD: {p}") for p in exc.problems]
        ) from None


def reset_process_state() -> None:
    """Forget settings, the engine, the solver slots and the start-up work, so the next call
    reads the environment again (tests and benchmarks that switch databases in one process)."""
    get_settings.cache_clear()
    dispose_engine()
    solves.reset()
    _initialised.clear()


def init_app(engine: Engine | None = None) -> Engine:
    """Start-up, once per process and database (later calls return at once): the cookie key
    checked, the engine from settings (or the given one), migrations to head, the start-up
    admin, stuck runs marked failed. Raises :class:`SettingsError` for a setting the app
    cannot run with."""
    engine = engine if engine is not None else get_engine()
    key = engine.url.render_as_string(hide_password=False)
    with _init_lock:
        if key not in _initialised:
            cookie_key(get_settings())
            init_db(engine)
            ensure_start_admin(engine)
            recover_stuck_runs(engine)
            _initialised[key] = engine
    return _initialised[key]
