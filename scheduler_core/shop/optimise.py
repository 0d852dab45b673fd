"""The ``optimise`` strategy: constructive heuristics, CP-SAT, exact local search.

Objective (lexicographic): weighted tardiness against the chosen due date (weights from
priority), then makespan. Without any due date only makespan counts.

Model: one interval variable per open operation, ``AddNoOverlap`` per work center,
routing precedence, in-progress operations first on their work center, pinned starts,
the planner's manual sequences; hinted with the best heuristic plan. Time is in minutes
from the plan start. For work centers that are always working without downtime (the
benchmark adapters) the model is exact and gets the whole time limit. With calendars
(breaks, non-working days, downtime) the model uses each work center's availability ratio
(duration / share of working time) as an approximation and gets 30 % of the time; the rest
goes to a local search over order rankings that evaluates every candidate exactly (serial
schedule generation on the real calendars). The solver's solutions only fix the *order* on
each work center; ``builder.decode`` turns every candidate into the exact calendar schedule,
whose true objective decides. The best of the dispatch rule, the heuristics, the solver and
the local search is returned, so the result is never worse than ``dispatch``.

Single machine with due dates (the wt benchmark shape): an iterated local search (insertion
and swap moves, ATC/EDD/WSPT starts) provides the hint.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from datetime import datetime

from ortools.sat.python import cp_model

from scheduler_core.progress import ProgressCallback, noop_progress
from scheduler_core.shop.builder import Decoded, Prepared, decode, objective, prepare, to_result
from scheduler_core.shop.dispatch import apply_manual, dispatch_order, serial_sequences
from scheduler_core.shop.model import ShopProblem, ShopResult

NUM_WORKERS = 2
log = logging.getLogger(__name__)
_KEEP_SOLUTIONS = 4


# ---------------------------------------------------------------------------------------
# model coordinates
class _Coords:
    """Durations, releases and pins in the solver's time (exact or availability-scaled)."""

    def __init__(self, prep: Prepared):
        self.exact = prep.exact_time()
        total = sum(prep.dur)
        span = max(7 * 1440, total)
        self.ratio: dict[str, float] = {}
        self.release: dict[str, int] = {}
        for w in prep.work_centers():
            tl = prep.timelines[w]
            if self.exact:
                self.ratio[w] = 1.0
                self.release[w] = 0
            else:
                first = tl.next_working(0)
                work = tl.working_between(first, first + span)
                self.ratio[w] = max(1e-3, work / span)
                self.release[w] = first
        self.p = [
            max(1, math.ceil(prep.dur[i] / self.ratio[prep.wc[i]])) for i in range(prep.n)
        ]
        self.horizon = (
            max(self.release.values(), default=0)
            + max((x for x in prep.pinned if x is not None), default=0)
            + sum(self.p)
            + 1
        )

    def schedule(self, prep: Prepared, seqs: dict[str, list[int]]) -> list[int]:
        """Semi-active start times in solver time for queues ``seqs`` (hint building)."""
        n = prep.n
        start = [0] * n
        end = [-1] * n
        pos = dict.fromkeys(seqs, 0)
        free = {w: self.release.get(w, 0) for w in seqs}
        left = sum(len(s) for s in seqs.values())
        while left:
            progressed = False
            for w, seq in seqs.items():
                k = pos[w]
                while k < len(seq):
                    i = seq[k]
                    p = prep.pred[i]
                    if p is not None and end[p] < 0:
                        break
                    est = max(free[w], end[p] if p is not None else 0, prep.pinned[i] or 0)
                    start[i] = est
                    end[i] = est + self.p[i]
                    free[w] = end[i]
                    k += 1
                    left -= 1
                    progressed = True
                pos[w] = k
            if not progressed:
                return []
        return start


# ---------------------------------------------------------------------------------------
# constructive heuristics
def _giffler_thompson(prep: Prepared, co: _Coords, rule: str) -> dict[str, list[int]]:
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
    while cand:
        best_c, best_w = None, None
        for i in cand:
            w = prep.wc[i]
            c = max(free[w], ready_t[i]) + co.p[i]
            if best_c is None or c < best_c:
                best_c, best_w = c, w
        conflict = [
            i for i in cand if prep.wc[i] == best_w and max(free[best_w], ready_t[i]) < best_c
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
        cand.remove(pick)
        nx = succ[pick]
        if nx is not None:
            cand.append(nx)
            ready_t[nx] = max(free[best_w], prep.pinned[nx] or 0)
    return apply_manual(prep, seqs)


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


# ---------------------------------------------------------------------------------------
class _Collector(cp_model.CpSolverSolutionCallback):
    def __init__(self, prep, starts, t0, limit, progress):
        super().__init__()
        self._prep = prep
        self._starts = starts
        self._t0 = t0
        self._limit = limit
        self._progress = progress
        self.solutions: list[tuple[dict[str, list[int]], list[int], float]] = []
        self.count = 0
        self._lock = threading.Lock()

    def on_solution_callback(self) -> None:
        vals = [self.Value(s) for s in self._starts]
        seqs: dict[str, list[int]] = {}
        for i in sorted(range(len(vals)), key=lambda i: (vals[i], i)):
            seqs.setdefault(self._prep.wc[i], []).append(i)
        with self._lock:
            self.count += 1
            self.solutions.append((seqs, vals, time.perf_counter()))
            del self.solutions[:-_KEEP_SOLUTIONS]
        elapsed = time.perf_counter() - self._t0
        self._progress(
            min(0.99, elapsed / max(1e-6, self._limit)),
            f"solution {self.count}: objective {self.ObjectiveValue():.0f}",
        )


def _solve(
    prep: Prepared,
    co: _Coords,
    hint: list[int],
    time_limit_s: float,
    progress: ProgressCallback,
) -> tuple[list[tuple[dict[str, list[int]], list[int], float]], str]:
    m = cp_model.CpModel()
    n, H = prep.n, co.horizon
    s = []
    e = []
    by_wc: dict[str, list] = {}
    for i in range(n):
        w = prep.wc[i]
        lo = co.release[w]
        si = m.NewIntVar(lo, H, f"s{i}")
        ei = m.NewIntVar(lo + co.p[i], H + co.p[i], f"e{i}")
        iv = m.NewIntervalVar(si, co.p[i], ei, f"iv{i}")
        s.append(si)
        e.append(ei)
        by_wc.setdefault(w, []).append(iv)
        if prep.in_progress[i]:
            m.Add(si == lo)
        elif prep.pinned[i] is not None:
            m.Add(si == max(lo, prep.pinned[i]))
    for ivs in by_wc.values():
        m.AddNoOverlap(ivs)
    for i in range(n):
        p = prep.pred[i]
        if p is not None:
            m.Add(s[i] >= e[p])
    for w, ids in prep.problem.manual_sequences.items():
        chain = [prep.index[x] for x in ids if x in prep.index and prep.wc[prep.index[x]] == w]
        for a, b in zip(chain, chain[1:], strict=False):
            m.Add(s[b] >= e[a])
    cmax = m.NewIntVar(0, H + max(co.p, default=0), "cmax")
    terms = []
    for rn, idx in prep.order_ops.items():
        last = idx[-1]
        m.Add(cmax >= e[last])
        d = prep.due_min[rn]
        if d is None:
            continue
        t = m.NewIntVar(0, max(0, H + max(co.p) - d), f"t_{rn}")
        m.Add(t >= e[last] - d)
        terms.append((prep.weight[rn], t))
    if terms:
        k = H + max(co.p) + 1
        m.Minimize(sum(wt * k * t for wt, t in terms) + cmax)
    else:
        m.Minimize(cmax)
    if hint:
        for i in range(n):
            m.AddHint(s[i], hint[i])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit_s)
    solver.parameters.num_workers = NUM_WORKERS
    solver.parameters.random_seed = 0
    t0 = time.perf_counter()
    coll = _Collector(prep, s, t0, time_limit_s, progress)
    status = solver.Solve(m, coll)
    return coll.solutions, solver.StatusName(status)


def _rank_search(
    prep: Prepared,
    rank_list: list[str],
    assign: list[str],
    deadline: float,
    cb: ProgressCallback,
    lo: float,
    hi: float,
) -> tuple[tuple[int, int], list[str], Decoded, float] | None:
    """Improve an order ranking and work center choice (each candidate decoded exactly by
    serial schedule generation on the real calendars): move a late order (chosen by
    weighted tardiness) some places earlier, or move an operation with alternatives to
    another allowed work center; keep a move if the plan gets better."""
    rng = random.Random(0)
    original = list(prep.wc)
    flex = [i for i in range(prep.n) if len(prep.allowed[i]) > 1]

    def evaluate(ranks: list[str], wcs: list[str]) -> tuple[tuple[int, int], Decoded]:
        prep.wc[:] = wcs
        seqs = serial_sequences(prep, {rn: k for k, rn in enumerate(ranks)})
        dec = decode(prep, seqs)
        return dec.key(prep), dec

    cur, cur_wc = list(rank_list), list(assign)
    cur_key, cur_dec = evaluate(cur, cur_wc)
    t_start = t_found = time.perf_counter()
    n = len(cur)
    tries = 0
    try:
        while time.perf_counter() < deadline and n > 1:
            late = []
            for rn in cur:
                d = prep.due_min[rn]
                if d is None:
                    continue
                t = max(cur_dec.end[i] for i in prep.order_ops[rn]) - d
                if t > 0:
                    late.append((rn, prep.weight[rn] * t))
            if not late:
                break
            tries += 1
            rn = rng.choices([x for x, _ in late], weights=[w for _, w in late])[0]
            cand, cand_wc = cur, cur_wc
            own = [i for i in prep.order_ops[rn] if len(prep.allowed[i]) > 1]
            if flex and rng.random() < 0.3:
                i = rng.choice(own or flex)
                cand_wc = cur_wc[:]
                cand_wc[i] = rng.choice([w for w in prep.allowed[i] if w != cur_wc[i]])
            else:
                i = cur.index(rn)
                if i == 0:
                    continue
                reach = max(1, int(n * rng.choice([0.02, 0.05, 0.1, 0.25])))
                j = rng.randint(max(0, i - reach), i - 1)
                cand = cur[:]
                cand.insert(j, cand.pop(i))
            key, dec = evaluate(cand, cand_wc)
            if key < cur_key:
                cur, cur_wc, cur_key, cur_dec = cand, cand_wc, key, dec
                t_found = time.perf_counter()
                log.debug("rank search: %s after %d tries", key, tries)
            span = max(1e-6, deadline - t_start)
            cb(lo + (hi - lo) * min(1.0, (time.perf_counter() - t_start) / span),
               f"local search: weighted tardiness {cur_key[0]}")
    finally:
        prep.wc[:] = original
    return cur_key, cur, cur_dec, t_found


def plan_optimise(
    problem: ShopProblem,
    *,
    due: str = "assembly",
    start: datetime | None = None,
    time_limit_s: float = 30.0,
    progress: ProgressCallback | None = None,
) -> ShopResult:
    t0 = time.perf_counter()
    deadline = t0 + time_limit_s
    cb = progress or noop_progress
    prep = prepare(problem, start, due)
    cb(0.0, "preparing")
    co = _Coords(prep)

    candidates: list[tuple[tuple[int, int], str, Decoded]] = []
    found_at: dict[int, float] = {}  # id(decoded) -> seconds after start it was found
    ranks: dict[str, tuple[list[str], list[str]]] = {}  # source -> (ranking, assignment)

    def consider(seqs: dict[str, list[int]], source: str) -> None:
        dec = decode(prep, seqs)
        candidates.append((dec.key(prep), source, dec))
        found_at[id(dec)] = time.perf_counter() - t0
        log.debug("candidate %s: %s (%.2fs)", source, candidates[-1][0], time.perf_counter() - t0)

    def consider_rank(rank_list: list[str], source: str, flexible: bool = False) -> None:
        original = list(prep.wc)
        seqs = serial_sequences(prep, {rn: k for k, rn in enumerate(rank_list)},
                                flexible=flexible)
        consider(seqs, source)
        ranks[source] = (rank_list, list(prep.wc))
        prep.wc[:] = original

    if prep.n == 0:
        dec = decode(prep, {})
        return to_result(prep, dec, "optimise", proven_optimal=True, status="OPTIMAL")

    disp_rank = [o.rn for o in dispatch_order(prep.orders, prep.due_basis)]
    consider_rank(disp_rank, "dispatch")
    has_due = any(d is not None for d in prep.due_min.values())
    has_flex = any(len(a) > 1 for a in prep.allowed)
    if has_flex:
        consider_rank(disp_rank, "dispatch-flex", flexible=True)
    consider(_giffler_thompson(prep, co, "mwkr"), "mwkr")
    if has_due:
        consider(_giffler_thompson(prep, co, "slack"), "slack")
        big = 10**12
        by_due = sorted(prep.orders, key=lambda o: (
            prep.due_min[o.rn] if prep.due_min[o.rn] is not None else big, o.priority_level))
        consider_rank([o.rn for o in by_due], "edd")
        if has_flex:
            consider_rank([o.rn for o in by_due], "edd-flex", flexible=True)

    single = (
        co.exact
        and len(prep.work_centers()) == 1
        and all(len(v) == 1 for v in prep.order_ops.values())
        and not any(prep.pinned)
        and not any(prep.in_progress)
        and not prep.problem.manual_sequences
        and has_due
    )
    if single:
        jobs = [prep.order_ops[o.rn][0] for o in prep.orders]
        p = [prep.dur[i] for i in jobs]
        w = [prep.weight[o.rn] for o in prep.orders]
        d = [prep.due_min[o.rn] if prep.due_min[o.rn] is not None else 10**12 for o in prep.orders]
        budget = min(3.0, 0.3 * time_limit_s)
        t_ils = time.perf_counter() - t0
        seq, _ = single_machine_ils(p, w, d, budget)
        consider({prep.wc[jobs[0]]: [jobs[k] for k in seq]}, "local-search")
        found_at[id(candidates[-1][2])] = t_ils + single_machine_ils.last_found_s
    cb(0.05, "heuristics done")

    candidates.sort(key=lambda c: c[0])
    best_key, _, best_dec = candidates[0]
    hint = co.schedule(prep, best_dec.sequences)
    # exact model: the solver gets all the time; approximate (calendars): part of it, the
    # rest goes to an exact local search over order rankings
    search = has_due and (has_flex or not co.exact)
    share = 0.3 if search else 1.0
    solver_budget = share * (deadline - time.perf_counter())
    status = "heuristic"
    solver_keys: list[tuple[int, int]] = []
    solved = False
    if solver_budget > 0.05 and not (single and best_key[0] == 0):
        hi = 0.05 + 0.9 * share
        sols, status = _solve(prep, co, hint, solver_budget, _scaled(cb, 0.05, hi))
        for k, (seqs, vals, at) in enumerate(sols):
            dec = decode(prep, seqs)
            key = dec.key(prep)
            solver_keys.append(key)
            candidates.append((key, "solver", dec))
            found_at[id(dec)] = at - t0
            log.debug("solver solution: %s", key)
            if search:
                comp = {rn: max(vals[i] + co.p[i] for i in idx)
                        for rn, idx in prep.order_ops.items()}
                consider_rank(sorted(comp, key=lambda rn: (comp[rn], rn)), f"solver-rank{k}")
        solved = True
    if search and deadline - time.perf_counter() > 0.2:
        ranked = sorted((c for c in candidates if c[1] in ranks), key=lambda c: c[0])
        if ranked and ranked[0][0][0] > 0:
            rank_list, assign = ranks[ranked[0][1]]
            found = _rank_search(prep, rank_list, assign, deadline, cb, 0.05 + 0.9 * share,
                                 0.99)
            if found is not None:
                candidates.append((found[0], "rank-search", found[2]))
                found_at[id(found[2])] = found[3] - t0
    # the earliest-found among the equally good candidates
    candidates.sort(key=lambda c: (c[0], found_at.get(id(c[2]), 0.0)))
    best_key, source, best_dec = candidates[0]
    proven = False
    # the model fixes each operation's work center: no proof when alternatives exist
    if (solved and status == "OPTIMAL" and co.exact and not has_flex and solver_keys
            and best_key <= min(solver_keys)):
        proven = True
    if single and best_key[0] == 0:
        proven = True  # no tardiness on one machine without idle time: optimal
    if not has_due and co.exact and not has_flex and best_key[1] == _makespan_lower_bound(prep):
        proven = True
    cb(1.0, f"done ({source})")
    result = to_result(
        prep,
        best_dec,
        "optimise",
        proven_optimal=proven,
        runtime_s=time.perf_counter() - t0,
        status=f"solver {status}; best from {source}" if solved else f"best from {source}",
    )
    result.best_found_s = round(found_at.get(id(best_dec), result.runtime_s), 3)
    return result


def _scaled(cb: ProgressCallback, lo: float, hi: float) -> ProgressCallback:
    def inner(fraction: float, message: str) -> None:
        cb(lo + (hi - lo) * min(1.0, max(0.0, fraction)), message)

    return inner


def _makespan_lower_bound(prep: Prepared) -> int:
    lb = 0
    for idx in prep.order_ops.values():
        lb = max(lb, sum(prep.dur[i] for i in idx))
    load: dict[str, int] = {}
    for i in range(prep.n):
        load[prep.wc[i]] = load.get(prep.wc[i], 0) + prep.dur[i]
    return max([lb, *load.values()])


__all__ = ["plan_optimise", "single_machine_ils", "objective"]
