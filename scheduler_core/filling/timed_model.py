"""CP-SAT sequencing model of the filling line with releases and due dates (``milp-opt`` on
such inputs, and the reference of ``benchmarks/filling_due.py``).

The line order is a Hamiltonian circuit through the lots and a depot (``AddCircuit``): arc
``i -> j`` means lot ``j`` is filled right after lot ``i``. Each lot ``j`` has a fill start
``s_j >= release_j``, and a literal ``open_j`` saying it opens a block. Along an arc the
next fill starts after the changeover (same block) or after a CLEAN (new block, whose clean
may be put off until the release); a block's window runs from its first fill's start
(``b_j``, carried along the arcs of the block) to each of its fills' end. Tardiness
``T_j >= s_j + f_j - due_j``. The run's objective (DESIGN.md §1) is lexicographic, so the
model is solved twice: the first objective, then the second with the first held at its
best value (``makespan``: end, then weighted tardiness; ``due``: the reverse).

This model is exact for the line's rules (any lot order, waits anywhere); it grows with
``n^2`` arcs, so it proves optimality only on small inputs. Above ``DENSE_LOTS`` lots each
lot keeps arcs to its ``NEIGHBOURS`` nearest lots by due date and release, to its own type,
and the arcs of the hint; the model is then a neighbourhood, and never claims a proof.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler_core import stopping
from scheduler_core.filling.rules import Instance
from scheduler_core.filling.sequencing import due_order

#: Up to this many lots every arc is in the model (and optimality can be proven).
DENSE_LOTS = 60
#: Arcs kept per lot beyond that: its nearest lots in due-date and in release order.
NEIGHBOURS = 12


@dataclass
class TimedResult:
    """A solve's plan (blocks in line order; ``None`` when nothing was found), whether both
    objectives were proven optimal, and the solver's status words."""

    blocks: list[list[int]] | None
    proven: bool
    status: str


def _arcs(inst: Instance, hint: list[list[int]] | None) -> set[tuple[int, int]]:
    """Lot pairs ``(i, j)`` that may follow each other (all of them on small inputs)."""
    n = inst.n
    if n <= DENSE_LOTS:
        return {(i, j) for i in range(n) for j in range(n) if i != j}
    pairs: set[tuple[int, int]] = set()
    orders = [
        sorted(range(n), key=lambda i: (due_order(inst, i), i)),
        sorted(range(n), key=lambda i: (inst.release[i], i)),
    ]
    for order in orders:
        for k, i in enumerate(order):
            for j in order[max(0, k - NEIGHBOURS): k + NEIGHBOURS + 1]:
                if i != j:
                    pairs.update({(i, j), (j, i)})
    by_type: dict[int, list[int]] = {}
    for i in range(n):
        by_type.setdefault(inst.type_of[i], []).append(i)
    for members in by_type.values():
        members.sort(key=lambda i: (due_order(inst, i), i))
        for a, b in zip(members, members[1:], strict=False):
            pairs.update({(a, b), (b, a)})
    if hint:
        line = [i for block in hint for i in block]
        pairs.update(zip(line, line[1:], strict=False))
    return pairs


def solve_timed(
    inst: Instance,
    objective: str,
    *,
    time_limit_s: float,
    hint: list[list[int]] | None = None,
    workers: int = 2,
) -> TimedResult:
    """The best plan of ``inst`` for ``objective`` (``makespan`` or ``due``) found in
    ``time_limit_s`` seconds (model building included; the first objective gets 60 % of
    what is left). ``hint``: a plan in line order to start from. Honours the run's stop flag."""
    began = time.monotonic()
    n = inst.n
    horizon = _horizon(inst)
    m = cp_model.CpModel()
    start = [m.new_int_var(inst.release[i], horizon, f"s{i}") for i in range(n)]
    opens = [m.new_bool_var(f"o{i}") for i in range(n)]
    block_open = [m.new_int_var(0, horizon, f"b{i}") for i in range(n)]
    arcs: list[tuple[int, int, cp_model.IntVar]] = []
    first = [m.new_bool_var(f"first{i}") for i in range(n)]
    last = [m.new_bool_var(f"last{i}") for i in range(n)]
    for j in range(n):
        arcs += [(0, j + 1, first[j]), (j + 1, 0, last[j])]
        m.add_implication(first[j], opens[j])
        m.add(start[j] >= inst.clean).only_enforce_if(first[j])
        m.add(block_open[j] == start[j]).only_enforce_if(opens[j])
        m.add(start[j] + inst.fill[j] - block_open[j] <= inst.window)
    follows: dict[tuple[int, int], cp_model.IntVar] = {}
    for k, (i, j) in enumerate(sorted(_arcs(inst, hint))):
        if k % 1000 == 0 and stopping.requested():
            return TimedResult(None, False, stopping.CANCELLED_STATUS)
        lit = m.new_bool_var(f"a{i}_{j}")
        follows[i, j] = lit
        arcs.append((i + 1, j + 1, lit))
        end_i = start[i] + inst.fill[i]
        co = inst.matrix[inst.type_of[i]][inst.type_of[j]]
        m.add(start[j] >= end_i + co).only_enforce_if(lit)
        m.add(start[j] >= end_i + inst.clean).only_enforce_if([lit, opens[j]])
        m.add(block_open[j] == block_open[i]).only_enforce_if([lit, opens[j].Not()])
    m.add_circuit(arcs)
    end = m.new_int_var(0, horizon, "end")
    for i in range(n):
        m.add(end >= start[i] + inst.fill[i])
    tardy = []
    for i in range(n):
        if inst.due[i] is not None:
            late = m.new_int_var(0, horizon, f"t{i}")
            m.add(late >= start[i] + inst.fill[i] - inst.due[i])
            tardy.append(inst.weight[i] * late)
    weighted = sum(tardy) if tardy else 0
    goals = [end, weighted] if objective == "makespan" else [weighted, end]
    if hint:
        _hint(m, inst, hint, start, opens, first, last, follows, block_open)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.log_search_progress = False
    proven, status_words, found = True, [], None
    for phase, goal in enumerate(goals):
        left = time_limit_s - (time.monotonic() - began)
        if left <= 0.05 or stopping.requested():
            proven = False
            break
        m.minimize(goal)
        solver.parameters.max_time_in_seconds = left * (0.6 if phase == 0 else 1.0)
        with stopping.watched(solver.stop_search):
            status = solver.solve(m)
        status_words.append(solver.status_name(status))
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            proven = False
            break
        proven = proven and status == cp_model.OPTIMAL
        found = _plan(solver, start, opens)
        value = int(solver.objective_value)
        m.clear_hints()
        _hint_values(m, solver, start, opens, first, last, follows, block_open)
        if isinstance(goal, int):
            continue
        m.add(goal <= value)
    dense = n <= DENSE_LOTS
    return TimedResult(found, proven and dense and found is not None, "/".join(status_words) or "not started")


def _horizon(inst: Instance) -> int:
    """A safe upper bound of every time in the model: the latest release plus every lot in
    a block of its own."""
    return max(inst.release, default=0) + sum(inst.clean + f for f in inst.fill) + 1


def _plan(solver: cp_model.CpSolver, start, opens) -> list[list[int]]:
    order = sorted(range(len(start)), key=lambda i: solver.value(start[i]))
    blocks: list[list[int]] = []
    for i in order:
        if solver.boolean_value(opens[i]) or not blocks:
            blocks.append([])
        blocks[-1].append(i)
    return blocks


def _hint_values(m, solver, start, opens, first, last, follows, block_open) -> None:
    for var in (*start, *block_open):
        m.add_hint(var, solver.value(var))
    for lit in (*opens, *first, *last, *follows.values()):
        m.add_hint(lit, solver.boolean_value(lit))


def _hint(m, inst: Instance, plan: list[list[int]], start, opens, first, last, follows, block_open) -> None:
    """Hint the model with ``plan`` (blocks in line order), timed by ``inst.timeline``."""
    line = [i for block in plan for i in block]
    after = dict(zip(line, line[1:], strict=False))
    for block, times in zip([b for b in plan if b], inst.timeline(plan), strict=True):
        for k, (i, s) in enumerate(zip(block, times.fill_starts, strict=True)):
            m.add_hint(start[i], s)
            m.add_hint(opens[i], k == 0)
            m.add_hint(block_open[i], times.fill_starts[0])
    for i in range(inst.n):
        m.add_hint(first[i], bool(line) and i == line[0])
        m.add_hint(last[i], bool(line) and i == line[-1])
    for (i, j), lit in follows.items():
        m.add_hint(lit, after.get(i) == j)
