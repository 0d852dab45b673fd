"""Stored result rows <-> the ScheduleResult the pages and exports use."""

from __future__ import annotations

from dataclasses import replace

from scheduler_core.filling import FillingProblem, plan
from scheduler_core.filling.codec import config_to_json, lots_to_json
from tests.webapp.filling.conftest import CONFIG, LOTS
from webapp.db.models import Schedule, ScheduleResultRow
from webapp.filling.mapping import result_from_row, result_to_row


def test_result_row_round_trip():
    config = replace(CONFIG, strategy="lpt-pack")
    result = plan(FillingProblem(LOTS), config)
    columns = result_to_row(result)
    assert columns["makespan_h"] == result.kpis.makespan_h and len(columns["activities"]) == len(result.activities)
    row = ScheduleResultRow(schedule_id=1, **columns)
    schedule = Schedule(owner_id=1, name="x", strategy="lpt-pack", config=config_to_json(config),
                        input_data=lots_to_json(LOTS))
    back = result_from_row(row, schedule)
    assert back == result


def test_solver_status_is_cut_to_the_column():
    result = plan(FillingProblem(LOTS), replace(CONFIG, strategy="smart-pack"))
    assert len(result_to_row(replace(result, solver_status="x" * 500))["solver_status"]) == 128


def _schedule(config) -> Schedule:
    return Schedule(owner_id=1, name="x", strategy=config.strategy, config=config_to_json(config),
                    input_data=lots_to_json(LOTS))


def test_due_kpis_are_stored_and_read_back():
    late = [replace(lot, due=CONFIG.start_time) for lot in LOTS]  # due at the start: every lot late
    config = replace(CONFIG, strategy="smart-pack")
    result = plan(FillingProblem(late), config)
    columns = result_to_row(result)
    assert columns["late_lots"] == 4 and columns["max_lateness_h"] == result.kpis.max_lateness_h > 0
    assert columns["weighted_tardiness_h"] == result.kpis.weighted_tardiness_h > columns["tardiness_h"]
    schedule = _schedule(config)
    schedule.input_data = lots_to_json(late)
    assert result_from_row(ScheduleResultRow(schedule_id=1, **columns), schedule) == result


def test_a_row_stored_before_due_kpis_reads_as_not_measured():
    config = replace(CONFIG, strategy="smart-pack")
    columns = result_to_row(plan(FillingProblem(LOTS), config))
    old = {k: v for k, v in columns.items() if k not in ("late_lots", "tardiness_h", "weighted_tardiness_h",
                                                         "max_lateness_h")}
    kpis = result_from_row(ScheduleResultRow(schedule_id=1, **old), _schedule(config)).kpis
    assert (kpis.late_lots, kpis.tardiness_h, kpis.weighted_tardiness_h, kpis.max_lateness_h) == (0, 0.0, 0.0, None)


def test_due_kpis_of_a_stored_result_are_measured_again_with_the_lots_weights():
    from datetime import datetime

    from scheduler_core.filling import Lot

    lots = [*LOTS[:3], Lot("004", "C", 19920 * 70, priority=1, due=datetime(2030, 1, 8))]  # late, weight 3
    result = plan(FillingProblem(lots), replace(CONFIG, strategy="as-given"))
    assert result.kpis.late_lots == 1 and result.kpis.weighted_tardiness_h == 3 * result.kpis.tardiness_h > 0
    row = ScheduleResultRow(schedule_id=1, **result_to_row(result))
    schedule = Schedule(owner_id=1, name="x", strategy="as-given", config=config_to_json(result.config),
                        input_data=lots_to_json(lots))
    assert result_from_row(row, schedule).kpis == result.kpis
