"""Optimising strategies: ``milp-opt`` (one exact CP-SAT model) and ``best``.

``best``: every constructive strategy; then each lot type is packed on its own as tightly
as possible (bin completion search, then a draining local search with restarts) and the
blocks of different types are merged where that pays; then CP-SAT re-optimises groups of
blocks (large-neighbourhood search) until the plan meets the lower bound or time is up.
Small inputs also get the full CP-SAT model, which can prove optimality.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace

from scheduler_core.filling import greedy
from scheduler_core.filling.binpack import drain, pack_into
from scheduler_core.filling.bounds import bin_packing_l2
from scheduler_core.filling.exact import block_cost, solve_subset
from scheduler_core.filling.planner import Context, Outcome
from scheduler_core.filling.rules import Instance

#: Inputs up to this many lots get the full CP-SAT model for most of the time (it can prove
#: optimality and beats neighbourhood search at this size); larger ones get neighbourhoods.
FULL_MODEL_LOTS = 600


def objective(inst: Instance, blocks: list[list[int]]) -> int:
    """Makespan minus the constant sum of item sizes (grouped formula)."""
    return sum(block_cost(inst, b) for b in blocks if b)


def _max_blocks(inst: Instance, incumbent: list[list[int]]) -> int:
    """Blocks enough for an optimal packing: (clean - max s_t) * B <= objective (exact case)."""
    per_block = inst.clean - max(inst.same)
    count = len([b for b in incumbent if b])
    if inst.exact and per_block > 0:
        return max(count, min(inst.n, objective(inst, incumbent) // per_block))
    return count


def makespan(inst: Instance, blocks: list[list[int]]) -> int:
    """Exact makespan ticks of a packing once each block is put in line order."""
    return inst.makespan_ticks([inst.finalize_block(b) for b in blocks if b])


def constructive(inst: Instance) -> list[list[int]]:
    """The best plan of all constructive strategies (the user's own order included)."""
    runs = [
        fn(inst)
        for fn in (
            greedy.smart_pack,
            greedy.hybrid_pack,
            greedy.lpt_pack,
            greedy.cfs_pack,
            greedy.spt_pack,
            greedy.as_given,
        )
    ]
    return min(runs, key=lambda b: makespan(inst, b))


def milp_opt(ctx: Context) -> Outcome:
    inst = ctx.inst
    ctx.progress(0.02, "building a starting plan")
    incumbent = constructive(inst)
    sum_a = sum(inst.size(i) for i in range(inst.n))
    ctx.progress(0.05, "solving the CP-SAT model")
    res = solve_subset(
        inst,
        list(range(inst.n)),
        _max_blocks(inst, incumbent),
        time_limit_s=ctx.time_limit_s * 0.95,
        hint=incumbent,
        objective_lb=ctx.bound.ticks - sum_a if inst.exact else None,
        progress=lambda f, m: ctx.progress(0.05 + 0.9 * f, m),
    )
    if res.blocks is None or makespan(inst, res.blocks) > makespan(inst, incumbent):
        return Outcome(incumbent, f"CP-SAT {res.status}: kept the constructive plan")
    proven = res.proven and inst.exact
    status = "OPTIMAL" if proven else f"{res.status} (time limit)"
    return Outcome(res.blocks, status, proven=proven)


def pack_one_type(
    sizes: list[int], capacity: int, start: list[list[int]], deadline: float
) -> list[list[int]]:
    """Fewest bins for one type: rounds of bin completion (strong when bins must be almost
    exactly full) alternating with draining local search (strong with slack to spare)."""
    target = bin_packing_l2(sizes, capacity)
    best = [list(b) for b in start if b]
    if len(best) <= target:
        return best
    first = pack_into(
        sizes,
        capacity,
        target,
        deadline=time.monotonic() + 0.4 * max(0.0, deadline - time.monotonic()),
        node_limit=20_000,
    )
    if first is not None:
        return first
    seed = 1
    while len(best) > target and time.monotonic() < deadline:
        slot = 0.5 * seed
        run = drain(
            sizes, capacity, best, target=target, deadline=min(deadline, time.monotonic() + slot), seed=seed
        )
        if len(run) < len(best):
            best = run
        if len(best) <= target:
            break
        found = pack_into(
            sizes,
            capacity,
            target,
            deadline=min(deadline, time.monotonic() + slot),
            node_limit=20_000,
            seed=seed,
        )
        if found is not None:
            return found
        seed += 1
    return best


def per_type_packing(inst: Instance, deadline: float) -> list[list[int]]:
    blocks: list[list[int]] = []
    groups: dict[int, list[int]] = {}
    for i, t in enumerate(inst.type_of):
        groups.setdefault(t, []).append(i)
    ordered = sorted(groups.items(), key=lambda kv: -len(kv[1]))
    for k, (t, items) in enumerate(ordered):
        share = (deadline - time.monotonic()) / (len(ordered) - k)
        sizes = [inst.size(i) for i in items]
        local = list(range(len(items)))
        start = greedy.first_fit(_sub(inst, items), sorted(local, key=lambda j: -sizes[j]))
        packed = pack_one_type(sizes, inst.window + inst.same[t], start, time.monotonic() + share)
        blocks.extend([items[j] for j in b] for b in packed)
    return blocks


def _sub(inst: Instance, items: list[int]) -> Instance:
    """A view of ``inst`` restricted to ``items`` (re-indexed 0..len-1)."""
    return replace(
        inst,
        lots=[inst.lots[i] for i in items],
        type_of=[inst.type_of[i] for i in items],
        fill=[inst.fill[i] for i in items],
    )


def best(ctx: Context) -> Outcome:
    inst = ctx.inst
    started = time.monotonic()
    deadline = started + ctx.time_limit_s * 0.92
    sum_a = sum(inst.size(i) for i in range(inst.n))
    target = ctx.bound.ticks - sum_a  # objective value that meets the lower bound

    def report(phase: str, blocks: list[list[int]]) -> None:
        elapsed = time.monotonic() - started
        hours = inst.scale.to_hours(makespan(inst, blocks))
        ctx.progress(
            min(elapsed / max(ctx.time_limit_s, 1e-6), 0.99),
            f"{phase}: makespan {hours:.2f} h (bound {ctx.bound.hours:.2f} h)",
        )

    ctx.progress(0.0, "constructive strategies")
    incumbent = constructive(inst)
    report("constructive", incumbent)
    if makespan(inst, incumbent) <= ctx.bound.ticks:
        return Outcome(incumbent, "meets lower bound", proven=True)

    if inst.exact or len(inst.types) == 1:
        # one type: nothing for CP-SAT to add but proofs the bound already gives
        if len(inst.types) == 1:
            share = 0.85
        else:
            share = 0.15 if inst.n <= FULL_MODEL_LOTS else 0.45
        per_type = greedy.merge_blocks(inst, per_type_packing(inst, started + ctx.time_limit_s * share))
        if makespan(inst, per_type) < makespan(inst, incumbent):
            incumbent = per_type
        report("per-type packing", incumbent)
        if makespan(inst, incumbent) <= ctx.bound.ticks:
            return Outcome(incumbent, "meets lower bound", proven=True)

    if inst.n <= FULL_MODEL_LOTS:
        res = solve_subset(
            inst,
            list(range(inst.n)),
            _max_blocks(inst, incumbent),
            time_limit_s=max(0.1, deadline - time.monotonic()),
            hint=incumbent,
            objective_lb=target if inst.exact else None,
        )
        if res.blocks is not None and makespan(inst, res.blocks) <= makespan(inst, incumbent):
            incumbent = res.blocks
            if res.proven and inst.exact:
                return Outcome(incumbent, "OPTIMAL (CP-SAT)", proven=True)
        report("CP-SAT", incumbent)
        return Outcome(incumbent, f"CP-SAT {res.status}")

    improved = _lns(inst, incumbent, target, deadline, report)
    if makespan(inst, improved) <= makespan(inst, incumbent):
        incumbent = improved
    at_bound = makespan(inst, incumbent) <= ctx.bound.ticks
    return Outcome(
        incumbent, "meets lower bound" if at_bound else "local search (time limit)", proven=at_bound
    )


def _lns(inst, incumbent, target, deadline, report) -> list[list[int]]:
    """CP-SAT large-neighbourhood search over groups of blocks (lightest + random others)."""
    rng = random.Random(7)
    blocks = [list(b) for b in incumbent if b]
    last_report = time.monotonic()
    while time.monotonic() < deadline - 0.05:
        if inst.exact and objective(inst, blocks) <= target:
            break
        loads = [inst.grouped_load(b) for b in blocks]
        by_load = sorted(range(len(blocks)), key=loads.__getitem__)
        if rng.random() < 0.5:
            # the lightest blocks together: where merging tails of different types pays
            group = by_load[: min(len(blocks), rng.randint(3, 8))]
        else:
            k = min(len(blocks), rng.randint(3, 6))
            group = [by_load[0], *rng.sample(by_load[1:], k - 1)] if k > 1 else by_load[:1]
        items = [i for j in group for i in blocks[j]]
        current = [blocks[j] for j in group]
        cur_obj = objective(inst, current)
        res = solve_subset(
            inst,
            items,
            len(group),
            time_limit_s=min(1.0, deadline - time.monotonic()),
            hint=current,
            objective_ub=cur_obj,
            workers=1,
            seed=rng.randint(0, 10**6),
        )
        if res.blocks is not None and objective(inst, res.blocks) <= cur_obj:
            keep = [b for j, b in enumerate(blocks) if j not in set(group)]
            blocks = keep + [b for b in res.blocks if b]
        if time.monotonic() - last_report > 0.5:
            last_report = time.monotonic()
            report("neighbourhood search", blocks)
    return blocks
