"""Fixtures for the AppTest page tests: a fresh SQLite database per test, a logged-in user.

The app reads its database from the settings (``PSS_DATA_DIR``); the settings, the
process-wide engine and Streamlit's resource cache are reset so each test starts empty.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import bcrypt  # noqa: E402
import pytest  # noqa: E402
import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from webapp import app_start, auth  # noqa: E402

APP = str(ROOT / "streamlit_app.py")
PASSWORD = "Sunflower-2030"


def _reset_caches() -> None:
    app_start.reset_process_state()
    st.cache_resource.clear()


@pytest.fixture
def app_env(tmp_path, monkeypatch) -> Iterator[Path]:
    monkeypatch.setenv("PSS_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PSS_COOKIE_KEY", "test-cookie-key-not-secret-0123456789abcdef")
    monkeypatch.setattr(
        auth,
        "hash_password",
        lambda p: bcrypt.hashpw(p.encode(), bcrypt.gensalt(rounds=4)).decode(),
    )
    _reset_caches()
    yield tmp_path
    _reset_caches()


@pytest.fixture
def engine(app_env):
    return app_start.init_app()


@pytest.fixture
def user(engine):
    """The first registered user (an admin)."""
    return auth.SessionUser.of(
        auth.register_user(engine, username="anna", email="anna@example.com", password=PASSWORD)
    )


def make_user(engine, username: str) -> auth.SessionUser:
    return auth.SessionUser.of(
        auth.register_user(engine, username=username, email=f"{username}@example.com", password=PASSWORD)
    )


def open_page(user, page: str | None = None, **state) -> AppTest:
    """Run the app logged in as ``user`` (the login gate's session key), on ``page``."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["pss_user_id"] = user.id
    at.session_state["username"] = user.username
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page is not None:
        at.switch_page(page)
        at.run()
    return at


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def click(at: AppTest, key: str) -> AppTest:
    """Click the button ``key``, rerun the page and check it raised nothing."""
    at.button(key=key).click().run()
    assert_ok(at)
    return at


def shows(elements, text: str) -> bool:
    """Whether any of the page ``elements`` (markdown, error, success, …) contains ``text``."""
    return any(text in e.value for e in elements)
