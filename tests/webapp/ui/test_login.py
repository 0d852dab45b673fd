"""Smoke tests of the account widgets with Streamlit's AppTest (SQLite only: the widgets
do not depend on the database kind)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from webapp import auth
from webapp.db.engine import create_engine_from_url, init_db

GOOD = "Sunflower-2030"


def _app():
    import os

    import streamlit as st

    from webapp.db.engine import create_engine_from_url
    from webapp.ui import account, login
    from webapp.ui.widgets import esc

    engine = create_engine_from_url(os.environ["PSS_UI_TEST_URL"])
    user = login.login_gate(engine)
    if user is None:
        st.stop()
    st.markdown(f"hello {esc(user.username)}")
    login.logout_button()
    if os.environ.get("PSS_UI_TEST_PAGE") == "admin":
        account.admin_users_page(user, engine)
    else:
        account.profile_page(user, engine)


@pytest.fixture
def ui_db(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'ui.sqlite3'}"
    engine = create_engine_from_url(url)
    init_db(engine)
    monkeypatch.setenv("PSS_UI_TEST_URL", url)
    monkeypatch.setenv("PSS_COOKIE_KEY", "test-cookie-key-not-secret-0123456789abcdef")
    yield engine
    engine.dispose()


def _login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input[0].input(username)
    at.text_input[1].input(password)
    at.button[0].click()
    return at.run()


def test_register_login_profile_logout(ui_db):
    at = AppTest.from_function(_app, default_timeout=30).run()
    assert not at.exception
    # register form: username, name, email, password, repeat (after the 2 login inputs)
    inputs = at.text_input
    inputs[2].input("anna")
    inputs[3].input("Anna")
    inputs[4].input("anna@example.com")
    inputs[5].input(GOOD)
    inputs[6].input(GOOD)
    at.button[1].click()
    at.run()
    assert not at.exception
    assert any("administrator" in s.value for s in at.success)

    at = _login(at, "anna", "wrong-password-1")
    assert any("wrong username or password" in e.value for e in at.error)
    at = _login(at, "anna", GOOD)
    assert not at.exception
    assert any("hello anna" in m.value for m in at.markdown)
    assert at.header[0].value == "Profile"

    at.button(key="pss_logout_button").click()
    at.run()
    assert not any("hello anna" in m.value for m in at.markdown)
    assert at.text_input[0].label == "Username"


def test_admin_page_lists_users_and_viewer_is_refused(ui_db, monkeypatch):
    auth.register_user(ui_db, username="anna", email="a@example.com", password=GOOD)
    auth.register_user(ui_db, username="ben", email="b@example.com", password=GOOD)
    monkeypatch.setenv("PSS_UI_TEST_PAGE", "admin")
    at = _login(AppTest.from_function(_app, default_timeout=30).run(), "anna", GOOD)
    assert not at.exception
    assert at.header[0].value == "Users"
    assert any("2 users" in c.value for c in at.caption)

    at2 = _login(AppTest.from_function(_app, default_timeout=30).run(), "ben", GOOD)
    assert any("Only administrators" in e.value for e in at2.error)


def test_client_address_behind_proxies():
    from webapp.ui.login import LOCAL_CLIENT, client_address

    # no proxy: the socket's address; a forged header is ignored
    assert client_address("198.51.100.7", "1.2.3.4", proxy_hops=0) == "198.51.100.7"
    assert client_address(None, None, proxy_hops=0) == LOCAL_CLIENT
    # one proxy appends what it saw: the last entry; the client's own claims further left are ignored
    assert client_address("10.0.0.2", "1.2.3.4, 203.0.113.9", proxy_hops=1) == "203.0.113.9"
    assert client_address("10.0.0.2", "203.0.113.9, 10.0.0.3", proxy_hops=2) == "203.0.113.9"
    # fewer entries than proxies: not through them; the socket's address
    assert client_address("10.0.0.2", "", proxy_hops=1) == "10.0.0.2"


class _Cookie:
    """A stand-in for the cookie model: the decoded token a browser sends."""

    def __init__(self, token):
        self.token = token

    def get_cookie(self):
        return self.token


def test_logout_revokes_a_copied_cookie(ui_db):
    from webapp.ui import login

    anna = auth.register_user(ui_db, username="anna", email="a@example.com", password=GOOD)
    copied = _Cookie({"username": "anna", "tv": anna.token_version})
    assert login._user_from_cookie(ui_db, copied).id == anna.id

    # log in and out through the widgets: the logout bumps the version in the DB
    at = _login(AppTest.from_function(_app, default_timeout=30).run(), "anna", GOOD)
    assert any("hello anna" in m.value for m in at.markdown)
    at.button(key="pss_logout_button").click()
    at.run()
    assert not at.exception
    assert login._user_from_cookie(ui_db, copied) is None  # the copy stopped working
    fresh = auth.get_active_user(ui_db, user_id=anna.id)
    assert login._user_from_cookie(ui_db, _Cookie({"username": "anna", "tv": fresh.token_version})).id == anna.id
