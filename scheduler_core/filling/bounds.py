"""Lower bounds on the makespan (DESIGN.md §1, "Structure worth knowing").

With the grouped cost formula of ``rules`` (exact case) the makespan of a packing with ``B``
blocks, where type ``t`` appears in ``D_t`` blocks, is

    sum_i a_i + (clean - c) * B + sum_t (c - s_t) * D_t,     a_i = f_i + s_t(i)

so bin-packing bounds apply to ``B`` (all lots, capacity ``window + max s_t``) and to every
``D_t`` (lots of type ``t``, capacity ``window + s_t``), tied together by the capacity of
``B`` blocks. Two refinements make the bound meet the optimum more often:

* a bin can never hold more than the largest subset sum of its item sizes that fits its
  capacity (``max_fill``), so L2 is taken with that load instead of the nominal capacity;
* the bound is the cheapest pair (B, D = sum_t D_t) that passes two necessary conditions
  (``_first_possible``): the blocks can hold all lots plus the waste single-type blocks
  must leave, and, with fewer blocks than type groups, the blocks that must mix types can
  take the groups the types leave over (``_mixing_impossible``).

Without that structure (a general changeover matrix) the bound falls back to "every
changeover costs at least the cheapest one". These bounds take milliseconds and every run
gets them; the stronger LP bound of the pattern model (``lpbound``, up to seconds) is left to
the optimising strategies.
"""

from __future__ import annotations

import bisect
import math
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from scheduler_core.filling.binpack import packing_exists
from scheduler_core.filling.model import FillingConfig, Lot
from scheduler_core.filling.rules import Instance


@dataclass(frozen=True)
class LowerBound:
    """A lower bound on the makespan of any valid schedule: ``ticks`` (exact), ``hours``,
    and ``blocks``, a lower bound on the number of blocks (cleans).
    """
    ticks: int
    blocks: int  # a lower bound on the number of blocks of any schedule
    hours: float


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def bin_packing_l2(sizes: list[int], capacity: int) -> int:
    """Martello–Toth L2 lower bound on the number of bins (items must each fit a bin)."""
    if not sizes:
        return 0
    w = sorted(sizes)
    n = len(w)
    prefix = [0, *accumulate(w)]
    half = capacity / 2

    def count_in(lo_excl: float, hi_incl: float) -> tuple[int, int]:
        """Count and sum of items with lo_excl < w <= hi_incl."""
        a = bisect.bisect_right(w, lo_excl)
        b = bisect.bisect_right(w, hi_incl)
        return b - a, prefix[b] - prefix[a]

    best = _ceil_div(prefix[n], capacity)  # L1
    candidates = {0} | {x for x in w if x <= half}
    for k in candidates:
        # J1: w > C - k ; J2: C/2 < w <= C - k ; J3: k <= w <= C/2
        n1, _ = count_in(capacity - k, float("inf"))
        n2, s2 = count_in(half, capacity - k)
        lo = bisect.bisect_left(w, k)
        hi = bisect.bisect_right(w, half)
        s3 = prefix[hi] - prefix[lo]
        spare = n2 * capacity - s2
        value = n1 + n2 + max(0, _ceil_div(s3 - spare, capacity))
        best = max(best, value)
    return best


#: Subset-sum tables longer than this many bits are not built (the capacity is used instead).
SUBSET_SUM_BITS = 1 << 26


def _pieces(counts: Counter[int]) -> Iterator[int]:
    """Binary splitting of repeated sizes: the subset sums of the pieces are exactly those of
    the original multiset."""
    for size, count in counts.items():
        take = 1
        while count > 0:
            part = min(take, count)
            yield size * part
            count -= part
            take *= 2


def max_fill(sizes: list[int], capacity: int) -> int:
    """Largest total of a subset of ``sizes`` that is ``<= capacity`` (bitset subset sum)."""
    total = sum(sizes)
    if total <= capacity:
        return total
    unit = math.gcd(*sizes)
    cap = capacity // unit
    if cap > SUBSET_SUM_BITS:
        return capacity
    reachable = 1  # bit k set: a subset sums to k units
    for piece in _pieces(Counter(s // unit for s in sizes)):
        if piece <= cap:
            reachable |= (reachable & ((1 << (cap - piece + 1)) - 1)) << piece
            if reachable >> cap:
                break
    return (reachable.bit_length() - 1) * unit


#: Types of at most this many lots get the exact one-type check of ``type_groups``.
PROOF_LOTS = 60
#: Node limit and time (s) of one such check (a search that does not end proves nothing).
PROOF_NODES, PROOF_S = 4000, 0.05


def type_groups(sizes: list[int], capacity: int, fit: int | None = None) -> int:
    """A lower bound on the groups (blocks) one type's lots need: Martello–Toth L2 with the
    ``max_fill`` load, raised while a complete bin-completion search (``binpack``; types
    of at most ``PROOF_LOTS`` lots, ``PROOF_NODES`` nodes each) proves that count
    impossible. On random 2-8-type inputs of 100 lots L2 is often one group short, which
    made the bound 0.3 % too weak (docs/benchmarks.md)."""
    count = bin_packing_l2(sizes, fit if fit is not None else max_fill(sizes, capacity))
    if len(sizes) > PROOF_LOTS:
        return count
    deadline = time.monotonic() + PROOF_S
    while packing_exists(sizes, capacity, count, deadline=deadline, node_limit=PROOF_NODES) is False:
        count += 1
    return count


def lower_bound(lots: list[Lot], config: FillingConfig | None = None) -> LowerBound:
    """Lower bound on the makespan of any valid schedule of ``lots``."""
    return instance_lower_bound(Instance.build(lots, config or FillingConfig()))


def instance_lower_bound(inst: Instance) -> LowerBound:
    """The lower bound of an instance as a packing (releases aside): the
    bin-packing-with-setups bound when the grouped formula is exact (``inst.exact``), else
    the weaker generic bound; 0 without lots. See :func:`with_releases`.
    """
    if inst.n == 0:
        return LowerBound(0, 0, 0.0)
    ticks, blocks = _exact_bound(inst) if inst.exact else _generic_bound(inst)
    return LowerBound(ticks, blocks, inst.scale.to_hours(ticks))


def with_releases(inst: Instance, bound: LowerBound) -> LowerBound:
    """``bound`` (a packing bound, what the searches use) raised to :func:`release_bound`:
    the bound a plan with release times is reported against."""
    ticks = max(bound.ticks, release_bound(inst))
    return LowerBound(ticks, bound.blocks, inst.scale.to_hours(ticks))


def release_bound(inst: Instance) -> int:
    """A makespan bound from release times (ticks from the plan's start; 0 without
    releases): no fill starts before its release nor before the first clean has ended, so
    for every release ``r`` the lots released at ``r`` or later end no earlier than
    ``max(r, clean) + their fills``."""
    if not any(inst.release):
        return 0
    best, tail = 0, 0
    for i in sorted(range(inst.n), key=lambda i: -inst.release[i]):
        tail += inst.fill[i]
        best = max(best, max(inst.release[i], inst.clean) + tail)
    return best


def _exact_bound(inst: Instance) -> tuple[int, int]:
    c = inst.cross
    sizes = [inst.size(i) for i in range(inst.n)]
    by_type: dict[int, list[int]] = {}
    for i, t in enumerate(inst.type_of):
        by_type.setdefault(t, []).append(sizes[i])
    fits = {t: max_fill(items, inst.window + inst.same[t]) for t, items in by_type.items()}
    d_lb = {t: type_groups(items, inst.window + inst.same[t], fits[t]) for t, items in by_type.items()}
    extra = {t: inst.type_extra(t) for t in by_type}
    b_all = bin_packing_l2(sizes, max_fill(sizes, inst.window + max(inst.same[t] for t in by_type)))
    type_cost = sum(extra[t] * d_lb[t] for t in by_type)
    b_star = max(b_all, _ceil_div(sum(sizes) + type_cost, inst.capacity))
    d_sum = sum(d_lb.values())
    cheapest_extra = min(extra.values())

    def g(b: int) -> int:
        return (inst.clean - c) * b + type_cost + cheapest_extra * max(0, b - d_sum)

    if inst.clean - c > 0 and cheapest_extra > 0:
        loads = {t: (sum(by_type[t]), fits[t], d_lb[t], extra[t]) for t in by_type}
        waste = min(inst.window + inst.same[t] - fits[t] for t in by_type)
        return sum(sizes) + _first_possible(inst, loads, b_star, waste), b_star
    if inst.clean - c >= 0:
        best_b = b_star
    else:  # more blocks are cheaper per block; the bound is the min over the feasible range
        candidates = {b_star, inst.n, min(max(d_sum, b_star), inst.n)}
        best_b = min(candidates, key=g)
    return sum(sizes) + g(best_b), b_star


#: How far past the smallest block count ``_first_possible`` looks.
_SEARCH_STEPS = 8


def _first_possible(
    inst: Instance, loads: dict[int, tuple[int, int, int, int]], b_min: int, waste: int
) -> int:
    """Smallest objective ``(clean - c) * B + sum_t extra_t * D_t`` over the block counts
    ``B >= b_min`` and group totals ``D = sum_t D_t >= max(sum_t d_t, B)`` that pass two
    necessary conditions:

    * capacity: ``B`` blocks hold every lot, every type extra, and the waste that each
      single-type block leaves at least (a block of type ``t`` holds at most ``max_fill``;
      there are at least ``2B - D`` such blocks);
    * with ``D = sum_t d_t`` and ``B < D``, some choice of mixed blocks can take the groups
      the types leave over (``_mixing_impossible``).

    Every schedule passes both, so the smallest passing objective is a lower bound. Block
    counts are tried up to ``_SEARCH_STEPS`` past the minimum (group totals up to the number
    of lots); more blocks cost at least ``cost(b_min + _SEARCH_STEPS + 1, ...)``, which caps
    the bound.
    """
    per_block = inst.clean - inst.cross
    total = sum(size for size, _, _, _ in loads.values())
    d_sum = sum(d for _, _, d, _ in loads.values())
    type_cost = sum(d * e for _, _, d, e in loads.values())
    cheapest = min(e for _, _, _, e in loads.values())

    def cost(b: int, d: int) -> int:
        return per_block * b + type_cost + cheapest * (d - d_sum)

    def fits(b: int, d: int) -> bool:
        demand = total + type_cost + cheapest * (d - d_sum) + max(0, 2 * b - d) * waste
        return demand <= b * inst.capacity

    bound = cost(b_min + _SEARCH_STEPS + 1, max(d_sum, b_min + _SEARCH_STEPS + 1))
    for b in range(b_min, b_min + _SEARCH_STEPS + 1):
        for d in range(max(d_sum, b), max(d_sum, b, inst.n) + 1):  # cost grows with d
            if not fits(b, d):
                if cheapest >= waste:  # the demand grows with d too: no larger d fits
                    break
                continue
            if d == d_sum and b < d and _mixing_impossible(loads, b, inst.capacity):
                continue
            bound = min(bound, cost(b, d))
            break
    return bound


def _mixing_impossible(loads: dict[int, tuple[int, int, int, int]], blocks: int, capacity: int) -> bool:
    """True if no packing has exactly ``blocks`` blocks and exactly ``d_t`` groups of each
    type ``t`` (``loads[t] = (total size, max_fill, d_t, extra_t)``).

    Such a packing has ``M = sum d_t - blocks`` surplus groups, held by ``k`` (1..M) mixed
    blocks with ``M + k`` groups in them. If type ``t`` puts ``j`` groups into mixed blocks,
    its other ``d_t - j`` groups hold at most ``max_fill`` each, so the mixed ones hold at
    least ``total - (d_t - j) * max_fill``, and each costs ``extra_t`` of block capacity.
    The mixed blocks can hold ``k * capacity``; the smallest demand over all ``j`` (a
    knapsack over types) must fit for some ``k``.
    """
    surplus = sum(d for _, _, d, _ in loads.values()) - blocks
    for k in range(1, surplus + 1):
        groups = surplus + k
        # least[g] = smallest demand of mixed groups when g groups are mixed so far
        least = [0] + [math.inf] * groups
        for total, fit, d, extra in loads.values():
            step = [math.inf] * (groups + 1)
            for have, value in enumerate(least):
                if value == math.inf:
                    continue
                for j in range(min(k, d, groups - have) + 1):
                    need = value + max(0, total - (d - j) * fit) + extra * j
                    if need < step[have + j]:
                        step[have + j] = need
            least = step
        if least[groups] <= k * capacity:
            return False
    return True


def _generic_bound(inst: Instance) -> tuple[int, int]:
    present = range(len(inst.types))
    c_min = min(inst.matrix[a][b] for a in present for b in present)
    fill_total = sum(inst.fill)
    blocks = bin_packing_l2([f + c_min for f in inst.fill], inst.window + c_min)
    b = blocks if inst.clean >= c_min else inst.n
    return fill_total + c_min * inst.n + (inst.clean - c_min) * b, blocks
