"""Compare: run several strategies on one input, best marked, saved and reopened."""

from __future__ import annotations

import pytest

from tests.pages.conftest import ROOT, assert_ok, open_page
from webapp import ui
from webapp.filling import history as fill_history
from webapp.filling import runs as fill_runs


def _pick(at, strategies):
    at.checkbox(key="cmp_all").uncheck().run()
    at.multiselect(key="cmp_strategies").set_value(strategies).run()


def test_empty_state(user):
    at = open_page(user, ui.PAGE_COMPARE)
    assert_ok(at)
    assert any("No comparisons yet" in i.value for i in at.info)


def test_run_comparison_on_demo_data_is_saved_and_shown(engine, user):
    at = open_page(user, ui.PAGE_COMPARE)
    _pick(at, ["smart-pack", "lpt-pack", "as-given"])
    at.text_input(key="cmp_name").input("demo comparison")
    at.button(key="cmp_run").click().run()
    assert_ok(at)
    page = fill_history.list_comparisons(engine, user=user)
    assert page.total == 1
    comparison, runs = fill_history.get_comparison(engine, user=user, comparison_id=page.items[0].id)
    assert comparison.name == "demo comparison"
    assert set(runs) == {"smart-pack", "lpt-pack", "as-given"}
    table = at.dataframe[-1].value
    assert list(table["strategy"]) == ["smart-pack", "lpt-pack", "as-given"]
    assert (table["best"] == "★").sum() == 1
    best = table.loc[table["best"] == "★", "makespan_h"].iloc[0]
    assert best == table["makespan_h"].min()
    assert len(at.get("plotly_chart")) == 3  # difference to the best + two Gantts
    assert table["behind_h"].min() == 0.0 and "weighted_tardiness_h" in table and "late_lots" in table
    assert any("lowest makespan, then lowest weighted tardiness, then the fastest run" in c.value for c in at.caption)

    # reopen in a fresh session
    at = open_page(user, ui.PAGE_COMPARE)
    assert_ok(at)
    assert list(at.dataframe[-1].value["strategy"]) == ["smart-pack", "lpt-pack", "as-given"]


def test_upload_and_existing_schedule_inputs(engine, user):
    at = open_page(user, ui.PAGE_COMPARE)
    at.radio(key="cmp_source").set_value("Upload a file").run()
    bad = (ROOT / "data" / "sample_lots_with_errors.csv").read_bytes()
    at.file_uploader(key="cmp_upload").set_value(("bad.csv", bad, "text/csv")).run()
    assert_ok(at)
    assert any("4 problems" in e.value for e in at.error)
    assert at.button(key="cmp_run").disabled

    lots = ui.sample_lots()[:5]
    fill_runs.run_filling_schedule(engine, user=user, name="s", lots=lots, config={"strategy": "as-given"})
    at = open_page(user, ui.PAGE_COMPARE)
    at.radio(key="cmp_source").set_value("Lots of an existing schedule").run()
    _pick(at, ["smart-pack", "spt-pack"])
    at.button(key="cmp_run").click().run()
    assert_ok(at)
    comparison = fill_history.list_comparisons(engine, user=user).items[0]
    assert len(comparison.input_data) == 5


def _status_lines(at) -> dict[str, str]:
    frames = [d.value for d in at.dataframe if list(d.value.columns) == ["part", "status"]]
    assert frames, "no per-strategy status list shown"
    return dict(zip(frames[-1]["part"], frames[-1]["status"], strict=True))


def test_failed_strategies_show_as_failed_in_the_status_list(engine, user, monkeypatch):
    real_plan = fill_runs.plan

    def flaky(problem, config, *, progress, cancel=None):
        if config.strategy in {"lpt-pack", "as-given"}:  # one in the middle, one last
            progress(0.0, "loading lots")
            raise RuntimeError(f"{config.strategy} exploded")
        return real_plan(problem, config, progress=progress, cancel=cancel)

    monkeypatch.setattr(fill_runs, "plan", flaky)
    at = open_page(user, ui.PAGE_COMPARE)
    _pick(at, ["smart-pack", "lpt-pack", "as-given"])
    at.button(key="cmp_run").click().run()
    assert_ok(at)
    assert _status_lines(at) == {"smart-pack": "done", "lpt-pack": "failed", "as-given": "failed"}
    table = at.dataframe[-1].value
    assert dict(zip(table["strategy"], table["status"], strict=True)) == {
        "smart-pack": "completed",
        "lpt-pack": "failed",
        "as-given": "failed",
    }
    assert "exploded" in table.loc[table["strategy"] == "lpt-pack", "error"].iloc[0]


def test_comparison_progress_marks_a_strategy_left_planning_as_failed():
    holder = ui.ProgressHolder()
    report = ui.comparison_progress(holder, ["a", "b", "c"])
    report(0.1, "a: planning with a")
    report(0.3, "a: done")
    report(0.4, "b: loading lots")  # b raises here: it reports nothing more
    report(0.7, "c: loading lots")
    assert holder.read_parts() == {"a": "done", "b": "failed", "c": "planning"}
    ui.final_comparison_status(
        holder, {"a": {"status": "completed"}, "b": {"status": "failed"}, "c": {"status": "failed"}}
    )
    assert holder.read_parts() == {"a": "done", "b": "failed", "c": "failed"}


def test_progress_holder_tells_a_queued_run_its_place():
    from webapp.ui.progress import ProgressHolder

    holder = ProgressHolder()
    holder(0.3, "planning")
    holder.queued(2)
    assert holder.read() == (0.3, "waiting: 2 runs ahead of yours")


def test_a_deleted_schedule_keeps_its_numbers_in_the_comparison(engine, user):
    from webapp.filling import runs as fill_runs

    cid = fill_runs.run_comparison(engine, user=user, name="kept", lots=ui.sample_lots()[:6],
                                   config={"time_limit_s": 1}, strategies=["smart-pack", "as-given"])
    at = open_page(user, ui.PAGE_COMPARE)
    before = at.dataframe[-1].value.set_index("strategy")
    _, stored = fill_history.get_comparison(engine, user=user, comparison_id=cid)
    fill_history.delete_schedules(engine, user=user, schedule_ids=[stored["as-given"].schedule.id])
    at = open_page(user, ui.PAGE_COMPARE)
    assert_ok(at)
    after = at.dataframe[-1].value.set_index("strategy")
    assert after.loc["as-given", "status"] == "schedule deleted"
    assert after.loc["smart-pack", "status"] == "completed"
    cols = ["makespan_h", "blocks", "changeovers", "runtime_s", "best"]
    assert after[cols].equals(before[cols])
    assert after.loc["as-given", "makespan_h"] > 0


def test_late_lots_and_weighted_tardiness_per_strategy(engine, user):
    from datetime import datetime

    from scheduler_core.filling import Lot

    lots = [Lot("A1", "A", 996_000, due=datetime(2026, 1, 7, 20)), Lot("A2", "A", 996_000),
            Lot("B1", "B", 199_200, priority=1, due=datetime(2026, 1, 6, 12))]
    cid = fill_runs.run_comparison(engine, user=user, name="due", lots=lots, strategies=["smart-pack", "as-given"],
                                   config={"start_time": "2026-01-05T00:00"})
    at = open_page(user, ui.PAGE_COMPARE, **{ui.COMPARISON_KEY: cid})
    assert_ok(at)
    table = at.dataframe[-1].value.set_index("strategy")
    _, stored = fill_history.get_comparison(engine, user=user, comparison_id=cid)
    for strategy in ("smart-pack", "as-given"):
        kpis = stored[strategy].result.kpis
        assert table.loc[strategy, "late_lots"] == kpis.late_lots
        assert table.loc[strategy, "weighted_tardiness_h"] == kpis.weighted_tardiness_h
    assert table.loc["smart-pack", "late_lots"] == 1


def test_every_strategy_is_measured_against_the_strongest_bound_of_the_comparison(engine, user):
    """``best`` proves the pattern LP bound on 100 lots of 8 types; ``smart-pack``'s own run
    only the structural one; the table shows the stronger for both."""
    import random

    from scheduler_core.filling import Lot

    rng = random.Random(1)
    lots = [Lot(f"L{k}", f"T{rng.randint(1, 8)}", rng.randint(20_000, 2_300_000)) for k in range(100)]
    cid = fill_runs.run_comparison(engine, user=user, name="bound", lots=lots, strategies=["best", "smart-pack"],
                                   config={"time_limit_s": 2})
    _, stored = fill_history.get_comparison(engine, user=user, comparison_id=cid)
    own = {s: stored[s].result.kpis.lower_bound_h for s in ("best", "smart-pack")}
    assert own["best"] > own["smart-pack"]
    at = open_page(user, ui.PAGE_COMPARE, **{ui.COMPARISON_KEY: cid})
    assert_ok(at)
    table = at.dataframe[-1].value.set_index("strategy")
    assert list(table["lower_bound_h"]) == [own["best"], own["best"]]
    makespan = table.loc["smart-pack", "makespan_h"]
    assert table.loc["smart-pack", "gap_pct"] == pytest.approx(100 * (makespan - own["best"]) / own["best"], abs=1e-5)
