"""Local search over order rankings and work center choices, and over queues to save
setups; each candidate evaluated exactly (serial schedule generation and/or
``builder.decode`` on the real calendars)."""

from __future__ import annotations

import logging
import random
import time

from scheduler_core.progress import ProgressCallback
from scheduler_core.shop.builder import Decoded, decode
from scheduler_core.shop.dispatch import apply_pins, serial_sequences
from scheduler_core.shop.prepared import Prepared

log = logging.getLogger(__name__)


def rank_search(
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


def setup_search(prep: Prepared, dec: Decoded, deadline: float) -> Decoded | None:
    """Save setups: on each work center with a setup time, move an operation to just after
    the nearest earlier operation of the same product in its queue (pins kept); keep a move
    if the exactly decoded plan gets better. Returns the best plan found, or ``None`` when
    no move helped."""
    best, improved = dec, False
    centers = [w for w in best.sequences if prep.setup_of_wc.get(w)]
    progress = True
    while progress and time.perf_counter() < deadline:
        progress = False
        for w in centers:
            queue = best.sequences[w]
            for k in range(2, len(queue)):
                if time.perf_counter() >= deadline:
                    return best if improved else None
                i = queue[k]
                if prep.in_progress[i] or not prep.product[i] or prep.product[queue[k - 1]] == prep.product[i]:
                    continue
                j = next((j for j in range(k - 2, -1, -1) if prep.product[queue[j]] == prep.product[i]), None)
                if j is None:
                    continue
                moved = [*queue[:j + 1], i, *(x for x in queue[j + 1:] if x != i)]
                seqs = apply_pins(prep, {**best.sequences, w: moved})
                cand = decode(prep, seqs)
                if cand.key(prep) < best.key(prep) and not cand.warnings:
                    best, improved, progress = cand, True, True
                    break
    return best if improved else None
