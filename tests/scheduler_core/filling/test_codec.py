"""JSON round trips of the filling domain objects: ``from_json(to_json(x)) == x``."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime

from scheduler_core.filling import FillingConfig, FillingProblem, Lot, codec, plan

from .conftest import START


def _through_json(data):
    return json.loads(json.dumps(data))


def test_lots_round_trip():
    lots = [Lot("001", "A", 5, priority=1, due=datetime(2026, 12, 2, 14, 30), row=2), Lot("x", "B", 7)]
    assert codec.lots_from_json(_through_json(codec.lots_to_json(lots))) == lots


def test_config_round_trip_with_matrix_and_start():
    config = FillingConfig(
        fill_rate_vph=12000.5, changeover_matrix={("A", "B"): 1.5, ("B", "A"): 0}, start_time=START,
        strategy="lpt-pack", time_limit_s=3,
    )
    assert codec.config_from_json(_through_json(codec.config_to_json(config))) == config
    assert codec.config_from_json(None) == FillingConfig()


def test_result_round_trip(small_lots, config):
    result = plan(FillingProblem(small_lots), replace(config, strategy="smart-pack"))
    back = codec.result_from_json(_through_json(codec.result_to_json(result)))
    assert back == result
    assert back.blocks == result.blocks


def test_kpis_round_trip(small_lots, config):
    kpis = plan(FillingProblem(small_lots), replace(config, strategy="lpt-pack")).kpis
    assert codec.kpis_from_json(_through_json(codec.kpis_to_json(kpis))) == kpis


def test_due_dates_releases_and_lateness_round_trip(small_lots, config):
    lots = [replace(lot, due=START.replace(day=3), release=START.replace(day=2), priority=2) for lot in small_lots]
    assert codec.lots_from_json(_through_json(codec.lots_to_json(lots))) == lots
    result = plan(FillingProblem(lots), replace(config, strategy="smart-pack", objective="due"))
    assert result.kpis.late_lots > 0
    assert codec.result_from_json(_through_json(codec.result_to_json(result))) == result


def test_kpis_stored_before_due_dates_existed_still_load(small_lots, config):
    kpis = plan(FillingProblem(small_lots), replace(config, strategy="lpt-pack")).kpis
    old = {k: v for k, v in codec.kpis_to_json(kpis).items()
           if k not in ("late_lots", "tardiness_h", "weighted_tardiness_h", "max_lateness_h")}
    assert codec.kpis_from_json(old) == kpis
