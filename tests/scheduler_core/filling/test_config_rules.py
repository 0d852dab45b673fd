from __future__ import annotations

import pytest

from scheduler_core.errors import InputError
from scheduler_core.filling import FillingConfig
from scheduler_core.filling.config_rules import OBJECTIVES, number_problem


def test_objectives_are_makespan_and_due():
    assert OBJECTIVES == ("makespan", "due")
    assert FillingConfig().objective == "makespan"
    assert FillingConfig(objective="due").to_dict()["objective"] == "due"


@pytest.mark.parametrize("bad", ["tardiness", "", None, 3])
def test_unknown_objective_is_refused_naming_the_key(bad):
    with pytest.raises(InputError) as err:
        FillingConfig(objective=bad)
    [problem] = err.value.problems
    assert problem.column == "objective" and "makespan, due" in problem.reason


def test_number_problem_names_the_reason():
    assert number_problem(-1, allow_zero=True, limit=10) == "must be zero or positive, got -1"
    assert number_problem(0, allow_zero=False, limit=10) == "must be positive, got 0"
    assert number_problem(1.5, allow_zero=False, limit=10) is None
