"""The LP bound of the block-pattern model, by column generation (issue 17, item 3).

A *pattern* is the content of one block: lots of one or more types whose sizes plus the
extra of every type present fit the capacity (``Instance.capacity``); it costs
``clean - c + sum of those extras`` (``exact.block_cost``). Every schedule picks patterns
that cover each lot once, so the linear relaxation of "cover every lot at least once at
least cost" (Gilmore & Gomory 1961, the cutting-stock LP) is a lower bound; for bin packing
it is famously tight (the optimum rarely exceeds its round-up, Scheithauer & Terno 1995).

Two relaxations keep it cheap and valid:

* sizes, extras and the capacity are rounded *down* to a grid of ``GRID_UNITS`` units per
  block (floors of a sum are at most the floor of the sum, so every real pattern still fits:
  the relaxed LP has more patterns and a value no higher);
* at any iteration the duals ``pi`` of the restricted master give a valid bound
  ``pi . demand / (1 + delta / min cost)`` (Farley 1990), ``delta`` being the best reduced
  profit the pricing finds, so the generation may stop at a deadline with a bound in hand.

Pricing is a knapsack with setups solved exactly by dynamic programming over the grid:
types in turn, each type "opened" at the price of its extra, then its lots as 0/1 items;
each pricing offers, per type, the best pattern whose last opened type it is. The LP is
solved by GLOP (OR-Tools) with columns added in place. One standard acceleration matters:
dual-optimal inequalities (Valério de Carvalho 2005; Ben Amor, Desrosiers & Valério de
Carvalho 2006): a smaller lot of a type can always take a larger one's place in a block, so
some optimal dual is non-decreasing in size within a type, and saying so (a zero-cost column
per neighbouring pair) cut the generation at 1,000 lots of 2 types from 538 to 70-115
iterations (5-13 s to 0.03-1.5 s). Dual smoothing (Wentges 1997) was tried on top and
changed the iteration count by -12 % to +10 %, so it is not used.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from ortools.linear_solver import pywraplp

from scheduler_core import stopping
from scheduler_core.filling.rules import Instance

#: Grid units per block for the rounded-down sizes.
GRID_UNITS = 4000
#: Relative improvement of the bound below which the generation stops.
TOLERANCE = 1e-6


def pattern_lp_bound(
    inst: Instance, deadline: float, start: list[list[int]] | None = None, known: int = 0
) -> int | None:
    """A lower bound on the makespan ticks of any packing of ``inst`` (releases aside) from
    the pattern LP, or ``None`` when the grouped formula is not exact (``inst.exact``),
    there are no lots, or a block can cost nothing (a clean no longer than a changeover).
    Stops at the LP optimum, at ``deadline`` (``time.monotonic``) or when the run is
    stopped, returning the best Farley bound reached by then. ``start`` (blocks of lot
    indices, e.g. a plan already found) seeds the LP with its patterns; ``known`` (makespan
    ticks of a bound already proved) ends the generation as soon as the LP cannot exceed it
    (then the result is at most ``known``).
    """
    if not inst.exact or inst.n == 0:
        return None
    per_block = inst.clean - inst.cross
    extras = [inst.type_extra(t) for t in range(len(inst.types))]
    if per_block + min(extras) <= 0:  # a block that costs nothing (or less) bounds nothing
        return None
    base = sum(inst.size(i) for i in range(inst.n))
    step = math.gcd(per_block, *extras)

    def rounded(value: float) -> int:
        """The least block cost ``>= value`` (a multiple of ``step``, which every block costs)."""
        cost = max(0, math.ceil(value - 1e-6 * max(1.0, value)))
        return -(-cost // step) * step if step > 0 else cost

    value = _column_generation(inst, per_block, extras, deadline, start or [], rounded, known - base)
    return base + rounded(value)


def _column_generation(
    inst: Instance, per_block: int, extras: list[int], deadline: float, start: list[list[int]], rounded, known: int
) -> float:
    """Best lower bound (ticks, block costs only) on the relaxed pattern LP whose blocks cost
    ``per_block`` plus the ``extras`` of their types; ends early once the LP's value cannot
    round above ``known`` (block-cost ticks)."""
    unit = max(1, inst.capacity // GRID_UNITS)
    cap = inst.capacity // unit
    classes = sorted(Counter((inst.type_of[i], inst.size(i) // unit) for i in range(inst.n)).items())
    demand = [count for _, count in classes]
    by_type: dict[int, list[int]] = {}
    for k, ((t, _), _) in enumerate(classes):
        by_type.setdefault(t, []).append(k)

    lp = pywraplp.Solver.CreateSolver("GLOP")
    rows = [lp.Constraint(float(d), lp.infinity()) for d in demand]
    objective = lp.Objective()
    objective.SetMinimization()

    def cost(pattern: dict[int, int]) -> int:
        return per_block + sum(extras[t] for t in {classes[k][0][0] for k in pattern})

    def add(pattern: dict[int, int]) -> None:
        x = lp.NumVar(0.0, lp.infinity(), "")
        objective.SetCoefficient(x, cost(pattern))
        for k, count in pattern.items():
            rows[k].SetCoefficient(x, count)

    for k, ((t, width), _) in enumerate(classes):  # one lot per block: always feasible
        add({k: min(demand[k], max(1, (cap - extras[t] // unit) // max(width, 1)))})
    for members in by_type.values():  # dual-optimal inequalities: a smaller lot's dual <= a larger's
        for small, large in zip(members, members[1:], strict=False):
            x = lp.NumVar(0.0, lp.infinity(), "")
            rows[small].SetCoefficient(x, 1)
            rows[large].SetCoefficient(x, -1)
    index = {key: k for k, (key, _) in enumerate(classes)}
    for block in start:
        if block:
            add(Counter(index[inst.type_of[i], inst.size(i) // unit] for i in block))
    cheapest = per_block + min(extras)
    best = 0.0
    while not stopping.expired(deadline):
        if lp.Solve() != pywraplp.Solver.OPTIMAL:
            break
        upper = lp.Objective().Value()
        duals = [max(0.0, r.dual_value()) for r in rows]
        found = _price(classes, demand, by_type, duals, extras, unit, cap, per_block)
        profit = max(0.0, found[0][0]) if found else 0.0
        best = max(best, sum(p * d for p, d in zip(duals, demand, strict=True)) / (1.0 + profit / cheapest))
        new = [pattern for gain, pattern in found if pattern and gain > TOLERANCE * cheapest]
        if not new:  # no column prices out: the LP is solved
            return max(best, upper)
        if rounded(best) >= rounded(upper) or rounded(upper) <= known:
            return best
        for pattern in new:
            add(pattern)
    return best


def _price(classes, demand, by_type, duals, extras, unit, cap, per_block) -> list[tuple[float, dict[int, int]]]:
    """Patterns of greatest reduced profit ``duals . a - cost`` on the grid, by dynamic
    programming (types opened in turn, lots as 0/1 items): for every type, the best pattern
    whose last opened type it is, as ``(profit, {class: count})``, best first."""
    best = np.zeros(cap + 1)  # best[w]: greatest profit using at most w units
    trail = []  # per type: (shift, chosen mask, [(class, width, taken masks)], opened)
    for t, members in by_type.items():
        shift = extras[t] // unit
        if shift > cap:
            continue
        opened = np.full(cap + 1, -np.inf)
        opened[shift:] = best[: cap + 1 - shift] - extras[t]
        steps = []
        for k in members:
            width = classes[k][0][1]
            price = duals[k]
            if price <= 0 or width > cap:
                continue
            taken = []
            for _ in range(demand[k]):
                if width == 0:
                    opened += price
                    taken.append(None)
                    continue
                candidate = opened[: cap + 1 - width] + price
                mask = candidate > opened[width:]
                opened[width:] = np.where(mask, candidate, opened[width:])
                taken.append(mask)
            steps.append((k, width, taken))
        chosen = opened > best
        best = np.where(chosen, opened, best)
        trail.append((shift, chosen, steps, float(opened[cap])))
    found = []
    for last in range(len(trail)):
        profit = trail[last][3] - per_block
        if profit > 0 or last == len(trail) - 1:
            found.append((profit, _backtrack(trail, last, cap)))
    found.sort(key=lambda pair: -pair[0])
    return found


def _backtrack(trail, last: int, cap: int) -> dict[int, int]:
    """The pattern behind ``trail[last]``'s opened value at full capacity."""
    pattern: Counter[int] = Counter()
    w = cap
    for index in range(last, -1, -1):
        shift, chosen, steps, _ = trail[index]
        if index != last and not chosen[w]:
            continue
        for k, width, taken in reversed(steps):
            for mask in reversed(taken):
                if mask is None:
                    pattern[k] += 1
                elif w >= width and mask[w - width]:
                    pattern[k] += 1
                    w -= width
        w -= shift
    return dict(pattern)
