"""The filling front door: ``plan(problem, config)`` and ``compare(problem, config, names)``.

Every caller (app, CLI, benchmarks) plans through here. The problem and the config are
trusted (they validated themselves when built); the one rule that needs both, every lot
fitting the window, is checked here. The strategy named by ``config.strategy`` is looked up
in :data:`RUNNERS`, the one table of strategies, and its packing becomes a ``ScheduleResult``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from scheduler_core import stopping
from scheduler_core.errors import raise_problems
from scheduler_core.filling import greedy, search, sequencing, timed_model
from scheduler_core.filling.bounds import instance_lower_bound, with_releases
from scheduler_core.filling.catalog import STRATEGIES
from scheduler_core.filling.kpis import make_result, shared_bound
from scheduler_core.filling.model import FillingConfig, FillingProblem, ScheduleResult, lots_fit_window
from scheduler_core.filling.rules import Instance
from scheduler_core.filling.strategy import Context, Outcome, Runner
from scheduler_core.progress import ProgressCallback, noop_progress, scaled


def _greedy(fn: Callable[[Instance], list[list[int]]]) -> Runner:
    def run(ctx: Context) -> Outcome:
        ctx.progress(0.1, "packing lots into blocks")
        blocks = fn(ctx.inst)
        if ctx.inst.timed:  # releases respected, blocks by due date where that is free
            blocks = sequencing.arrange(ctx.inst, [ctx.inst.finalize_block(b) for b in blocks])
            return Outcome(blocks, "heuristic", ordered=True)
        return Outcome(blocks, "heuristic")

    return run


def _as_given(ctx: Context) -> Outcome:
    ctx.progress(0.1, "packing lots in the given order")
    blocks = greedy.as_given(ctx.inst)
    if ctx.inst.timed:
        blocks = sequencing.arrange(ctx.inst, blocks, keep_order=True)
    return Outcome(blocks, "heuristic", ordered=True)


#: Share of the time limit the packing search of ``best`` gets on inputs with releases or
#: due dates, by objective; the rest goes to ordering (``sequencing.improve``).
PACKING_SHARE = {"makespan": 0.5, "due": 0.05}


#: The ordering search of ``best`` ends after this share of the time limit without a better
#: plan (it keeps improving long after a packing search would stall; benchmarks/filling_due.py).
ORDER_PATIENCE = 0.5
#: The objectives in the user's words (statuses, progress).
OBJECTIVE_WORDS = {"makespan": "makespan, then weighted tardiness", "due": "weighted tardiness, then makespan"}


def _sequenced(runner: Runner) -> Runner:
    """``runner`` as is on inputs without releases and due dates; otherwise ``runner`` on a
    share of the time, then the plan ordered for the run's objective (``sequencing``),
    started from the best of its packing and the dispatching plans (``best_start``)."""

    def run(ctx: Context) -> Outcome:
        inst = ctx.inst
        if not inst.timed:
            return runner(ctx)
        objective = inst.config.objective
        began = time.monotonic()
        share = PACKING_SHARE[objective]
        packing = replace(ctx, time_limit_s=ctx.time_limit_s * share, progress=scaled(ctx.progress, 0, share))
        outcome = runner(packing)
        ctx.raise_bound(packing.bound.ticks)  # a packing bound holds with releases too
        blocks = outcome.blocks if outcome.ordered else [inst.finalize_block(b) for b in outcome.blocks if b]
        plan_ = sequencing.best_start(inst, objective, [sequencing.arrange(inst, blocks, keep_order=outcome.ordered)])

        def report(blocks: list[list[int]]) -> None:
            elapsed = (time.monotonic() - began) / max(ctx.time_limit_s, 1e-6)
            end, tardy = sequencing.score(inst, blocks, "makespan")  # one timing of the plan
            wt = inst.scale.to_hours(tardy)
            if objective == "due":  # what the search lowers comes first
                text = f"ordering: weighted tardiness {wt:.1f} h (lowest so far) · plan {inst.scale.to_hours(end):.1f} h"
            else:
                text = f"{ctx.plan_text('ordering', end)} · weighted tardiness {wt:.1f} h"
            ctx.progress(min(elapsed, 0.99), text)

        report(plan_)
        plan_ = sequencing.improve(
            inst, plan_, objective, began + ctx.time_limit_s * 0.95,
            patience=ctx.time_limit_s * ORDER_PATIENCE, on_better=report,
        )
        return Outcome(plan_, f"search ended ({OBJECTIVE_WORDS[objective]})", ordered=True)

    return run


def _timed_model(runner: Runner) -> Runner:
    """``runner`` as is on inputs without releases and due dates; otherwise the CP-SAT
    sequencing model (``timed_model``) for the run's objective, started from the best
    constructive plan for it (``best_start``; kept if the model finds nothing better)."""

    def run(ctx: Context) -> Outcome:
        inst = ctx.inst
        if not inst.timed:
            return runner(ctx)
        objective = inst.config.objective
        ctx.progress(0.02, "building a starting plan")
        packing = sequencing.arrange(inst, [inst.finalize_block(b) for b in search.constructive(inst)])
        incumbent = sequencing.best_start(inst, objective, [packing])
        ctx.progress(0.05, ctx.plan_text("CP-SAT sequencing model", inst.makespan_ticks(incumbent)))
        res = timed_model.solve_timed(inst, objective, time_limit_s=ctx.time_limit_s * 0.95, hint=incumbent)
        if res.blocks is not None:
            found = sequencing.repair(inst, res.blocks)
            if sequencing.score(inst, found, objective) <= sequencing.score(inst, incumbent, objective):
                status = "OPTIMAL" if res.proven else f"CP-SAT {res.status} (time limit)"
                return Outcome(found, status, proven=res.proven, ordered=True)
        return Outcome(incumbent, f"CP-SAT {res.status}: kept the constructive plan", ordered=True)

    return run


#: The constructive strategies by name (each returns a packing of an instance).
GREEDY: dict[str, Callable[[Instance], list[list[int]]]] = {
    "smart-pack": greedy.smart_pack,
    "hybrid-pack": greedy.hybrid_pack,
    "lpt-pack": greedy.lpt_pack,
    "spt-pack": greedy.spt_pack,
    "cfs-pack": greedy.cfs_pack,
}

#: The table of strategies: name -> runner. Its names are exactly the catalog's.
RUNNERS: dict[str, Runner] = {
    "best": _sequenced(search.best),
    "milp-opt": _timed_model(search.milp_opt),
    **{name: _greedy(fn) for name, fn in GREEDY.items()},
    "as-given": _as_given,
}
if set(RUNNERS) != set(STRATEGIES):  # pragma: no cover - a programming error, caught at import
    raise RuntimeError("catalog and runners disagree")


def plan(
    problem: FillingProblem,
    config: FillingConfig | None = None,
    *,
    progress: ProgressCallback | None = None,
    cancel: threading.Event | None = None,
) -> ScheduleResult:
    """Schedule ``problem`` with ``config.strategy`` (default config: defaults of DESIGN.md §1).

    ``progress(fraction, message)`` is called at each step (loading, validating, planning,
    writing, done) and during searches; it may be called from a solver thread. Setting
    ``cancel`` stops the search within a second (``stopping``); the best plan found so far is
    returned with ``solver_status`` :data:`~scheduler_core.stopping.CANCELLED_STATUS`.

    Raises:
        InputError: a lot whose fill alone is longer than the window (one problem per lot).
    """
    report = progress or noop_progress
    started = time.perf_counter()
    config = config or FillingConfig()
    report(0.0, "loading lots")
    report(0.02, "validating lots against the line configuration")
    raise_problems(lots_fit_window(problem, config))
    start = config.resolved_start()
    inst = Instance.build(list(problem.lots), config, start)
    bound = instance_lower_bound(inst)
    name = config.strategy
    report(0.05, f"planning with {name}")
    ctx = Context(inst, bound, config.time_limit_s, scaled(report, 0.05, 0.95))
    with stopping.watching(cancel):
        outcome = RUNNERS[name](ctx)
        cancelled = stopping.requested()
    status = stopping.CANCELLED_STATUS if cancelled else outcome.status
    report(0.95, "writing schedule")
    blocks = outcome.blocks if outcome.ordered else [inst.finalize_block(b) for b in outcome.blocks if b]
    result = make_result(
        inst,
        blocks,
        strategy=name,
        bound=with_releases(inst, ctx.bound),
        runtime_s=time.perf_counter() - started,
        solver_status=status,
        start=start,
        proven_optimal=outcome.proven and inst.exact and not cancelled,
    )
    report(1.0, "done")
    return result


def compare(
    problem: FillingProblem,
    config: FillingConfig | None = None,
    strategies: Sequence[str] | None = None,
    *,
    progress: ProgressCallback | None = None,
) -> list[ScheduleResult]:
    """Run several strategies (default: all) on the same problem from one start time;
    results in the given order, all reported against the strongest lower bound any run
    proved (``kpis.shared_bound``).

    Raises:
        InputError: an unknown strategy name (before anything runs), or as :func:`plan`.
    """
    config = config or FillingConfig()
    config = replace(config, start_time=config.resolved_start())  # one start for all
    names = list(strategies) if strategies else list(STRATEGIES)
    configs = [replace(config, strategy=name) for name in names]  # refuses unknown names
    report = progress or noop_progress
    results = []
    for k, cfg in enumerate(configs):
        sub = scaled(report, k / len(configs), (k + 1) / len(configs))
        results.append(plan(problem, cfg, progress=lambda f, m, n=cfg.strategy, s=sub: s(f, f"{n}: {m}")))
    return shared_bound(results)
