"""Bin completion: a depth-first search for a packing into a given number of bins.

Bins are filled one at a time. Each bin takes the largest remaining item plus a
*completion* (a subset of the remaining items) whose left-over room does not exceed the
slack budget ``bins * capacity - sum(sizes)`` still unspent. Completions are tried
tightest first, equal sizes are treated as one item with a multiplicity (no symmetric
duplicates), and the search stops at a node or time limit. A packing with ``bins`` equal to a
lower bound is optimal, which is how ``best`` reaches proven optima on bin-packing-like
inputs (one lot type, default changeovers).
"""

from __future__ import annotations

import random
import time
from collections import Counter

from scheduler_core import stopping


class _Timeout(Exception):
    pass


def _slack(sizes: list[int], capacity: int, bins: int) -> int | None:
    """Room the bins leave in all, or ``None`` when an item or the total cannot fit."""
    budget = bins * capacity - sum(sizes)
    if budget < 0 or any(s > capacity for s in sizes):
        return None
    return budget


def pack_into(
    sizes: list[int],
    capacity: int,
    bins: int,
    *,
    deadline: float,
    max_completions: int = 400,
    node_limit: int = 2000,
    seed: int = 0,
) -> list[list[int]] | None:
    """Indices of ``sizes`` grouped into at most ``bins`` bins, or ``None`` if not found (no
    such packing, or the deadline passed)."""
    budget = _slack(sizes, capacity, bins)
    if budget is None:
        return None
    counts = Counter(sizes)
    distinct = sorted(counts, reverse=True)
    rng = random.Random(seed)
    chosen = None
    attempt = 0
    # Restarts: a complete search first with a node limit, then randomised dives with
    # growing limits, so early bad decisions get revisited (chronological backtracking
    # alone stays stuck at the bottom of the tree).
    while chosen is None and not stopping.expired(deadline):
        limit = node_limit * (2 ** min(attempt // 4, 6))
        randomised = attempt > 0 or seed != 0  # seed 0 starts with the plain complete search
        state = {"nodes": 0, "limit": limit, "rng": rng if randomised else None, "budget": budget}
        try:
            chosen = _search(distinct, counts, capacity, bins, budget, deadline, max_completions, state)
        except _Timeout:
            counts = Counter(sizes)
            attempt += 1
            continue
        if chosen is None and not randomised and state["nodes"] < limit:
            return None  # the first search is complete and found nothing: no such packing
        attempt += 1
    if chosen is None:
        return None
    pool: dict[int, list[int]] = {}
    for i in range(len(sizes)):
        pool.setdefault(sizes[i], []).append(i)
    return [[pool[s].pop() for s in bin_sizes] for bin_sizes in chosen]


def packing_exists(
    sizes: list[int], capacity: int, bins: int, *, deadline: float, node_limit: int = 5000
) -> bool | None:
    """Whether ``sizes`` fit ``bins`` bins: ``True`` (a packing was found), ``False`` (the
    bin-completion search ended without one and never had to leave completions out: a
    proof) or ``None`` (undecided within ``node_limit`` nodes, 400 completions a bin, or
    before ``deadline``)."""
    budget = _slack(sizes, capacity, bins)
    if budget is None:
        return False
    counts = Counter(sizes)
    state = {"nodes": 0, "limit": node_limit, "rng": None, "budget": budget, "truncated": False}
    try:
        found = _search(sorted(counts, reverse=True), counts, capacity, bins, budget, deadline, 400, state)
    except _Timeout:
        return None
    if found is not None:
        return True
    return None if state["truncated"] else False


def _search(distinct, counts, capacity, bins_left, budget, deadline, max_completions, state):
    remaining = [s for s in distinct if counts[s] > 0]
    if not remaining:
        return []
    if bins_left <= 0:
        return None
    state["nodes"] += 1
    if state["nodes"] > state["limit"] or (state["nodes"] % 64 == 0 and stopping.expired(deadline)):
        raise _Timeout
    largest = remaining[0]
    counts[largest] -= 1
    try:
        room = capacity - largest
        total_left = sum(s * counts[s] for s in remaining)
        # the other bins can absorb at most (bins_left - 1) * capacity
        need = total_left - (bins_left - 1) * capacity
        lo = max(room - budget, need, 0)
        options, truncated = _completions(remaining, counts, lo, room, max_completions)
        if truncated:
            state["truncated"] = True
        rng = state["rng"]
        if rng is not None and len(options) > 1:
            spread = max(1, state["budget"]) * 0.5
            options.sort(key=lambda c: room - sum(c) + rng.random() * spread)
        for completion in options:
            used = sum(completion)
            slack = room - used
            for s in completion:
                counts[s] -= 1
            rest = _search(
                distinct,
                counts,
                capacity,
                bins_left - 1,
                budget - slack,
                deadline,
                max_completions,
                state,
            )
            for s in completion:
                counts[s] += 1
            if rest is not None:
                return [[largest, *completion], *rest]
        return None
    finally:
        counts[largest] += 1


def _completions(remaining, counts, lo, hi, limit):
    """Multisets of remaining sizes with lo <= sum <= hi, fullest first (at most ``limit``),
    and whether some were left out (the list is then not complete)."""
    items = [s for s in remaining if counts[s] > 0 and s <= hi]
    suffix = [0] * (len(items) + 1)
    for k in range(len(items) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + items[k] * counts[items[k]]
    found: list[tuple[int, list[int]]] = []
    cap = limit * 8

    def rec(k: int, total: int, picked: list[int]) -> None:
        if len(found) >= cap:
            return
        if total >= lo:
            found.append((total, list(picked)))
        if k >= len(items) or total + suffix[k] < lo:
            return
        for j in range(k, len(items)):
            s = items[j]
            if total + s > hi:
                continue
            if total + suffix[j] < lo:
                break
            available = counts[s]
            taken = 0
            while taken < available and total + s * (taken + 1) <= hi:
                taken += 1
                picked.extend([s])
                rec(j + 1, total + s * taken, picked)
            del picked[len(picked) - taken :]

    rec(0, 0, [])
    # Dominance: a completion that leaves room for another remaining item is never needed
    # (adding that item cannot hurt), so keep only maximal ones.
    maximal = []
    for total, picked in found:
        left = Counter(picked)
        smallest = next((s for s in reversed(items) if counts[s] - left.get(s, 0) > 0), None)
        if smallest is None or smallest > hi - total:
            maximal.append((total, picked))
    maximal.sort(key=lambda item: -item[0])
    return [picked for _, picked in maximal[:limit]], len(found) >= cap or len(maximal) > limit


def drain(
    sizes: list[int],
    capacity: int,
    bins: list[list[int]],
    *,
    target: int,
    deadline: float,
    seed: int = 0,
) -> list[list[int]]:
    """Local search that empties bins: the lightest bin repeatedly swaps items with another
    bin so that the other one is filled as much as possible (the lightest one gets lighter);
    random re-splits of two other bins diversify when that stalls. Returns a packing with
    ``target`` bins as soon as it has one, else the best it reached."""
    rng = random.Random(seed)
    bins = [list(b) for b in bins if b]
    loads = [sum(sizes[i] for i in b) for b in bins]
    while len(bins) > target and not stopping.expired(deadline):
        e = min(range(len(bins)), key=loads.__getitem__)
        if not bins[e]:
            bins.pop(e)
            loads.pop(e)
            continue
        others = [j for j in range(len(bins)) if j != e]
        if len(others) >= 3 and rng.random() < 0.2:
            # exact move: can the lightest bin's items and k others' fit in k bins?
            group = _exact_group(others, loads, rng)
            items = bins[e] + [i for j in group for i in bins[j]]
            if sum(sizes[i] for i in items) <= len(group) * capacity:
                packed = pack_into(
                    [sizes[i] for i in items],
                    capacity,
                    len(group),
                    deadline=min(deadline, time.monotonic() + 0.05),
                    node_limit=500,
                )
                if packed is not None:
                    for j, sub in zip(group, packed + [[]] * (len(group) - len(packed)), strict=True):
                        bins[j] = [items[k] for k in sub]
                        loads[j] = sum(sizes[i] for i in bins[j])
                    bins[e], loads[e] = [], 0
                    continue
        # fill one or two other bins as much as possible from their items plus the
        # lightest bin's; what is left goes back to the lightest bin. Sideways moves
        # (same load) are accepted: they are the random walk on the plateau.
        chosen = rng.sample(others, 2 if len(others) >= 2 and rng.random() < 0.5 else 1)
        pool = bins[e] + [i for j in chosen for i in bins[j]]
        new_bins = []
        for _ in chosen:
            subset = _fullest_subset(pool, sizes, capacity, rng)
            taken = set(subset)
            pool = [i for i in pool if i not in taken]
            new_bins.append(subset)
        rest_load = sum(sizes[i] for i in pool)
        if rest_load <= loads[e]:
            for j, subset in zip(chosen, new_bins, strict=True):
                bins[j] = subset
                loads[j] = sum(sizes[i] for i in subset)
            bins[e] = pool
            loads[e] = rest_load
    return [b for b in bins if b]


def _exact_group(others: list[int], loads: list[int], rng: random.Random) -> list[int]:
    """3-5 bins for the exact move: random ones, or (half the time) the roomiest ones, which
    can take what the lightest bin gives up, with random ones to trade items with."""
    size = min(len(others), rng.randint(3, 5))
    if rng.random() < 0.5:
        return rng.sample(others, size)
    roomy = sorted(others, key=loads.__getitem__)[: rng.randint(1, size - 1)]
    chosen = set(roomy)
    return roomy + rng.sample([j for j in others if j not in chosen], size - len(roomy))


def _fullest_subset(pool: list[int], sizes: list[int], capacity: int, rng: random.Random) -> list[int]:
    """Subset of ``pool`` with the largest total size <= capacity (random among equals)."""
    items = sorted(pool, key=lambda i: -sizes[i])
    best: list[list[int]] = [[]]
    best_total = [0]
    suffix = [0] * (len(items) + 1)
    for k in range(len(items) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + sizes[items[k]]
    picked: list[int] = []

    def rec(k: int, total: int) -> None:
        if total > best_total[0] or (total == best_total[0] and rng.random() < 0.5):
            best_total[0] = total
            best[0] = list(picked)
        if k == len(items) or total + suffix[k] < best_total[0]:
            return
        s = sizes[items[k]]
        if total + s <= capacity:
            picked.append(items[k])
            rec(k + 1, total + s)
            picked.pop()
        rec(k + 1, total)

    rec(0, 0)
    return best[0]
