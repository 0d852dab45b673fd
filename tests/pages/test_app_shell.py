"""streamlit_app.py: login gate, navigation, dashboard and the demo-data path."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from scheduler_core.filling import parse_lots
from tests.pages.conftest import APP, PASSWORD, _reset_caches, assert_ok, make_user, open_page
from webapp import app_start, auth, ui
from webapp.filling import history as fill_history
from webapp.filling import runs as fill_runs


def test_logged_out_shows_login_and_register(app_env):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert_ok(at)
    assert at.title[0].value == "Production Scheduling Studio"
    assert [t.label for t in at.text_input][:2] == ["Username", "Password"]


def test_closed_registration_offers_no_register_form(app_env, monkeypatch):
    monkeypatch.setenv("PSS_REGISTRATION", "closed")
    _reset_caches()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert_ok(at)
    assert [t.label for t in at.text_input] == ["Username", "Password"]  # no registration fields
    assert not at.tabs
    assert any("Registration is closed" in c.value for c in at.caption)


def test_approval_registration_waits_for_an_admin(app_env, monkeypatch):
    monkeypatch.setenv("PSS_REGISTRATION", "approval")
    monkeypatch.setenv("PSS_ADMIN_USER", "ops")
    monkeypatch.setenv("PSS_ADMIN_PASSWORD", PASSWORD)
    _reset_caches()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert_ok(at)
    fields = {t.label: t for t in at.text_input[2:]}  # the register form, after the login form
    fields["Username"].input("newbie")
    fields["Email"].input("newbie@example.com")
    fields["Password"].input(PASSWORD)
    fields["Repeat password"].input(PASSWORD)
    at.button[1].click().run()
    assert_ok(at)
    assert any("awaits approval by an administrator" in s.value for s in at.success)
    at.text_input[0].input("newbie")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert any("awaits approval by an administrator" in e.value for e in at.error)

    # the start-up admin (PSS_ADMIN_USER) approves it on the admin page
    engine = app_start.init_app()
    admin = auth.SessionUser.of(auth.get_active_user(engine, username="ops"))
    newbie = auth.list_users(engine, acting_user=admin, approval="pending").items[0]
    at = open_page(admin, "pages/admin_users.py")
    assert_ok(at)
    assert any("Awaiting approval (1)" in h.value for h in at.subheader)
    at.button(key=f"pss_approve_{newbie.id}").click().run()
    assert_ok(at)
    assert any("newbie can log in now" in s.value for s in at.success)
    assert not any("Awaiting approval" in h.value for h in at.subheader)
    assert auth.authenticate(engine, username="newbie", password=PASSWORD).id == newbie.id


def test_dashboard_empty_state_and_demo_path(user):
    at = open_page(user)
    assert_ok(at)
    assert at.title[0].value == "Filling dashboard"
    assert {m.label for m in at.metric} >= {"Schedules", "Completed", "Failed", "Comparisons"}
    assert any("No schedules yet" in i.value for i in at.info)
    at.button(key="dash_demo").click().run()
    assert_ok(at)
    assert at.title[0].value == "New schedule"
    assert at.dataframe[0].value.shape[0] == 40
    assert any("preloaded" in i.value for i in at.info)


def test_dashboard_lists_recent_schedules_of_this_user_only(engine, user):
    lots = parse_lots(ui.SAMPLE_LOTS)[:8]
    fill_runs.run_filling_schedule(engine, user=user, name="anna's plan", lots=lots, config={"strategy": "smart-pack"})
    other = make_user(engine, "bert")
    at = open_page(user)
    assert_ok(at)
    names = list(at.dataframe[0].value["name"])
    assert names == ["anna's plan"]
    assert at.metric[0].value == "1"
    (stored,) = fill_history.list_schedules(engine, user=user)[0].items  # created: plant time, zone named
    assert at.dataframe[0].value["created"].iloc[0] == ui.plant_stamp(stored.created_at, "UTC")
    assert json.loads(at.dataframe[0].proto.columns)["created"]["label"] == "created (UTC)"
    at = open_page(other)
    assert_ok(at)
    assert at.metric[0].value == "0"
    assert not at.dataframe


def test_admin_page_only_for_admins(engine, user):
    other = make_user(engine, "bert")  # second user: planner
    at = open_page(user, "pages/admin_users.py")
    assert_ok(at)
    assert at.header[0].value == "Users"
    at = open_page(other)
    assert_ok(at)
    try:
        at.switch_page("pages/admin_users.py")
        at.run()
    except Exception:  # noqa: BLE001 - the page is not in this user's navigation
        return
    assert not any(h.value == "Users" for h in at.header)


def test_unreachable_database_at_start_shows_a_page_not_a_traceback(app_env, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("database cannot be reached" in e.value for e in at.error)
    assert not any("psycopg" in e.value for e in at.error)
