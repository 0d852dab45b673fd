"""Block and lot order when lots have release times or due dates (DESIGN.md §1).

Without releases and due dates a plan is fixed by which lots share a block. With them the
order matters: a fill waits for its lot's release (the line waits, inside the block's
window) and lateness depends on when each fill ends. This module turns any packing into a
timed plan and improves it:

* :func:`arrange` – what every constructive strategy gets: lots grouped by type inside each
  block (the changeover-optimal order), groups and blocks in order of their earliest due
  date (then release), and every block whose window the waits overrun split where it stops
  fitting (:func:`repair`). ``as-given`` keeps the user's order and is only repaired.
* :func:`improve` – what ``best`` (and ``milp-opt`` beyond its model) gets: a late-acceptance
  hill climbing (Burke & Bykov, 2017) over the plan – move or swap lots, move blocks – that
  minimises :func:`score`, the run's objective: ``makespan`` = (end, weighted tardiness) or
  ``due`` = (weighted tardiness, end), both in ticks, compared lexicographically.

Every plan returned here is feasible: each block fits its window including waits.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from scheduler_core import stopping
from scheduler_core.filling.rules import Instance

#: Length of the late-acceptance history of :func:`improve`.
HISTORY = 50

Score = tuple[int, int]


def weighted_tardiness(inst: Instance, blocks: list[list[int]]) -> int:
    """Sum of ``weight * max(0, fill end - due)`` in ticks over the lots of a timed packing."""
    total = 0
    due, weight, fill = inst.due, inst.weight, inst.fill
    for block, times in zip([b for b in blocks if b], inst.timeline(blocks), strict=True):
        for i, begin in zip(block, times.fill_starts, strict=True):
            d = due[i]
            if d is not None and begin + fill[i] > d:
                total += weight[i] * (begin + fill[i] - d)
    return total


def score(inst: Instance, blocks: list[list[int]], objective: str) -> Score:
    """The objective of a packing in line order: ``(end, weighted tardiness)`` for
    ``makespan``, ``(weighted tardiness, end)`` for ``due`` (ticks; end = the last fill's
    end from the plan's start). Smaller is better, compared as tuples."""
    times = inst.timeline(blocks)
    end = times[-1].end if times else 0
    wt = weighted_tardiness(inst, blocks)
    return (wt, end) if objective == "due" else (end, wt)


def _urgency(inst: Instance, lots: list[int]) -> tuple[float, int]:
    dues = [inst.due[i] for i in lots if inst.due[i] is not None]
    return (min(dues) if dues else float("inf"), min(inst.release[i] for i in lots))


def order_block(inst: Instance, block: list[int]) -> list[int]:
    """Lots of one block grouped by type (the changeover-optimal grouping), the groups in
    order of their earliest due date (then release), each group by release, then due."""
    groups: dict[int, list[int]] = {}
    for i in block:
        groups.setdefault(inst.type_of[i], []).append(i)
    never = float("inf")
    for members in groups.values():
        members.sort(key=lambda i: (inst.release[i], never if inst.due[i] is None else inst.due[i], i))
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
    first = block[0]
    ready = max(free, inst.release[first] - inst.clean) + inst.clean
    opened = ready
    for k, i in enumerate(block):
        if k:
            ready += inst.matrix[inst.type_of[block[k - 1]]][inst.type_of[i]]
        ready = max(ready, inst.release[i]) + inst.fill[i]
        if ready - opened > inst.window:
            return max(k, 1)
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
    never = float("inf")
    order = sorted(range(inst.n), key=lambda i: (never if inst.due[i] is None else inst.due[i], -inst.weight[i], i))
    return arrange(inst, repair(inst, [order]))


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
    each new best plan."""
    rng = random.Random(seed)
    current = [list(b) for b in blocks if b]
    current_score = score(inst, current, objective)
    best, best_score = [list(b) for b in current], current_score
    history = [current_score] * HISTORY
    last_better = time.monotonic()
    step = 0
    while not (step % 16 == 0 and stopping.expired(deadline)):
        candidate = _neighbour(inst, current, rng)
        step += 1
        if candidate is None or not _fits(inst, candidate):
            continue
        cand_score = score(inst, candidate, objective)
        slot = step % HISTORY
        if cand_score <= current_score or cand_score <= history[slot]:
            current, current_score = candidate, cand_score
            if cand_score < best_score:
                best, best_score = [list(b) for b in candidate], cand_score
                last_better = time.monotonic()
                if on_better is not None:
                    on_better(best)
        history[slot] = current_score
        if step % 16 == 0 and time.monotonic() - last_better > patience:
            break
    return best


def _fits(inst: Instance, blocks: list[list[int]]) -> bool:
    return all(inst.span_fits(t) for t in inst.timeline(blocks))


def _neighbour(inst: Instance, blocks: list[list[int]], rng: random.Random) -> list[list[int]] | None:
    """A random neighbour: move a lot (to another place, possibly a new block), swap two
    lots, or move a block; ``None`` when the move is void."""
    out = [list(b) for b in blocks]
    move = rng.random()
    if move < 0.45:
        a = rng.randrange(len(out))
        lot = out[a].pop(rng.randrange(len(out[a])))
        if rng.random() < 0.05 or len(out) == 1:
            out.insert(rng.randrange(len(out) + 1), [lot])
        else:
            b = rng.randrange(len(out))
            out[b].insert(_type_slot(inst, out[b], lot, rng), lot)
    elif move < 0.85:
        a, b = rng.randrange(len(out)), rng.randrange(len(out))
        i, j = rng.randrange(len(out[a])), rng.randrange(len(out[b]))
        if a == b and i == j:
            return None
        out[a][i], out[b][j] = out[b][j], out[a][i]
    else:
        if len(out) < 2:
            return None
        a = rng.randrange(len(out))
        block = out.pop(a)
        out.insert(rng.randrange(len(out) + 1), block)
    return [b for b in out if b]


def _type_slot(inst: Instance, block: list[int], lot: int, rng: random.Random) -> int:
    """Where to insert ``lot`` into ``block``: mostly next to a lot of its type (keeping the
    grouping that saves changeovers), else anywhere."""
    same = [k for k, i in enumerate(block) if inst.type_of[i] == inst.type_of[lot]]
    if same and rng.random() < 0.8:
        return rng.choice(same) + rng.randint(0, 1)
    return rng.randint(0, len(block))
