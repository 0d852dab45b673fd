"""CP-SAT assignment model of lots to blocks (``milp-opt``, and the neighbourhoods of ``best``).

Variables ``x[i,b]`` (lot ``i`` in block ``b``), ``y[t,b]`` (type ``t`` present in block
``b``), ``u[b]`` (block used). With the grouped cost formula of ``rules`` the block
constraint and the makespan are linear:

    sum_i a_i x[i,b] + sum_t (c - s_t) y[t,b] <= (window + c) u[b]
    makespan = sum_i a_i + sum_b ((clean - c) u[b] + sum_t (c - s_t) y[t,b])

Symmetry breaking: used blocks form a prefix, and the k-th largest lot goes to one of the
first k+1 blocks. When the instance is not ``exact`` the model is a safe over-estimate: every
solution it returns is feasible, but its optimum is not a proof.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler_core import stopping
from scheduler_core.filling.rules import Instance
from scheduler_core.progress import ProgressCallback, noop_progress


@dataclass
class SubResult:
    """What a CP-SAT solve of some blocks returns: the new ``blocks`` (``None`` when nothing
    feasible was found), their model ``objective`` (ticks, sum of item sizes excluded),
    whether it is ``proven`` optimal, the solver ``status`` and its ``best_bound``.
    """
    blocks: list[list[int]] | None  # None: nothing feasible found
    objective: int | None  # model objective (sum_i a_i excluded) of ``blocks``
    proven: bool  # the model's optimum is proven
    status: str
    best_bound: int | None


def block_cost(inst: Instance, block: list[int]) -> int:
    """Model objective contribution of one block: (clean - c) + sum of present type extras."""
    if not block:
        return 0
    return inst.clean - inst.cross + sum(inst.type_extra(t) for t in {inst.type_of[i] for i in block})


class _Progress(cp_model.CpSolverSolutionCallback):
    """Reports each solution in hours (the plan's makespan and the solver's bound, when the
    solve covers the whole input) and remembers when the search last made progress (a
    better solution or a better bound), for ``stall_s``."""

    def __init__(self, callback: ProgressCallback, time_limit: float, base: int, to_hours):
        super().__init__()
        self._callback = callback
        self._limit = max(time_limit, 1e-6)
        self._base = base
        self._to_hours = to_hours
        self._start = time.monotonic()
        self.last_progress = self._start

    def on_solution_callback(self) -> None:
        self.last_progress = time.monotonic()
        elapsed = self.last_progress - self._start
        plan_h = self._to_hours(self._base + int(self.ObjectiveValue()))
        bound_h = self._to_hours(self._base + int(self.BestObjectiveBound()))
        self._callback(min(elapsed / self._limit, 1.0), f"plan {plan_h:.1f} h (solver bound {bound_h:.1f} h)")

    def on_bound(self, _bound: float) -> None:
        self.last_progress = time.monotonic()


def solve_subset(
    inst: Instance,
    items: list[int],
    max_blocks: int,
    *,
    time_limit_s: float,
    hint: list[list[int]] | None = None,
    objective_lb: int | None = None,
    objective_ub: int | None = None,
    workers: int = 2,
    progress: ProgressCallback | None = None,
    stall_s: float | None = None,
    seed: int = 0,
) -> SubResult:
    """Best packing of ``items`` into at most ``max_blocks`` blocks under the model above.

    ``time_limit_s`` covers building the model too. With ``stall_s`` the search also ends
    after that many seconds without a better solution or bound."""
    began = time.monotonic()
    order = sorted(items, key=lambda i: (-inst.size(i), i))
    pos = {i: k for k, i in enumerate(order)}
    m = cp_model.CpModel()
    nb = min(max_blocks, len(order))
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for k, i in enumerate(order):
        for b in range(min(k + 1, nb)):
            x[i, b] = m.new_bool_var(f"x{i}_{b}")
    types = sorted({inst.type_of[i] for i in order})
    members = {t: [i for i in order if inst.type_of[i] == t] for t in types}
    u = [m.new_bool_var(f"u{b}") for b in range(nb)]
    y = {(t, b): m.new_bool_var(f"y{t}_{b}") for t in types for b in range(nb)}
    for i in order:
        m.add_exactly_one(x[i, b] for b in range(nb) if (i, b) in x)
    for b in range(nb):
        if stopping.requested():  # building a large model takes seconds: stop here too
            return SubResult(None, None, False, stopping.CANCELLED_STATUS, None)
        in_b = [x[i, b] for i in order if (i, b) in x]
        if b + 1 < nb:
            m.add_implication(u[b + 1], u[b])
        m.add_bool_or(in_b).only_enforce_if(u[b])
        for t in types:
            xt = [x[i, b] for i in members[t] if (i, b) in x]
            if not xt:
                m.add(y[t, b] == 0)
                continue
            for v in xt:
                m.add_implication(v, y[t, b])
            m.add_bool_or(xt).only_enforce_if(y[t, b])
            m.add_implication(y[t, b], u[b])
        m.add(
            sum(inst.size(i) * x[i, b] for i in order if (i, b) in x)
            + sum(inst.type_extra(t) * y[t, b] for t in types)
            <= inst.capacity * u[b]
        )
    objective = sum((inst.clean - inst.cross) * u[b] for b in range(nb)) + sum(
        inst.type_extra(t) * y[t, b] for t in types for b in range(nb)
    )
    if objective_lb is not None:
        m.add(objective >= objective_lb)
    if objective_ub is not None:
        m.add(objective <= objective_ub)
    m.minimize(objective)
    if hint:
        canonical = sorted((blk for blk in hint if blk), key=lambda blk: min(pos[i] for i in blk))
        if len(canonical) <= nb:
            where = {i: b for b, blk in enumerate(canonical) for i in blk}
            for (i, b), var in x.items():
                m.add_hint(var, where.get(i) == b)
            for b in range(nb):
                m.add_hint(u[b], b < len(canonical))
                present = {inst.type_of[i] for i in canonical[b]} if b < len(canonical) else set()
                for t in types:
                    m.add_hint(y[t, b], t in present)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, time_limit_s - (time.monotonic() - began))
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.log_search_progress = False
    callback = _Progress(progress or noop_progress, time_limit_s, sum(inst.size(i) for i in order), inst.scale.to_hours)
    stalled = None
    if stall_s is not None:
        solver.best_bound_callback = callback.on_bound
        stalled = lambda: time.monotonic() - callback.last_progress > stall_s  # noqa: E731
    with stopping.watched(solver.stop_search, also=stalled):
        status = solver.solve(m, callback)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return SubResult(None, None, status == cp_model.INFEASIBLE, name, None)
    blocks: list[list[int]] = [[] for _ in range(nb)]
    for (i, b), var in x.items():
        if solver.boolean_value(var):
            blocks[b].append(i)
    blocks = [blk for blk in blocks if blk]
    obj = sum(block_cost(inst, blk) for blk in blocks)
    return SubResult(blocks, obj, status == cp_model.OPTIMAL, name, int(solver.best_objective_bound))

