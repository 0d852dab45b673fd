"""Filling lower bounds: the structural bound against the pattern LP bound (``lpbound``).

    python benchmarks/filling_bound.py [--write]

On the ``mixed`` inputs of ``benchmarks/filling.py`` (2, 4 and 8 lot types at 100, 500 and
1,000 lots, 3 seeds each) prints, per input, the structural bound (``bounds``), the LP bound
with the time it took (seeded, as in ``best``, with the best constructive plan) and how far
each lies below a reference plan: the best of the constructive strategies, so the table needs
no long runs; ``docs/benchmarks.md`` (filling-generated) has `best`'s own gaps. With
``--write`` the table replaces the filling-bound section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._report import write_section  # noqa: E402
from benchmarks.filling import MIXED, MIXED_SEEDS, mixed_set  # noqa: E402
from scheduler_core.filling import FillingConfig, parse_lots  # noqa: E402
from scheduler_core.filling.bounds import instance_lower_bound  # noqa: E402
from scheduler_core.filling.lpbound import pattern_lp_bound  # noqa: E402
from scheduler_core.filling.rules import Instance  # noqa: E402
from scheduler_core.filling.search import constructive, makespan  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    ap.add_argument("--limit", type=float, default=60.0, help="seconds the LP may take per input")
    args = ap.parse_args()
    out = [
        "### Filling lower bounds: structural → pattern LP",
        "",
        f"`python benchmarks/filling_bound.py --write` (Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}). Below the reference = (plan - bound) / plan, the plan being "
        "the best constructive one; the LP bound is what `best` and `milp-opt` report when it is higher.",
        "",
        "| set | structural below plan % (mean) | LP below plan % (mean) | LP raised the bound by h (mean / max) "
        "| LP time s (median / max) |",
        "|---|---|---|---|---|",
    ]
    print(f"{'input':<14} {'plan h':>10} {'structural h':>13} {'LP h':>10} {'LP s':>6}")
    for name, (types, n) in MIXED.items():
        below_s, below_lp, raised, times = [], [], [], []
        for k in range(MIXED_SEEDS):
            inst = Instance.build(parse_lots(mixed_set(types, n, 1801 + k), "lots.csv"), FillingConfig())
            start = constructive(inst)
            plan_ticks = makespan(inst, start)
            structural = instance_lower_bound(inst).ticks
            t0 = time.perf_counter()
            lp = max(structural, pattern_lp_bound(inst, time.monotonic() + args.limit, start) or 0)
            times.append(time.perf_counter() - t0)
            hours = inst.scale.to_hours
            below_s.append(100 * (plan_ticks - structural) / plan_ticks)
            below_lp.append(100 * (plan_ticks - lp) / plan_ticks)
            raised.append(hours(lp - structural))
            print(f"{name}_s{k + 1:<5} {hours(plan_ticks):>10.1f} {hours(structural):>13.1f} {hours(lp):>10.1f} "
                  f"{times[-1]:>6.2f}", flush=True)
        out.append(
            f"| {name} | {statistics.mean(below_s):.3f} | {statistics.mean(below_lp):.3f} | "
            f"{statistics.mean(raised):.1f} / {max(raised):.1f} | {statistics.median(times):.2f} / {max(times):.2f} |"
        )
    text = "\n".join(out)
    print()
    print(text)
    if args.write:
        write_section("filling-bound", text)
        print("docs/benchmarks.md updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
