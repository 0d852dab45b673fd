"""pages/shop_dashboard.py: the shop's tiles, current plan and recent plans; the landing page
after shop work."""

from __future__ import annotations

from datetime import datetime

from tests.pages.conftest import assert_ok, open_page, shows
from webapp.shop import edits as shop_edits
from webapp.shop import imports as shop_imports
from webapp.ui import session

START = datetime(2026, 1, 5, 7)


def test_empty_shop_offers_the_demo(user):
    at = open_page(user, session.PAGE_SHOP_DASHBOARD)
    assert_ok(at)
    assert at.title[0].value == "Shop dashboard"
    assert at.button(key="shop_dash_demo_load")


def test_lands_on_the_shop_dashboard_after_shop_work(engine, user):
    at = open_page(user)
    assert_ok(at)
    assert at.title[0].value == "Filling dashboard"  # nothing made yet
    shop_imports.load_demo(engine, user=user, orders=8, work_centers=3, start=START)
    plan_id = shop_edits.accept(engine, user=user, proposal=shop_edits.propose(engine, user=user, start=START))
    at = open_page(user)
    assert_ok(at)
    assert at.title[0].value == "Shop dashboard"
    assert {m.label for m in at.metric} >= {"Late orders", "Open work orders", "Makespan"}
    assert shows(at.caption, "Europe") or shows(at.caption, "UTC")  # the plan start names its zone
    plans = at.dataframe[-1].value
    assert list(plans["plan"]) == [plan_id] and bool(plans["current"].iloc[0])


def test_the_landing_is_decided_once_per_login_not_on_every_rerun(engine, user, monkeypatch):
    from webapp import home

    calls = []
    real = home.last_used_problem
    monkeypatch.setattr(home, "last_used_problem", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = open_page(user)
    at.run()
    at.run()
    assert_ok(at)
    assert len(calls) == 1 and at.session_state["pss_landing"] == (user.id, None)
