"""The shop's own rule (the baseline strategy ``dispatch``).

Work orders are ranked by: manual urgency rank (1 = most urgent; orders on the list come
first), then the due date of the chosen basis (assembly date, option delivery date; the
other date when that one is blank; orders without any date last), then priority level
(1 high), then RN. Operations are taken in that order (an order's operations in their
sequence); operations already in progress come first and stay at the head of their work
center, and the planner's pins are kept. In that order each operation takes the
earliest free time of its work center after its predecessor (a gap left earlier may be
filled by a later order: the rank decides who gets capacity first, not who waits for whom).
``builder.decode`` turns the resulting queues into times.
"""

from __future__ import annotations

import heapq
import math
import time
from bisect import bisect_right
from datetime import datetime

from scheduler_core.progress import ProgressCallback
from scheduler_core.shop.builder import decode
from scheduler_core.shop.kpis import to_result
from scheduler_core.shop.model import ShopProblem, WorkOrder
from scheduler_core.shop.options import ShopOptions
from scheduler_core.shop.prepared import Prepared, natural_key, prepare
from scheduler_core.shop.result import ShopResult


def order_key(order: WorkOrder, due: str = "assembly") -> tuple:
    """The dispatch rank of a work order (smaller = earlier)."""
    rank = order.urgency_rank if order.urgency_rank is not None else math.inf
    d = order.due(due)
    return (rank, d is None, d or datetime.min, order.priority_level, natural_key(order.rn))


def dispatch_order(orders: list[WorkOrder], due: str = "assembly") -> list[WorkOrder]:
    """``orders`` in dispatch rank order (see :func:`order_key`)."""
    return sorted(orders, key=lambda o: order_key(o, due))


def pins_on(prep: Prepared, work_center: str) -> list[tuple[int, int]]:
    """The pins that bind on ``work_center`` now (both operations assigned to it)."""
    return [(a, b) for a, b in prep.pins if prep.wc[a] == work_center and prep.wc[b] == work_center]


def _topological(nodes: list[int], edges: list[tuple[int, int]], key) -> list[int]:
    """``nodes`` in an order where every edge ``(a, b)`` has ``a`` first, the smallest
    ``key`` first among those ready (a stable topological order); shorter than ``nodes``
    when the edges form a cycle."""
    waiting = dict.fromkeys(nodes, 0)
    after: dict[int, list[int]] = {}
    for a, b in edges:
        after.setdefault(a, []).append(b)
        waiting[b] += 1
    ready = [(key(i), i) for i in nodes if waiting[i] == 0]
    heapq.heapify(ready)
    out: list[int] = []
    while ready:
        _, i = heapq.heappop(ready)
        out.append(i)
        for b in after.get(i, ()):
            waiting[b] -= 1
            if waiting[b] == 0:
                heapq.heappush(ready, (key(b), b))
    return out


def apply_pins(prep: Prepared, seqs: dict[str, list[int]]) -> dict[str, list[int]]:
    """Each queue changed as little as possible so that every pin holds (``first`` before
    ``then``): a stable topological order by queue position. Operations in progress keep
    their place at the head of the queue (a pin that would move one is ignored)."""
    for w, seq in seqs.items():
        pins = [(a, b) for a, b in pins_on(prep, w) if not prep.in_progress[b]]
        if not pins:
            continue
        position = {i: k for k, i in enumerate(seq)}
        pins = [(a, b) for a, b in pins if a in position and b in position]
        out = _topological(seq, pins, position.__getitem__)
        if len(out) == len(seq):  # a cycle (prevented by the model) would keep the queue
            seqs[w] = out
    return seqs


def _serial_order(prep: Prepared, key) -> list[int]:
    """Operation indices by ``key``, each after its routing predecessor and after the
    operations pinned before it (a topological order of routing and pins)."""
    edges = [(prep.pred[i], i) for i in range(prep.n) if prep.pred[i] is not None]
    edges += [(a, b) for b, firsts in prep.pins_before.items() for a in firsts]
    out = _topological(list(range(prep.n)), edges, key)
    if len(out) < prep.n:  # a cycle of routing and pins (refused by the model): keep the rest by key
        placed = set(out)
        out += sorted((i for i in range(prep.n) if i not in placed), key=key)
    return out


def _earliest_gap(lst: list[tuple[int, int]], lo: int, d: int) -> tuple[int, int]:
    """First ``(position, start)`` with a free stretch of ``d`` from ``lo`` in ``lst``."""
    k = bisect_right(lst, (lo, 1 << 62))
    if k > 0 and lst[k - 1][1] > lo:
        lo = lst[k - 1][1]
    while k < len(lst) and lst[k][0] < lo + d:
        lo = max(lo, lst[k][1])
        k += 1
    return k, lo


def serial_sequences(
    prep: Prepared, rank: dict[str, int], *, flexible: bool = False
) -> dict[str, list[int]]:
    """Serial schedule generation: operations in (in progress, order rank, sequence) order,
    each placed at the earliest gap of its work center (in the work center's working-minute
    coordinates, with the longest setup it may need) after its predecessor. Returns the resulting queues (pins
    applied); ``decode`` of these queues is never later than the serial schedule.

    ``flexible``: an operation with alternative work centers goes to the one where it ends
    first (``prep.wc`` is updated; callers restore it if needed)."""
    order = _serial_order(prep, lambda i: (not prep.in_progress[i], rank[prep.ops[i].rn], prep.ops[i].sequence))
    busy: dict[str, list[tuple[int, int]]] = {}
    end = [0] * prep.n
    start_w: list[tuple[int, int]] = [(0, 0)] * prep.n
    for i in order:
        est = 0
        p = prep.pred[i]
        if p is not None:
            est = end[p]
        if prep.pinned[i] is not None:
            est = max(est, prep.pinned[i])
        options = prep.allowed[i] if flexible and prep.allowed else (prep.wc[i],)
        best = None
        for w in options:
            d = prep.dur[i] + prep.longest_setup(i, w)
            tl = prep.timelines[w]
            lst = busy.setdefault(w, [])
            est_w = max([est, *(end[a] for a in prep.pins_before.get(i, ()) if prep.wc[a] == w)])
            k, lo = _earliest_gap(lst, tl.cumulative(est_w), d)
            e = tl.at_cumulative(lo + d - 1) + 1
            if best is None or e < best[0]:
                best = (e, w, k, lo)
        e, w, k, lo = best
        prep.wc[i] = w
        busy[w].insert(k, (lo, lo + prep.dur[i] + prep.longest_setup(i, w)))
        start_w[i] = (lo, i)
        end[i] = e
    seqs: dict[str, list[int]] = {w: [] for w in prep.work_centers()}
    for _, i in sorted(start_w[j] for j in range(prep.n)):
        seqs[prep.wc[i]].append(i)
    return apply_pins(prep, seqs)


def dispatch_sequences(prep: Prepared) -> dict[str, list[int]]:
    """The dispatch rule's queues per work center (serial generation in dispatch rank)."""
    ranked = dispatch_order(prep.orders, prep.due_basis)
    rank = {o.rn: k for k, o in enumerate(ranked)}
    return serial_sequences(prep, rank)


def plan_dispatch(problem: ShopProblem, options: ShopOptions, progress: ProgressCallback,
                  warm_start: ShopResult | None = None) -> ShopResult:
    """The ``dispatch`` strategy: the shop's rule, from the problem's start, due basis of
    ``options`` (a rule: ``warm_start`` plays no part). Raises ``InputError`` as
    ``prepared.prepare``."""
    t0 = time.perf_counter()
    prep = prepare(problem, options.due_basis)
    dec = decode(prep, dispatch_sequences(prep))
    result = to_result(prep, dec, "dispatch", runtime_s=time.perf_counter() - t0, status="heuristic")
    progress(1.0, "done")
    return result
