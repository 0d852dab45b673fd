"""Arc-flow model of one-type bin packing on a coarse grid, solved by CP-SAT.

Sizes ``s_i`` and the capacity ``C`` are put on a grid of ``K`` units per bin: item ``i``
takes ``ceil(s_i * K / C)`` units, a bin ``K``. Rounding up is safe: a packing of the grid
sizes is a packing of the real ones. The grid is the smallest ``K`` (``MIN_UNITS`` ..
``MAX_UNITS``) whose rounding loss eats at most ``LOSS_SHARE`` of the slack the bins may
leave; on inputs made of integer weights (the Falkenauer conversions) that is the original
capacity, where the rounding loses nothing. The model is Valério de Carvalho's arc flow: a
bin is a path from load 0 to load ``K`` whose arcs add one item (items in non-increasing
order, so only loads reachable that way are nodes) or waste the rest; ``m`` paths must use
every grid size exactly as often as it occurs. It finds packings of the uniform class that
bin completion and local search miss for many seconds.
"""

from __future__ import annotations

import time
from collections import Counter

from ortools.sat.python import cp_model

from scheduler_core import stopping
from scheduler_core.filling.patterns import solve_watched

#: Grid sizes tried (units per bin).
MIN_UNITS, MAX_UNITS = 20, 1200
#: Share of the slack budget the rounding may use.
LOSS_SHARE = 0.25
#: Most arcs in a model; with more it is not built.
MAX_ARCS = 40_000


def grid(sizes: list[int], capacity: int, bins: int) -> int | None:
    """The smallest number of units per bin whose rounded-up sizes lose at most
    ``LOSS_SHARE`` of the slack ``bins * capacity - sum(sizes)`` (``None``: no such grid)."""
    budget = bins * capacity - sum(sizes)
    if budget < 0:
        return None
    counts = Counter(sizes)
    for units in range(MIN_UNITS, MAX_UNITS + 1):
        grid_total = sum(-(-s * units // capacity) * c for s, c in counts.items())
        # loss in size units: grid_total * capacity / units - sum(sizes)
        if (grid_total * capacity - units * sum(sizes)) <= LOSS_SHARE * budget * units:
            return units
    return None


def pack_arcflow(
    sizes: list[int], capacity: int, bins: int, *, deadline_s: float, seed: int = 0, workers: int = 2
) -> list[list[int]] | None:
    """Indices of ``sizes`` in at most ``bins`` bins found with the arc-flow model on the grid,
    or ``None`` (no grid, too many arcs, rounded sizes that cannot fit, or no packing within
    ``deadline_s`` seconds or before the run was stopped). Not a proof when ``None``."""
    deadline = time.monotonic() + deadline_s
    units = grid(sizes, capacity, bins)
    if units is None:
        return None
    rounded = [-(-s * units // capacity) for s in sizes]
    counts = Counter(rounded)
    widths = sorted(counts, reverse=True)
    # loads reachable by adding items in non-increasing width order, with the width of the
    # smallest item so far: arcs from a node only use widths <= that one
    arcs: list[tuple[int, int, int]] = []  # (tail load, head load, width); width 0 = waste
    reach: dict[int, int] = {0: widths[0]}  # load -> largest width allowed next
    for w in widths:
        for load in sorted(reach):
            if reach[load] < w:
                continue
            k, head = 0, load
            while k < counts[w] and head + w <= units:
                arcs.append((head, head + w, w))
                head += w
                k += 1
                reach[head] = max(reach.get(head, 0), w)
            if len(arcs) > MAX_ARCS or stopping.expired(deadline):
                return None
    arcs = list(dict.fromkeys(arcs))
    arcs += [(load, units, 0) for load in reach if 0 < load < units]
    m = cp_model.CpModel()
    flow = [m.new_int_var(0, bins if w == 0 else counts[w], "") for _, _, w in arcs]
    into: dict[int, list] = {}
    out: dict[int, list] = {}
    by_width: dict[int, list] = {}
    for (a, b, w), f in zip(arcs, flow, strict=True):
        out.setdefault(a, []).append(f)
        into.setdefault(b, []).append(f)
        if w:
            by_width.setdefault(w, []).append(f)
    for node in set(into) | set(out):
        if node == 0:
            m.add(sum(out[0]) <= bins)
        elif node != units:
            m.add(sum(into.get(node, [])) == sum(out.get(node, [])))
    for w, fs in by_width.items():
        m.add(sum(fs) == counts[w])
    solver, status = solve_watched(m, deadline, seed=seed, workers=workers)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    left = {(a, b, w): solver.value(f) for (a, b, w), f in zip(arcs, flow, strict=True)}
    return _paths(left, rounded, units)


def _paths(left: dict[tuple[int, int, int], int], rounded: list[int], units: int) -> list[list[int]]:
    """Decompose the flow into bins (paths from load 0), then give each bin real items."""
    leaving: dict[int, list[tuple[int, int, int]]] = {}
    for arc, f in left.items():
        if f:
            leaving.setdefault(arc[0], []).append(arc)
    pool: dict[int, list[int]] = {}
    for i, r in enumerate(rounded):
        pool.setdefault(r, []).append(i)
    packing = []
    while leaving.get(0):
        node, items = 0, []
        while node != units and leaving.get(node):
            arc = leaving[node][-1]
            left[arc] -= 1
            if not left[arc]:
                leaving[node].pop()
            if arc[2]:
                items.append(pool[arc[2]].pop())
            node = arc[1]
        packing.append(items)
    return packing
