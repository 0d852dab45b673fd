"""Filling-line scheduling (DESIGN.md §1).

Public API::

    lots = parse_lots(path_or_bytes, filename="lots.csv")   # -> list[Lot], or InputError
    config = parse_config(path_or_bytes_or_dict)            # -> FillingConfig, or InputError
    problem = FillingProblem(lots)                          # validated, or InputError
    result = plan(problem, config, progress=cb)             # -> ScheduleResult (config.strategy)
    results = compare(problem, config, ["best", "smart-pack"], progress=cb)
    violations = validate_schedule(result)                  # [] when every rule holds
    STRATEGIES                                              # {name: one-line description}
"""

from scheduler_core.filling.bounds import lower_bound
from scheduler_core.filling.catalog import DEFAULT_STRATEGY, STRATEGIES
from scheduler_core.filling.io_config import parse_config
from scheduler_core.filling.io_lots import parse_lots
from scheduler_core.filling.model import (
    Activity,
    ActivityKind,
    FillingConfig,
    FillingProblem,
    Kpis,
    Lot,
    ScheduleResult,
)
from scheduler_core.filling.planner import compare, plan
from scheduler_core.filling.validate import Violation, validate_schedule

__all__ = [
    "DEFAULT_STRATEGY",
    "STRATEGIES",
    "Activity",
    "ActivityKind",
    "FillingConfig",
    "FillingProblem",
    "Kpis",
    "Lot",
    "ScheduleResult",
    "Violation",
    "compare",
    "lower_bound",
    "parse_config",
    "parse_lots",
    "plan",
    "validate_schedule",
]
