"""Fixtures for the webapp tests: a migrated database on SQLite and on Postgres.

``engine`` is parametrised: ``sqlite`` uses a file in ``tmp_path``; ``postgres`` (marked
``postgres``, skipped without ``TEST_DATABASE_URL``) gives each test its own freshly
created schema (unique name, selected through ``search_path``), dropped afterwards.
"""

from __future__ import annotations

import contextlib
import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

# ``pytest`` (unlike ``python -m pytest``) does not put the project root on sys.path, and
# the rootdir-less ``tests/webapp`` folder would then shadow the ``webapp`` package as a
# namespace package. Make the real package importable whichever way pytest is started.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import bcrypt  # noqa: E402
import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import Engine, make_url  # noqa: E402

from webapp import auth  # noqa: E402
from webapp.db.engine import create_engine_from_url, init_db, session_scope  # noqa: E402
from webapp.db.models import User  # noqa: E402
from webapp.db.repos import users as user_repo  # noqa: E402
from webapp.settings import normalise_database_url  # noqa: E402


def _pg_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    return normalise_database_url(url) if url else None


def with_search_path(url: str, schema: str) -> str:
    u = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return u.render_as_string(hide_password=False)


class PgSchema:
    """A uniquely named schema in the test database; ``url`` selects it."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.name = f"pss_test_{os.getpid()}_{uuid.uuid4().hex[:10]}"
        self.url = with_search_path(base_url, self.name)
        self._admin = create_engine_from_url(base_url)

    def create(self) -> None:
        with self._admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{self.name}"'))

    def drop(self) -> None:
        with self._admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self._admin.dispose()


@contextlib.contextmanager
def fresh_pg_schema() -> Iterator[str]:
    """URL of a new empty schema in ``TEST_DATABASE_URL`` (skips without it); dropped after."""
    base = _pg_url()
    if not base:
        pytest.skip("TEST_DATABASE_URL is not set")
    schema = PgSchema(base)
    schema.create()
    try:
        yield schema.url
    finally:
        schema.drop()


@pytest.fixture
def db_url(request, tmp_path) -> Iterator[str]:
    """A URL of an empty database (not migrated)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'studio.sqlite3'}"
        return
    with fresh_pg_schema() as url:
        yield url


DB_PARAMS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def pytest_generate_tests(metafunc):
    if "db_url" in metafunc.fixturenames:
        metafunc.parametrize("db_url", DB_PARAMS, indirect=True)


@pytest.fixture
def raw_engine(db_url) -> Iterator[Engine]:
    """An engine on an empty (unmigrated) database."""
    engine = create_engine_from_url(db_url)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def engine(raw_engine) -> Engine:
    """An engine on a database migrated to head."""
    init_db(raw_engine)
    return raw_engine


@pytest.fixture(autouse=True)
def fast_bcrypt(monkeypatch):
    """bcrypt with the minimum cost (4 rounds) so account tests stay fast."""

    def cheap(password: str) -> str:
        return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4)).decode()

    monkeypatch.setattr(auth, "hash_password", cheap)


PASSWORD = "correct-horse-42"


def _make_user(engine: Engine, username: str, role: str = "planner", active: bool = True) -> User:
    with session_scope(engine) as session:
        return user_repo.create_user(
            session,
            username=username,
            password_hash=auth.hash_password(PASSWORD),
            email=f"{username}@example.com",
            name=username.title(),
            role=role,
            active=active,
        )


@pytest.fixture
def make_user(engine):
    """``make_user(username, role="planner", active=True)`` inserts a user (password
    :data:`PASSWORD`) directly, bypassing the registration rules."""

    def make(username: str, role: str = "planner", active: bool = True) -> User:
        return _make_user(engine, username, role, active)

    return make


@pytest.fixture
def alice(make_user) -> User:
    return make_user("alice", "admin")


@pytest.fixture
def bob(make_user) -> User:
    return make_user("bob", "planner")
