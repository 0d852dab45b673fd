"""The filling value objects validate themselves: one test per rule."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest

from scheduler_core.errors import InputError, raise_problems
from scheduler_core.filling import model
from scheduler_core.filling.model import FillingConfig, FillingProblem, Lot


def _reasons(rule, subject):
    return [p.reason for p in rule(subject)]


def test_lot_id_not_blank():
    assert _reasons(model.lot_id_not_blank, Lot(" ", "A", 1)) == ["Lot ID is blank"]
    assert _reasons(model.lot_id_not_blank, Lot("L1", "A", 1)) == []


def test_lot_type_not_blank():
    assert _reasons(model.lot_type_not_blank, Lot("L1", "", 1)) == ["Type is blank"]
    assert _reasons(model.lot_type_not_blank, Lot("L1", "A", 1)) == []


@pytest.mark.parametrize("vials", [0, -3, 1.5, True, model.MAX_VIALS + 1])
def test_vials_positive_whole(vials):
    assert _reasons(model.vials_positive_whole, Lot("L1", "A", vials))
    assert _reasons(model.vials_positive_whole, Lot("L1", "A", 10)) == []


def test_has_lots():
    assert _reasons(model.has_lots, SimpleNamespace(lots=())) == ["no lots to schedule"]
    with pytest.raises(InputError, match="no lots to schedule"):
        FillingProblem([])


def test_lot_ids_unique_names_the_first_row():
    with pytest.raises(InputError) as info:
        FillingProblem([Lot("A", "X", 1, row=2), Lot("A", "X", 1, row=5)])
    (problem,) = info.value.problems
    assert problem.row == 5 and "first seen in row 2" in problem.reason


def test_problem_lists_at_most_the_capped_number_of_problems():
    from scheduler_core.tabular import MAX_PROBLEMS

    with pytest.raises(InputError) as info:
        FillingProblem([Lot(f"L{k}", "A", 0) for k in range(MAX_PROBLEMS + 5)])
    assert len(info.value.problems) == MAX_PROBLEMS + 1 and "5 more" in info.value.problems[-1].reason


def test_problem_reports_every_lot_problem_at_once():
    with pytest.raises(InputError) as info:
        FillingProblem([Lot("A", "X", 10), Lot("A", "X", 0), Lot("", " ", 5)])
    assert len(info.value.problems) == 4
    assert FillingProblem((Lot("A", "X", 1),)).types == ["X"]


def test_lots_fit_window():
    problem = FillingProblem([Lot("big", "A", 200 * 19920, row=3), Lot("ok", "A", 19920)])
    (p,) = model.lots_fit_window(problem, FillingConfig())
    assert p.row == 3 and p.column == "Vials" and "split it" in p.reason


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("fill_rate_vph", 0, "must be positive"),
        ("clean_hours", -1, "must be zero or positive"),
        ("window_hours", float("inf"), "finite"),
        ("changeover_same_hours", "4", "must be a number"),
        ("time_limit_s", 7200, "at most 3600"),
        ("changeover_diff_hours", 0.1234567, "at most 6 decimals"),
    ],
)
def test_numbers_in_range(field, value, reason):
    with pytest.raises(InputError) as info:
        FillingConfig(**{field: value})
    (p,) = info.value.problems
    assert p.column == field and reason in p.reason


def test_strategy_known():
    with pytest.raises(InputError, match="unknown strategy 'fastest'"):
        FillingConfig(strategy="fastest")


def test_start_time_is_moment():
    with pytest.raises(InputError, match="not a date/time"):
        FillingConfig(start_time="tomorrow")
    assert FillingConfig(start_time=datetime(2026, 1, 5)).start_time == datetime(2026, 1, 5)


def test_changeover_matrix_hours():
    with pytest.raises(InputError, match="'A' -> 'B'"):
        FillingConfig(changeover_matrix={("A", "B"): -1})
    with pytest.raises(InputError, match="pair"):
        FillingConfig(changeover_matrix={"AB": 1})
    assert FillingConfig(changeover_matrix={("A", "B"): 2}).changeover_hours("A", "B") == 2


def test_lot_longer_than_window_is_input_error():
    lots = [Lot("BIG", "A", 121 * 19920), Lot("OK", "A", 10)]
    with pytest.raises(InputError) as info:
        raise_problems(model.lots_fit_window(FillingProblem(lots), FillingConfig()))
    assert "BIG" in str(info.value) and "window" in str(info.value)


def test_matrix_unknown_types_are_warnings_with_the_nearest_name():
    from scheduler_core.filling.model import matrix_unknown_types

    problem = FillingProblem([Lot("L1", "Insulin", 10), Lot("L2", "Vaccine", 10)])
    config = FillingConfig(changeover_matrix={("Insulin", "Vacine"): 3.0, ("Zeta", "Insulin"): 1.0})
    found = [(p.column, p.reason) for p in matrix_unknown_types(problem, config)]
    assert found == [
        ("changeover_matrix", "changeover_matrix names type 'Vacine', which no lot has: its entries are not used; "
                              "did you mean 'Vaccine'?"),
        ("changeover_matrix", "changeover_matrix names type 'Zeta', which no lot has: its entries are not used"),
    ]
    assert matrix_unknown_types(problem, FillingConfig()) == []


def test_due_and_start_time_outside_the_accepted_range_are_refused():
    from datetime import datetime

    from scheduler_core.errors import InputError

    with pytest.raises(InputError) as info:
        FillingProblem([Lot("L1", "A", 10, due=datetime(9999, 12, 31), row=4)])
    ((row, column, reason),) = [(p.row, p.column, p.reason) for p in info.value.problems]
    assert (row, column) == (4, "Due") and "outside the accepted range 1990-01-01 to 2200-12-31" in reason
    with pytest.raises(InputError, match="start_time '1900-01-01 00:00' is outside the accepted range"):
        FillingConfig(start_time=datetime(1900, 1, 1))


def test_a_lot_just_over_the_window_says_by_how_much():
    from scheduler_core.filling.model import lots_fit_window

    config = FillingConfig()
    just = round(config.fill_rate_vph * config.window_hours) + 1  # a vial over: 120.0001 h
    (problem,) = lots_fit_window(FillingProblem([Lot("L1", "A", just)]), config)
    assert problem.reason.startswith("lot 'L1' needs 120.00 h of filling, 1 vial more than the 120 h window holds")
    (far,) = lots_fit_window(FillingProblem([Lot("L2", "A", just * 2)]), config)
    assert "needs 240.00 h of filling, 120.00 h more than the 120 h window holds" in far.reason


@pytest.mark.parametrize("priority", [0, 4, 1.5, "1", True])
def test_priority_in_range(priority):
    with pytest.raises(InputError) as err:
        FillingProblem([Lot("L1", "A", 10, priority=priority, row=2)])
    assert [(p.row, p.column) for p in err.value.problems] == [(2, "Priority")]


def test_due_and_release_must_be_moments():
    with pytest.raises(InputError) as err:
        FillingProblem([Lot("L1", "A", 10, due="2026-01-01", release=5, row=7)])
    assert [(p.row, p.column) for p in err.value.problems] == [(7, "Due"), (7, "Release")]


def test_release_after_due_is_a_warning_naming_the_lot():
    from scheduler_core.filling.model import release_after_due

    problem = FillingProblem([
        Lot("L1", "A", 10, due=datetime(2026, 1, 2), release=datetime(2026, 1, 3), row=2),
        Lot("L2", "A", 10, due=datetime(2026, 1, 3), release=datetime(2026, 1, 2), row=3),
    ])
    [warning] = release_after_due(problem)
    assert (warning.row, warning.column) == (2, "Release") and "'L1'" in warning.reason
    assert Lot("x", "A", 1).weight == 1 and Lot("x", "A", 1, priority=1).weight == 3


def test_default_start_is_the_next_full_hour_on_the_plant_clock(monkeypatch):
    from scheduler_core.zones import next_full_hour

    monkeypatch.setenv("PSS_TIMEZONE", "Pacific/Kiritimati")  # UTC+14: rarely the server's hour
    before = next_full_hour("Pacific/Kiritimati")
    start = FillingConfig().resolved_start()
    assert start in {before, next_full_hour("Pacific/Kiritimati")}
    assert (start.minute, start.second, start.microsecond) == (0, 0, 0)
    assert FillingConfig(start_time=datetime(2026, 1, 5, 7, 30)).resolved_start() == datetime(2026, 1, 5, 7, 30)
