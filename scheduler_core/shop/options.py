"""The one options object of the shop problem: strategy, due basis and time limit.

``ShopOptions`` holds the single default of each option and refuses an unknown strategy, an
unknown due basis or a non-positive time limit when it is built, so the planner, the CLI and
the app never check (or default) them again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from scheduler_core.errors import Problem, check, raise_problems
from scheduler_core.shop.model import DUE_BASES

#: Strategy names (the users' vocabulary) and one-line descriptions.
STRATEGIES: dict[str, str] = {
    "dispatch": "The shop's rule: urgency list, then assembly (or delivery) date, then priority",
    "optimise": "CP-SAT: least weighted tardiness, then makespan; never worse than dispatch",
}
DEFAULT_STRATEGY = "dispatch"
#: Seconds a searching strategy may use unless the options say otherwise.
DEFAULT_TIME_LIMIT_S = 10.0
#: Longest accepted time limit (seconds).
MAX_TIME_LIMIT_S = 3600.0


@dataclass(frozen=True)
class ShopOptions:
    """How to plan a shop: ``strategy`` (a key of :data:`STRATEGIES`), ``due_basis``
    (``assembly`` or ``delivery``: which date an order is due by) and ``time_limit_s``
    (seconds, for searching strategies).

    Raises:
        InputError: every bad option at once.
    """

    strategy: str = DEFAULT_STRATEGY
    due_basis: str = "assembly"
    time_limit_s: float = DEFAULT_TIME_LIMIT_S

    def __post_init__(self) -> None:
        raise_problems(check(OPTION_RULES, self))


def strategy_known(options: ShopOptions) -> Iterator[Problem]:
    """The strategy is one of :data:`STRATEGIES`."""
    if options.strategy not in STRATEGIES:
        yield Problem(f"unknown strategy '{options.strategy}'; valid: {', '.join(STRATEGIES)}", column="strategy")


def due_basis_known(options: ShopOptions) -> Iterator[Problem]:
    """The due basis is one of ``DUE_BASES``."""
    if options.due_basis not in DUE_BASES:
        yield Problem(f"unknown due basis '{options.due_basis}'; valid: {', '.join(DUE_BASES)}", column="due_basis")


def time_limit_positive(options: ShopOptions) -> Iterator[Problem]:
    """The time limit is a positive number of seconds, at most :data:`MAX_TIME_LIMIT_S`."""
    limit = options.time_limit_s
    if isinstance(limit, bool) or not isinstance(limit, int | float) or not 0 < limit <= MAX_TIME_LIMIT_S:
        yield Problem(
            f"time limit must be a positive number of seconds up to {MAX_TIME_LIMIT_S:g}, got {limit!r}",
            column="time_limit_s",
        )


OPTION_RULES = (strategy_known, due_basis_known, time_limit_positive)
