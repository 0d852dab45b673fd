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


def test_result_summary_due_kpis_only_when_measured():
    from webapp.db.models import ScheduleResultRow
    from webapp.views import ResultSummary

    base = {"id": 1, "schedule_id": 2, "makespan_h": 10.0, "proven_optimal": False, "blocks": 1, "changeovers": 0,
            "changeover_h": 0.0, "fill_h": 5.0, "clean_h": 5.0, "utilisation": 0.5, "lots": 1, "runtime_s": 0.1,
            "solver_status": "heuristic"}
    dated = ResultSummary.of(ScheduleResultRow(**base, late_lots=1, tardiness_h=2.0, weighted_tardiness_h=6.0,
                                               max_lateness_h=2.0))
    assert dated.due_measured and (dated.due("late_lots"), dated.due("weighted_tardiness_h")) == (1, 6.0)
    undated = ResultSummary.of(ScheduleResultRow(**base, late_lots=0, tardiness_h=0.0, weighted_tardiness_h=0.0))
    assert not undated.due_measured and undated.due("late_lots") is None
    # a comparison's copy made before the due KPIs existed reads them as not measured
    old_copy = {k: v for k, v in dated.to_json().items() if k not in ("late_lots", "max_lateness_h")}
    assert ResultSummary.from_json(old_copy).due("late_lots") is None
    assert ResultSummary.from_json(dated.to_json()) == dated
