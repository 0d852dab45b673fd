"""``python -m scheduler_core fill {plan,compare,check,strategies}``.

Output contract (other tools depend on it): ``--json`` prints one JSON object per result
(``compare``: a JSON list) with the keys of ``cli_json``; bad input exits with code 2,
one line per problem on stderr and nothing on stdout.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from scheduler_core.cells import to_datetime
from scheduler_core.errors import InputError, Problem, raise_problems
from scheduler_core.filling.catalog import STRATEGIES
from scheduler_core.filling.config_rules import OBJECTIVES
from scheduler_core.filling.diff import TIE_RULES, best_of
from scheduler_core.filling.io_config import parse_config
from scheduler_core.filling.io_lots import parse_lots
from scheduler_core.filling.model import (
    FillingConfig,
    FillingProblem,
    ScheduleResult,
    lots_fit_window,
    matrix_unknown_types,
    release_after_due,
)
from scheduler_core.filling.planner import compare, plan
from scheduler_core.zones import default_zone_name, next_full_hour, to_plant


def cli_json(result: ScheduleResult) -> dict[str, Any]:
    """The CLI's JSON object of one result (KPIs in hours, activities with ISO times): the
    due-date KPIs ``late_lots``, ``tardiness_h``, ``weighted_tardiness_h`` and
    ``max_lateness_h`` (``null`` without due dates) at the top level, and every activity's
    ``due`` (ISO or ``null``) and ``lateness_h`` (hours, negative = early; ``null`` when its
    lot has no due date, and for cleans and changeovers)."""
    k = result.kpis
    return {
        "strategy": result.strategy,
        "makespan_h": k.makespan_h,
        "lower_bound_h": k.lower_bound_h,
        "gap_pct": k.gap_pct,
        "proven_optimal": result.proven_optimal,
        "blocks": k.blocks,
        "changeovers": k.changeovers,
        "changeover_h": k.changeover_h,
        "fill_h": k.fill_h,
        "utilisation": k.utilisation,
        "late_lots": k.late_lots,
        "tardiness_h": k.tardiness_h,
        "weighted_tardiness_h": k.weighted_tardiness_h,
        "max_lateness_h": k.max_lateness_h,
        "objective": result.config.objective,
        "runtime_s": result.runtime_s,
        "activities": [
            {
                "kind": a.kind.value,
                "block": a.block,
                "lot_id": a.lot_id,
                "lot_type": a.lot_type,
                "start": a.start.isoformat(),
                "end": a.end.isoformat(),
                "due": a.due.isoformat() if a.due is not None else None,
                "lateness_h": a.lateness_h,
            }
            for a in result.activities
        ],
    }


_OBJECTIVE_HELP = (f"one of: {', '.join(OBJECTIVES)} (default: the config's, else makespan): makespan first "
                   "(then weighted tardiness), or due = weighted tardiness first (then makespan)")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``fill`` command and its sub-commands to the top-level parser."""
    fill = subparsers.add_parser("fill", help="filling-line scheduling")
    cmds = fill.add_subparsers(dest="command", required=True)

    p = cmds.add_parser("plan", help="schedule lots with one strategy")
    p.add_argument("lots", help="lots file (CSV or Excel)")
    p.add_argument("--config", help="config file (YAML or JSON)")
    p.add_argument("--strategy", help=f"one of: {', '.join(STRATEGIES)} (default: best)")
    p.add_argument("--time-limit", type=float, metavar="SEC", help="search time budget")
    p.add_argument("--start", metavar="ISO", help="start of the first clean, e.g. 2026-12-01T06:00")
    p.add_argument("--objective", help=_OBJECTIVE_HELP)
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("-o", "--output", metavar="OUT", help="write OUT.csv, OUT.xlsx or OUT.pdf")
    p.set_defaults(handler=_plan)

    c = cmds.add_parser("compare", help="run several strategies on the same lots")
    c.add_argument("lots")
    c.add_argument("--strategies", default="all", help="'all' or a comma-separated list")
    c.add_argument("--config")
    c.add_argument("--time-limit", type=float, metavar="SEC")
    c.add_argument("--start", metavar="ISO")
    c.add_argument("--objective", help=_OBJECTIVE_HELP)
    c.add_argument("--json", action="store_true")
    c.set_defaults(handler=_compare)

    k = cmds.add_parser("check", help="validate the input only")
    k.add_argument("lots")
    k.add_argument("--config")
    k.set_defaults(handler=_check)

    s = cmds.add_parser("strategies", help="list strategies")
    s.set_defaults(handler=_strategies)


def _progress(fraction: float, message: str) -> None:
    print(f"\r[{fraction * 100:5.1f}%] {message[:70]:<70}", end="", file=sys.stderr, flush=True)


def _load(args: argparse.Namespace) -> tuple[FillingProblem, FillingConfig]:
    """The problem and the config of the command line, every input problem at once."""
    problems: list[Problem] = []
    config = FillingConfig()
    lots: list = []
    try:
        config = parse_config(Path(args.config)) if args.config else FillingConfig()
    except InputError as exc:
        problems += [Problem(line) for line in exc.lines()]
    if getattr(args, "start", None):
        try:
            start = to_plant(to_datetime(args.start, what="--start", keep_offset=True), default_zone_name())
            config = replace(config, start_time=start)
        except ValueError as exc:
            problems.append(Problem(str(exc)))
    if getattr(args, "time_limit", None) is not None:
        if not args.time_limit > 0:
            problems.append(Problem(f"--time-limit must be positive, got {args.time_limit}"))
        else:
            config = _with(config, problems, time_limit_s=args.time_limit)
    if getattr(args, "strategy", None):
        config = _with(config, problems, strategy=args.strategy)
    if getattr(args, "objective", None):
        config = _with(config, problems, objective=args.objective)
    try:
        lots = parse_lots(Path(args.lots))
    except InputError as exc:
        problems += [Problem(line) for line in exc.lines()]
    raise_problems(problems)
    if config.start_time is None:  # the next full hour on the plant clock, not the server's
        config = replace(config, start_time=next_full_hour(default_zone_name()))
    problem = FillingProblem(lots)
    raise_problems(lots_fit_window(problem, config))
    for warning in [*matrix_unknown_types(problem, config), *release_after_due(problem)]:  # plan, compare, check
        print(f"warning: {warning.reason}", file=sys.stderr)
    return problem, config


def _with(config: FillingConfig, problems: list[Problem], **changes: Any) -> FillingConfig:
    """``config`` with the command line's ``changes``; their problems go to ``problems``."""
    try:
        return replace(config, **changes)
    except InputError as exc:
        problems.extend(exc.problems)
        return config


def _summary(results: list[ScheduleResult]) -> str:
    head = (f"{'strategy':<12} {'makespan h':>11} {'bound h':>10} {'gap %':>7} {'opt':>4} {'blocks':>6} {'chg':>5} "
            f"{'util %':>7} {'late':>5} {'w.tard h':>9} {'time s':>7}")
    lines = [head, "-" * len(head)]
    for r in results:
        k = r.kpis
        lines.append(
            f"{r.strategy:<12} {k.makespan_h:>11.2f} {k.lower_bound_h:>10.2f} {k.gap_pct:>7.3f} "
            f"{'yes' if r.proven_optimal else 'no':>4} {k.blocks:>6} {k.changeovers:>5} "
            f"{k.utilisation * 100:>7.2f} {k.late_lots if k.max_lateness_h is not None else '-':>5} "
            f"{k.weighted_tardiness_h:>9.2f} {r.runtime_s:>7.2f}"
        )
    return "\n".join(lines)


def _plan(args: argparse.Namespace) -> int:
    if args.output:
        from scheduler_core.reports import FORMATS

        suffix = Path(args.output).suffix.lower()
        if suffix not in FORMATS:
            raise InputError(f"-o: unknown output type {suffix!r}; use one of {', '.join(FORMATS)}")
    problem, config = _load(args)
    progress = _progress if sys.stderr.isatty() and not args.json else None
    result = plan(problem, config, progress=progress)
    if progress:
        print(file=sys.stderr)
    if args.output:
        from scheduler_core.reports import export

        export(result, Path(args.output), time_zone=default_zone_name())
    if args.json:
        print(json.dumps(cli_json(result)))
    else:
        print(_summary([result]))
        print(
            f"start {result.start:%Y-%m-%d %H:%M}, end {result.end:%Y-%m-%d %H:%M}; "
            f"status: {result.solver_status}"
        )
        if args.output:
            print(f"written: {args.output}")
    return 0


def _compare(args: argparse.Namespace) -> int:
    names = (
        list(STRATEGIES)
        if args.strategies.strip() == "all"
        else [s.strip() for s in args.strategies.split(",") if s.strip()]
    )
    unknown = [s for s in names if s not in STRATEGIES]
    if unknown or not names:
        raise InputError(
            f"unknown strategies {', '.join(map(repr, unknown)) or '(none given)'}; "
            f"valid strategies: {', '.join(STRATEGIES)}"
        )
    problem, config = _load(args)
    progress = _progress if sys.stderr.isatty() and not args.json else None
    results = compare(problem, config, names, progress=progress)
    if progress:
        print(file=sys.stderr)
    if args.json:
        print(json.dumps([cli_json(r) for r in results]))
    else:
        print(_summary(results))
        by_name = {r.strategy: r for r in results}
        winner = by_name[best_of({n: (r.kpis.makespan_h, r.kpis.weighted_tardiness_h, r.runtime_s)
                                  for n, r in by_name.items()}, config.objective)]
        print(f"best: {winner.strategy} ({winner.kpis.makespan_h:.2f} h, weighted tardiness "
              f"{winner.kpis.weighted_tardiness_h:.2f} h; objective {config.objective}: {TIE_RULES[config.objective]})")
    return 0


def _check(args: argparse.Namespace) -> int:
    problem, config = _load(args)
    lots = problem.lots
    types = sorted({lot.lot_type for lot in lots})
    print(
        f"OK: {len(lots)} lots, {len(types)} types ({', '.join(types[:10])}"
        f"{', ...' if len(types) > 10 else ''}), {sum(lot.vials for lot in lots):,} vials"
    )
    return 0


def _strategies(args: argparse.Namespace) -> int:
    width = max(map(len, STRATEGIES))
    for name, text in STRATEGIES.items():
        print(f"{name:<{width}}  {text}")
    return 0
