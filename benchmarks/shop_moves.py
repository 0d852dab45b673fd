"""Ten random "Move up" edits on the demo shop: what one move does to the plan.

The issue's demo shop (300 work orders on 8 work centers) is planned with ``optimise``; then,
ten times, one operation (random work center, random place after the first) is moved up
its queue and the shop is re-planned with the same options, three ways:

* ``no change``: the same re-plan without any edit (how much the time-limited optimiser
  itself varies between runs: the noise floor);
* ``forced``: the base plan's queues with only that move made (decoded exactly): what the
  move forces before any re-planning;
* ``pin``: the move as the board makes it now, one pin between the operation and the one
  it passed (``edits.move_up``), everything else free, re-planned from the base plan
  (``warm_start``, as the app does);
* ``whole queue``: the earlier behaviour, every open operation of that work center fixed
  in the moved order (a chain of pins along the whole queue) and re-planned from scratch
  (no warm start), for comparison.

Prints a table (late orders, weighted tardiness h, makespan h per variant) and writes it to
the ``shop-moves`` section of ``docs/benchmarks.md`` with ``--write``.

    python benchmarks/shop_moves.py --write                # 30 s per plan, ~11 min
    python benchmarks/shop_moves.py --time-limit 5 --moves 3
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._report import write_section  # noqa: E402
from scheduler_core.errors import InputError  # noqa: E402
from scheduler_core.shop import (  # noqa: E402
    ShopOptions,
    demo_shop,
    edits,  # noqa: E402
    options_of,
    plan,
    validate_plan,
)
from scheduler_core.shop.builder import decode, sequences_of  # noqa: E402
from scheduler_core.shop.dispatch import apply_pins  # noqa: E402
from scheduler_core.shop.kpis import to_result  # noqa: E402
from scheduler_core.shop.prepared import prepare  # noqa: E402

START = datetime(2026, 1, 5, 7)


def whole_queue(problem, queue: list[str], op_id: str):
    """The earlier reorder: the moved queue fixed as a whole (a chain of pins)."""
    moved = edits.moved(queue, op_id, -1)
    chain = tuple(zip(moved, moved[1:], strict=False))
    return replace(problem, pins=chain)


def forced(problem, base, options):
    """The base plan with only the edit made: its queues (pins applied), decoded exactly."""
    prep = prepare(problem, options.due_basis)
    planned = ((p.op_id, p.work_center, p.start) for p in base.operations)
    return to_result(prep, decode(prep, apply_pins(prep, sequences_of(prep, planned))), "forced")


def kpis(result) -> tuple[int, float, float]:
    k = result.kpis
    return k.late_orders, k.weighted_tardiness_hours, k.makespan_hours


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--orders", type=int, default=300)
    ap.add_argument("--work-centers", type=int, default=8)
    ap.add_argument("--moves", type=int, default=10)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()

    problem = demo_shop(args.seed, work_centers=args.work_centers, orders=args.orders, start=START)
    base = plan(problem, ShopOptions("optimise", time_limit_s=args.time_limit))
    options = options_of(base)
    print(f"demo shop: {len(problem.work_orders)} orders, {len(problem.open_operations())} open operations; "
          f"base plan {kpis(base)}", flush=True)
    rng = random.Random(args.seed)
    own = {op.op_id: op.work_center for op in problem.operations}
    # a work center's queue as the board shows it (operations planned there as an alternative left out)
    queues = {w: [p.op_id for p in ops if own[p.op_id] == w] for w, ops in base.by_work_center().items()}
    rows = []
    while len(rows) < args.moves:
        wc = rng.choice(sorted(queues))
        queue = queues[wc]
        if len(queue) < 2:
            continue
        op_id = queue[rng.randrange(1, len(queue))]
        try:
            moved = edits.move_up(problem, queue, op_id)
            old = whole_queue(problem, queue, op_id)
        except InputError:
            continue  # a move the board refuses (in progress, routing order): draw again
        same = plan(problem, options, warm_start=base)
        pinned = plan(moved, options, warm_start=base)
        chained = plan(old, options)  # as before: no warm start either
        assert validate_plan(moved, pinned) == [] and validate_plan(old, chained) == []
        rows.append({"move": f"{op_id} up on {wc} (queue {len(queue)})", "none": kpis(same),
                     "forced": kpis(forced(moved, base, options)), "pin": kpis(pinned), "queue": kpis(chained)})
        print(rows[-1], flush=True)

    def cell(v):
        return f"{v[0]} / {v[1]:,.1f} / {v[2]:,.1f}"

    lines = [
        "## Shop: one move up (ten random moves)",
        "",
        f"`python benchmarks/shop_moves.py --write` (Python {platform.python_version()}, "
        f"{datetime.now():%Y-%m-%d}): `demo_shop({args.seed}, work_centers={args.work_centers}, "
        f"orders={args.orders})` from {START:%Y-%m-%d %H:%M}, {len(problem.open_operations())} open operations; "
        f"every plan `optimise` with {args.time_limit:g} s (the base plan's options). Base plan: "
        f"{cell(kpis(base))} (late orders / weighted tardiness h / makespan h).",
        "",
        "| move | re-plan, no change | the move alone (forced) | one pin, re-planned (now) "
        "| whole queue fixed (before) |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {r['move']} | {cell(r['none'])} | {cell(r['forced'])} | {cell(r['pin'])} | {cell(r['queue'])} |"
              for r in rows]

    def med(key: str, i: int) -> float:
        return statistics.median(r[key][i] for r in rows)

    lines += [
        "",
        f"Median over the moves: no change {med('none', 0):g} late / {med('none', 1):,.1f} h; the move "
        f"alone {med('forced', 0):g} late / {med('forced', 1):,.1f} h; one pin re-planned {med('pin', 0):g} late / "
        f"{med('pin', 1):,.1f} h; whole queue {med('queue', 0):g} late / {med('queue', 1):,.1f} h. "
        f"Re-planned pin over the move alone, worst case: "
        f"{max(r['pin'][0] - r['forced'][0] for r in rows):+d} late orders, "
        f"{max(r['pin'][1] - r['forced'][1] for r in rows):+,.1f} h weighted tardiness "
        "(a re-plan from the edited plan keeps only plans with no more late orders than it, then "
        "the least weighted tardiness).",
    ]
    print("\n".join(lines))
    if args.write:
        write_section("shop-moves", "\n".join(lines))


if __name__ == "__main__":
    main()
