"""Browser checks on the app under ``streamlit run`` (the harness of tests/e2e, reused).

* Direct page URLs on a freshly started server, without a session, show the login form
  (not the page script alone with a list of every file in ``pages/``; see
  ``webapp.ui.login.through_login_gate``). This test runs first, before anyone opens ``/``.
* A long solve in one session does not freeze another: user A runs ``best`` on 500
  generated lots with an 8 s time limit; while it runs, user B (a second browser context)
  loads the dashboard and the history. Timeouts are generous; the measured times are
  printed (``-s``) and reported in docs/reliability.md.
"""

from __future__ import annotations

import random
import re
import time

from tests.e2e import conftest as e2e

pytestmark = e2e.BROWSER_MARKS

app_url, browser = e2e.app_url, e2e.browser  # module-scoped: a fresh server for this module

LOTS = 500
TIME_LIMIT_S = 8


def test_direct_page_urls_without_session_show_login(app_url, browser):
    from playwright.sync_api import expect

    context = browser.new_context()
    try:
        for path in ("history", "schedule_detail?id=1", "admin_users", "shop_board", "profile"):
            page = context.new_page()
            page.goto(f"{app_url}/{path}")
            expect(page.get_by_role("button", name="Log in")).to_be_visible(timeout=30_000)
            e2e._idle(page)
            body = page.inner_text("body")
            assert "Production Scheduling Studio" in body, path
            assert "Please log in." not in body, path  # the page script did not run alone
            assert not page.get_by_test_id("stSidebarNav").is_visible(), path  # no file list
            page.close()
    finally:
        context.close()


def _lots_csv(path) -> None:
    rng = random.Random(500)
    types = ["ONC-D", "INS-C", "VAX-B", "MAB-A"]
    rows = ["lot_id,lot_type,vials"]
    rows += [f"R-{i:04d},{rng.choice(types)},{rng.randrange(20_000, 800_000, 1000)}" for i in range(LOTS)]
    path.write_text("\n".join(rows) + "\n")


def test_long_run_does_not_freeze_another_session(app_url, browser, tmp_path):
    from playwright.sync_api import expect

    csv = tmp_path / "lots500.csv"
    _lots_csv(csv)
    ctx_a = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx_b = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        a, b = ctx_a.new_page(), ctx_b.new_page()
        a.set_default_timeout(60_000)
        b.set_default_timeout(60_000)
        e2e._register_and_login(a, app_url, "anna")
        e2e._register_and_login(b, app_url, "bert")

        # A: 500 lots, best, 8 s → a long run
        e2e._goto(a, "New schedule", "New schedule")
        a.locator("input[type=file]").first.set_input_files(str(csv))
        expect(a.get_by_text(f"{LOTS} lots · 4 types")).to_be_visible()
        e2e._idle(a)
        e2e._set_number(a, "Solver time limit (seconds)", str(TIME_LIMIT_S))
        a.get_by_role("button", name="Run", exact=True).click()
        started = time.monotonic()
        expect(a.get_by_text(re.compile("Planning with best"))).to_be_visible(timeout=30_000)

        # B, meanwhile: dashboard (a fresh page load) and history
        t0 = time.monotonic()
        b.goto(app_url)
        expect(b.get_by_role("heading", name="Filling dashboard").first).to_be_visible(timeout=60_000)
        e2e._idle(b)
        dashboard_s = time.monotonic() - t0
        t1 = time.monotonic()
        e2e._goto(b, "History", "History")
        history_s = time.monotonic() - t1
        a_still_running = a.get_by_text(re.compile("Planning with best")).first.is_visible()
        e2e._shot(b, "reliability_b_during_a_run")

        # A's run finishes and opens its result
        expect(a.get_by_role("heading", name=re.compile(r"Schedule #\d+"))).to_be_visible(timeout=120_000)
        run_s = time.monotonic() - started
        expect(a.get_by_test_id("stMetricLabel").filter(has_text="Lots").first).to_be_visible()
        e2e._shot(a, "reliability_a_result")
        print(
            f"\nresponsiveness: A's run {run_s:.1f} s; B dashboard {dashboard_s:.1f} s, "
            f"history {history_s:.1f} s; A still running after B's loads: {a_still_running}"
        )
        assert dashboard_s < 45 and history_s < 45  # generous: only a freeze fails this
        # B's pages were served while A's solver was busy (not after it)
        assert dashboard_s + history_s < run_s or a_still_running
    finally:
        ctx_a.close()
        ctx_b.close()
