"""Input errors: how a problem reads, how an ``InputError`` carries problems, the rule runner."""

from __future__ import annotations

import pytest

from scheduler_core.errors import InputError, Problem, UnknownReference, check, raise_problems


def test_problem_text_names_row_and_column_when_known():
    assert str(Problem("must be positive", 3, "Vials")) == "row 3, column 'Vials': must be positive"
    assert str(Problem("missing column", column="Type")) == "column 'Type': missing column"
    assert str(Problem("bad row", 7)) == "row 7: bad row"
    assert str(Problem("no lots to schedule")) == "no lots to schedule"


def test_problem_row_zero_is_shown_and_blank_column_is_not():
    assert str(Problem("x", 0)) == "row 0: x"
    assert str(Problem("x", None, "")) == "x"


def test_problem_is_a_frozen_value():
    assert Problem("x", 2, "A") == Problem("x", 2, "A")
    with pytest.raises(AttributeError):
        Problem("x").reason = "y"  # type: ignore[misc]


def test_input_error_from_text():
    error = InputError("file is empty")
    assert error.problems == [Problem("file is empty")]
    assert error.source is None
    assert str(error) == "file is empty"
    assert error.lines() == ["file is empty"]


def test_input_error_from_one_problem():
    error = InputError(Problem("bad", 2, "Vials"))
    assert error.problems == [Problem("bad", 2, "Vials")]
    assert str(error) == "row 2, column 'Vials': bad"


def test_input_error_from_a_list_keeps_every_problem_in_order():
    problems = [Problem("first", 2), Problem("second", 3, "Type"), Problem("file-wide")]
    error = InputError(problems)
    assert error.problems == problems
    assert error.problems is not problems  # a copy: the caller's list may change later
    assert str(error) == "row 2: first; row 3, column 'Type': second; file-wide"


def test_input_error_accepts_any_iterable_of_problems():
    error = InputError((Problem("a"), Problem("b")))  # type: ignore[arg-type]
    assert error.problems == [Problem("a"), Problem("b")]


def test_lines_prefix_the_source_on_every_line():
    error = InputError([Problem("bad", 2, "Vials"), Problem("blank", 3)], source="lots.csv")
    assert error.lines() == ["lots.csv: row 2, column 'Vials': bad", "lots.csv: row 3: blank"]
    assert str(error) == "lots.csv: row 2, column 'Vials': bad; row 3: blank"


def test_input_error_is_a_value_error():
    with pytest.raises(ValueError, match="broken"):
        raise InputError("broken")


def test_unknown_reference_is_an_input_error():
    error = UnknownReference(Problem("unknown work center 'X'"), source="edit")
    assert isinstance(error, InputError)
    assert error.lines() == ["edit: unknown work center 'X'"]
    with pytest.raises(InputError):
        raise error


def _positive(n: int):
    if n <= 0:
        yield Problem("must be positive")


def _even(n: int):
    if n % 2:
        yield Problem("must be even")


def _two_problems(n: int):
    return [Problem(f"a{n}"), Problem(f"b{n}")]


def test_check_runs_every_rule_and_keeps_rule_order():
    assert check([_positive, _even], 4) == []
    assert check([_positive, _even], -3) == [Problem("must be positive"), Problem("must be even")]
    assert check([_even, _positive], -3) == [Problem("must be even"), Problem("must be positive")]
    assert check([_two_problems, _even], 1) == [Problem("a1"), Problem("b1"), Problem("must be even")]
    assert check([], 1) == []


def test_raise_problems_raises_once_with_all_problems():
    raise_problems([])  # nothing found: no error
    raise_problems((), source="lots.csv")
    found = [Problem("a", 2), Problem("b", 3)]
    with pytest.raises(InputError) as info:
        raise_problems(found, source="lots.csv")
    assert type(info.value) is InputError
    assert info.value.problems == found
    assert info.value.source == "lots.csv"
    assert info.value.lines() == ["lots.csv: row 2: a", "lots.csv: row 3: b"]


def test_raise_problems_accepts_a_tuple():
    with pytest.raises(InputError) as info:
        raise_problems((Problem("only"),))
    assert info.value.problems == [Problem("only")]
