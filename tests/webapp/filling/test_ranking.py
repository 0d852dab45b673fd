"""The comparison table: difference to the best and the ★ by the stated tie rule."""

from __future__ import annotations

from datetime import datetime

import pytest

from scheduler_core.filling import Lot
from tests.webapp.filling.conftest import CONFIG, LOTS
from webapp.filling import history, ranking, runs
from webapp.views import ComparisonView, ResultSummary


def _summary(makespan: float, wt: float | None, runtime: float, bound: float = 90.0) -> dict:
    return ResultSummary(id=1, schedule_id=1, makespan_h=makespan, lower_bound_h=bound, gap_pct=1.0,
                         proven_optimal=False, blocks=2, changeovers=1, changeover_h=8.0, fill_h=50.0, clean_h=48.0,
                         utilisation=0.5, lots=4, runtime_s=runtime, solver_status="heuristic", late_lots=1,
                         weighted_tardiness_h=wt, max_lateness_h=None if wt is None else 1.0).to_json()


def _comparison(runs_: dict[str, dict], objective: str | None = None) -> ComparisonView:
    return ComparisonView(id=1, owner_id=1, name="c", input_data=[], file_name=None,
                          config={"objective": objective} if objective else {},
                          strategies=list(runs_), created_at=datetime(2030, 1, 1),
                          runs={k: {"schedule_id": i, "status": "completed", "kpis": v}
                                for i, (k, v) in enumerate(runs_.items(), 1)})


def test_ties_on_makespan_go_to_the_lower_weighted_tardiness_then_the_faster_run():
    c = _comparison({"fast-late": _summary(100.0, 9.0, 0.1), "slow-on-time": _summary(100.0, 0.0, 5.0),
                     "long": _summary(106.0, 0.0, 0.1)})
    rows, best = ranking.comparison_rows(c, dict.fromkeys(c.strategies))
    assert best == "slow-on-time"
    by = {r["strategy"]: r for r in rows}
    assert by["slow-on-time"]["best"] == "★" and by["fast-late"]["best"] == ""
    assert by["long"]["behind_h"] == pytest.approx(6.0) and by["long"]["behind_pct"] == pytest.approx(6.0)
    assert by["fast-late"]["behind_h"] == 0.0 and by["fast-late"]["status"] == "schedule deleted"
    c = _comparison({"slower": _summary(100.0, 0.0, 2.0), "faster": _summary(100.0, 0.0, 1.0)})
    assert ranking.comparison_rows(c, dict.fromkeys(c.strategies))[1] == "faster"
    assert ranking.tie_rule(c) == "lowest makespan, then lowest weighted tardiness, then the fastest run"


def test_every_row_is_measured_against_the_strongest_bound_of_the_comparison():
    c = _comparison({"best": _summary(100.0, 0.0, 3.0, bound=98.0), "quick": _summary(104.0, 0.0, 0.1, bound=90.0)})
    rows, _ = ranking.comparison_rows(c, dict.fromkeys(c.strategies))
    by = {r["strategy"]: r for r in rows}
    assert by["quick"]["lower_bound_h"] == by["best"]["lower_bound_h"] == 98.0
    assert by["quick"]["gap_pct"] == pytest.approx(100 * 6 / 98)
    assert by["best"]["gap_pct"] == pytest.approx(100 * 2 / 98)


def test_a_comparison_for_due_dates_stars_the_least_weighted_tardiness():
    runs_ = {"short-late": _summary(100.0, 40.0, 0.1), "long-on-time": _summary(104.0, 24.0, 5.0),
             "long-slow": _summary(104.0, 24.0, 9.0)}
    c = _comparison(runs_, "due")
    rows, best = ranking.comparison_rows(c, dict.fromkeys(c.strategies))
    assert best == "long-on-time" and ranking.objective_of(c) == "due"
    assert ranking.tie_rule(c) == "lowest weighted tardiness, then lowest makespan, then the fastest run"
    assert ranking.best_reason(rows, best, "due") == "tied on weighted tardiness with long-slow; the fastest run"
    assert ranking.comparison_rows(_comparison(runs_), dict.fromkeys(runs_))[1] == "short-late"


def test_the_reason_for_the_star_names_the_ties_and_what_decided():
    def reason(**runs_):
        c = _comparison(runs_)
        rows, best = ranking.comparison_rows(c, dict.fromkeys(c.strategies))
        return best, ranking.best_reason(rows, best)

    assert reason(a=_summary(100.0, 0.0, 1.0), b=_summary(101.0, 0.0, 0.1)) == ("a", "lowest makespan")
    assert reason(a=_summary(100.0, 5.0, 0.1), b=_summary(100.0, 1.0, 2.0)) == (
        "b", "tied on makespan with a; lowest weighted tardiness")
    assert reason(a=_summary(100.0, 1.0, 2.0), b=_summary(100.0, 1.0, 0.1)) == (
        "b", "tied on makespan with a; the fastest run")
    assert reason(a=_summary(100.0, 1.0, 2.0), b=_summary(100.0, 1.0, 0.1), c=_summary(100.0, 4.0, 0.0)) == (
        "b", "tied on makespan with a, c; lowest weighted tardiness, then the fastest run")


def test_a_run_without_result_has_no_difference_and_no_best_without_results():
    c = _comparison({"ok": _summary(100.0, None, 1.0)})
    c.runs["failed"] = {"schedule_id": 9, "status": "failed", "error": "boom", "kpis": None}
    c.strategies.append("failed")
    rows, best = ranking.comparison_rows(c, {"ok": None, "failed": None})
    assert best == "ok" and rows[1]["behind_h"] is None and rows[1]["error"] == "boom"
    c = _comparison({})
    assert ranking.comparison_rows(c, {}) == ([], None)


def test_a_saved_comparison_shows_late_lots_and_weighted_tardiness(engine, alice):
    late = [*LOTS[:3], Lot("004", "C", 19920 * 70, priority=1, due=datetime(2030, 1, 8))]
    cid = runs.run_comparison(engine, user=alice, name="c", lots=late, config=CONFIG,
                              strategies=["smart-pack", "as-given"])
    rows, best = ranking.comparison_rows(*history.get_comparison(engine, user=alice, comparison_id=cid))
    assert best in {"smart-pack", "as-given"}
    for r in rows:
        assert r["late_lots"] >= 1 and r["weighted_tardiness_h"] > 0  # 004 (weight 3) cannot make it
