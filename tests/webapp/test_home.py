"""webapp.home: the landing dashboard follows what the user made last."""

from __future__ import annotations

from scheduler_core.filling import parse_lots
from tests.webapp.shop.conftest import START
from webapp import home, ui
from webapp.filling import runs as fill_runs
from webapp.shop import edits as shop_edits
from webapp.shop import imports as shop_imports
from webapp.shop import scenarios as shop_scenarios


def _fill(engine, user) -> None:
    lots = parse_lots(ui.SAMPLE_LOTS)[:6]
    fill_runs.run_filling_schedule(engine, user=user, name="p", lots=lots, config={"strategy": "smart-pack"})


def test_last_used_problem_follows_the_newest_schedule_plan_or_scenario(engine, alice, bob):
    assert home.last_used_problem(engine, user=alice) is None
    _fill(engine, alice)
    assert home.last_used_problem(engine, user=alice) == "filling"
    shop_imports.load_demo(engine, user=alice, orders=6, work_centers=2, start=START)
    assert home.last_used_problem(engine, user=alice) == "filling"  # loading data is not planning
    shop_edits.accept(engine, user=alice, proposal=shop_edits.propose(engine, user=alice, start=START))
    assert home.last_used_problem(engine, user=alice) == "shop"
    _fill(engine, alice)
    assert home.last_used_problem(engine, user=alice) == "filling"
    shop_scenarios.create_scenario(engine, user=alice, name="what if")
    assert home.last_used_problem(engine, user=alice) == "shop"
    assert home.last_used_problem(engine, user=bob) is None  # another user's work does not count
