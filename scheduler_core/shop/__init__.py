"""Job-shop / MES scheduling (DESIGN.md §2).

Public API::

    problem = read_workbook("shop.xlsx")                   # -> ShopProblem, or InputError
    options = ShopOptions("optimise", due_basis="assembly", time_limit_s=30)
    result = plan(problem, options, progress=cb)           # -> ShopResult (one type for all)
    violations = validate_plan(problem, result)            # [] when every rule holds
    problem = edits.move_up(problem, queue, "RN-2/1")      # every planner edit, pure
    problem = apply_changes(problem, [change("move_up", queue=queue, op_id="RN-2/1")])
    STRATEGIES                                             # {name: one-line description}

Datetimes are naive and mean the plant's local time.
"""

from scheduler_core.shop.calendar import Timeline, add_working_minutes, working_intervals
from scheduler_core.shop.demo import demo_shop, write_demo_workbook
from scheduler_core.shop.io import read_workbook, write_workbook
from scheduler_core.shop.model import (
    DEFAULT_SHIFTS,
    DUE_BASES,
    Calendar,
    Downtime,
    Operation,
    Shift,
    ShopProblem,
    WorkCenter,
    WorkOrder,
)
from scheduler_core.shop.options import DEFAULT_STRATEGY, DEFAULT_TIME_LIMIT_S, STRATEGIES, ShopOptions
from scheduler_core.shop.planner import options_of, plan
from scheduler_core.shop.result import (
    NotPlanned,
    OrderOutcome,
    PlannedOperation,
    ShopKpis,
    ShopResult,
    WeekLoad,
)
from scheduler_core.shop.validate import Violation, validate_plan

__all__ = [
    "DEFAULT_SHIFTS",
    "DEFAULT_STRATEGY",
    "DEFAULT_TIME_LIMIT_S",
    "DUE_BASES",
    "STRATEGIES",
    "Calendar",
    "Downtime",
    "NotPlanned",
    "Operation",
    "OrderOutcome",
    "PlannedOperation",
    "Shift",
    "ShopKpis",
    "ShopOptions",
    "ShopProblem",
    "ShopResult",
    "Timeline",
    "Violation",
    "WeekLoad",
    "WorkCenter",
    "WorkOrder",
    "add_working_minutes",
    "demo_shop",
    "options_of",
    "plan",
    "read_workbook",
    "validate_plan",
    "working_intervals",
    "write_demo_workbook",
    "write_workbook",
]
