"""The shop front door dispatches through the strategy table; options of a plan re-plan it."""

from scheduler_core.shop import ShopOptions, options_of, plan
from scheduler_core.shop.options import STRATEGIES
from scheduler_core.shop.planner import RUNNERS


def test_every_strategy_has_a_runner():
    assert set(RUNNERS) == set(STRATEGIES)


def test_plan_defaults_to_dispatch(shop):
    assert plan(shop).strategy == "dispatch"


def test_progress_reaches_done(shop):
    calls = []
    plan(shop, ShopOptions("dispatch"), progress=lambda f, m: calls.append((f, m)))
    assert calls[-1] == (1.0, "done")


def test_options_of_a_plan(shop):
    result = plan(shop, ShopOptions("dispatch", "delivery"))
    assert options_of(result) == ShopOptions("dispatch", "delivery")
    assert options_of(result, time_limit_s=3).time_limit_s == 3
