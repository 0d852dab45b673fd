from __future__ import annotations

from scheduler_core.filling import FillingConfig
from scheduler_core.filling.exact import solve_subset
from scheduler_core.filling.rules import Instance


def test_solve_subset_with_stall_still_returns_a_valid_optimum(small_lots):
    inst = Instance.build(small_lots, FillingConfig())
    res = solve_subset(inst, list(range(inst.n)), inst.n, time_limit_s=10, stall_s=5)
    assert res.proven and res.blocks is not None
    assert sorted(i for b in res.blocks for i in b) == list(range(inst.n))
    assert all(inst.grouped_load(b) <= inst.window for b in res.blocks)


def test_progress_reports_the_plan_and_bound_in_hours(small_lots):
    inst = Instance.build(small_lots, FillingConfig())
    seen: list[str] = []
    res = solve_subset(inst, list(range(inst.n)), inst.n, time_limit_s=10, progress=lambda f, m: seen.append(m))
    assert res.blocks is not None and seen
    hours = inst.scale.to_hours(sum(inst.size(i) for i in range(inst.n)) + res.objective)
    assert seen[-1].startswith(f"plan {hours:.1f} h (solver bound ")
