"""Engine creation and the unit-of-work session scope.

* ``create_engine_from_url(url)``: SQLite gets foreign keys ON, WAL journal and a busy
  timeout on every connection (and its directory is created); Postgres URLs use the
  psycopg 3 driver (``postgresql+psycopg://``) with pre-ping for pooled connections.
* ``session_scope(engine)``: one unit of work. Commits when the block ends normally, rolls
  back on any exception. Objects stay readable after the block (``expire_on_commit=False``).
* ``init_db(engine)`` / ``upgrade_to_head(url)``: apply the Alembic migrations.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from webapp.settings import get_settings, normalise_database_url


def _sqlite_on_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def create_engine_from_url(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url`` (SQLite or Postgres), configured as described above."""
    url = normalise_database_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False, "timeout": 10}
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True, pool_size=5, max_overflow=10)


_engine: Engine | None = None
_engine_lock = threading.Lock()


def get_engine() -> Engine:
    """The process-wide engine built from :func:`webapp.settings.get_settings`."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = create_engine_from_url(get_settings().database_url)
        return _engine


def dispose_engine() -> None:
    """Close and forget the process-wide engine (the next ``get_engine`` builds a new one)."""
    global _engine
    with _engine_lock:
        if _engine is not None:
            _engine.dispose()
        _engine = None


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One unit of work: commit on success, rollback (and re-raise) on any exception."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def init_db(engine: Engine) -> None:
    """Bring the schema of ``engine``'s database to the newest migration."""
    from webapp.db.migrations import upgrade

    upgrade(engine, "head")


def upgrade_to_head(url: str) -> None:
    """Same as :func:`init_db` for a URL (the engine is disposed afterwards)."""
    engine = create_engine_from_url(url)
    try:
        init_db(engine)
    finally:
        engine.dispose()


#: What services accept as ``db``: an engine, or a callable returning a unit of work.
Db = Engine | Callable[[], AbstractContextManager[Session]]


@contextmanager
def unit_of_work(db: Db) -> Iterator[Session]:
    """A :func:`session_scope` on ``db`` (an engine, or a factory of session scopes)."""
    if isinstance(db, Engine):
        with session_scope(db) as session:
            yield session
    else:
        with db() as session:
            yield session
