"""Pattern model of one-type bin packing, solved by CP-SAT: strong when bins must be (almost)
exactly full.

A packing of items with sizes ``a_i`` into ``m`` bins of capacity ``C`` leaves a total slack
``budget = m * C - sum_i a_i``, so every one of its bins has slack at most ``budget``. The
*patterns* are the multisets of sizes (each size at most as often as it occurs) whose sum lies
in ``[C - budget, C]``; a packing into ``m`` bins is a choice of ``m`` patterns, with
repetition, that uses every size exactly as often as it occurs (Gilmore–Gomory's pattern
model restricted to slack-feasible patterns). When the enumeration is complete the model is
exact: infeasible means no packing into ``m`` bins exists. It pays on the Falkenauer triplet
class (bins of three items filled exactly), where bin-completion search and local search
need many restarts; with a larger budget the patterns explode and the enumeration gives up.
"""

from __future__ import annotations

import bisect
import time
from collections import Counter

from ortools.sat.python import cp_model

from scheduler_core import stopping

#: Most patterns enumerated; with more the model is not built (``None``).
MAX_PATTERNS = 20_000


def slack_patterns(
    sizes: list[int], capacity: int, budget: int, *, limit: int = MAX_PATTERNS, deadline: float | None = None
) -> list[tuple[int, ...]] | None:
    """Every pattern (a tuple of counts over the distinct sizes, largest size first) whose
    total lies in ``[capacity - budget, capacity]``; ``None`` when there are more than
    ``limit`` of them or ``deadline`` passes first."""
    counts = Counter(sizes)
    distinct = sorted(counts, reverse=True)
    ascending = distinct[::-1]
    lo = capacity - budget
    # suffix[k]: total of every item of distinct[k:] (room check for reaching ``lo``)
    suffix = [0] * (len(distinct) + 1)
    for k in range(len(distinct) - 1, -1, -1):
        suffix[k] = suffix[k + 1] + distinct[k] * counts[distinct[k]]
    found: list[tuple[int, ...]] = []
    picked = [0] * len(distinct)
    steps = [0]

    def rec(k: int, total: int) -> bool:
        steps[0] += 1
        if steps[0] % 4096 == 0 and deadline is not None and stopping.expired(deadline):
            return False
        if total >= lo:
            found.append(tuple(picked))
            if len(found) > limit:
                return False
        room = capacity - total
        # first index (largest size first) whose size fits the room
        start = max(k, len(distinct) - bisect.bisect_right(ascending, room))
        for j in range(start, len(distinct)):
            s = distinct[j]
            if total + suffix[j] < lo:
                break
            taken = 0
            while taken < counts[s] and total + s * (taken + 1) <= capacity:
                taken += 1
                picked[j] = taken
                if not rec(j + 1, total + s * taken):
                    picked[j] = 0
                    return False
            picked[j] = 0
        return True

    if not rec(0, 0):
        return None
    return [p for p in found if any(p)]


def solve_watched(
    m: cp_model.CpModel, deadline: float, *, seed: int, workers: int
) -> tuple[cp_model.CpSolver, int]:
    """Solve ``m`` until ``deadline`` (``time.monotonic`` seconds) or a stop request
    (``stopping.watched``); the solver (for its values) and the status."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, deadline - time.monotonic())
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    with stopping.watched(solver.stop_search):
        return solver, solver.solve(m)


def pack_patterns(
    sizes: list[int], capacity: int, bins: int, *, deadline_s: float, seed: int = 0, workers: int = 2
) -> tuple[list[list[int]] | None, bool]:
    """Indices of ``sizes`` in at most ``bins`` bins by the pattern model, and whether the
    answer is final (a packing, or a proof that none exists). ``(None, False)``: too many
    patterns, or no answer within ``deadline_s`` seconds (or the run was stopped)."""
    if not sizes:
        return [], True
    if any(s > capacity for s in sizes):
        return None, True
    budget = bins * capacity - sum(sizes)
    if budget < 0:
        return None, True
    deadline = time.monotonic() + deadline_s
    patterns = slack_patterns(sizes, capacity, budget, deadline=deadline)
    if patterns is None or stopping.expired(deadline):
        return None, False
    counts = Counter(sizes)
    distinct = sorted(counts, reverse=True)
    m = cp_model.CpModel()
    x = []
    for p in patterns:
        most = min(counts[distinct[j]] // c for j, c in enumerate(p) if c)
        x.append(m.new_int_var(0, min(most, bins), ""))
    for j, s in enumerate(distinct):
        m.add(sum(p[j] * v for p, v in zip(patterns, x, strict=True) if p[j]) == counts[s])
    m.add(sum(x) <= bins)
    solver, status = solve_watched(m, deadline, seed=seed, workers=workers)
    if status == cp_model.INFEASIBLE:
        return None, True
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, False
    pool: dict[int, list[int]] = {}
    for i, s in enumerate(sizes):
        pool.setdefault(s, []).append(i)
    packing = []
    for p, v in zip(patterns, x, strict=True):
        for _ in range(solver.value(v)):
            packing.append([pool[distinct[j]].pop() for j, c in enumerate(p) for _ in range(c)])
    return packing, True
