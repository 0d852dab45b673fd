"""Shop options: one default each, refused once when built."""

import pytest

from scheduler_core.errors import InputError
from scheduler_core.shop import DEFAULT_TIME_LIMIT_S, STRATEGIES, ShopOptions, plan


def test_defaults():
    options = ShopOptions()
    assert (options.strategy, options.due_basis, options.time_limit_s) == ("dispatch", "assembly", DEFAULT_TIME_LIMIT_S)


def test_strategy_known():
    with pytest.raises(InputError, match="unknown strategy 'magic'; valid: dispatch, optimise"):
        ShopOptions("magic")


def test_due_basis_known():
    with pytest.raises(InputError, match="due basis"):
        ShopOptions(due_basis="third")


@pytest.mark.parametrize("limit", [0, -1, float("nan"), 4000, "10"])
def test_time_limit_positive(limit):
    with pytest.raises(InputError, match="time limit"):
        ShopOptions(time_limit_s=limit)


def test_every_bad_option_at_once():
    with pytest.raises(InputError) as info:
        ShopOptions("magic", "third", 0)
    assert len(info.value.problems) == 3


def test_strategies_listed_and_unknown_rejected(shop):
    assert set(STRATEGIES) == {"dispatch", "optimise"}
    with pytest.raises(InputError, match="dispatch, optimise"):
        plan(shop, ShopOptions("magic"))
    with pytest.raises(InputError, match="due basis"):
        plan(shop, ShopOptions("dispatch", due_basis="third"))
