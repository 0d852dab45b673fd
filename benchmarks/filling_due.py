"""Filling with due dates: ``best`` (objective ``due``, 10 s) against a long CP-SAT reference.

Generated inputs (own seeds): ``n`` lots (50 / 100 / 300) of 4 types, fills of 2-60 h,
priorities 1-3, due dates spread between 10 % and 75 % of a plain plan's length (so that
some lots must be late), and a fifth of the lots released during the first half of it.

For each input ``best`` runs with ``objective: due`` and its time limit; the reference is the
CP-SAT sequencing model (``timed_model``, the model of ``milp-opt`` on such inputs) run for
``--reference-s`` seconds from ``best``'s plan (so it is never worse) and from the due-date
constructive plan alone, and ``best`` itself run that long; the reference is the best of the
three. The table gives weighted tardiness (hours) and how far
``best`` is above the reference (%), plus every strategy's weighted tardiness at the same
time limit (``best`` must be at least as good as each).

    python benchmarks/filling_due.py --write            # 3 inputs per size, ~25 min
    python benchmarks/filling_due.py --sizes 50 --inputs 1 --reference-s 20
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._report import write_section  # noqa: E402
from scheduler_core.filling import (  # noqa: E402
    FillingConfig,
    FillingProblem,
    Lot,
    plan,
    sequencing,
    timed_model,
    validate_schedule,
)
from scheduler_core.filling.catalog import STRATEGIES  # noqa: E402
from scheduler_core.filling.rules import Instance  # noqa: E402

START = datetime(2026, 1, 5, 6)
VPH = 19920


def due_date_lots(n: int, seed: int) -> list[Lot]:
    """``n`` generated lots with due dates, priorities and some releases (module docstring)."""
    rng = random.Random(1000 * n + seed)
    hours = [rng.randint(2, 60) for _ in range(n)]
    length = sum(hours) * 1.25 + 24 * sum(hours) / 100  # roughly a plain plan's length
    lots = []
    for k, h in enumerate(hours):
        due = START + timedelta(hours=round(rng.uniform(0.1, 0.75) * length))
        release = START + timedelta(hours=round(rng.uniform(0, 0.5) * length)) if rng.random() < 0.2 else None
        if release is not None and release > due - timedelta(hours=h + 24):
            release = None
        lots.append(Lot(f"L{k:03d}", "ABCD"[rng.randrange(4)], h * VPH, priority=rng.randint(1, 3),
                        due=due, release=release))
    return lots


def run(n: int, seed: int, time_limit: float, reference_s: float) -> dict:
    lots = due_date_lots(n, seed)
    problem = FillingProblem(lots)
    results = {}
    for name in STRATEGIES:
        config = FillingConfig(start_time=START, strategy=name, objective="due", time_limit_s=time_limit)
        result = plan(problem, config)
        assert validate_schedule(result) == [], name
        results[name] = result
    best = results["best"]
    config = FillingConfig(start_time=START, objective="due")
    inst = Instance.build(lots, config, START)
    index = {lot.lot_id: k for k, lot in enumerate(lots)}
    best_plan = [[index[i] for i in block] for block in best.blocks]
    to_h = inst.scale.to_hours
    references = []
    for hint in (best_plan, sequencing.by_due_date(inst)):
        res = timed_model.solve_timed(inst, "due", time_limit_s=reference_s, hint=hint)
        found = sequencing.repair(inst, res.blocks) if res.blocks else hint
        references.append(min(sequencing.score(inst, found, "due"), sequencing.score(inst, hint, "due")))
    longer = plan(problem, FillingConfig(start_time=START, strategy="best", objective="due", time_limit_s=reference_s))
    ref_wt = min(to_h(min(references)[0]), longer.kpis.weighted_tardiness_h)
    best_wt = best.kpis.weighted_tardiness_h
    return {
        "n": n, "seed": seed, "best": best_wt, "ref": ref_wt, "ref_edd": to_h(references[1][0]), "long_best": longer.kpis.weighted_tardiness_h,
        "above": 100 * (best_wt - ref_wt) / ref_wt if ref_wt > 0 else (0.0 if best_wt == 0 else float("inf")),
        "makespan": best.kpis.makespan_h, "late": best.kpis.late_lots, "runtime": best.runtime_s,
        "others": {k: r.kpis.weighted_tardiness_h for k, r in results.items() if k != "best"},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 300])
    ap.add_argument("--inputs", type=int, default=3, help="generated inputs per size")
    ap.add_argument("--time-limit", type=float, default=10)
    ap.add_argument("--reference-s", type=float, default=60)
    ap.add_argument("--write", action="store_true", help="write the table to docs/benchmarks.md")
    args = ap.parse_args()
    rows = []
    for n in args.sizes:
        for seed in range(1, args.inputs + 1):
            row = run(n, seed, args.time_limit, args.reference_s)
            rows.append(row)
            worst_other = min(row["others"].values())
            print(f"n={n:4d} seed={seed}: best {row['best']:10.1f} h  reference {row['ref']:10.1f} h  "
                  f"above {row['above']:6.2f} %  (CP-SAT from EDD {row['ref_edd']:10.1f} h; best long "
                  f"{row['long_best']:10.1f} h; best other "
                  f"strategy {worst_other:10.1f} h)  {row['runtime']:.1f} s", flush=True)
    lines = [
        f"### Due dates: `best` (objective `due`, {args.time_limit:g} s) against CP-SAT "
        f"({args.reference_s:g} s) and `best` run {args.reference_s:g} s",
        "",
        f"{platform.python_implementation()} {platform.python_version()}, inputs of "
        "`benchmarks/filling_due.py` (4 types, priorities 1-3, a fifth of the lots released late).",
        "Weighted tardiness in hours; *above* = how far `best` is above the reference; "
        "the reference is the best of CP-SAT from `best`'s plan, *CP-SAT from EDD* (the same model "
        "from the due-date plan alone) and *best long* (`best` with the reference's time limit); "
        "*best other* = the best of the other strategies at the same time limit. First figures: "
        "the due-date objective is new, there is no previous version to set beside them.",
        "",
        "| lots | input | best | reference | above % | CP-SAT from EDD | best long | best other | makespan h | late lots | time s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['n']} | {r['seed']} | {r['best']:,.1f} | {r['ref']:,.1f} | {r['above']:.2f} | "
                     f"{r['ref_edd']:,.1f} | {r['long_best']:,.1f} | {min(r['others'].values()):,.1f} | {r['makespan']:,.1f} | "
                     f"{r['late']} | {r['runtime']:.1f} |")
    for n in args.sizes:
        mine = [r["above"] for r in rows if r["n"] == n]
        lines.append(f"| {n} | median | | | {statistics.median(mine):.2f} | | | | | | |")
    print("\n".join(lines))
    if args.write:
        write_section("filling-due", "\n".join(lines))


if __name__ == "__main__":
    main()
