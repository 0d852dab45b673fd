"""The CP-SAT model of the optimiser and the callback that keeps its last solutions.

One interval variable per open operation, ``AddNoOverlap`` per work center, routing
precedence, in-progress operations first on their work center, pinned starts, the planner's
pins; objective weighted tardiness (weights from priority) then makespan,
lexicographic through a big factor; hinted with the best heuristic plan. Solutions only fix
the *order* on each work center (``builder.decode`` times them on the real calendars).
"""

from __future__ import annotations

import threading
import time

from ortools.sat.python import cp_model

from scheduler_core.progress import ProgressCallback
from scheduler_core.shop.optimise.coords import SolverCoords
from scheduler_core.shop.prepared import Prepared

NUM_WORKERS = 2
_KEEP_SOLUTIONS = 4
#: One solver solution: queues per work center, start minutes, and when it was found.
Solution = tuple[dict[str, list[int]], list[int], float]


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


def solve(
    prep: Prepared,
    co: SolverCoords,
    hint: list[int],
    time_limit_s: float,
    progress: ProgressCallback,
) -> tuple[list[tuple[dict[str, list[int]], list[int], float]], str]:
    """Solve the CP-SAT model within ``time_limit_s`` seconds from ``hint`` (start minutes in
    solver time); returns the last solutions found (queues, starts, when) and the solver status.
    """
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
    for a, b in prep.pins:
        if prep.wc[a] == prep.wc[b] and not prep.in_progress[b]:
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
