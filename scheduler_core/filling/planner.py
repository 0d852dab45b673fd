"""``plan`` and ``compare``: the one entry point every caller (app, CLI, benchmarks) uses."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from scheduler_core.errors import InputError, Problem
from scheduler_core.filling import greedy
from scheduler_core.filling.bounds import LowerBound, instance_lower_bound
from scheduler_core.filling.catalog import STRATEGIES
from scheduler_core.filling.io import check_lots_fit, parse_config
from scheduler_core.filling.kpis import make_result
from scheduler_core.filling.model import FillingConfig, Lot, ScheduleResult
from scheduler_core.filling.rules import Instance
from scheduler_core.progress import ProgressCallback, noop_progress, scaled


@dataclass
class Context:
    inst: Instance
    bound: LowerBound
    time_limit_s: float
    progress: ProgressCallback


@dataclass
class Outcome:
    blocks: list[list[int]]
    status: str
    proven: bool = False  # proof from a solver (meeting the bound is checked separately)
    ordered: bool = False  # blocks already in line order (as-given keeps the user's order)


def _greedy(fn: Callable[[Instance], list[list[int]]]) -> Callable[[Context], Outcome]:
    def run(ctx: Context) -> Outcome:
        ctx.progress(0.1, "packing lots into blocks")
        return Outcome(fn(ctx.inst), "heuristic")

    return run


def _as_given(ctx: Context) -> Outcome:
    ctx.progress(0.1, "packing lots in the given order")
    return Outcome(greedy.as_given(ctx.inst), "heuristic", ordered=True)


def _milp(ctx: Context) -> Outcome:
    from scheduler_core.filling.search import milp_opt

    return milp_opt(ctx)


def _best(ctx: Context) -> Outcome:
    from scheduler_core.filling.search import best

    return best(ctx)


GREEDY: dict[str, Callable[[Instance], list[list[int]]]] = {
    "smart-pack": greedy.smart_pack,
    "hybrid-pack": greedy.hybrid_pack,
    "lpt-pack": greedy.lpt_pack,
    "spt-pack": greedy.spt_pack,
    "cfs-pack": greedy.cfs_pack,
}

_RUNNERS: dict[str, Callable[[Context], Outcome]] = {
    "best": _best,
    "milp-opt": _milp,
    **{name: _greedy(fn) for name, fn in GREEDY.items()},
    "as-given": _as_given,
}
assert set(_RUNNERS) == set(STRATEGIES), "catalog and runners disagree"


def check_strategy(name: str) -> str:
    if name not in STRATEGIES:
        raise InputError(f"unknown strategy {name!r}; valid strategies: {', '.join(STRATEGIES)}")
    return name


def check_lots(lots: Sequence[Lot]) -> None:
    """The rules ``parse_lots`` enforces, for lots built in code: non-blank unique ids and
    types, whole positive vials."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for k, lot in enumerate(lots):
        row = lot.row or k + 1
        if not isinstance(lot.lot_id, str) or not lot.lot_id.strip():
            problems.append(Problem("Lot ID is blank", row, "Lot ID"))
        elif lot.lot_id in seen:
            problems.append(Problem(f"duplicate Lot ID {lot.lot_id!r}", row, "Lot ID"))
        else:
            seen.add(lot.lot_id)
        if not isinstance(lot.lot_type, str) or not lot.lot_type.strip():
            problems.append(Problem("Type is blank", row, "Type"))
        if isinstance(lot.vials, bool) or not isinstance(lot.vials, int) or lot.vials <= 0:
            problems.append(
                Problem(f"vials must be a positive whole number, got {lot.vials!r}", row, "Vials")
            )
    if problems:
        raise InputError(problems)


def plan(
    lots: Sequence[Lot],
    config: FillingConfig | None = None,
    strategy: str | None = None,
    progress: ProgressCallback | None = None,
    *,
    time_limit_s: float | None = None,
) -> ScheduleResult:
    """Schedule ``lots`` with one strategy (default: the config's, which defaults to best).

    Raises ``InputError`` for an unknown strategy, no lots, or a lot longer than the window.
    ``progress(fraction, message)`` is called at each step and during searches; it may be
    called from a solver thread.
    """
    report = progress or noop_progress
    started = time.perf_counter()
    # a config built in code gets the same validation as one read from a file
    config = parse_config(config.to_dict()) if config is not None else FillingConfig()
    name = check_strategy(strategy or config.strategy)
    if time_limit_s is not None:
        if not time_limit_s > 0:
            raise InputError(f"time limit must be positive, got {time_limit_s}")
        config = replace(config, time_limit_s=time_limit_s)
    report(0.0, "loading lots")
    lots = list(lots)
    if not lots:
        raise InputError("no lots to schedule")
    report(0.02, "validating lots against the line configuration")
    check_lots(lots)
    check_lots_fit(lots, config)
    inst = Instance.build(lots, config)
    bound = instance_lower_bound(inst)
    start = config.resolved_start()
    report(0.05, f"planning with {name}")
    ctx = Context(inst, bound, config.time_limit_s, scaled(report, 0.05, 0.95))
    outcome = _RUNNERS[name](ctx)
    report(0.95, "writing schedule")
    blocks = outcome.blocks if outcome.ordered else [inst.finalize_block(b) for b in outcome.blocks if b]
    result = make_result(
        inst,
        blocks,
        strategy=name,
        bound=bound,
        runtime_s=time.perf_counter() - started,
        solver_status=outcome.status,
        start=start,
        proven_optimal=outcome.proven and inst.exact,
    )
    report(1.0, "done")
    return result


def compare(
    lots: Sequence[Lot],
    config: FillingConfig | None = None,
    strategies: Sequence[str] | None = None,
    progress: ProgressCallback | None = None,
    *,
    time_limit_s: float | None = None,
) -> list[ScheduleResult]:
    """Run several strategies (default: all) on the same lots; results in the given order."""
    names = list(strategies) if strategies else list(STRATEGIES)
    for name in names:
        check_strategy(name)
    report = progress or noop_progress
    config = config or FillingConfig()
    config = replace(config, start_time=config.resolved_start())  # one start for all
    results = []
    for k, name in enumerate(names):
        sub = scaled(report, k / len(names), (k + 1) / len(names))
        results.append(
            plan(lots, config, name, lambda f, m, n=name, s=sub: s(f, f"{n}: {m}"), time_limit_s=time_limit_s)
        )
    return results
