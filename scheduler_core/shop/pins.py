"""Sequence pins: a planner's "operation ``first`` ends before ``then`` starts" on one work
center, and the rules that keep a problem's pins sound (each one small, run by
``model.ShopProblem`` when it is built): known operations on one work center, no cycle of
pins alone, none with the routings.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Protocol

from scheduler_core.errors import Problem


class Pinned(Protocol):
    """What the rules read of a shop problem (``model.ShopProblem``): its operations (with
    ``op_id``, ``rn``, ``sequence``, ``work_center``, ``is_open``) and its pins."""

    operations: Sequence[Any]
    pins: Sequence[tuple[str, str]]


def pins_known(p: Pinned) -> Iterator[Problem]:
    """A pin names two different operations of the problem, on one work center."""
    ops = {op.op_id: op for op in p.operations}
    for first, then in p.pins:
        unknown = [i for i in (first, then) if i not in ops]
        if unknown:
            yield Problem(f"pin {first} -> {then}: unknown operation '{unknown[0]}'")
        elif first == then:
            yield Problem(f"pin {first} -> {then}: an operation cannot follow itself")
        elif ops[first].work_center != ops[then].work_center:
            yield Problem(f"pin {first} -> {then}: the operations are on different work centers")


def pins_acyclic(p: Pinned) -> Iterator[Problem]:
    """Pins never form a cycle, alone (a before b before … before a) or with the routings
    (a pinned before b on one work center while b's order must pass a's order first)."""
    if not p.pins:
        return
    cycle = pin_cycle(p.pins)
    if cycle:
        yield Problem(f"pins form a cycle: {' -> '.join(cycle)}")
        return
    by_order: dict[str, list[Any]] = {}
    for op in p.operations:
        if op.is_open:
            by_order.setdefault(op.rn, []).append(op)
    steps: list[tuple[str, str]] = []
    for ops in by_order.values():
        ops.sort(key=lambda o: o.sequence)
        steps += [(a.op_id, b.op_id) for a, b in zip(ops, ops[1:], strict=False)]
    cycle = pin_cycle([*p.pins, *steps])
    if cycle:
        yield Problem(f"pins contradict the routings, a cycle: {' -> '.join(cycle)} "
                      "(each arrow a pin or a routing step)")


def pin_cycle(pins: tuple[tuple[str, str], ...] | list[tuple[str, str]]) -> list[str]:
    """A cycle of pins as the operation ids along it (first id repeated at the end), or []."""
    after: dict[str, list[str]] = {}
    for first, then in pins:
        after.setdefault(first, []).append(then)
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in after.get(node, ()):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt):], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for node in list(after):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []
