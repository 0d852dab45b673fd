"""Constructive heuristics of the optimiser: active schedule generation (Giffler-Thompson
with most-work-remaining or least-slack priority) and, for one machine with due dates, an
iterated local search on total weighted tardiness (insertion and swap moves from EDD, WSPT
and ATC starts; ATC after Vepsalainen & Morton, 1987).
"""

from __future__ import annotations

import math
import random
import time

from scheduler_core.shop.dispatch import apply_pins
from scheduler_core.shop.optimise.coords import SolverCoords
from scheduler_core.shop.prepared import Prepared


def giffler_thompson(prep: Prepared, co: SolverCoords, rule: str) -> dict[str, list[int]]:
    """Active schedule generation; ``rule``: 'mwkr' (most work remaining) or 'atc'-like
    'slack' (least slack per weight). Returns the queues per work center."""
    n = prep.n
    succ: list[int | None] = [None] * n
    for i in range(n):
        if prep.pred[i] is not None:
            succ[prep.pred[i]] = i
    rem = [0] * n
    for idx in prep.order_ops.values():
        acc = 0
        for i in reversed(idx):
            acc += co.p[i]
            rem[i] = acc
    ready_t = [0] * n
    cand = [idx[0] for idx in prep.order_ops.values()]
    for i in cand:
        ready_t[i] = max(co.release[prep.wc[i]], prep.pinned[i] or 0)
    free = dict(co.release)
    seqs: dict[str, list[int]] = {w: [] for w in prep.work_centers()}
    # in-progress operations first
    for i in sorted((i for i in range(n) if prep.in_progress[i]), key=lambda i: prep.wc[i]):
        if i in cand:
            w = prep.wc[i]
            s = max(free[w], ready_t[i])
            free[w] = s + co.p[i]
            seqs[w].append(i)
            cand.remove(i)
            nx = succ[i]
            if nx is not None:
                cand.append(nx)
                ready_t[nx] = max(free[w], prep.pinned[nx] or 0)
    due = {rn: prep.due_min[rn] for rn in prep.order_ops}
    done = [False] * n
    for w_seq in seqs.values():
        for i in w_seq:
            done[i] = True
    while cand:
        # an operation waits for the operations pinned before it (on its work center)
        eligible = [i for i in cand if all(done[a] for a in prep.pin_preds(i))] or cand
        best_c, best_w = None, None
        for i in eligible:
            w = prep.wc[i]
            c = max(free[w], ready_t[i]) + co.p[i]
            if best_c is None or c < best_c:
                best_c, best_w = c, w
        conflict = [
            i for i in eligible if prep.wc[i] == best_w and max(free[best_w], ready_t[i]) < best_c
        ]
        if rule == "mwkr":
            pick = max(conflict, key=lambda i: (rem[i], -i))
        else:
            t = free[best_w]

            def slack(i: int, t: int = t) -> float:
                d = due[prep.ops[i].rn]
                s = (d if d is not None else 10**9) - t - rem[i]
                return s / prep.weight[prep.ops[i].rn] if s > 0 else s * prep.weight[prep.ops[i].rn]

            pick = min(conflict, key=lambda i: (slack(i), i))
        s = max(free[best_w], ready_t[pick])
        free[best_w] = s + co.p[pick]
        seqs[best_w].append(pick)
        done[pick] = True
        cand.remove(pick)
        nx = succ[pick]
        if nx is not None:
            cand.append(nx)
            ready_t[nx] = max(free[best_w], prep.pinned[nx] or 0)
    return apply_pins(prep, seqs)


def _wt_cost(seq: list[int], p: list[int], w: list[int], d: list[int]) -> int:
    t = c = 0
    for j in seq:
        t += p[j]
        x = t - d[j]
        if x > 0:
            c += w[j] * x
    return c


def _wt_local_search(seq: list[int], p, w, d) -> tuple[list[int], int]:
    """Descent with insertion and swap moves until no move improves."""
    n = len(seq)
    best = _wt_cost(seq, p, w, d)
    improved = True
    while improved:
        improved = False
        for i in range(n):
            for j in range(n):
                if i == j:
                    continue
                cand = seq[:]
                job = cand.pop(i)
                cand.insert(j, job)
                c = _wt_cost(cand, p, w, d)
                if c < best:
                    seq, best, improved = cand, c, True
        for i in range(n - 1):
            for j in range(i + 1, n):
                cand = seq[:]
                cand[i], cand[j] = cand[j], cand[i]
                c = _wt_cost(cand, p, w, d)
                if c < best:
                    seq, best, improved = cand, c, True
    return seq, best


def single_machine_ils(
    p: list[int], w: list[int], d: list[int], budget_s: float, seed: int = 0
) -> tuple[list[int], int]:
    """Iterated local search for one machine, total weighted tardiness. The seconds until
    the returned sequence was found are in ``single_machine_ils.last_found_s``."""
    n = len(p)
    t_begin = time.perf_counter()
    deadline = t_begin + budget_s
    starts = [
        sorted(range(n), key=lambda j: (d[j], j)),
        sorted(range(n), key=lambda j: (p[j] / w[j], j)),
    ]
    pbar = sum(p) / max(1, n)
    for k in (0.5, 1.0, 2.0):
        t, left, seq = 0, set(range(n)), []
        while left:
            j = max(
                left,
                key=lambda j: (w[j] / p[j]) * math.exp(-max(0, d[j] - p[j] - t) / (k * pbar)),
            )
            seq.append(j)
            left.remove(j)
            t += p[j]
        starts.append(seq)
    best_seq, best = None, None
    for s in starts:
        s2, c = _wt_local_search(s, p, w, d)
        if best is None or c < best:
            best_seq, best = s2, c
    single_machine_ils.last_found_s = time.perf_counter() - t_begin
    if best == 0 or n < 3:
        return best_seq, best
    rng = random.Random(seed)
    cur, cur_c = best_seq, best
    while time.perf_counter() < deadline and best > 0:
        cand = cur[:]
        for _ in range(rng.randint(2, 4)):
            i, j = rng.sample(range(n), 2)
            cand[i], cand[j] = cand[j], cand[i]
        cand, c = _wt_local_search(cand, p, w, d)
        if c <= cur_c:
            cur, cur_c = cand, c
        if c < best:
            best_seq, best = cand, c
            single_machine_ils.last_found_s = time.perf_counter() - t_begin
    return best_seq, best
