"""Read models copy what pages show from rows and cannot be changed."""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from datetime import datetime

import pytest

from webapp.db.models import Schedule
from webapp.db.repos.base import Page
from webapp.db.shop_models import ShopScenario, ShopWorkCenter
from webapp.views import ScenarioView, ScheduleView, WorkCenterView, page_of

NOW = datetime(2026, 12, 1, 9)


def test_schedule_view_copies_the_json_columns():
    row = Schedule(id=3, owner_id=1, name="n", strategy="best", status="completed", config={"clean_hours": 24},
                   input_data=[{"lot_id": "1"}], created_at=NOW)
    view = ScheduleView.of(row)
    row.config["clean_hours"] = 1
    assert view.config == {"clean_hours": 24} and view.input_data == [{"lot_id": "1"}] and view.id == 3
    with pytest.raises(FrozenInstanceError):
        view.status = "failed"  # type: ignore[misc]


def test_page_of_keeps_the_paging():
    page = page_of(Page(items=[1, 2], total=7, limit=2, offset=4), lambda x: x * 10)
    assert (page.items, page.total, page.limit, page.offset) == ([10, 20], 7, 2, 4)


def test_work_center_view_lists_shifts_and_days():
    row = ShopWorkCenter(id=1, organisation_id=1, code="TOK", shifts="S1,S3", working_days="0,1,5")
    view = WorkCenterView.of(row)
    assert view.shift_list == ["S1", "S3"] and view.weekday_list == [0, 1, 5]


def test_scenario_view_says_whether_it_was_planned():
    row = ShopScenario(id=1, organisation_id=1, owner_id=1, name="s", problem={}, result={}, changes=["x"],
                       created_at=NOW, updated_at=NOW)
    assert not ScenarioView.of(row).planned and ScenarioView.of(row).changes == ["x"]
    row.result = {"strategy": "dispatch"}
    assert ScenarioView.of(row).planned
