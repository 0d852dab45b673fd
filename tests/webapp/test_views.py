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


def test_result_summary_counts_late_lots_and_weighs_tardiness_only_with_the_lots():
    from scheduler_core.filling import FillingConfig, FillingProblem, Lot, plan
    from scheduler_core.filling.codec import lots_to_json
    from webapp.db.models import ScheduleResultRow
    from webapp.filling.mapping import result_to_row
    from webapp.views import ResultSummary

    lots = [Lot("1", "A", 19920 * 50), Lot("2", "A", 19920 * 50, priority=2, due=NOW)]
    result = plan(FillingProblem(lots), FillingConfig(start_time=NOW, strategy="as-given"))
    row = ScheduleResultRow(id=5, schedule_id=4, **result_to_row(result))
    with_lots = ResultSummary.of(row, lots_to_json(lots))
    assert with_lots.late_lots == 1 and with_lots.weighted_tardiness_h == pytest.approx(result.kpis.weighted_tardiness_h)
    assert with_lots.weighted_tardiness_h == pytest.approx(2 * result.kpis.tardiness_h)
    bare = ResultSummary.of(row)
    assert bare.late_lots == 1 and bare.weighted_tardiness_h is None
    assert ResultSummary.from_json(with_lots.to_json()) == with_lots
