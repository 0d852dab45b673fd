"""The shop front door: ``plan(problem, options)``, dispatching through the strategy table.

The problem and the options validated themselves when built; an unknown strategy never gets
here (``ShopOptions`` refuses it). Every strategy returns the one ``ShopResult`` type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from scheduler_core.progress import ProgressCallback, noop_progress
from scheduler_core.shop.dispatch import plan_dispatch
from scheduler_core.shop.model import ShopProblem
from scheduler_core.shop.optimise.portfolio import plan_optimise
from scheduler_core.shop.options import STRATEGIES, ShopOptions
from scheduler_core.shop.result import ShopResult

#: A strategy: (problem, options, progress, warm start) -> result.
Runner = Callable[[ShopProblem, ShopOptions, ProgressCallback, ShopResult | None], ShopResult]

#: The table of strategies: name -> runner. Its names are exactly those of ``STRATEGIES``.
RUNNERS: dict[str, Runner] = {"dispatch": plan_dispatch, "optimise": plan_optimise}
if set(RUNNERS) != set(STRATEGIES):  # pragma: no cover - a programming error, caught at import
    raise RuntimeError("strategy table and catalog disagree")


def plan(
    problem: ShopProblem,
    options: ShopOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    warm_start: ShopResult | None = None,
) -> ShopResult:
    """Plan ``problem`` from its start (or now) with ``options`` (default: dispatch, assembly
    dates, 10 s). ``progress(fraction, message)`` may be called from a solver thread.
    ``warm_start``: the plan being edited; a searching strategy takes its queues (with the
    pins applied) as one of its candidates, so an edit never costs more than the plan it
    changes with just that edit made (``dispatch``, a rule, does not use it). An order with
    an open operation on an inactive work center is left out (``result.not_planned``)."""
    options = options or ShopOptions()
    result = RUNNERS[options.strategy](problem, options, progress or noop_progress, warm_start)
    return replace(result, time_limit_s=options.time_limit_s)


def options_of(result: ShopResult, *, time_limit_s: float | None = None) -> ShopOptions:
    """The options that re-plan like ``result`` did: its strategy, due basis and time limit
    (``time_limit_s`` overrides it; the default when the result does not record one)."""
    limit = time_limit_s if time_limit_s is not None else result.time_limit_s
    if limit is None:
        return ShopOptions(result.strategy, result.due_basis)
    return ShopOptions(result.strategy, result.due_basis, limit)
