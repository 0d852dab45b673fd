"""Turn per-work-center sequences into an exact calendar schedule ("decode").

A strategy only decides the *order* of operations on each work center; ``decode`` then
starts every operation as early as its work center, its predecessor in the order and its
pinned start allow, using only working time of the work center's calendar, with the setup
the operation needs after the one before it on that work center (``Prepared.setup``). So every
strategy produces a valid plan by construction; ``kpis.to_result`` wraps it as the one
result type.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

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


def sequences_of(prep: Prepared, planned: Iterable[tuple[str, str, Any]]) -> dict[str, list[int]]:
    """The queues per work center of an earlier plan (``(op_id, work_center, start)`` of its
    operations), for the operations still open in ``prep``; an operation keeps the earlier
    plan's work center when it may run there, else goes to its own."""
    queues: dict[str, list[tuple[Any, int]]] = {}
    for op_id, work_center, start in planned:
        i = prep.index.get(op_id)
        if i is None:
            continue
        w = work_center if work_center in prep.allowed[i] else prep.wc[i]
        queues.setdefault(w, []).append((start, i))
    return {w: [i for _, i in sorted(q)] for w, q in queues.items()}


def _fixed_start_missed(prep: Prepared, i: int, pin: int, busy_until: int, start: int) -> str:
    """Why operation ``i`` could not start at its fixed start, and when it starts."""
    at = prep.clock.to_datetime
    why = ("it is before the planning start" if pin < 0
           else "its work center or the step before it is busy until then" if pin < busy_until
           else "it is not working time")
    return (f"operation {prep.ops[i].op_id}: fixed start {at(pin):%Y-%m-%d %H:%M} not possible ({why}); "
            f"starts {at(start):%Y-%m-%d %H:%M}")


def _fixed_first(prep: Prepared, seq: list[int], k: int, finish: int, end: list[int], assigned: list[str],
                 fixed: list[int]) -> int | None:
    """An operation with a fixed start later in ``seq`` that is ready (routing and pins) and
    whose fixed start comes before ``finish`` (the end of ``seq[k]`` if it ran now), when
    ``seq[k]`` may give way (not in progress, not fixed, not pinned before it)."""
    i = seq[k]
    if prep.in_progress[i] or prep.pinned[i] is not None:
        return None
    w = assigned[i]
    for f in fixed:
        if end[f] >= 0 or f == i or prep.pinned[f] >= finish:
            continue
        p = prep.pred[f]
        preds = [a for a in prep.pins_before.get(f, ()) if assigned[a] == w]
        if (p is None or end[p] >= 0) and all(end[a] >= 0 for a in preds) and i not in preds:
            return f
    return None


def late_orders(prep: Prepared, end: list[int]) -> int:
    """How many orders end after their due moment in a schedule with end minutes ``end``."""
    return sum(
        1 for rn, idx in prep.order_ops.items()
        if prep.due_min[rn] is not None and max(end[i] for i in idx) > prep.due_min[rn]
    )


def decode(prep: Prepared, sequences: dict[str, list[int]]) -> Decoded:
    """Semi-active schedule that follows ``sequences`` (op indices per work center).

    Each operation runs on the work center whose queue holds it. Operations missing from
    ``sequences`` are appended; a sequence that contradicts the order routings or the pins
    (a cycle) is repaired by pulling the first startable operation forward, with a warning.
    """
    n = prep.n
    seqs: dict[str, list[int]] = {w: list(sequences.get(w, [])) for w in prep.work_centers()}
    listed = {i for s in seqs.values() for i in s}
    for i in range(n):
        if i not in listed:
            seqs.setdefault(prep.wc[i], []).append(i)
    assigned = list(prep.wc)
    for w, seq in seqs.items():
        for i in seq:
            assigned[i] = w
    start = [0] * n
    end = [-1] * n
    ivs: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    setup = [0] * n
    warnings: list[str] = []
    pos = dict.fromkeys(seqs, 0)
    free = dict.fromkeys(seqs, 0)
    last: dict[str, int | None] = dict.fromkeys(seqs)
    fixed = {w: [i for i in seq if prep.pinned[i] is not None and not prep.in_progress[i]] for w, seq in seqs.items()}
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
                if any(end[a] < 0 for a in prep.pins_before.get(i, ()) if assigned[a] == w):
                    break  # a pinned-before operation later in this queue: repaired below
                est = free[w]
                if p is not None and end[p] > est:
                    est = end[p]
                pin = prep.pinned[i]
                busy_until = est
                if pin is not None and pin > est:
                    est = pin
                setup[i] = prep.setup(i, last[w], w)
                s = tl.next_working(est)
                pieces = tl.intervals(s, setup[i] + prep.dur[i])
                f = _fixed_first(prep, seq, k, pieces[-1][1], end, assigned, fixed[w])
                if f is not None:  # a later operation's fixed start falls inside this one: it goes first
                    seq.insert(k, seq.pop(seq.index(f, k)))
                    continue
                start[i] = pieces[0][0]
                if pin is not None and start[i] != pin:
                    warnings.append(_fixed_start_missed(prep, i, pin, busy_until, start[i]))
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
                    pinned_first = [a for a in prep.pins_before.get(seq[k], ()) if assigned[a] == w]
                    if (p is None or end[p] >= 0) and all(end[a] >= 0 for a in pinned_first):
                        i = seq.pop(k)
                        seq.insert(k0, i)
                        warnings.append(
                            f"sequence on {w} contradicts the routing or a pin: operation "
                            f"{prep.ops[i].op_id} moved forward"
                        )
                        break
                else:
                    continue
                break
            else:  # pragma: no cover - impossible: some routing head is always startable
                raise RuntimeError("decode deadlock")
    return Decoded(start, end, ivs, seqs, warnings, assigned, setup)


