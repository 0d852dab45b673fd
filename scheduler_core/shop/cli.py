"""``python -m scheduler_core shop {plan,wt,jsp}``: plan a workbook or a benchmark instance.

Options become one ``ShopOptions`` (its defaults are the CLI's defaults); bad input exits with
code 2, one line per problem on stderr.
"""

from __future__ import annotations

import json
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from scheduler_core.cells import to_datetime
from scheduler_core.errors import InputError, Problem
from scheduler_core.shop.clock import aware
from scheduler_core.shop.model import DUE_BASES
from scheduler_core.shop.options import DEFAULT_STRATEGY, DEFAULT_TIME_LIMIT_S, STRATEGIES, ShopOptions
from scheduler_core.shop.planner import plan
from scheduler_core.shop.result import ShopResult
from scheduler_core.zones import default_zone_name


def register(subparsers) -> None:
    """Add the ``shop`` command and its sub-commands to the top-level parser."""
    shop = subparsers.add_parser("shop", help="job shop / MES scheduling")
    sub = shop.add_subparsers(dest="shop_command", required=True)

    p = sub.add_parser("plan", help="plan a shop workbook")
    p.add_argument("data", help="Excel workbook (.xlsx)")
    p.add_argument("--strategy", choices=list(STRATEGIES), default=DEFAULT_STRATEGY)
    p.add_argument("--due", choices=list(DUE_BASES), default="assembly")
    p.add_argument("--start", help="plan start, ISO datetime; with an offset (+01:00, Z) it is converted to "
                                   "plant time (default: now)")
    p.add_argument("--time-zone", dest="time_zone", default=None,
                   help="the plant's IANA time zone, e.g. Europe/Zagreb (default: PSS_TIMEZONE, else UTC)")
    p.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT_S, dest="time_limit")
    p.add_argument("--json", action="store_true", help="print the plan as JSON")
    p.add_argument("-o", "--output", help="write the plan to OUT.xlsx or OUT.pdf")
    p.set_defaults(handler=cmd_plan)

    w = sub.add_parser("wt", help="single-machine weighted tardiness instance (CSV)")
    w.add_argument("file")
    w.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT_S, dest="time_limit")
    w.add_argument("--json", action="store_true")
    w.set_defaults(handler=cmd_wt)

    j = sub.add_parser("jsp", help="job shop instance (OR-Library / Taillard text)")
    j.add_argument("file")
    j.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT_S, dest="time_limit")
    j.add_argument("--json", action="store_true")
    j.set_defaults(handler=cmd_jsp)


def _options(args, strategy: str | None = None) -> ShopOptions:
    """The ``ShopOptions`` of the command line (``strategy`` overrides ``--strategy``)."""
    if not args.time_limit > 0:
        raise InputError(Problem("--time-limit must be positive", column="time-limit"))
    return ShopOptions(
        strategy=strategy or args.strategy,
        due_basis=getattr(args, "due", "assembly"),
        time_limit_s=args.time_limit,
    )


def _start(text: str | None) -> datetime | None:
    """The ``--start`` moment (``None`` = now)."""
    if text is None:
        return None
    try:
        return to_datetime(text, what="--start", keep_offset=True)
    except ValueError as exc:
        raise InputError(Problem(str(exc))) from None


def plan_to_dict(result: ShopResult) -> dict:
    """The CLI's JSON object of a plan (KPIs, orders, operations with ISO times carrying the
    plant zone's UTC offset, setup minutes)."""
    k = result.kpis
    zone = result.time_zone

    def iso(moment: datetime) -> str:
        return aware(moment, zone).isoformat()

    return {
        "strategy": result.strategy,
        "due": result.due_basis,
        "time_zone": zone,
        "start": iso(result.start),
        "proven_optimal": result.proven_optimal,
        "runtime_s": round(result.runtime_s, 3),
        "kpis": {
            "weighted_tardiness_hours": k.weighted_tardiness_hours,
            "late_orders": k.late_orders,
            "orders": k.orders,
            "operations": k.operations,
            "max_lateness_hours": k.max_lateness_hours,
            "makespan_hours": k.makespan_hours,
            "utilisation": k.utilisation,
        },
        "orders": [
            {
                "rn": o.rn,
                "due": iso(o.due) if o.due else None,
                "completion": iso(o.completion) if o.completion else None,
                "lateness_hours": None if o.lateness_hours is None else round(o.lateness_hours, 3),
                "late": o.late,
            }
            for o in result.orders
        ],
        "operations": [
            {
                "op_id": p.op_id,
                "rn": p.rn,
                "sequence": p.sequence,
                "work_center": p.work_center,
                "start": iso(p.start),
                "end": iso(p.end),
                "minutes": p.duration_minutes,
                "setup_minutes": p.setup_minutes,
                "intervals": [[iso(s), iso(e)] for s, e in p.intervals],
            }
            for p in sorted(result.operations, key=lambda p: (p.work_center, p.start))
        ],
        "warnings": list(result.warnings),
    }


def cmd_plan(args) -> int:
    """``shop plan``: plan a workbook; print a summary or JSON, optionally write -o."""
    from scheduler_core.shop.io import read_workbook

    options = _options(args)
    start = _start(args.start)
    out = Path(args.output) if args.output else None
    if out is not None and out.suffix.lower() not in (".xlsx", ".pdf"):
        raise InputError(Problem("-o must end with .xlsx or .pdf"))
    zone = args.time_zone or default_zone_name()
    problem = read_workbook(args.data, time_zone=zone)
    if start is not None:
        problem = replace(problem, start=start)
    result = plan(problem, options)
    if out is not None:
        from scheduler_core.reports.shop_plan import shop_plan_excel, shop_plan_pdf

        out.write_bytes((shop_plan_excel if out.suffix.lower() == ".xlsx" else shop_plan_pdf)(result))
    if args.json:
        print(json.dumps(plan_to_dict(result), ensure_ascii=False))
    else:
        k = result.kpis
        print(
            f"{result.strategy}: {k.operations} operations, {k.orders} orders, "
            f"{k.late_orders} late, weighted tardiness {k.weighted_tardiness_hours:.1f} h, "
            f"makespan {k.makespan_hours:.1f} h"
        )
        for o in result.late_orders()[:20]:
            print(f"  late {o.rn}: {o.lateness_hours:.1f} h")
        for w in result.warnings:
            print(f"warning: {w}", file=sys.stderr)
        if out is not None:
            print(f"written {out}")
    return 0


def cmd_wt(args) -> int:
    """``shop wt``: solve a single-machine weighted tardiness instance with ``optimise``."""
    from scheduler_core.shop.benchmarks_io import read_wt

    options = _options(args, "optimise")
    problem = read_wt(args.file)
    result = plan(problem, options)
    seq = [p.rn for p in sorted(result.operations, key=lambda p: p.start)]
    data = {
        "objective": result.kpis.weighted_tardiness_minutes,
        "proven_optimal": result.proven_optimal,
        "runtime_s": round(result.runtime_s, 3),
        "sequence": [int(s) for s in seq],
    }
    if args.json:
        print(json.dumps(data))
    else:
        print(f"objective {data['objective']} (proven optimal: {data['proven_optimal']}), "
              f"{data['runtime_s']} s")
        print(" ".join(seq))
    return 0


def cmd_jsp(args) -> int:
    """``shop jsp``: solve a job-shop instance with ``optimise``; makespan in time units."""
    from scheduler_core.shop.benchmarks_io import minutes, read_jsp

    options = _options(args, "optimise")
    problem = read_jsp(args.file)
    result = plan(problem, options)
    planned = {(p.rn, p.sequence): p for p in result.operations}
    ops = []
    for job in problem.work_orders:
        prev_end = 0
        route = sorted((o for o in problem.operations if o.rn == job.rn),
                       key=lambda o: o.sequence)
        for op in route:
            p = planned.get((op.rn, op.sequence))
            # operations of zero duration are not planned: they take no time
            s, e = (minutes(p.start), minutes(p.end)) if p else (prev_end, prev_end)
            prev_end = e
            ops.append({"job": int(op.rn[1:]), "index": op.sequence - 1,
                        "machine": int(op.work_center[1:]), "start": s, "end": e})
    data = {
        "makespan": max((o["end"] for o in ops), default=0),
        "proven_optimal": result.proven_optimal,
        "runtime_s": round(result.runtime_s, 3),
        "operations": ops,
    }
    if args.json:
        print(json.dumps(data))
    else:
        print(f"makespan {data['makespan']} (proven optimal: {data['proven_optimal']}), "
              f"{data['runtime_s']} s")
    return 0
