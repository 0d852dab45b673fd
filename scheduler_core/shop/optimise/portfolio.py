"""The ``optimise`` strategy: constructive heuristics, CP-SAT, exact local search.

Objective (lexicographic): weighted tardiness against the chosen due date (weights from
priority), then makespan. Without any due date only makespan counts.

Model: one interval variable per open operation, ``AddNoOverlap`` per work center,
routing precedence, in-progress operations first on their work center, pinned starts,
the planner's pins; hinted with the best heuristic plan. A setup (which depends on the
operation before) counts in full in the model; with setups the last 15 % of the time goes
to an exact search that moves operations next to one of the same product. Time is in minutes
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
import time

from scheduler_core.progress import ProgressCallback, scaled
from scheduler_core.shop.builder import Decoded, decode, late_orders, sequences_of
from scheduler_core.shop.dispatch import apply_pins, dispatch_order, serial_sequences
from scheduler_core.shop.kpis import to_result
from scheduler_core.shop.model import ShopProblem
from scheduler_core.shop.optimise.coords import SolverCoords
from scheduler_core.shop.optimise.cpsat import solve
from scheduler_core.shop.optimise.heuristics import giffler_thompson, single_machine_ils
from scheduler_core.shop.optimise.search import rank_search, setup_search
from scheduler_core.shop.options import ShopOptions
from scheduler_core.shop.prepared import Prepared, prepare
from scheduler_core.shop.result import ShopResult

log = logging.getLogger(__name__)


def plan_optimise(problem: ShopProblem, options: ShopOptions, progress: ProgressCallback,
                  warm_start: ShopResult | None = None) -> ShopResult:
    """The ``optimise`` strategy within ``options.time_limit_s`` seconds (due basis of
    ``options``): the best of dispatch, the heuristics, ``warm_start``'s queues (pins
    applied), CP-SAT and the rank search, never worse than ``dispatch``. With a warm start
    (re-planning an edited plan) only plans with no more late orders than the edited plan
    compete, so the result is never worse than it in late orders nor in weighted tardiness
    (and then may be worse than ``dispatch``). Raises ``InputError`` as ``prepared.prepare``."""
    time_limit_s = options.time_limit_s
    t0 = time.perf_counter()
    deadline = t0 + time_limit_s
    cb = progress
    prep = prepare(problem, options.due_basis)
    cb(0.0, "preparing")
    co = SolverCoords(prep)

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
    if warm_start is not None:
        planned = ((p.op_id, p.work_center, p.start) for p in warm_start.operations)
        consider(apply_pins(prep, sequences_of(prep, planned)), "plan being edited")
        warm_dec = candidates[-1][2]
    has_due = any(d is not None for d in prep.due_min.values())
    has_flex = any(len(a) > 1 for a in prep.allowed)
    if has_flex:
        consider_rank(disp_rank, "dispatch-flex", flexible=True)
    consider(giffler_thompson(prep, co, "mwkr"), "mwkr")
    if has_due:
        consider(giffler_thompson(prep, co, "slack"), "slack")
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
        and not prep.pins
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
    setups = any(prep.longest_setup(i) for i in range(prep.n))
    share = 0.3 if search or setups else 1.0
    # with setups, the last part of the time polishes the best plan's queues (setup_search)
    polish_at = deadline - (0.15 * time_limit_s if setups else 0.0)
    solver_budget = share * (deadline - time.perf_counter())
    status = "heuristic"
    solver_keys: list[tuple[int, int]] = []
    solved = False
    if solver_budget > 0.05 and not (single and best_key[0] == 0):
        hi = 0.05 + 0.9 * share
        sols, status = solve(prep, co, hint, solver_budget, scaled(cb, 0.05, hi))
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
    if search and polish_at - time.perf_counter() > 0.2:
        ranked = sorted((c for c in candidates if c[1] in ranks), key=lambda c: c[0])
        if ranked and ranked[0][0][0] > 0:
            rank_list, assign = ranks[ranked[0][1]]
            found = rank_search(prep, rank_list, assign, polish_at, cb, 0.05 + 0.9 * share,
                                 0.99)
            if found is not None:
                candidates.append((found[0], "rank-search", found[2]))
                found_at[id(found[2])] = found[3] - t0
    if setups:
        candidates.sort(key=lambda c: c[0])
        polished = setup_search(prep, candidates[0][2], deadline)
        if polished is not None:
            candidates.append((polished.key(prep), "setup-search", polished))
            found_at[id(polished)] = time.perf_counter() - t0
    if warm_start is not None:
        # an edit's re-plan never trades late orders for weighted tardiness behind the
        # planner's back: only plans with at most the edited plan's late orders compete
        most = late_orders(prep, warm_dec.end)
        candidates = [c for c in candidates if late_orders(prep, c[2].end) <= most]
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
    runtime_s = time.perf_counter() - t0
    return to_result(
        prep,
        best_dec,
        "optimise",
        proven_optimal=proven,
        runtime_s=runtime_s,
        status=f"solver {status}; best from {source}" if solved else f"best from {source}",
        best_found_s=round(found_at.get(id(best_dec), runtime_s), 3),
    )


def _makespan_lower_bound(prep: Prepared) -> int:
    """Longest routing or busiest work center (minutes): a makespan no plan beats."""
    lb = 0
    for idx in prep.order_ops.values():
        lb = max(lb, sum(prep.dur[i] for i in idx))
    load: dict[str, int] = {}
    for i in range(prep.n):
        load[prep.wc[i]] = load.get(prep.wc[i], 0) + prep.dur[i]
    return max([lb, *load.values()])
