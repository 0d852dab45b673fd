"""JSON round trips of shop problems and plans: ``from_json(to_json(x)) == x``."""

from __future__ import annotations

import json
from datetime import date, timedelta

from scheduler_core.shop import Downtime, ShopOptions, codec, edits, plan
from scheduler_core.shop.demo import demo_shop


def _through_json(data):
    return json.loads(json.dumps(data))


def test_problem_round_trip_with_calendar_downtime_and_pins(shop, monday):
    changed = edits.set_calendar(shop, "GLO", date(2025, 1, 7), date(2025, 1, 7), ["S2"], False)
    changed = edits.add_downtime(changed, Downtime("TOK", monday, monday + timedelta(hours=3), "belt"))
    changed = edits.move_up(changed, ["RN-1/1", "RN-2/2"], "RN-2/2")
    assert codec.problem_from_json(_through_json(codec.problem_to_json(changed))) == changed


def test_demo_problem_round_trip():
    shop = demo_shop(2, work_centers=4, orders=30)
    assert codec.problem_from_json(_through_json(codec.problem_to_json(shop))) == shop


def test_result_round_trip(shop):
    for strategy in ("dispatch", "optimise"):
        result = plan(shop, ShopOptions(strategy, time_limit_s=1))
        assert codec.result_from_json(_through_json(codec.result_to_json(result))) == result


def test_a_stored_manual_sequence_reads_as_a_chain_of_pins(shop):
    data = _through_json(codec.problem_to_json(shop))
    del data["pins"]
    data["manual_sequences"] = {"TOK": ["RN-5/2", "RN-1/1", "RN-3/1"]}
    assert codec.problem_from_json(data).pins == (("RN-5/2", "RN-1/1"), ("RN-1/1", "RN-3/1"))
