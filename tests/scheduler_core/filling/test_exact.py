from __future__ import annotations

import threading
import time
from types import SimpleNamespace

from scheduler_core.filling import FillingConfig
from scheduler_core.filling.exact import _stop_on_stall, solve_subset
from scheduler_core.filling.rules import Instance


class _Solver:
    def __init__(self) -> None:
        self.stopped = False

    def stop_search(self) -> None:
        self.stopped = True


def test_search_is_stopped_after_the_stall_time_without_progress():
    solver = _Solver()
    progress = SimpleNamespace(last_progress=time.monotonic() - 5.0)
    _stop_on_stall(progress, 1.0, threading.Event(), solver)
    assert solver.stopped


def test_search_that_ends_on_its_own_is_not_stopped():
    solver, done = _Solver(), threading.Event()
    done.set()
    _stop_on_stall(SimpleNamespace(last_progress=time.monotonic()), 60.0, done, solver)
    assert not solver.stopped


def test_solve_subset_with_stall_still_returns_a_valid_optimum(small_lots):
    inst = Instance.build(small_lots, FillingConfig())
    res = solve_subset(inst, list(range(inst.n)), inst.n, time_limit_s=10, stall_s=5)
    assert res.proven and res.blocks is not None
    assert sorted(i for b in res.blocks for i in b) == list(range(inst.n))
    assert all(inst.grouped_load(b) <= inst.window for b in res.blocks)
