"""Ten people at once in real browsers against one app server on Postgres.

Every user uploads their own lots and runs a schedule, then compares all strategies, all
ten sessions submitting before any has finished. Afterwards each user has exactly their own
schedule (built from their lots) and comparison, and no other user's rows.
"""

from __future__ import annotations

import re

import pytest

from tests.webapp.conftest import fresh_pg_schema
from webapp.db.engine import create_engine_from_url
from webapp.filling import history as fill_history

from .conftest import (
    BROWSER_MARKS,
    _goto,
    _idle,
    _new_schedule_ready,
    _register_and_login,
    _set_number,
    serve_app,
)

USERS = 10
pytestmark = [*BROWSER_MARKS, pytest.mark.postgres, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def pg_schema_url():
    with fresh_pg_schema() as url:
        yield url


def test_ten_users_at_once(pg_schema_url, browser, tmp_path):
    from playwright.sync_api import expect

    with serve_app(tmp_path, pg_schema_url) as url:
        pages = []
        for i in range(USERS):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.set_default_timeout(60_000)
            _register_and_login(page, url, f"user{i}")
            lots = tmp_path / f"user{i}.csv"
            lots.write_text("Lot ID,Type,Vials\n" + "".join(
                f"U{i}-L{k},{'AB'[k % 2]},{200_000 + 1_000 * i + k}\n" for k in range(12)))
            _goto(page, "New schedule", "New schedule")
            _new_schedule_ready(page, lots, "12 lots · 2 types", time_limit_s="2", name=f"plan of user{i}")
            pages.append(page)

        for page in pages:  # all ten submit before any result is awaited
            page.get_by_role("button", name="Run", exact=True).click()
        for page in pages:
            expect(page.get_by_role("heading", name=re.compile(r"Schedule #\d+"))).to_be_visible(timeout=180_000)
            _idle(page, 180_000)

        for page in pages:
            _goto(page, "Compare", "Compare strategies")
            _set_number(page, "Solver time limit (seconds)", "1")
        for page in pages:
            page.get_by_role("button", name="Run comparison").click()
        for page in pages:
            expect(page.get_by_text(re.compile(r"Comparison #\d+ saved"))).to_be_visible(timeout=300_000)

    engine = create_engine_from_url(pg_schema_url)
    try:
        from webapp.db.engine import session_scope
        from webapp.db.repos import users as user_repo

        with session_scope(engine) as session:
            users = [user_repo.get_user_by_username(session, username=f"user{i}") for i in range(USERS)]
            users = [(u.id, u.username) for u in users]
        for i, (uid, _) in enumerate(users):
            page, _ = fill_history.list_schedules(engine, user=uid, limit=100)
            own = [s for s in page.items if s.name == f"plan of user{i}"]
            assert len(own) == 1 and own[0].status == "completed", [s.name for s in page.items]
            stored = fill_history.get_schedule(engine, user=uid, schedule_id=own[0].id)
            assert {lot.lot_id for lot in stored.result.lots} == {f"U{i}-L{k}" for k in range(12)}
            assert {s.owner_id for s in page.items} == {uid}
            comparisons = fill_history.list_comparisons(engine, user=uid)
            assert comparisons.total == 1
            _, runs = fill_history.get_comparison(engine, user=uid, comparison_id=comparisons.items[0].id)
            assert runs and all(r is not None and r.schedule.owner_id == uid for r in runs.values())
            other = users[(i + 1) % USERS][0]
            assert fill_history.get_schedule(engine, user=other, schedule_id=own[0].id) is None
    finally:
        engine.dispose()
