"""Block and lot order when lots have release times or due dates (DESIGN.md §1).

Without releases and due dates a plan is fixed by which lots share a block. With them the
order matters: a fill waits for its lot's release (the line waits, inside the block's
window) and lateness depends on when each fill ends. This module turns any packing into a
timed plan and improves it:

* :func:`arrange` – what every constructive strategy gets: lots grouped by type inside each
  block (the changeover-optimal order), groups and blocks in order of their earliest due
  date (then release), and every block whose window the waits overrun split where it stops
  fitting (:func:`repair`). ``as-given`` keeps the user's order and is only repaired.
* :func:`best_start` – the starting plan of ``best`` and ``milp-opt``: the best of the plans
  given, the due-date plan (:func:`by_due_date`) and dispatching plans (:func:`by_urgency`,
  the ATCS rule of Lee, Bhaskaran & Pinedo, 1997).
* :func:`improve` – what ``best`` gets next: a late-acceptance hill climbing (Burke & Bykov,
  2017) over the plan – move or swap lots between nearby blocks, move blocks – that
  minimises :func:`score`, the run's objective: ``makespan`` = (end, weighted tardiness) or
  ``due`` = (weighted tardiness, end), both in ticks, compared lexicographically.

Every plan returned here is feasible: each block fits its window including waits.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

from scheduler_core import stopping
from scheduler_core.filling.rules import Instance

#: Length of the late-acceptance history of :func:`improve`.
HISTORY = 50

Score = tuple[int, int]


def score(inst: Instance, blocks: list[list[int]], objective: str) -> Score:
    """The objective of a packing in line order: ``(end, weighted tardiness)`` for
    ``makespan``, ``(weighted tardiness, end)`` for ``due`` (ticks; end = the last fill's
    end from the plan's start). Smaller is better, compared as tuples."""
    times = inst.timeline(blocks)
    end = times[-1].end if times else 0
    wt = sum(_block_tardiness(inst, block, t) for block, t in zip([b for b in blocks if b], times, strict=True))
    return (wt, end) if objective == "due" else (end, wt)


def weighted_tardiness(inst: Instance, blocks: list[list[int]]) -> int:
    """Sum of ``weight * max(0, fill end - due)`` in ticks over the lots of a timed packing."""
    return score(inst, blocks, "due")[0]


def due_order(inst: Instance, i: int) -> float:
    """Lot ``i``'s due tick, or infinity when it has no due date (undated lots order last)."""
    due = inst.due[i]
    return float("inf") if due is None else due


def _urgency(inst: Instance, lots: list[int]) -> tuple[float, int]:
    return (min(due_order(inst, i) for i in lots), min(inst.release[i] for i in lots))


def order_block(inst: Instance, block: list[int]) -> list[int]:
    """Lots of one block grouped by type (the changeover-optimal grouping), the groups in
    order of their earliest due date (then release), each group by release, then due."""
    groups: dict[int, list[int]] = {}
    for i in block:
        groups.setdefault(inst.type_of[i], []).append(i)
    for members in groups.values():
        members.sort(key=lambda i: (inst.release[i], due_order(inst, i), i))
    if not inst.exact:  # a general matrix: keep the changeover-optimal type order
        grouped = inst.order_block(block)
        keys = list(dict.fromkeys(inst.type_of[i] for i in grouped))
    else:
        keys = sorted(groups, key=lambda t: _urgency(inst, groups[t]))
    return [i for t in keys for i in groups[t]]


def repair(inst: Instance, blocks: list[list[int]]) -> list[list[int]]:
    """The packing with every block whose window its waits overrun split where it stops
    fitting (the rest opens the next block). A lot alone always fits (its block's CLEAN is
    put off until its release), so this always ends."""
    out: list[list[int]] = []
    queue = [list(b) for b in blocks if b]
    k = 0
    while k < len(queue):
        block = queue[k]
        cut = _fitting_prefix(inst, out, block)
        if cut < len(block):
            queue.insert(k + 1, block[cut:])
            block = block[:cut]
        out.append(block)
        k += 1
    return out


def _fitting_prefix(inst: Instance, before: list[list[int]], block: list[int]) -> int:
    """How many leading lots of ``block`` fit in its window after the blocks ``before``."""
    free = inst.timeline(before)[-1].end if before else 0
    for k in range(2, len(block) + 1):
        if not inst.span_fits(inst.block_times(free, block[:k])):
            return k - 1
    return len(block)


def arrange(inst: Instance, blocks: list[list[int]], *, keep_order: bool = False) -> list[list[int]]:
    """A timed plan of a packing: blocks and their lots in the order described in the module
    docstring (``keep_order``: as given), then :func:`repair`."""
    blocks = [b for b in blocks if b]
    if not keep_order:
        blocks = sorted((order_block(inst, b) for b in blocks), key=lambda b: _urgency(inst, b))
    return repair(inst, blocks)


def by_due_date(inst: Instance) -> list[list[int]]:
    """A plan for due dates: lots in order of due date (weight breaks ties, undated last),
    cut into blocks where the window is full, each block then grouped by type."""
    order = sorted(range(inst.n), key=lambda i: (due_order(inst, i), -inst.weight[i], i))
    return arrange(inst, repair(inst, [order]))


#: Above this many lots :func:`best_start` tries fewer dispatching plans.
URGENCY_LOTS = 400
#: Look-ahead parameters (k1, k2) tried by :func:`by_urgency`.
URGENCY_PARAMETERS = ((0.5, 0.5), (1.0, 0.5), (2.0, 1.0), (3.0, 1.0), (1.0, 2.0), (5.0, 2.0))


def by_urgency(inst: Instance, k1: float, k2: float) -> list[list[int]]:
    """A plan built by dispatching: the line repeatedly fills the lot with the highest
    apparent tardiness cost with setups (ATCS, Lee, Bhaskaran & Pinedo 1997),
    ``w/f * exp(-max(due - f - start, 0) / (k1 * mean fill)) * exp(-delay / (k2 * clean))``,
    where ``delay`` is the changeover (or clean, when the lot does not fit the open block, or
    starts a new one) plus any wait for its release. Lots without due date count as due at
    the end of time (they go last among equals). Once a stop is requested, the lots not
    placed yet follow in due-date order."""
    mean_fill = sum(inst.fill) / max(inst.n, 1)
    left = set(range(inst.n))
    blocks: list[list[int]] = []
    free = opened = 0
    last = -1
    never = sum(inst.fill) * 10 + max(inst.release, default=0) + inst.clean * inst.n
    while left:
        if len(left) % 32 == 0 and stopping.requested():  # the rest in due-date order
            rest = sorted(left, key=lambda i: (due_order(inst, i), i))
            return repair(inst, [*blocks, rest])
        best_key, best = -1.0, (-1, False, 0)
        for j in left:
            f = inst.fill[j]
            new = last < 0
            if not new:
                begin = max(free + inst.matrix[inst.type_of[last]][inst.type_of[j]], inst.release[j])
                if begin + f - opened > inst.window:
                    new = True
            if new:
                begin = max(free + inst.clean, inst.release[j])
            due = inst.due[j] if inst.due[j] is not None else never
            slack = max(due - f - begin, 0)
            key = inst.weight[j] / f * math.exp(-slack / (k1 * mean_fill) - (begin - free) / (k2 * inst.clean or 1))
            if key > best_key:
                best_key, best = key, (j, new, begin)
        j, new, begin = best
        if new:
            blocks.append([])
            opened = begin
        blocks[-1].append(j)
        free, last = begin + inst.fill[j], j
        left.remove(j)
    return repair(inst, blocks)


def best_start(inst: Instance, objective: str, plans: list[list[list[int]]]) -> list[list[int]]:
    """The best by :func:`score` of ``plans``, the due-date plan and the dispatching plans
    of :data:`URGENCY_PARAMETERS` (the starting plan of the searches). Dispatching takes
    ``n^2`` steps: above :data:`URGENCY_LOTS` lots only the first two parameter pairs are
    tried, and none once a stop is requested."""
    candidates = [*plans, by_due_date(inst)]
    for k1, k2 in URGENCY_PARAMETERS if inst.n <= URGENCY_LOTS else URGENCY_PARAMETERS[:2]:
        if stopping.requested():
            break
        candidates.append(by_urgency(inst, k1, k2))
    return min(candidates, key=lambda b: score(inst, b, objective))


def improve(
    inst: Instance,
    blocks: list[list[int]],
    objective: str,
    deadline: float,
    *,
    patience: float = float("inf"),
    seed: int = 0,
    on_better: Callable[[list[list[int]]], None] | None = None,
) -> list[list[int]]:
    """Late-acceptance hill climbing on a timed plan until ``deadline`` (``time.monotonic``
    seconds), a stop request, or ``patience`` seconds without a better plan; returns the best
    plan by :func:`score` (never worse than ``blocks``). ``on_better(plan)`` is called with
    each new best plan. A neighbour is timed from its first changed block on (the blocks
    before it keep their times), and given up as soon as its tardiness passes what would be
    accepted (objective ``due``)."""
    rng = random.Random(seed)
    current = _Timed(inst, [list(b) for b in blocks if b], objective)
    best, best_score = [list(b) for b in current.blocks], current.score
    history = [current.score] * HISTORY
    last_better = time.monotonic()
    step = 0
    while not (step % 16 == 0 and stopping.expired(deadline)):
        step += 1
        slot = step % HISTORY
        move = _neighbour(inst, current.blocks, rng)
        if move is None:
            continue
        limit = max(current.score, history[slot])
        timed = current.try_plan(move, limit)
        if timed is not None:
            current = timed
            if current.score < best_score:
                best, best_score = [list(b) for b in current.blocks], current.score
                last_better = time.monotonic()
                if on_better is not None:
                    on_better(best)
        history[slot] = current.score
        if step % 16 == 0 and time.monotonic() - last_better > patience:
            break
    return best


class _Timed:
    """A feasible plan, its score, and what lets a neighbour be timed cheaply: per block the
    tick the line is free before it and the weighted tardiness of the blocks before it (the
    blocks before a change keep their times), and, for the blocks after a change, whether
    they have no wait and how far they could move earlier without starting a fill before its
    release (then they only shift, and their tardiness is a sum over their dated lots)."""

    def __init__(self, inst: Instance, blocks: list[list[int]], objective: str,
                 base: _Timed | None = None, first: int = 0, tail: tuple[int, int] | None = None):
        """Time ``blocks``; with ``base``, reuse its times before ``first`` and, with ``tail =
        (k, delta)``, its blocks from ``k + len(base.blocks) - len(blocks)`` on (which are
        ``blocks[k:]``) moved by ``delta`` ticks."""
        self.inst, self.blocks, self.objective = inst, blocks, objective
        keep = first if base is not None else 0
        stop = tail[0] if tail is not None else len(blocks)
        if base is not None:
            free, tardy = base.free[: keep + 1], base.tardy[: keep + 1]
            dated, pos = base.dated[: base.pos[keep]], base.pos[: keep + 1]
            waits, slack = base.waits[:keep], base.slack[:keep]
        else:
            free, tardy, dated, pos, waits, slack = [0], [0], [], [0], [], []
        for block in blocks[keep:stop]:
            times = inst.block_times(free[-1], block)
            tardy.append(tardy[-1] + _block_tardiness(inst, block, times))
            waits.append(times.end - free[-1] != inst.clean + inst.sequence_load(block))
            slack.append(min((s - inst.release[i] for i, s in zip(block, times.fill_starts, strict=True)
                              if inst.release[i]), default=float("inf")))
            free.append(times.end)
            dated += [(s + inst.fill[i], inst.due[i], inst.weight[i])
                      for i, s in zip(block, times.fill_starts, strict=True) if inst.due[i] is not None]
            pos.append(len(dated))
        if tail is not None and base is not None:
            k, delta = tail
            tk = k + len(base.blocks) - len(blocks)
            for b in range(tk, len(base.blocks)):
                lots = [(c + delta, d, w) for c, d, w in base.dated[base.pos[b]:base.pos[b + 1]]]
                tardy.append(tardy[-1] + sum(w * (c - d) for c, d, w in lots if c > d))
                free.append(base.free[b + 1] + delta)
                dated += lots
                pos.append(len(dated))
            waits += base.waits[tk:]
            slack += [v + delta for v in base.slack[tk:]]
        rigid, room = [True] * (len(blocks) + 1), [float("inf")] * (len(blocks) + 1)
        for m in range(len(blocks) - 1, -1, -1):
            rigid[m], room[m] = rigid[m + 1] and not waits[m], min(room[m + 1], slack[m])
        self.free, self.tardy, self.dated, self.pos = free, tardy, dated, pos
        self.waits, self.slack, self.rigid, self.room = waits, slack, rigid, room
        wt, end = tardy[-1], free[-1]
        self.score: Score = (wt, end) if objective == "due" else (end, wt)

    def try_plan(self, blocks: list[list[int]], limit: Score) -> _Timed | None:
        """``blocks`` (a neighbour: blocks it shares with this plan are the same objects)
        timed, if every block fits and its score is at most ``limit``; else ``None``."""
        inst, mine = self.inst, self.blocks
        first, common = 0, min(len(blocks), len(mine))
        while first < common and blocks[first] is mine[first]:
            first += 1
        shift = len(mine) - len(blocks)
        last, lowest = len(blocks) - 1, max(first, -shift)
        while last >= lowest and blocks[last] is mine[last + shift]:
            last -= 1
        free, tardy = self.free[first], self.tardy[first]
        prune = limit[0] if self.objective == "due" else None
        k, tail = first, None
        while k < len(blocks):
            if k > last:  # the rest are this plan's blocks, shifted by delta
                tk = k + shift
                delta = free - self.free[tk]
                if delta == 0 or (self.rigid[tk] and -delta <= self.room[tk]):
                    tardy += self._tail_tardiness(tk, delta)
                    free = self.free[-1] + delta
                    tail = (k, delta)
                    break
            times = inst.block_times(free, blocks[k])
            if not inst.span_fits(times):
                return None
            tardy += _block_tardiness(inst, blocks[k], times)
            free = times.end
            if prune is not None and tardy > prune:
                return None
            k += 1
        score = (tardy, free) if self.objective == "due" else (free, tardy)
        if score > limit:
            return None
        return _Timed(inst, blocks, self.objective, self, first, tail)

    def _tail_tardiness(self, k: int, delta: int) -> int:
        """Weighted tardiness of this plan's blocks from ``k`` on, all moved by ``delta``."""
        if delta == 0:
            return self.tardy[-1] - self.tardy[k]
        return sum(w * (c + delta - d) for c, d, w in self.dated[self.pos[k]:] if c + delta > d)


def _block_tardiness(inst: Instance, block: list[int], times) -> int:
    total = 0
    for i, begin in zip(block, times.fill_starts, strict=True):
        d = inst.due[i]
        if d is not None and begin + inst.fill[i] > d:
            total += inst.weight[i] * (begin + inst.fill[i] - d)
    return total


#: Most of the moves of :func:`improve` stay within this many blocks of where they start.
REACH = 3


def _near(rng: random.Random, k: int, size: int) -> int:
    """A block index near ``k`` (within :data:`REACH`) most of the time, else anywhere."""
    if rng.random() < 0.8:
        return min(size - 1, max(0, k + rng.randint(-REACH, REACH)))
    return rng.randrange(size)


def _neighbour(inst: Instance, blocks: list[list[int]], rng: random.Random) -> list[list[int]] | None:
    """A random neighbour: move a lot (to a block nearby, or a new block of its own), swap
    two lots of nearby blocks, or move a block a few places; ``None`` when void. Only the
    changed blocks are copied (the others stay the same objects, see ``_Timed.try_plan``)."""
    out = list(blocks)
    kind = rng.random()
    if kind < 0.45:
        a = rng.randrange(len(out))
        out[a] = list(out[a])
        lot = out[a].pop(rng.randrange(len(out[a])))
        if rng.random() < 0.05 or len(out) == 1:
            out.insert(_near(rng, a, len(out) + 1), [lot])
        else:
            b = _near(rng, a, len(out))
            out[b] = list(out[b])
            out[b].insert(_type_slot(inst, out[b], lot, rng), lot)
    elif kind < 0.85:
        a = rng.randrange(len(out))
        b = _near(rng, a, len(out))
        i, j = rng.randrange(len(out[a])), rng.randrange(len(out[b]))
        if a == b and i == j:
            return None
        out[a] = list(out[a])
        out[b] = out[a] if a == b else list(out[b])
        out[a][i], out[b][j] = out[b][j], out[a][i]
    else:
        if len(out) < 2:
            return None
        a = rng.randrange(len(out))
        block = out.pop(a)
        out.insert(_near(rng, a, len(out) + 1), block)
    return [b for b in out if b]


def _type_slot(inst: Instance, block: list[int], lot: int, rng: random.Random) -> int:
    """Where to insert ``lot`` into ``block``: mostly next to a lot of its type (keeping the
    grouping that saves changeovers), else anywhere."""
    same = [k for k, i in enumerate(block) if inst.type_of[i] == inst.type_of[lot]]
    if same and rng.random() < 0.8:
        return rng.choice(same) + rng.randint(0, 1)
    return rng.randint(0, len(block))
