"""The rules a filling line configuration must follow (``FillingConfig.__post_init__`` runs
:data:`CONFIG_RULES`): each rule is one small function returning the problems it finds
(``column`` = the config key)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime
from fractions import Fraction
from typing import Any

from scheduler_core.cells import range_problem
from scheduler_core.errors import Problem
from scheduler_core.filling.catalog import STRATEGIES

#: A ``model.FillingConfig`` (which imports this module, so it is not imported here).
FillingConfig = Any

#: What a plan optimises first: ``makespan`` (then weighted tardiness) or ``due`` (weighted
#: tardiness, then makespan). DESIGN.md §1, config key ``objective``.
OBJECTIVES = ("makespan", "due")

#: Number keys: (zero allowed, largest value).
NUMBER_KEYS: dict[str, tuple[bool, float]] = {
    "fill_rate_vph": (False, 10**9),
    "clean_hours": (True, 10**4),
    "window_hours": (False, 10**5),
    "changeover_same_hours": (True, 10**4),
    "changeover_diff_hours": (True, 10**4),
    "time_limit_s": (False, 3600),
}
#: Hours of one changeover matrix entry: at most this many.
MAX_MATRIX_HOURS = 10**4


def number_problem(value: object, *, allow_zero: bool, limit: float) -> str | None:
    """Why ``value`` is not an accepted config number (finite, not negative, zero only when
    allowed, at most ``limit``, at most 6 decimals), or ``None`` when it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"must be a number, got {short(value)}"
    if isinstance(value, int) and abs(value) > 10**15:
        return f"must be at most {limit}, got a number of {value.bit_length()} bits"
    if not math.isfinite(value):
        return f"must be a finite number, got {value!r}"
    if value < 0 or (value == 0 and not allow_zero):
        return f"must be {'zero or ' if allow_zero else ''}positive, got {value!r}"
    if value > limit:
        return f"must be at most {limit}, got {value!r}"
    if isinstance(value, float) and Fraction(str(value)).denominator > 10**6:
        return f"at most 6 decimals, got {value!r}"
    return None


def short(value: object, limit: int = 80) -> str:
    """``repr(value)`` cut to ``limit`` characters for messages."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def numbers_in_range(config: FillingConfig) -> Iterator[Problem]:
    """Rates, hours and the time limit are finite numbers within their limits."""
    for key, (allow_zero, limit) in NUMBER_KEYS.items():
        reason = number_problem(getattr(config, key), allow_zero=allow_zero, limit=limit)
        if reason:
            yield Problem(reason, column=key)


def strategy_known(config: FillingConfig) -> Iterator[Problem]:
    """The strategy is one of the catalog's names."""
    if not isinstance(config.strategy, str) or config.strategy not in STRATEGIES:
        yield Problem(f"unknown strategy {config.strategy!r}; valid: {', '.join(STRATEGIES)}", column="strategy")


def start_time_is_moment(config: FillingConfig) -> Iterator[Problem]:
    """The start time is a date and time in the accepted range (or ``None`` = now)."""
    if config.start_time is not None and not isinstance(config.start_time, datetime):
        yield Problem(f"not a date/time: {short(config.start_time)}", column="start_time")
    elif reason := range_problem(config.start_time, "start_time"):
        yield Problem(reason, column="start_time")


def changeover_matrix_hours(config: FillingConfig) -> Iterator[Problem]:
    """The changeover matrix maps (from type, to type) pairs to accepted hour values."""
    matrix = config.changeover_matrix
    if matrix is None:
        return
    if not isinstance(matrix, dict):
        yield Problem("must be a mapping {from_type: {to_type: hours}}", column="changeover_matrix")
        return
    for pair, hours in matrix.items():
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(t, str) for t in pair)):
            yield Problem(f"entry {short(pair)} must be a (from type, to type) pair", column="changeover_matrix")
            continue
        reason = number_problem(hours, allow_zero=True, limit=MAX_MATRIX_HOURS)
        if reason:
            yield Problem(f"{pair[0]!r} -> {pair[1]!r}: {reason}", column="changeover_matrix")


def objective_known(config: FillingConfig) -> Iterator[Problem]:
    """The objective is one of :data:`OBJECTIVES`."""
    if not isinstance(config.objective, str) or config.objective not in OBJECTIVES:
        yield Problem(f"unknown objective {short(config.objective)}; valid: {', '.join(OBJECTIVES)}",
                      column="objective")


CONFIG_RULES = (numbers_in_range, strategy_known, start_time_is_moment, changeover_matrix_hours, objective_known)
