"""Property tests: on random instances every strategy is valid and above the lower bound,
and ``best`` is never worse than any constructive strategy."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler_core.filling import FillingConfig, FillingProblem, Lot, plan, validate_schedule
from scheduler_core.filling.planner import GREEDY

from .conftest import START

lot_lists = st.lists(
    st.tuples(st.sampled_from(["A", "B", "C", "D"]), st.integers(1, 115 * 19920)),
    min_size=1,
    max_size=25,
).map(lambda specs: [Lot(f"L{k:03d}", t, v) for k, (t, v) in enumerate(specs)])

configs = st.builds(
    FillingConfig,
    changeover_same_hours=st.sampled_from([0, 2, 4]),
    changeover_diff_hours=st.sampled_from([4, 8, 10.5]),
    clean_hours=st.sampled_from([6, 24]),
    start_time=st.just(START),
    time_limit_s=st.just(0.5),
)

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(lots=lot_lists, config=configs)
def test_all_strategies_valid_and_best_dominates(lots, config):
    results = {name: plan(FillingProblem(lots), replace(config, strategy=name)) for name in [*GREEDY, "as-given", "best"]}
    for name, result in results.items():
        assert validate_schedule(result) == [], name
        assert result.kpis.makespan_h >= result.kpis.lower_bound_h - 1e-6, name
        if result.proven_optimal:
            assert result.kpis.makespan_h <= min(r.kpis.makespan_h for r in results.values()) + 1e-6
    best = results["best"].kpis.makespan_h
    for name, result in results.items():
        assert best <= result.kpis.makespan_h + 1e-6, name


@settings(max_examples=15, deadline=None)
@given(lots=lot_lists, data=st.data())
def test_matrix_configs_stay_valid(lots, data):
    types = sorted({lot.lot_type for lot in lots})
    matrix = {(a, b): data.draw(st.sampled_from([0, 1, 3, 7.5, 12])) for a in types for b in types}
    config = FillingConfig(start_time=START, changeover_matrix=matrix, time_limit_s=0.3)
    for name in ["best", "smart-pack", "as-given", "milp-opt"]:
        result = plan(FillingProblem(lots), replace(config, strategy=name))
        assert validate_schedule(result) == [], name
        assert result.kpis.makespan_h >= result.kpis.lower_bound_h - 1e-6, name
