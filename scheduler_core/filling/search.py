"""Optimising strategies: ``milp-opt`` (one exact CP-SAT model) and ``best``.

``best``: every constructive strategy; then each lot type is packed on its own as tightly
as possible (bin completion search, then a draining local search with restarts) and the
blocks of different types are merged where that pays; if that plan does not meet the
structural bound, the pattern LP bound (``lpbound``) may prove it optimal or give the search
a higher target to stop at; then inputs up to ``FULL_MODEL_LOTS`` get the full CP-SAT model
(which can prove optimality), and CP-SAT re-optimises groups of blocks (large-neighbourhood
search: the blocks holding a pair of types, or light blocks).
It stops at the lower bound (a proof: most 100-lot inputs end in well under a second) or at
the time limit, which the planner sets and may cut short with Cancel (the best plan is kept).
It used to stop after a fifth of the limit without a better plan; measured against
``milp-opt`` (one CP-SAT model for the whole limit) that lost a type group (4 h) on 3 of
147 benchmark inputs (docs/benchmarks.md), so ``best`` must not give up earlier than it.
"""

from __future__ import annotations

import random
import time
from dataclasses import replace

from scheduler_core import stopping
from scheduler_core.filling import greedy
from scheduler_core.filling.arcflow import pack_arcflow
from scheduler_core.filling.binpack import drain, pack_into
from scheduler_core.filling.bounds import bin_packing_l2, max_fill
from scheduler_core.filling.exact import block_cost, solve_subset
from scheduler_core.filling.lpbound import pattern_lp_bound
from scheduler_core.filling.patterns import pack_patterns
from scheduler_core.filling.rules import Instance
from scheduler_core.filling.strategy import Context, Outcome

#: Inputs up to this many lots get the full CP-SAT model first (it can prove optimality and
#: beats neighbourhood search at this size); larger ones only get neighbourhoods.
FULL_MODEL_LOTS = 600
#: Share of the time limit the per-type packing of ``best`` may take on such inputs.
PER_TYPE_SHARE = 0.05
#: The pattern model (``patterns``) is tried when the slack the bins may leave in all is at
#: most 1/PATTERN_SLACK of a bin: then the patterns are few (the triplet class: none).
PATTERN_SLACK = 20
#: Types with at least this many lots get the arc-flow model (``arcflow``) after a short bin
#: completion: below it bin completion and draining find the packings in time.
ARC_FLOW_LOTS = 100
#: Share of the time limit the pattern LP bound (``lpbound``) may take when a plan does not
#: meet the structural bound; it stops earlier once it has converged (measured on 2-8 types:
#: at most 0.03 s at 100 lots, 0.5 s at 500, 1.3 s at 1,000; docs/benchmarks.md).
LP_BOUND_SHARE = 0.3
#: The full CP-SAT model of ``best`` hands over to the neighbourhoods after this share of the
#: time limit without a better plan (CP-SAT on 100 lots can go 6 s between two plans).
FULL_MODEL_STALL_SHARE = 0.5


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


def _raise_to_lp_bound(ctx: Context, plan: list[list[int]], deadline: float) -> None:
    """Raise ``ctx.bound`` to the pattern LP bound (``lpbound``, seeded with ``plan``), given
    at most ``LP_BOUND_SHARE`` of the time limit and never past ``deadline``."""
    until = min(deadline, time.monotonic() + LP_BOUND_SHARE * ctx.time_limit_s)
    ctx.raise_bound(pattern_lp_bound(ctx.inst, until, plan, known=ctx.bound.ticks))


def milp_opt(ctx: Context) -> Outcome:
    """``milp-opt``: the whole CP-SAT assignment model from the best constructive plan (with
    the pattern LP bound, which raises ``ctx.bound``, as the objective's floor); optimal with
    proof, or the best plan found in the time limit with its status. (With releases or due
    dates ``planner`` runs ``timed_model`` instead, without the LP bound.)
    """
    inst = ctx.inst
    ctx.progress(0.02, "building a starting plan")
    incumbent = constructive(inst)
    sum_a = sum(inst.size(i) for i in range(inst.n))
    started = time.monotonic()
    if makespan(inst, incumbent) > ctx.bound.ticks:
        ctx.progress(0.03, "pattern LP bound")
        _raise_to_lp_bound(ctx, incumbent, started + ctx.time_limit_s * 0.95)
    ctx.progress(0.05, "solving the CP-SAT model")
    res = solve_subset(
        inst,
        list(range(inst.n)),
        _max_blocks(inst, incumbent),
        time_limit_s=max(0.1, ctx.time_limit_s * 0.95 - (time.monotonic() - started)),
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
    sizes: list[int], capacity: int, start: list[list[int]], deadline: float, *, models: bool = True
) -> list[list[int]]:
    """Fewest bins for one type: a short bin completion; the pattern model when bins must be
    almost exactly full (``patterns``); the arc-flow model on a grid for larger types
    (``arcflow``); then rounds of bin completion alternating with draining local search
    (strong with slack to spare) until the L2 bound or ``deadline``. ``models=False`` skips
    the two CP-SAT models: with several types they spread the slack over all bins, which
    leaves fewer light blocks to merge across types (measured: worse plans at 1,000 lots)."""
    target = bin_packing_l2(sizes, max_fill(sizes, capacity))
    best = [list(b) for b in start if b]
    if len(best) <= target:
        return best
    budget = target * capacity - sum(sizes)
    tight = models and budget * PATTERN_SLACK <= capacity  # bins (almost) exactly full: few patterns
    first = pack_into(
        sizes,
        capacity,
        target,
        deadline=time.monotonic() + min(0.2 if tight else 1.0, 0.4 * max(0.0, deadline - time.monotonic())),
        node_limit=20_000,
    )
    if first is not None:
        return first
    if tight:
        found, _ = pack_patterns(sizes, capacity, target, deadline_s=0.8 * max(0.0, deadline - time.monotonic()))
        if found is not None:
            return found
    if models and len(sizes) >= ARC_FLOW_LOTS:
        found = pack_arcflow(sizes, capacity, target, deadline_s=0.8 * max(0.0, deadline - time.monotonic()))
        if found is not None:
            return found
    seed = 1
    while len(best) > target and not stopping.expired(deadline):
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
    """Each lot type packed on its own as tightly as possible (bin completion, then
    draining) until ``deadline`` (``time.perf_counter`` seconds); blocks hold one type each.
    """
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
        packed = pack_one_type(
            sizes, inst.window + inst.same[t], start, time.monotonic() + share, models=len(ordered) == 1
        )
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
    """``best``: constructive plans, per-type packing and merging, the pattern LP bound, the
    full CP-SAT model (up to ``FULL_MODEL_LOTS``) and CP-SAT neighbourhoods, until the bound
    or the time limit (module docstring). Never worse than any constructive strategy.
    Raises ``ctx.bound`` when the LP bound is higher.
    """
    inst = ctx.inst
    started = time.monotonic()
    deadline = started + ctx.time_limit_s * 0.92
    sum_a = sum(inst.size(i) for i in range(inst.n))

    def report(phase: str, blocks: list[list[int]]) -> None:
        elapsed = time.monotonic() - started
        ctx.progress(min(elapsed / max(ctx.time_limit_s, 1e-6), 0.99), ctx.plan_text(phase, makespan(inst, blocks)))

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
            share = PER_TYPE_SHARE if inst.n <= FULL_MODEL_LOTS else 0.45
        per_type = greedy.merge_blocks(inst, per_type_packing(inst, started + ctx.time_limit_s * share))
        if makespan(inst, per_type) < makespan(inst, incumbent):
            incumbent = per_type
        report("per-type packing", incumbent)
        if makespan(inst, incumbent) <= ctx.bound.ticks:
            return Outcome(incumbent, "meets lower bound", proven=True)

    report("computing the pattern LP bound", incumbent)
    _raise_to_lp_bound(ctx, incumbent, deadline)
    report("pattern LP bound", incumbent)
    if makespan(inst, incumbent) <= ctx.bound.ticks:
        return Outcome(incumbent, "meets lower bound (pattern LP)", proven=True)
    target = ctx.bound.ticks - sum_a  # objective value that meets the lower bound
    search = _Improvement(inst, incumbent, target, deadline, FULL_MODEL_STALL_SHARE * ctx.time_limit_s, report)
    if inst.n <= FULL_MODEL_LOTS and search.full_model(seed=0):
        return Outcome(search.blocks, "OPTIMAL (CP-SAT)", proven=True)
    search.neighbourhoods()
    if search.at_bound():
        return Outcome(search.blocks, "meets lower bound", proven=True)
    return Outcome(search.blocks, "search ended: time limit")


class _Improvement:
    """The improving phase of ``best``: CP-SAT on the whole input and on neighbourhoods
    (groups of blocks), keeping the best plan found. It ends at the lower bound or at the
    deadline; the full model hands over to the neighbourhoods after ``stall_s`` seconds
    without progress."""

    def __init__(self, inst: Instance, blocks, target: int, deadline: float, stall_s: float, report):
        self.inst = inst
        self.blocks = [list(b) for b in blocks if b]
        self.target = target
        self.deadline = deadline
        self.stall_s = stall_s
        self.report = report
        self.rng = random.Random(7)

    def at_bound(self) -> bool:
        return self.inst.exact and objective(self.inst, self.blocks) <= self.target

    def done(self) -> bool:
        return self.at_bound() or stopping.expired(self.deadline - 0.05)

    def _offer(self, blocks: list[list[int]], phase: str) -> None:
        if makespan(self.inst, blocks) < makespan(self.inst, self.blocks):
            self.blocks = [list(b) for b in blocks if b]
            self.report(phase, self.blocks)

    def full_model(self, seed: int) -> bool:
        """CP-SAT on the whole input until it proves, stalls (no better solution or bound for
        ``stall_s``) or the deadline; True if it proved the plan optimal."""
        inst = self.inst
        res = solve_subset(
            inst,
            list(range(inst.n)),
            _max_blocks(inst, self.blocks),
            time_limit_s=max(0.1, self.deadline - time.monotonic()),
            hint=self.blocks,
            objective_lb=self.target if inst.exact else None,
            stall_s=self.stall_s,
            seed=seed,
        )
        if res.blocks is None:
            return False
        self._offer(res.blocks, "CP-SAT")
        return res.proven and inst.exact and objective(inst, res.blocks) <= objective(inst, self.blocks)

    def neighbourhoods(self) -> None:
        """CP-SAT on groups of blocks until done: in turn the blocks holding a pair of types
        (mixed pairs first; where a type can leave a block) and a few light blocks with
        others (where tails of different types merge)."""
        pairs: list[tuple[int, int]] = []
        rounds = 0
        while not self.done():
            rounds += 1
            if rounds % 2 and len(self.inst.types) > 1:
                if not pairs:
                    pairs = _type_pairs(self.inst, self.blocks)
                group = _pair_neighbourhood(self.inst, self.blocks, pairs.pop(0), self.rng)
                self._solve_group(group, time_limit_s=1.0, workers=2)
            else:
                self._solve_group(_light_neighbourhood(self.inst, self.blocks, self.rng), 0.5, 1)

    def _solve_group(self, group: list[int], time_limit_s: float, workers: int) -> None:
        items = [i for j in group for i in self.blocks[j]]
        current = [self.blocks[j] for j in group]
        cur_obj = objective(self.inst, current)
        res = solve_subset(
            self.inst,
            items,
            len(group),
            time_limit_s=min(time_limit_s, self.deadline - time.monotonic()),
            hint=current,
            objective_ub=cur_obj,
            workers=workers,
            stall_s=time_limit_s / 2,
            seed=self.rng.randint(0, 10**6),
        )
        if res.blocks is None or objective(self.inst, res.blocks) > cur_obj:
            return
        chosen = set(group)
        keep = [b for j, b in enumerate(self.blocks) if j not in chosen]
        merged = keep + [b for b in res.blocks if b]
        if objective(self.inst, res.blocks) < cur_obj:
            self._offer(merged, "neighbourhood search")
        else:  # an equal plan: take it, to move on
            self.blocks = merged


#: Most blocks in one neighbourhood of ``best``.
NEIGHBOURHOOD_BLOCKS = 14


def _type_pairs(inst: Instance, blocks: list[list[int]]) -> list[tuple[int, int]]:
    """Every pair of types, those sharing a block first."""
    mixed = {
        (a, b)
        for blk in blocks
        for a in {inst.type_of[i] for i in blk}
        for b in {inst.type_of[i] for i in blk}
        if a < b
    }
    every = [(a, b) for a in range(len(inst.types)) for b in range(a + 1, len(inst.types))]
    return sorted(every, key=lambda ab: ab not in mixed)


def _pair_neighbourhood(
    inst: Instance, blocks: list[list[int]], pair: tuple[int, int], rng: random.Random
) -> list[int]:
    """The blocks holding either type of ``pair`` (blocks holding both first), at most
    ``NEIGHBOURHOOD_BLOCKS`` of them."""
    wanted = set(pair)
    types = [{inst.type_of[i] for i in b} for b in blocks]
    both = [j for j, ts in enumerate(types) if wanted <= ts]
    either = [j for j, ts in enumerate(types) if ts & wanted and not wanted <= ts]
    rng.shuffle(both)
    rng.shuffle(either)
    return (both + either)[:NEIGHBOURHOOD_BLOCKS]


def _light_neighbourhood(inst: Instance, blocks: list[list[int]], rng: random.Random) -> list[int]:
    """The lightest blocks, or the lightest with random others."""
    loads = [inst.grouped_load(b) for b in blocks]
    by_load = sorted(range(len(blocks)), key=loads.__getitem__)
    if rng.random() < 0.5:
        return by_load[: min(len(blocks), rng.randint(3, 8))]
    k = min(len(blocks), rng.randint(3, 6))
    return [by_load[0], *rng.sample(by_load[1:], k - 1)] if k > 1 else by_load[:1]
