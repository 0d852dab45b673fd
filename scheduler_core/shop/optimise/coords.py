"""The solver's time coordinates of a prepared problem.

Minutes from the plan start. For work centers that are always working without downtime
and without setup (the benchmark adapters) these are exact; a setup (which depends on the
operation before) is counted in full. With calendars (breaks, non-working days,
downtime) each work center's durations are stretched by its availability ratio (duration /
share of working time) and start at its first working minute: an approximation that only
orders operations; ``builder.decode`` computes the true calendar times.
"""

from __future__ import annotations

import math

from scheduler_core.shop.prepared import Prepared


class SolverCoords:
    """Durations (``p``), releases per work center and the horizon in the solver's time
    (minutes; exact or availability-scaled, see the module docstring)."""

    def __init__(self, prep: Prepared) -> None:
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
        # an operation's setup depends on the one before it: the solver counts the longest
        self.p = [
            max(1, math.ceil((prep.dur[i] + prep.longest_setup(i)) / self.ratio[prep.wc[i]])) for i in range(prep.n)
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
