"""Shop optimiser benchmarks (DESIGN.md §4).

* OR-Library wt40 (125 single-machine weighted tardiness instances), 10 s each: share of
  instances where the known optimum is reached.
* Job shop ft06/ft10/ft20 and la01–la20, 30 s each: gap to the best known makespan.
* A demo shop of ~2,000 operations: ``dispatch`` runtime, ``optimise`` improvement in 60 s.

Every instance goes through the app's own path: benchmark reader → ``ShopProblem`` →
``scheduler_core.shop.plan(problem, ShopOptions("optimise"))``. Results are printed and written to the
section between ``<!-- shop:start -->`` and ``<!-- shop:end -->`` of ``docs/benchmarks.md``.

    python benchmarks/shop.py                 # full run (~35 min on 2 cores)
    python benchmarks/shop.py --quick         # a few instances, short limits, no file update
    python benchmarks/shop.py --only wt40_00 --only la0 --time-limit 5
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scheduler_core.shop import ShopOptions, plan, validate_plan  # noqa: E402
from scheduler_core.shop.benchmarks_io import read_jsp, read_wt  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "shop"
DOC = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- shop:start -->", "<!-- shop:end -->"
STARTED = datetime.now()


def run_wt(files: list[Path], known: dict[str, tuple[int, bool]], limit: float) -> list[dict]:
    rows = []
    for f in files:
        problem = read_wt(f)
        t0 = time.perf_counter()
        res = plan(problem, ShopOptions("optimise", time_limit_s=limit))
        wall = time.perf_counter() - t0
        assert not validate_plan(problem, res), f"{f.name}: invalid plan"
        value = res.kpis.weighted_tardiness_minutes
        ref, ref_opt = known.get(f.name, (None, False))
        row = {
            "instance": f.stem,
            "value": value,
            "known": ref,
            "hit": ref is not None and value <= ref,
            "proven": res.proven_optimal,
            "time_s": round(wall, 2),
            "found_s": res.best_found_s,
        }
        rows.append(row)
        print(f"{row['instance']:10} {value:>8} known {ref!s:>8} "
              f"{'OK ' if row['hit'] else 'MISS'} proven={row['proven']!s:5} "
              f"{row['time_s']:6.2f}s found at {row['found_s']}s", flush=True)
    return rows


def run_jsp(files: list[Path], known: dict[str, int], limit: float) -> list[dict]:
    rows = []
    for f in files:
        problem = read_jsp(f)
        t0 = time.perf_counter()
        res = plan(problem, ShopOptions("optimise", time_limit_s=limit))
        wall = time.perf_counter() - t0
        assert not validate_plan(problem, res), f"{f.name}: invalid plan"
        value = res.kpis.makespan_minutes
        ref = known.get(f.name)
        gap = None if not ref else 100.0 * (value - ref) / ref
        row = {"instance": f.stem, "value": value, "known": ref, "gap": gap,
               "proven": res.proven_optimal, "time_s": round(wall, 2),
               "found_s": res.best_found_s}
        rows.append(row)
        print(f"{row['instance']:10} {value:>6} bks {ref!s:>6} gap {gap:6.2f}% "
              f"proven={row['proven']!s:5} {row['time_s']:6.2f}s found at {row['found_s']}s",
              flush=True)
    return rows


def run_demo(limit: float) -> dict:
    from scheduler_core.shop.demo import demo_shop

    problem = demo_shop(7, work_centers=8, orders=570, weeks=8)
    n_ops = len(problem.open_operations())
    t0 = time.perf_counter()
    disp = plan(problem, ShopOptions("dispatch"))
    t_disp = time.perf_counter() - t0
    t0 = time.perf_counter()
    opt = plan(problem, ShopOptions("optimise", time_limit_s=limit))
    t_opt = time.perf_counter() - t0
    assert not validate_plan(problem, disp) and not validate_plan(problem, opt)
    row = {
        "operations": n_ops,
        "dispatch_s": round(t_disp, 2),
        "dispatch_wt_h": disp.kpis.weighted_tardiness_hours,
        "dispatch_late": disp.kpis.late_orders,
        "optimise_s": round(t_opt, 1),
        "optimise_wt_h": opt.kpis.weighted_tardiness_hours,
        "optimise_late": opt.kpis.late_orders,
        "status": opt.status,
    }
    print(f"demo shop: {row}", flush=True)
    return row


def markdown(wt: list[dict], jsp: list[dict], demo: dict | None, args) -> str:
    lines = [
        f"Run {STARTED:%Y-%m-%d %H:%M}–{datetime.now():%H:%M} on {os.cpu_count()} cores "
        f"({platform.python_implementation()} {platform.python_version()}, machine shared "
        "with other work), OR-Tools CP-SAT with 2 workers. Command: "
        f"`{' '.join(['python benchmarks/shop.py', *sys.argv[1:]])}`.",
        "",
    ]
    if wt:
        hit = sum(r["hit"] for r in wt)
        proven = sum(r["proven"] for r in wt)
        mean_t = sum(r["time_s"] for r in wt) / len(wt)
        first = [r["time_s"] for r in wt]
        found = [r["found_s"] for r in wt if r["hit"] and r["found_s"] is not None]
        found_txt = (f"; the returned value was found after {sum(found) / len(found):.2f} s on "
                     f"average (max {max(found):.2f} s)" if found else "")
        lines += [
            f"### Single-machine weighted tardiness (OR-Library wt40), {args.wt_limit:g} s each",
            "",
            f"* known optimum reached: **{hit}/{len(wt)} ({100 * hit / len(wt):.1f} %)**; "
            f"proven optimal by the solver: {proven}; mean wall time {mean_t:.1f} s "
            f"(max {max(first):.1f} s; without a proof the solver searches until the limit)"
            f"{found_txt}.",
            "",
            "| instance | value | known | reached | proven | time s | found at s |",
            "|---|---:|---:|:-:|:-:|---:|---:|",
        ]
        for r in wt:
            lines.append(f"| {r['instance']} | {r['value']} | {r['known']} | "
                         f"{'yes' if r['hit'] else '**no**'} | {'yes' if r['proven'] else ''} | "
                         f"{r['time_s']} | {r['found_s']} |")
        lines.append("")
    if jsp:
        la = [r for r in jsp if r["instance"].startswith("la") and r["gap"] is not None]
        allg = [r["gap"] for r in jsp if r["gap"] is not None]
        lines += [f"### Job shop (makespan), {args.jsp_limit:g} s each", ""]
        if la:
            lines.append(f"* la01–la20 mean gap to best known: "
                         f"**{sum(r['gap'] for r in la) / len(la):.2f} %** over {len(la)} "
                         f"instances; optimal (gap 0): {sum(r['gap'] == 0 for r in la)}")
        if allg:
            lines.append(f"* all {len(allg)} instances: mean gap {sum(allg) / len(allg):.2f} %, "
                         f"proven optimal: {sum(r['proven'] for r in jsp)}")
        lines += ["", "| instance | makespan | best known | gap % | proven | time s | "
                  "found at s |", "|---|---:|---:|---:|:-:|---:|---:|"]
        for r in jsp:
            lines.append(f"| {r['instance']} | {r['value']} | {r['known']} | {r['gap']:.2f} | "
                         f"{'yes' if r['proven'] else ''} | {r['time_s']} | {r['found_s']} |")
        lines.append("")
    if demo:
        lines += [
            f"### Demo shop ({demo['operations']} operations, 8 work centers, calendars)",
            "",
            f"Run {datetime.now():%Y-%m-%d %H:%M}: `demo_shop(7, work_centers=8, orders=570, "
            "weeks=8)`, plan start = its Monday 07:00, due basis assembly date.",
            "",
            f"* `dispatch`: {demo['dispatch_s']} s, weighted tardiness "
            f"{demo['dispatch_wt_h']:.1f} h, {demo['dispatch_late']} late orders",
            f"* `optimise` ({args.demo_limit:g} s limit, {demo['optimise_s']} s): weighted "
            f"tardiness {demo['optimise_wt_h']:.1f} h, {demo['optimise_late']} late orders "
            f"({demo['status']})",
            "",
        ]
    return "\n".join(lines)


def write_section(body: str, doc: Path = DOC) -> None:
    block = f"{START}\n{body}\n{END}"
    if doc.exists():
        text = doc.read_text(encoding="utf-8")
        if START in text and END in text:
            a = text.index(START)
            b = text.index(END) + len(END)
            text = text[:a] + block + text[b:]
        else:
            text = text.rstrip("\n") + f"\n\n## Shop\n\n{block}\n"
    else:
        doc.parent.mkdir(parents=True, exist_ok=True)
        text = f"# Benchmarks\n\n## Shop\n\n{block}\n"
    doc.write_text(text, encoding="utf-8")


def replace_demo(demo_md: str, doc: Path = DOC) -> None:
    """Swap the demo-shop part of the docs section for ``demo_md``'s demo part."""
    text = doc.read_text(encoding="utf-8")
    a, b = text.index(START), text.index(END)
    section = text[a + len(START):b]
    new_demo = demo_md[demo_md.index("### Demo shop"):].rstrip("\n") + "\n"
    if "### Demo shop" in section:
        section = section[:section.index("### Demo shop")] + new_demo
    else:
        section = section.rstrip("\n") + "\n\n" + new_demo
    doc.write_text(text[:a + len(START)] + section + text[b:], encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--quick", action="store_true",
                    help="5 wt40 + 5 la instances with 3 s / 10 s; no docs update")
    ap.add_argument("--only", action="append", default=[],
                    help="run instances whose name starts with this (repeatable)")
    ap.add_argument("--time-limit", type=float, help="override both limits")
    ap.add_argument("--wt-limit", type=float, default=10.0)
    ap.add_argument("--jsp-limit", type=float, default=30.0)
    ap.add_argument("--demo-limit", type=float, default=60.0)
    ap.add_argument("--no-demo", action="store_true")
    ap.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    ap.add_argument("--demo-only", action="store_true",
                    help="run only the demo shop and replace its part of the docs section")
    args = ap.parse_args(argv)
    if args.time_limit:
        args.wt_limit = args.jsp_limit = args.time_limit
    wt_dir, jsp_dir = args.data / "wt", args.data / "jsp"
    wt_known = {r["file"]: (int(r["opt_or_best"]), r["optimal"] == "yes")
                for r in csv.DictReader((wt_dir / "index.csv").open())}
    jsp_known = {r["file"]: int(r["bks"]) for r in csv.DictReader((jsp_dir / "index.csv").open())}
    wt_files = sorted(wt_dir.glob("wt40_*.csv"))
    jsp_names = ["ft06", "ft10", "ft20"] + [f"la{k:02d}" for k in range(1, 21)]
    jsp_files = [jsp_dir / f"{n}.txt" for n in jsp_names if (jsp_dir / f"{n}.txt").exists()]
    if args.quick:
        wt_files = wt_files[::25]
        jsp_files = [f for f in jsp_files if f.stem in ("ft06", "la01", "la06", "la11", "la16")]
        args.wt_limit, args.jsp_limit, args.demo_limit = 3.0, 10.0, 20.0
        args.no_write = True
    if args.only:
        wt_files = [f for f in wt_files if any(f.stem.startswith(o) for o in args.only)]
        jsp_files = [f for f in jsp_files if any(f.stem.startswith(o) for o in args.only)]
    if args.demo_only:
        demo = run_demo(args.demo_limit)
        body = markdown([], [], demo, args)
        print(body)
        if not args.no_write:
            replace_demo(body)
        return 0
    wt = run_wt(wt_files, wt_known, args.wt_limit)
    jsp = run_jsp(jsp_files, jsp_known, args.jsp_limit)
    demo = None if (args.no_demo or args.only) else run_demo(args.demo_limit)
    body = markdown(wt, jsp, demo, args)
    print()
    print(body)
    if not args.no_write:
        write_section(body)
        print(f"updated {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
