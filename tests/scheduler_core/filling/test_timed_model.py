"""The CP-SAT sequencing model: exact on small inputs with releases and due dates."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest

from scheduler_core import stopping
from scheduler_core.filling import sequencing, timed_model
from scheduler_core.filling.model import FillingConfig, Lot
from scheduler_core.filling.rules import Instance

T0 = datetime(2026, 1, 5)
H = timedelta(hours=1)
VPH = 19920


def instance(lots):
    return Instance.build(lots, FillingConfig(start_time=T0), T0)


@pytest.mark.parametrize("objective, blocks", [("makespan", [[2], [0, 1]]), ("due", [[2, 0], [1]])])
def test_the_issue_example_is_solved_to_proven_optimality(objective, blocks):
    inst = instance([Lot("A1", "A", 50 * VPH, due=T0 + 68 * H), Lot("A2", "A", 50 * VPH),
                     Lot("B1", "B", 10 * VPH, due=T0 + 36 * H)])
    res = timed_model.solve_timed(inst, objective, time_limit_s=20)
    assert res.proven and res.blocks == blocks


def test_releases_are_respected_and_the_hint_is_never_beaten_by_a_worse_plan():
    lots = [Lot("A1", "A", 30 * VPH, due=T0 + 200 * H), Lot("A2", "A", 30 * VPH, release=T0 + 100 * H,
                                                            due=T0 + 160 * H, priority=1),
            Lot("B1", "B", 20 * VPH, due=T0 + 60 * H), Lot("B2", "B", 40 * VPH, release=T0 + 30 * H)]
    inst = instance(lots)
    hint = sequencing.by_due_date(inst)
    res = timed_model.solve_timed(inst, "due", time_limit_s=20, hint=hint)
    assert res.blocks is not None and res.proven
    plan = sequencing.repair(inst, res.blocks)
    assert plan == res.blocks  # the model's plan fits as the timeline times it
    for block, times in zip(plan, inst.timeline(plan), strict=True):
        assert all(s >= inst.release[i] for i, s in zip(block, times.fill_starts, strict=True))
    assert sequencing.score(inst, plan, "due") <= sequencing.score(inst, hint, "due")


def test_a_stopped_run_returns_without_a_plan_or_a_proof():
    inst = instance([Lot(f"L{k}", "AB"[k % 2], (5 + k) * VPH, due=T0 + 10 * k * H) for k in range(8)])
    flag = threading.Event()
    flag.set()
    with stopping.watching(flag):
        res = timed_model.solve_timed(inst, "due", time_limit_s=30)
    assert not res.proven and res.blocks is None
