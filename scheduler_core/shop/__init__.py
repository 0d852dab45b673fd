"""Job-shop / MES scheduling (DESIGN.md §2).

Public API::

    problem = read_workbook("shop.xlsx")                   # -> ShopProblem, or InputError
    result = plan(problem, strategy="optimise", due="assembly", start=..., time_limit_s=30,
                  progress=cb)                             # -> ShopResult (one type for all)
    violations = validate_plan(problem, result)            # [] when every rule holds
    STRATEGIES                                             # {name: one-line description}

Datetimes are naive and mean the plant's local time.
"""

from __future__ import annotations

from datetime import datetime

from scheduler_core.errors import InputError, Problem
from scheduler_core.progress import ProgressCallback
from scheduler_core.shop.calendar import Timeline, add_working_minutes, working_intervals
from scheduler_core.shop.demo import demo_shop, write_demo_workbook
from scheduler_core.shop.io import read_workbook, write_workbook
from scheduler_core.shop.model import (
    DEFAULT_SHIFTS,
    DUE_BASES,
    Calendar,
    Downtime,
    Operation,
    OrderOutcome,
    PlannedOperation,
    Shift,
    ShopKpis,
    ShopProblem,
    ShopResult,
    WeekLoad,
    WorkCenter,
    WorkOrder,
)

STRATEGIES: dict[str, str] = {
    "dispatch": "The shop's rule: urgency list, then assembly (or delivery) date, then priority",
    "optimise": "CP-SAT: least weighted tardiness, then makespan; never worse than dispatch",
}
DEFAULT_STRATEGY = "dispatch"


def plan(
    problem: ShopProblem,
    strategy: str = DEFAULT_STRATEGY,
    *,
    due: str = "assembly",
    start: datetime | None = None,
    time_limit_s: float = 30.0,
    progress: ProgressCallback | None = None,
) -> ShopResult:
    """Plan ``problem`` with ``strategy`` from ``start`` (default: problem.start or now)."""
    if strategy not in STRATEGIES:
        raise InputError(
            Problem(f"unknown strategy '{strategy}'; valid: {', '.join(STRATEGIES)}")
        )
    if strategy == "dispatch":
        from scheduler_core.shop.dispatch import plan_dispatch

        result = plan_dispatch(problem, due=due, start=start)
        if progress:
            progress(1.0, "done")
        return result
    from scheduler_core.shop.optimise import plan_optimise

    return plan_optimise(
        problem, due=due, start=start, time_limit_s=time_limit_s, progress=progress
    )


def validate_plan(problem: ShopProblem, result: ShopResult):
    """Independent check of a plan; see ``scheduler_core.shop.validate``."""
    from scheduler_core.shop.validate import validate_plan as _v

    return _v(problem, result)


__all__ = [
    "DEFAULT_SHIFTS",
    "DEFAULT_STRATEGY",
    "DUE_BASES",
    "STRATEGIES",
    "Calendar",
    "Downtime",
    "Operation",
    "OrderOutcome",
    "PlannedOperation",
    "Shift",
    "ShopKpis",
    "ShopProblem",
    "ShopResult",
    "Timeline",
    "WeekLoad",
    "WorkCenter",
    "WorkOrder",
    "add_working_minutes",
    "demo_shop",
    "plan",
    "read_workbook",
    "validate_plan",
    "working_intervals",
    "write_demo_workbook",
    "write_workbook",
]
