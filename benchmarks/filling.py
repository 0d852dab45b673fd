"""Filling benchmark: every strategy on the Falkenauer and random instances.

    python benchmarks/filling.py [--data ../shared/data/filling] [--strategies all|a,b]
                                 [--time-limit 10] [--sets falkenauer,random,lots100,classes,mixed]
                                 [--per-class 10] [--only u500,mix8-1000] [--save rows.json]
                                 [--previous rows.json] [--from rows.json ...] [--write]

Sets: ``falkenauer`` (40 instances with known optima), ``random`` (the shared 4-type
instances of 15 to 1,000 lots), ``lots100`` (40 inputs of 100 lots drawn like the app
benchmark's create-and-show inputs, seeds 1-40: how often ``best`` proves optimality, how
long it takes, and whether any strategy beats it), ``classes`` (the 8 Falkenauer classes,
``--per-class`` instances each generated here with our own seeds and converted as
``falkenauer/README.md`` describes: uniform u120..u1000, items uniform in 20..100, C = 150;
triplets t60..t501, exactly full bins of three items, C = 1000, optimum n/3 by construction)
and ``mixed`` (2, 4 and 8 lot types at 100, 500 and 1,000 lots, 3 seeds each, vials uniform
in 20,000..2,300,000 like the shared random files). ``--save`` keeps the rows as JSON;
``--previous`` puts an earlier run's rows (the version before) beside the new figures;
``--from`` makes the tables from saved rows (several runs, e.g. ``best`` timed alone and the
other strategies in a second run) instead of running anything.

Prints one row per (instance, strategy) and a summary against the targets of DESIGN.md §4;
with --write the tables replace the filling section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._report import write_section  # noqa: E402
from benchmarks.app import lots_csv  # noqa: E402
from scheduler_core.filling import (  # noqa: E402
    STRATEGIES,
    FillingConfig,
    FillingProblem,
    Lot,
    parse_lots,
    plan,
    validate_schedule,
)

GREEDY = ["smart-pack", "hybrid-pack", "lpt-pack", "spt-pack", "cfs-pack", "as-given"]
#: Generated Falkenauer classes: name -> (kind, items). Seeds 1701.. (our own).
CLASSES = {
    **{f"u{n}": ("uniform", n) for n in (120, 250, 500, 1000)},
    **{f"t{n}": ("triplet", n) for n in (60, 120, 249, 501)},
}
#: Generated multi-type sets: name -> (types, lots). Seeds 1801..1803.
MIXED = {f"mix{t}-{n}": (t, n) for t in (2, 4, 8) for n in (100, 500, 1000)}
MIXED_SEEDS = 3
FILL_RATE = 19920  # vials per hour (DESIGN.md §1 defaults), as in falkenauer/README.md


def _csv(rows: list[tuple[str, int]]) -> bytes:
    lines = ["Lot ID,Type,Vials", *(f"G{k:04d},{t},{v}" for k, (t, v) in enumerate(rows, 1))]
    return ("\n".join(lines) + "\n").encode()


def falkenauer_class(kind: str, n: int, seed: int) -> tuple[bytes, int | None]:
    """A generated instance of a Falkenauer class as a lots file, and its optimal number of
    blocks when known by construction (triplets). Conversion of falkenauer/README.md:
    ``Vials = floor((w * 124 / C - 4) * 19920)``.

    Uniform (Falkenauer 1996): weights uniform in 20..100, C = 150. Triplets: every bin is
    w1 uniform in 380..490, w2 uniform in 250..(C - w1) // 2, w3 = C - w1 - w2 (C = 1000),
    items shuffled."""
    rng = random.Random(seed)
    if kind == "uniform":
        cap, weights = 150, [rng.randint(20, 100) for _ in range(n)]
    else:
        cap, weights = 1000, []
        for _ in range(n // 3):
            w1 = rng.randint(380, 490)
            w2 = rng.randint(250, (cap - w1) // 2)
            weights += [w1, w2, cap - w1 - w2]
        rng.shuffle(weights)
    vials = [(w * 124 * FILL_RATE - 4 * FILL_RATE * cap) // cap for w in weights]
    return _csv([("A", v) for v in vials]), (n // 3 if kind == "triplet" else None)


def mixed_set(types: int, n: int, seed: int) -> bytes:
    """``n`` lots of ``types`` types drawn uniformly, vials uniform in 20,000..2,300,000."""
    rng = random.Random(seed)
    return _csv([(f"T{rng.randint(1, types)}", rng.randint(20_000, 2_300_000)) for _ in range(n)])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "filling")
    ap.add_argument("--strategies", default="all")
    ap.add_argument("--sets", default="falkenauer,random,lots100")
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    ap.add_argument(
        "--shuffle",
        type=int,
        metavar="SEED",
        help="shuffle each file's lots first (t60 files list lots triplet by triplet, which "
        "makes as-given optimal); written to its own section",
    )
    ap.add_argument("--per-class", type=int, default=10, help="generated instances per class")
    ap.add_argument("--only", default="", help="comma-separated class/mixed set names to run")
    ap.add_argument("--save", type=Path, help="write the rows as JSON")
    ap.add_argument("--previous", type=Path, help="rows JSON of the version before, shown beside")
    ap.add_argument("--from", dest="saved", type=Path, nargs="+", help="rows JSON files to tabulate, nothing is run")
    args = ap.parse_args()
    names = list(STRATEGIES) if args.strategies == "all" else args.strategies.split(",")
    config = FillingConfig(time_limit_s=args.time_limit)
    rows = []
    optimum: dict[str, float] = {}
    inputs: list[tuple[str, str, Callable[[], list[Lot]]]] = []  # (set, instance, lots)
    if "falkenauer" in args.sets:
        index = list(csv.DictReader(open(args.data / "falkenauer" / "index.csv")))
        for r in index:
            optimum[Path(r["file"]).stem] = float(r["opt_makespan_h"])
            path = args.data / "falkenauer" / r["file"]
            inputs.append(("falkenauer", path.stem, partial(parse_lots, path)))
    if "random" in args.sets:
        rand = sorted((args.data / "random").glob("r*_s1.csv"), key=lambda p: int(p.stem[1:].split("_")[0]))
        inputs += [("random", p.stem, partial(parse_lots, p)) for p in rand]
    if "lots100" in args.sets:
        inputs += [
            ("lots100", f"seed{k}", partial(parse_lots, lots_csv(100, k), "lots.csv")) for k in range(1, 41)
        ]
    only = set(filter(None, args.only.split(",")))
    known_blocks: dict[str, int] = {}
    if "classes" in args.sets:
        for name, (kind, n) in CLASSES.items():
            if only and name not in only:
                continue
            for k in range(args.per_class):
                data, opt = falkenauer_class(kind, n, 1701 + k)
                if opt is not None:
                    known_blocks[f"{name}_{k:02d}"] = opt
                inputs.append((name, f"{name}_{k:02d}", partial(parse_lots, data, "lots.csv")))
    if "mixed" in args.sets:
        for name, (types, n) in MIXED.items():
            if only and name not in only:
                continue
            for k in range(MIXED_SEEDS):
                data = mixed_set(types, n, 1801 + k)
                inputs.append((name, f"{name}_s{k + 1}", partial(parse_lots, data, "lots.csv")))
    print(
        f"{'set':<10} {'instance':<14} {'strategy':<12} {'lots':>5} {'makespan h':>11} {'bound h':>10} "
        f"{'gap %':>7} {'opt':>4} {'known opt':>9} {'time s':>7} {'valid':>5}"
    )
    if args.saved:
        inputs = []
        rows = [row for path in args.saved for row in json.loads(path.read_text())]
        names = list(dict.fromkeys(r["strategy"] for r in rows))
        args.sets = ",".join(dict.fromkeys(r["set"] if r["set"] in ("falkenauer", "random", "lots100") else
                                           ("classes" if r["set"] in CLASSES else "mixed") for r in rows))
    for set_name, instance, load in inputs:
        lots = load()
        if args.shuffle is not None:
            random.Random(args.shuffle).shuffle(lots)
        for name in names:
            t0 = time.perf_counter()
            result = plan(FillingProblem(lots), replace(config, strategy=name))
            wall = time.perf_counter() - t0
            valid = not validate_schedule(result)
            known = optimum.get(instance) if set_name == "falkenauer" else None  # generated names repeat
            hit = None if known is None else abs(result.kpis.makespan_h - known) < 1e-3
            if instance in known_blocks:
                hit = len(result.blocks) == known_blocks[instance]
            row = dict(
                set=set_name,
                instance=instance,
                strategy=name,
                lots=len(lots),
                makespan=result.kpis.makespan_h,
                bound=result.kpis.lower_bound_h,
                gap=result.kpis.gap_pct,
                proven=result.proven_optimal,
                known=hit,
                time=wall,
                valid=valid,
            )
            rows.append(row)
            print(
                f"{set_name:<10} {instance:<14} {name:<12} {len(lots):>5} {row['makespan']:>11.2f} "
                f"{row['bound']:>10.2f} {row['gap']:>7.3f} {'yes' if row['proven'] else 'no':>4} "
                f"{'-' if hit is None else ('hit' if hit else 'MISS'):>9} {wall:>7.2f} {'yes' if valid else 'NO':>5}",
                flush=True,
            )
    if args.save:
        args.save.write_text(json.dumps(rows, indent=0))
    previous = json.loads(args.previous.read_text()) if args.previous else []
    text = summarise(rows, names, args.time_limit)
    generated = generated_section(rows, previous, args.time_limit)
    section = "filling" if args.shuffle is None else "filling-shuffled"
    if args.shuffle is not None:
        text = text.replace("## Filling", f"### Filling, lots shuffled (seed {args.shuffle})", 1)
    print()
    print(text)
    print(generated)
    if args.write:
        if {"falkenauer", "random", "lots100"} <= set(args.sets.split(",")):
            write_section(section, text)
        if any(r["set"] in CLASSES or r["set"] in MIXED for r in rows):
            write_section("filling-generated", generated)
        print("docs/benchmarks.md updated")
    return 0


def summarise(rows: list[dict], names: list[str], limit: float) -> str:
    out = [
        "## Filling",
        "",
        f"`python benchmarks/filling.py --write` (time limit {limit:g} s; Python "
        f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}).",
        "",
    ]
    _per_strategy(
        out,
        [r for r in rows if r["set"] == "falkenauer"],
        names,
        "### Falkenauer (40 instances, known optima)",
        [
            "optimum reached",
            "proven optimal",
            "mean gap to bound %",
            "mean time s",
            "max time s",
            "all valid",
        ],
        lambda rs: [
            f"{sum(bool(r['known']) for r in rs)}/{len(rs)}",
            f"{sum(r['proven'] for r in rs)}/{len(rs)}",
            f"{statistics.mean(r['gap'] for r in rs):.3f}",
            f"{statistics.mean(r['time'] for r in rs):.2f}",
            f"{max(r['time'] for r in rs):.2f}",
            "yes" if all(r["valid"] for r in rs) else "NO",
        ],
    )
    rand = [r for r in rows if r["set"] == "random"]
    if rand:
        out += ["### Random 4-type instances (makespan h / gap to lower bound % / time s)", ""]
        instances = list(dict.fromkeys(r["instance"] for r in rand))
        out.append("| strategy | " + " | ".join(instances) + " |")
        out.append("|---|" + "---|" * len(instances))
        for name in names:
            cells = []
            for inst in instances:
                r = next((r for r in rand if r["strategy"] == name and r["instance"] == inst), None)
                cells.append("-" if r is None else f"{r['makespan']:.1f} / {r['gap']:.3f} / {r['time']:.2f}")
            out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("")
    lots100 = [r for r in rows if r["set"] == "lots100"]
    count = len({r["instance"] for r in lots100})

    def lots100_cells(rs: list[dict]) -> list[str]:
        times = sorted(r["time"] for r in rs)
        return [
            f"{sum(r['proven'] for r in rs)}/{len(rs)}",
            f"{statistics.mean(r['gap'] for r in rs):.3f}",
            f"{max(r['gap'] for r in rs):.3f}",
            f"{statistics.median(times):.2f}",
            f"{times[int(0.9 * (len(times) - 1))]:.2f}",
            f"{times[-1]:.2f}",
            "yes" if all(r["valid"] for r in rs) else "NO",
        ]

    _per_strategy(
        out,
        lots100,
        names,
        f"### {count} inputs of 100 lots (as in the app benchmark, seeds 1-{count})",
        [
            "proven optimal",
            "mean gap to bound %",
            "max gap %",
            "median time s",
            "90th pct time s",
            "max time s",
        ]
        + ["all valid"],
        lots100_cells,
    )
    _never_worse(out, rows, names, [r for r in rows if r["set"] in ("random", "lots100")])
    return "\n".join(out)


def _never_worse(out: list[str], rows: list[dict], names: list[str], compared: list[dict]) -> None:
    """One line: on how many of the ``compared`` inputs another strategy beat ``best``."""
    if "best" in names and len(names) > 1:
        worse = [
            f"{r['instance']}: {r['strategy']} {b['makespan'] - r['makespan']:.1f} h shorter"
            for r in compared
            for b in compared
            if b["strategy"] == "best"
            and b["set"] == r["set"]
            and b["instance"] == r["instance"]
            and b["makespan"] > r["makespan"] + 1e-6
        ]
        inputs = len({(r["set"], r["instance"]) for r in compared})
        detail = f" ({'; '.join(worse)})" if worse else ""
        if inputs:
            out.append(f"`best` worse than another strategy on {len(worse)} of {inputs} inputs{detail}")
            out.append("")


def _set_cells(rs: list[dict]) -> list[str]:
    """Optimum reached, time to it (median, max), gap to the bound (mean, max) of ``best``."""
    if not rs:
        return ["-"] * 5
    reached = [r for r in rs if (r["known"] if r["known"] is not None else r["gap"] < 1e-9)]
    times = sorted(r["time"] for r in reached)
    return [
        f"{len(reached)}/{len(rs)}",
        f"{statistics.median(times):.2f} / {times[-1]:.2f}" if times else "-",
        f"{statistics.mean(r['gap'] for r in rs):.3f} / {max(r['gap'] for r in rs):.3f}",
        f"{statistics.median(r['time'] for r in rs):.2f}",
        "yes" if all(r["valid"] for r in rs) else "NO",
    ]


def generated_section(rows: list[dict], previous: list[dict], limit: float) -> str:
    """The generated sets (classes and mixed) for ``best``: this version beside the previous."""
    sets = [s for s in [*CLASSES, *MIXED, "lots100"] if any(r["set"] == s for r in rows)]
    if not any(s in CLASSES or s in MIXED for s in sets):
        return ""
    names = list(dict.fromkeys(r["strategy"] for r in rows))
    out = [
        "### Filling, generated sets: `best`, previous version → this one",
        "",
        "`python benchmarks/filling.py --sets falkenauer,random,classes,mixed,lots100 --strategies best "
        "--save best.json`, the same with the other strategies (`--save others.json`), then `--from best.json "
        f"others.json --previous before.json --write` (time limit {limit:g} s; "
        f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}).",
        "",
        "Optimum: triplets n/3 blocks (by construction); uniform and multi-type: the plan meets"
        " the lower bound. Time to optimum over the instances that reach it.",
        "",
        "| set | optimum reached | time to optimum s (median / max) | gap to bound % (mean / max) "
        "| median time s | all valid |",
        "|---|---|---|---|---|---|",
    ]
    for s in sets:
        now = _set_cells([r for r in rows if r["set"] == s and r["strategy"] == "best"])
        before = _set_cells([r for r in previous if r["set"] == s and r["strategy"] == "best"])
        cells = [now[k] if before[k] == "-" else f"{before[k]} → {now[k]}" for k in range(4)]
        out.append(f"| {s} | " + " | ".join(cells) + f" | {now[4]} |")
    out.append("")
    _never_worse(out, rows, names, [r for r in rows if r["set"] in sets])
    return "\n".join(out)


def _per_strategy(
    out: list[str],
    rows: list[dict],
    names: list[str],
    title: str,
    header: list[str],
    cells: Callable[[list[dict]], list[str]],
) -> None:
    """A table with one row per strategy (``cells`` of its rows); nothing without rows."""
    if not rows:
        return
    out += [title, "", "| strategy | " + " | ".join(header) + " |", "|---|" + "---|" * len(header)]
    for name in names:
        rs = [r for r in rows if r["strategy"] == name]
        if rs:
            out.append(f"| {name} | " + " | ".join(cells(rs)) + " |")
    out.append("")


if __name__ == "__main__":
    raise SystemExit(main())
