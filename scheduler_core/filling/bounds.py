"""Lower bounds on the makespan (DESIGN.md §1, "Structure worth knowing").

With the grouped cost formula of ``rules`` (exact case) the makespan of a packing with ``B``
blocks, where type ``t`` appears in ``D_t`` blocks, is

    sum_i a_i + (clean - c) * B + sum_t (c - s_t) * D_t,     a_i = f_i + s_t(i)

so bin-packing bounds apply to ``B`` (all lots, capacity ``window + max s_t``) and to every
``D_t`` (lots of type ``t``, capacity ``window + s_t``), tied together by the capacity of
``B`` blocks. Without that structure (a general changeover matrix) the bound falls back to
"every changeover costs at least the cheapest one".
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from itertools import accumulate

from scheduler_core.filling.model import FillingConfig, Lot
from scheduler_core.filling.rules import Instance


@dataclass(frozen=True)
class LowerBound:
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


def lower_bound(lots: list[Lot], config: FillingConfig | None = None) -> LowerBound:
    """Lower bound on the makespan of any valid schedule of ``lots``."""
    return instance_lower_bound(Instance.build(lots, config or FillingConfig()))


def instance_lower_bound(inst: Instance) -> LowerBound:
    if inst.n == 0:
        return LowerBound(0, 0, 0.0)
    ticks, blocks = _exact_bound(inst) if inst.exact else _generic_bound(inst)
    return LowerBound(ticks, blocks, inst.scale.to_hours(ticks))


def _exact_bound(inst: Instance) -> tuple[int, int]:
    c = inst.cross
    sizes = [inst.size(i) for i in range(inst.n)]
    by_type: dict[int, list[int]] = {}
    for i, t in enumerate(inst.type_of):
        by_type.setdefault(t, []).append(sizes[i])
    d_lb = {t: bin_packing_l2(items, inst.window + inst.same[t]) for t, items in by_type.items()}
    extra = {t: inst.type_extra(t) for t in by_type}
    b_all = bin_packing_l2(sizes, inst.window + max(inst.same[t] for t in by_type))
    type_cost = sum(extra[t] * d_lb[t] for t in by_type)
    b_star = max(b_all, _ceil_div(sum(sizes) + type_cost, inst.capacity))
    d_sum = sum(d_lb.values())
    cheapest_extra = min(extra.values())

    def g(b: int) -> int:
        return (inst.clean - c) * b + type_cost + cheapest_extra * max(0, b - d_sum)

    if inst.clean - c >= 0:
        best_b = b_star
    else:  # more blocks are cheaper per block; the bound is the min over the feasible range
        candidates = {b_star, inst.n, min(max(d_sum, b_star), inst.n)}
        best_b = min(candidates, key=g)
    return sum(sizes) + g(best_b), b_star


def _generic_bound(inst: Instance) -> tuple[int, int]:
    present = range(len(inst.types))
    c_min = min(inst.matrix[a][b] for a in present for b in present)
    fill_total = sum(inst.fill)
    blocks = bin_packing_l2([f + c_min for f in inst.fill], inst.window + c_min)
    b = blocks if inst.clean >= c_min else inst.n
    return fill_total + c_min * inst.n + (inst.clean - c_min) * b, blocks
