"""Turn per-work-center sequences into an exact calendar schedule ("decode").

A strategy only decides the *order* of operations on each work center; ``decode`` then
starts every operation as early as its work center, its predecessor in the order and its
pinned start allow, using only working time of the work center's calendar, with the setup
the operation needs after the one before it on that work center (``Prepared.setup``). So every
strategy produces a valid plan by construction; ``kpis.to_result`` wraps it as the one
result type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scheduler_core.shop.prepared import Prepared


@dataclass
class Decoded:
    """A decoded schedule in minutes from the plan start: ``start``/``end`` and working
    ``intervals`` per operation index (setup first, then the run), the ``sequences`` per work
    center as decoded, the ``warnings`` of repairs, the work center of each operation
    (``wc``) and its setup minutes (``setup``).
    """
    start: list[int]
    end: list[int]
    intervals: list[list[tuple[int, int]]]
    sequences: dict[str, list[int]]
    warnings: list[str]
    #: The work center of every operation in this schedule.
    wc: list[str] = field(default_factory=list)
    #: Setup minutes of every operation (working time before its run).
    setup: list[int] = field(default_factory=list)

    def key(self, prep: Prepared) -> tuple[int, int]:
        """(weighted tardiness in minutes, makespan in minutes): smaller is better."""
        return objective(prep, self.end)


def objective(prep: Prepared, end: list[int]) -> tuple[int, int]:
    """(weighted tardiness in minutes, makespan in minutes) of end minutes ``end``."""
    wt = 0
    for rn, idx in prep.order_ops.items():
        d = prep.due_min[rn]
        if d is not None:
            wt += prep.weight[rn] * max(0, max(end[i] for i in idx) - d)
    return wt, max(end, default=0)


def decode(prep: Prepared, sequences: dict[str, list[int]]) -> Decoded:
    """Semi-active schedule that follows ``sequences`` (op indices per work center).

    Operations missing from ``sequences`` are appended; a sequence that contradicts the
    order routings (a cycle) is repaired by pulling the first startable operation forward,
    with a warning.
    """
    n = prep.n
    seqs: dict[str, list[int]] = {w: list(sequences.get(w, [])) for w in prep.work_centers()}
    listed = {i for s in seqs.values() for i in s}
    for i in range(n):
        if i not in listed:
            seqs.setdefault(prep.wc[i], []).append(i)
    start = [0] * n
    end = [-1] * n
    ivs: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    setup = [0] * n
    warnings: list[str] = []
    pos = dict.fromkeys(seqs, 0)
    free = dict.fromkeys(seqs, 0)
    last: dict[str, int | None] = dict.fromkeys(seqs)
    left = n
    while left:
        progressed = False
        for w, seq in seqs.items():
            tl = prep.timelines[w]
            k = pos[w]
            while k < len(seq):
                i = seq[k]
                p = prep.pred[i]
                if p is not None and end[p] < 0:
                    break
                est = free[w]
                if p is not None and end[p] > est:
                    est = end[p]
                pin = prep.pinned[i]
                if pin is not None:
                    if pin > est:
                        est = pin
                    elif pin < est:
                        warnings.append(
                            f"operation {prep.ops[i].op_id}: pinned start not possible, "
                            f"starts later"
                        )
                setup[i] = prep.setup(i, last[w], w)
                s = tl.next_working(est)
                pieces = tl.intervals(s, setup[i] + prep.dur[i])
                start[i] = pieces[0][0]
                end[i] = pieces[-1][1]
                ivs[i] = pieces
                free[w] = end[i]
                last[w] = i
                k += 1
                left -= 1
                progressed = True
            pos[w] = k
        if left and not progressed:
            for w, seq in seqs.items():
                k0 = pos[w]
                for k in range(k0 + 1, len(seq)):
                    p = prep.pred[seq[k]]
                    if p is None or end[p] >= 0:
                        i = seq.pop(k)
                        seq.insert(k0, i)
                        warnings.append(
                            f"sequence on {w} contradicts the routing: operation "
                            f"{prep.ops[i].op_id} moved forward"
                        )
                        break
                else:
                    continue
                break
            else:  # pragma: no cover - impossible: some routing head is always startable
                raise RuntimeError("decode deadlock")
    return Decoded(start, end, ivs, seqs, warnings, list(prep.wc), setup)


