"""pages/dashboard.py: the last completed schedule's KPIs and the late lots of the recent
schedules (the empty state and the demo path are in test_app_shell)."""

from __future__ import annotations

from datetime import datetime

from scheduler_core.filling import Lot
from tests.pages.conftest import assert_ok, open_page
from webapp.filling import runs as fill_runs

START = {"strategy": "smart-pack", "start_time": "2026-01-05T00:00"}


def _lots(due: datetime | None) -> list[Lot]:
    return [Lot("A1", "A", 996_000, due=due), Lot("A2", "A", 996_000), Lot("B1", "B", 199_200)]


def test_late_lots_counted_per_schedule_and_for_the_last_one(engine, user):
    fill_runs.run_filling_schedule(engine, user=user, name="undated", lots=_lots(None), config=START)
    fill_runs.run_filling_schedule(engine, user=user, name="late", lots=_lots(datetime(2026, 1, 6)), config=START)
    at = open_page(user)
    assert_ok(at)
    assert at.title[0].value == "Filling dashboard"
    assert next(m for m in at.metric if m.label == "Late lots").value == "1"  # the last completed: "late"
    table = at.dataframe[0].value.set_index("name")
    assert table.loc["late", "late lots"] == 1 and table.isna().loc["undated", "late lots"]  # "–": no due dates
    assert any("1 of the 2 recent completed schedules has late lots (1 in all)" in w.value for w in at.warning)


def test_no_due_dates_no_late_lots_warning(engine, user):
    fill_runs.run_filling_schedule(engine, user=user, name="undated", lots=_lots(None), config=START)
    at = open_page(user)
    assert_ok(at)
    assert next(m for m in at.metric if m.label == "Late lots").value == "–"
    assert not at.warning
