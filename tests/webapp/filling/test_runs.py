"""Runs are stored with their results; failed runs leave no result rows; comparisons."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
import sqlalchemy as sa

from scheduler_core.errors import InputError
from scheduler_core.filling import FillingProblem, Lot, plan
from tests.webapp.filling.conftest import CONFIG, LOTS, START, count_rows
from webapp import errors
from webapp.db.engine import session_scope
from webapp.db.models import Schedule, ScheduleResultRow
from webapp.db.repos import schedules as schedule_repo
from webapp.filling import history as fill_history
from webapp.filling import runs as fill_runs
from webapp.filling import templates as fill_templates


def test_run_stores_result_and_round_trips(engine, alice):
    fractions = []
    sid = fill_runs.run_filling_schedule(engine, user=alice, name="Week 2", lots=LOTS, config=replace(CONFIG, strategy="smart-pack"), file_name="lots.csv", progress=lambda f, m: fractions.append(f))
    assert fractions and fractions[-1] == pytest.approx(1.0)
    stored = fill_history.get_schedule(engine, user=alice, schedule_id=sid)
    sch, row, result = stored.schedule, stored.result_row, stored.result
    assert sch.status == "completed" and sch.strategy == "smart-pack"
    assert sch.started_at is not None and sch.finished_at >= sch.started_at
    assert sch.file_name == "lots.csv" and sch.name == "Week 2"
    assert sch.config["start_time"] == START.isoformat()
    expected = plan(FillingProblem(LOTS), replace(CONFIG, strategy="smart-pack"))
    assert row.makespan_h == pytest.approx(expected.kpis.makespan_h)
    assert row.blocks == expected.kpis.blocks and row.lots == 4
    # the rebuilt result equals what the planner produced
    assert result.activities == expected.activities
    assert result.kpis == expected.kpis
    assert result.lots == tuple(LOTS)
    assert result.config.start_time == START and result.config.strategy == "smart-pack"
    assert result.blocks == expected.blocks
    page, results = fill_history.list_schedules(engine, user=alice)
    assert page.total == 1 and results[sid].id == row.id


def test_config_as_dict_and_default_strategy(engine, alice):
    sid = fill_runs.run_filling_schedule(
        engine,
        user=alice,
        name="",
        lots=LOTS[:2],
        config={"start_time": "2030-01-01T00:00", "strategy": "lpt-pack"},
    )
    stored = fill_history.get_schedule(engine, user=alice, schedule_id=sid)
    assert stored.schedule.strategy == "lpt-pack"
    assert stored.schedule.name  # a default name is given


def test_input_errors_store_nothing(engine, alice):
    with pytest.raises(InputError):
        fill_runs.run_filling_schedule(
            engine, user=alice, name="x", lots=LOTS, config={"bogus_key": 1}
        )
    with pytest.raises(InputError):
        fill_runs.run_filling_schedule(engine, user=alice, name="x", lots=LOTS, config=replace(CONFIG, strategy="no-such-strategy"))
    with pytest.raises(InputError):
        fill_runs.run_filling_schedule(engine, user=alice, name="x", lots=[], config=CONFIG)
    assert count_rows(engine, Schedule) == 0


def test_strategy_raising_mid_run_leaves_failed_schedule_without_result(engine, alice, monkeypatch):
    def exploding_plan(problem, config, *, progress, cancel=None):
        progress(0.3, "working")
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(fill_runs, "plan", exploding_plan)
    with pytest.raises(errors.RunFailed) as info:
        fill_runs.run_filling_schedule(engine, user=alice, name="bad", lots=LOTS, config=replace(CONFIG, strategy="best"))
    failed = info.value
    assert isinstance(failed.error, RuntimeError)
    assert "solver crashed" in failed.lines()[0]
    stored = fill_history.get_schedule(engine, user=alice, schedule_id=failed.schedule_id)
    assert stored.schedule.status == "failed"
    assert "solver crashed" in stored.schedule.error_message
    assert stored.result is None
    assert count_rows(engine, ScheduleResultRow) == 0


def test_progress_callback_raising_fails_the_run(engine, alice):
    calls = []

    def progress(fraction, message):
        calls.append(fraction)
        if fraction > 0.01:
            raise KeyError("user went away")

    with pytest.raises(errors.RunFailed) as info:
        fill_runs.run_filling_schedule(engine, user=alice, name="p", lots=LOTS, config=replace(CONFIG, strategy="spt-pack"), progress=progress)
    with session_scope(engine) as s:
        sch = schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=info.value.schedule_id)
        assert sch.status == "failed" and "KeyError" in sch.error_message
    assert count_rows(engine, ScheduleResultRow) == 0


def test_storing_the_result_failing_leaves_no_rows(engine, alice, monkeypatch):
    original = fill_runs.result_to_row
    monkeypatch.setattr(fill_runs, "result_to_row", lambda r: {**original(r), "makespan_h": None})
    with pytest.raises(errors.RunFailed) as info:
        fill_runs.run_filling_schedule(engine, user=alice, name="p", lots=LOTS, config=replace(CONFIG, strategy="lpt-pack"))
    with session_scope(engine) as s:
        sch = schedule_repo.get_schedule(s, owner_id=alice.id, schedule_id=info.value.schedule_id)
        assert sch.status == "failed"
    assert count_rows(engine, ScheduleResultRow) == 0


def test_lot_too_long_for_window_is_refused_before_anything_is_stored(engine, alice):
    huge = [Lot("X", "A", 19920 * 200, row=7)]
    for run in (fill_runs.run_filling_schedule, fill_runs.run_comparison):
        with pytest.raises(InputError) as info:
            run(engine, user=alice, name="huge", lots=huge, config=replace(CONFIG, strategy="smart-pack"))
        (problem,) = info.value.problems
        assert (problem.row, problem.column) == (7, "Vials") and "more than the 120 h window" in problem.reason
    with pytest.raises(InputError, match="'X' needs"):
        fill_runs.check_run(huge, CONFIG)
    assert count_rows(engine, Schedule) == 0 and count_rows(engine, ScheduleResultRow) == 0


def test_check_run_warns_about_matrix_types_no_lot_has():
    lots = [Lot("L1", "Alpha", 1000), Lot("L2", "Beta", 1000)]
    config = replace(CONFIG, changeover_matrix={("Alpha", "Betta"): 2.0, ("alpha", "Beta"): 1.0})
    assert fill_runs.check_run(lots, config) == [
        "changeover_matrix names type 'Betta', which no lot has: its entries are not used; did you mean 'Beta'?",
        "changeover_matrix names type 'alpha', which no lot has: its entries are not used; did you mean 'Alpha'?",
    ]
    assert fill_runs.check_run(lots, replace(CONFIG, changeover_matrix={("Alpha", "Beta"): 2.0})) == []


def test_comparison_is_stored(engine, alice):
    seen = []
    cid = fill_runs.run_comparison(
        engine,
        user=alice,
        name="What if",
        lots=LOTS,
        config=CONFIG,
        strategies=["smart-pack", "lpt-pack", "as-given"],
        file_name="lots.csv",
        progress=lambda f, m: seen.append((f, m)),
    )
    assert seen[-1][0] == pytest.approx(1.0)
    assert any(m.startswith("lpt-pack:") for _, m in seen)
    comparison, runs = fill_history.get_comparison(engine, user=alice, comparison_id=cid)
    assert comparison.strategies == ["smart-pack", "lpt-pack", "as-given"]
    assert comparison.file_name == "lots.csv" and len(comparison.input_data) == 4
    assert set(runs) == {"smart-pack", "lpt-pack", "as-given"}
    starts = set()
    for strategy, stored in runs.items():
        assert stored.schedule.status == "completed"
        assert comparison.runs[strategy]["result_id"] == stored.result_row.id
        assert stored.result.strategy == strategy
        starts.add(stored.result.start)
    assert starts == {START}
    assert fill_history.list_comparisons(engine, user=alice).total == 1
    assert fill_history.delete_comparison(
        engine, user=alice, comparison_id=cid, delete_schedules_too=True
    )
    assert count_rows(engine, Schedule) == 0


def test_comparison_keeps_going_when_one_strategy_fails(engine, alice, monkeypatch):
    real_plan = fill_runs.plan

    def flaky(problem, config, *, progress, cancel=None):
        if config.strategy == "lpt-pack":
            raise RuntimeError("lpt broke")
        return real_plan(problem, config, progress=progress, cancel=cancel)

    monkeypatch.setattr(fill_runs, "plan", flaky)
    cid = fill_runs.run_comparison(
        engine,
        user=alice,
        name="c",
        lots=LOTS,
        config=CONFIG,
        strategies=["smart-pack", "lpt-pack"],
    )
    comparison, runs = fill_history.get_comparison(engine, user=alice, comparison_id=cid)
    assert comparison.runs["lpt-pack"]["status"] == "failed"
    assert comparison.runs["lpt-pack"]["result_id"] is None
    assert "lpt broke" in comparison.runs["lpt-pack"]["error"]
    assert runs["lpt-pack"].result is None and runs["smart-pack"].result is not None
    assert count_rows(engine, ScheduleResultRow) == 1


def test_viewer_cannot_run_or_delete(engine, alice, make_user):
    viewer = make_user("vera", "viewer")
    with pytest.raises(errors.PermissionDenied):
        fill_runs.run_filling_schedule(engine, user=viewer, name="v", lots=LOTS, config=replace(CONFIG, strategy="smart-pack"))
    with pytest.raises(errors.PermissionDenied):
        fill_runs.run_comparison(
            engine, user=viewer, name="v", lots=LOTS, config=CONFIG, strategies=["smart-pack"]
        )
    sid = fill_runs.run_filling_schedule(engine, user=alice, name="a", lots=LOTS, config=replace(CONFIG, strategy="smart-pack"))
    with pytest.raises(errors.PermissionDenied):
        fill_history.delete_schedules(engine, user=viewer, schedule_ids=[sid])
    with pytest.raises(errors.PermissionDenied):
        fill_templates.create_template(engine, user=viewer, name="t", config={})
    assert count_rows(engine, Schedule) == 1
    # a viewer can still look at (their own, empty) lists
    assert fill_history.list_schedules(engine, user=viewer)[0].total == 0


# ------------------------------------------------------------------------- replicas


def test_run_marked_failed_meanwhile_is_never_completed(engine, alice, monkeypatch):
    """Another replica's recovery fails the run while it plans: the late result is not
    stored, the schedule keeps the recovery's error, the caller gets RunFailed."""
    real_complete = schedule_repo.complete_schedule

    def recovery_first(session, *, owner_id, schedule_id, result):
        with session_scope(engine) as other:  # what a restarting replica does, committed first
            schedule_repo.fail_schedule(other, owner_id=owner_id, schedule_id=schedule_id, error="interrupted: x")
        return real_complete(session, owner_id=owner_id, schedule_id=schedule_id, result=result)

    monkeypatch.setattr(schedule_repo, "complete_schedule", recovery_first)
    with pytest.raises(errors.RunFailed, match="marked failed while it ran") as info:
        fill_runs.run_filling_schedule(engine, user=alice, name="late", lots=LOTS, config=replace(CONFIG, strategy="smart-pack"))
    stored = fill_history.get_schedule(engine, user=alice, schedule_id=info.value.schedule_id)
    assert stored.schedule.status == "failed" and stored.schedule.error_message == "interrupted: x"
    assert stored.result_row is None and count_rows(engine, ScheduleResultRow) == 0


def test_running_schedule_beats(engine, alice, monkeypatch):
    from webapp.filling import heartbeat

    monkeypatch.setattr(heartbeat, "BEAT_EVERY_S", 0.0)
    seen = []

    def progress(fraction, message):
        with session_scope(engine) as s:
            (sch,) = s.exec(sa.select(Schedule)).scalars().all()
            seen.append((sch.status, sch.heartbeat_at))

    fill_runs.run_filling_schedule(engine, user=alice, name="beats", lots=LOTS, config=replace(CONFIG, strategy="smart-pack"), progress=progress)
    assert seen and all(status == "running" and at is not None for status, at in seen)
    assert len({at for _, at in seen}) > 1  # written again while the run went on


def test_solver_slots_queue_runs_and_tell_their_place(engine, alice, monkeypatch):
    """PSS_MAX_SOLVES=1: one run plans, the others wait in arrival order and hear how
    many runs wait before theirs."""
    import threading

    from webapp import solves

    monkeypatch.setenv("PSS_MAX_SOLVES", "1")
    from webapp.settings import get_settings

    get_settings.cache_clear()
    solves.reset()
    try:
        release, started = threading.Event(), threading.Event()
        heard: dict[str, list[int]] = {"second": [], "third": []}
        order: list[str] = []

        def first_progress(fraction, message):
            started.set()
            assert release.wait(30)

        def run(name, progress=None, on_wait=None):
            fill_runs.run_filling_schedule(engine, user=alice, name=name, lots=LOTS[:2],
                                           config=replace(CONFIG, strategy="lpt-pack"), progress=progress, on_wait=on_wait)
            order.append(name)

        first = threading.Thread(target=run, args=("first", first_progress))
        first.start()
        assert started.wait(30)
        second = threading.Thread(target=run, args=("second", None, heard["second"].append))
        second.start()
        _wait_for(lambda: solves.slots().waiting() == 1)
        third = threading.Thread(target=run, args=("third", None, heard["third"].append))
        third.start()
        _wait_for(lambda: solves.slots().waiting() == 2)
        assert solves.slots().running() == 1 and order == []
        release.set()
        for t in (first, second, third):
            t.join(60)
        assert order == ["first", "second", "third"]
        assert heard["second"] == [0] and heard["third"][0] == 1  # one run ahead, then next in line
        assert solves.waiting_message(2) == "waiting: 2 runs ahead of yours"
    finally:
        get_settings.cache_clear()
        solves.reset()


def _wait_for(condition, timeout_s: float = 30.0) -> None:
    import time

    end = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < end, "condition not reached"
        time.sleep(0.01)


def _cancel_when_planning(flag, after: str = r"plan \d"):
    """A progress callback that sets ``flag`` at the first report matching ``after`` (by
    default the first plan found: "…: plan 162.0 h · lower bound …")."""
    import re

    def report(fraction, message):
        if re.search(after, message):
            flag.set()

    return report


@pytest.mark.parametrize("strategy", ["best", "milp-opt"])
def test_a_cancelled_run_stores_its_best_plan_as_cancelled(engine, alice, strategy):
    import threading
    import time

    from scheduler_core.filling.validate import validate_schedule
    from scheduler_core.stopping import CANCELLED_STATUS
    from tests.scheduler_core.filling.conftest import random_lots

    lots = random_lots(3, n=600)
    flag = threading.Event()
    began = time.monotonic()
    sid = fill_runs.run_filling_schedule(
        engine, user=alice, name="long", lots=lots, config=replace(CONFIG, strategy=strategy, time_limit_s=60),
        progress=_cancel_when_planning(flag), cancel=flag,
    )
    took = time.monotonic() - began
    assert took < 30, f"a 60 s run took {took:.1f} s though cancelled at its first plan"  # stopped, not timed out
    stored = fill_history.get_schedule(engine, user=alice, schedule_id=sid)
    assert stored.schedule.status == "completed"
    assert stored.result_row.solver_status == CANCELLED_STATUS
    assert stored.result.solver_status == CANCELLED_STATUS and not stored.result.proven_optimal
    assert len(stored.result.lots) == 600 and stored.result_row.lots == 600
    assert validate_schedule(stored.result) == []
    page, results = fill_history.list_schedules(engine, user=alice)
    assert results[sid].solver_status == CANCELLED_STATUS


def test_a_run_cancelled_before_it_starts_stores_nothing(engine, alice):
    import threading

    flag = threading.Event()
    flag.set()
    with pytest.raises(errors.RunCancelled):
        fill_runs.run_filling_schedule(engine, user=alice, name="x", lots=LOTS, config=CONFIG, cancel=flag)
    assert count_rows(engine, Schedule) == 0


def test_a_run_cancelled_before_any_plan_leaves_no_schedule(engine, alice, monkeypatch):
    from scheduler_core.stopping import Cancelled

    def no_plan_yet(problem, cfg, *, progress=None, cancel=None):
        raise Cancelled("stopped before the first plan")

    monkeypatch.setattr(fill_runs, "plan", no_plan_yet)
    with pytest.raises(errors.RunCancelled):
        fill_runs.run_filling_schedule(engine, user=alice, name="x", lots=LOTS, config=CONFIG)
    assert count_rows(engine, Schedule) == 0


def test_a_run_waiting_for_a_solver_can_be_cancelled(engine, alice, monkeypatch):
    import threading

    from webapp import solves
    from webapp.settings import get_settings

    monkeypatch.setenv("PSS_MAX_SOLVES", "1")
    get_settings.cache_clear()
    solves.reset()
    flag = threading.Event()
    failure: list[BaseException] = []

    def queued() -> None:
        try:
            fill_runs.run_filling_schedule(engine, user=alice, name="queued", lots=LOTS, config=CONFIG,
                                           on_wait=lambda ahead: flag.set(), cancel=flag)
        except BaseException as exc:  # noqa: BLE001 - examined below
            failure.append(exc)

    try:
        with solves.solver_slot():  # every solver busy
            waiter = threading.Thread(target=queued)
            waiter.start()
            waiter.join(30)
    finally:
        get_settings.cache_clear()
        solves.reset()
    assert not waiter.is_alive()
    assert len(failure) == 1 and isinstance(failure[0], errors.RunCancelled)
    assert count_rows(engine, Schedule) == 0


def test_a_comparison_cancelled_mid_way_keeps_what_ran(engine, alice):
    import threading

    from scheduler_core.stopping import CANCELLED_STATUS
    from tests.scheduler_core.filling.conftest import random_lots

    flag = threading.Event()
    lots = random_lots(7, n=200)
    cid = fill_runs.run_comparison(
        engine, user=alice, name="Week", lots=lots, config=replace(CONFIG, time_limit_s=60),
        strategies=["smart-pack", "best", "lpt-pack"], progress=_cancel_when_planning(flag, r"best: .*plan \d"),
        cancel=flag,
    )
    comparison, stored = fill_history.get_comparison(engine, user=alice, comparison_id=cid)
    assert comparison.name == "Week (cancelled)"
    assert comparison.strategies == ["smart-pack", "best"]  # lpt-pack never ran
    assert comparison.runs["smart-pack"]["status"] == "completed"
    assert comparison.runs["best"]["status"] == CANCELLED_STATUS
    assert stored["best"].result.solver_status == CANCELLED_STATUS
    assert comparison.runs["best"]["kpis"]["makespan_h"] == pytest.approx(stored["best"].result.kpis.makespan_h)
    assert count_rows(engine, Schedule) == 2


def test_a_comparison_cancelled_before_any_plan_stores_nothing(engine, alice):
    import threading

    from webapp.db.models import Comparison

    flag = threading.Event()
    flag.set()
    with pytest.raises(errors.RunCancelled):
        fill_runs.run_comparison(engine, user=alice, name="x", lots=LOTS, config=CONFIG,
                                 strategies=["smart-pack", "lpt-pack"], cancel=flag)
    assert count_rows(engine, Schedule) == 0 and count_rows(engine, Comparison) == 0


def test_a_run_without_a_start_starts_at_the_next_full_hour_of_the_plant_zone(engine, alice, monkeypatch):
    from datetime import datetime, timedelta

    from scheduler_core.zones import next_full_hour, plant_now
    from webapp.db.repos import organisations as organisation_repo
    from webapp.settings import get_settings

    monkeypatch.setenv("PSS_TIMEZONE", "Pacific/Kiritimati")  # UTC+14: never the server's clock
    get_settings.cache_clear()
    try:
        assert fill_runs.plant_zone(engine, user=alice) == "Pacific/Kiritimati"
        before = next_full_hour("Pacific/Kiritimati")
        sid = fill_runs.run_filling_schedule(engine, user=alice, name="", lots=LOTS,
                                             config={"strategy": "lpt-pack"})
        after = next_full_hour("Pacific/Kiritimati")
        stored = fill_history.get_schedule(engine, user=alice, schedule_id=sid)
        assert stored.result.start in {before, after}
        named = datetime.strptime(stored.schedule.name, "lpt-pack %Y-%m-%d %H:%M")  # default name: plant clock
        assert abs(named - plant_now("Pacific/Kiritimati")) < timedelta(minutes=5)
        utc_before = next_full_hour("UTC")
        utc_start = fill_runs.run_config({"strategy": "lpt-pack"}, time_zone="UTC").start_time
        assert utc_start in {utc_before, next_full_hour("UTC")} and utc_start != stored.result.start
        with session_scope(engine) as s:  # the shop's main plant names its own zone: it wins
            org = organisation_repo.ensure_organisation(s, user_id=alice.id, username=alice.username)
            organisation_repo.set_plant_time_zone(s, organisation_id=org.id, time_zone="America/New_York")
        assert fill_runs.plant_zone(engine, user=alice) == "America/New_York"
        fixed = fill_runs.run_config({"start_time": "2030-01-07T06:00"}, time_zone="America/New_York")
        assert fixed.start_time == START  # a fixed start is plant time as typed
    finally:
        get_settings.cache_clear()


DUE_CSV = (
    b"Lot ID,Type,Vials,Due,Priority,Release\n"
    b"A1,A,996000,2026-01-07 20:00,,\n"
    b"A2,A,996000,,3,2026-01-05 06:00\n"
    b"B1,B,199200,2026-01-06 12:00,1,\n"
)


def test_due_priority_release_read_from_an_upload_and_their_kpis_stored(engine, alice):
    lots = fill_runs.read_lots(DUE_CSV, "due.csv")
    assert [(lot.due, lot.priority, lot.release) for lot in lots] == [
        (datetime(2026, 1, 7, 20), None, None), (None, 3, datetime(2026, 1, 5, 6)), (datetime(2026, 1, 6, 12), 1, None)]
    config = {"start_time": "2026-01-05T00:00", "strategy": "smart-pack"}
    sid = fill_runs.run_filling_schedule(engine, user=alice, name="due", lots=lots, config=config)
    stored = fill_history.get_schedule(engine, user=alice, schedule_id=sid)
    row, kpis = stored.result_row, stored.result.kpis
    assert (row.late_lots, row.tardiness_h, row.weighted_tardiness_h, row.max_lateness_h) == (1, 40.0, 40.0, 40.0)
    assert (kpis.late_lots, kpis.max_lateness_h) == (1, 40.0)
    late = [a for a in stored.result.activities if a.lateness_h and a.lateness_h > 0]
    assert [(a.lot_id, a.due, a.lateness_h) for a in late] == [("A1", datetime(2026, 1, 7, 20), 40.0)]
    _, summaries = fill_history.list_schedules(engine, user=alice)
    assert summaries[sid].late_lots == 1 and summaries[sid].weighted_tardiness_h == 40.0


def test_bad_due_priority_release_are_row_errors_and_store_nothing(engine, alice):
    bad = (b"Lot ID,Type,Vials,Due,Priority,Release\n"
           b"A1,A,1000,next week,,\n"
           b"A2,A,1000,,4,\n"
           b"A3,A,1000,,,32/13/2026\n"
           b"A4,A,1000,2026-01-06,1,2026-01-05\n")
    with pytest.raises(InputError) as caught:
        fill_runs.read_lots(bad, "bad.csv")
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "Due"), (3, "Priority"), (4, "Release")]
    # lots built in code are checked again by the service: nothing is stored
    with pytest.raises(InputError) as caught:
        fill_runs.run_filling_schedule(engine, user=alice, name="x", lots=[Lot("P", "A", 1000, priority=0, row=7)],
                                       config=CONFIG)
    assert (caught.value.problems[0].row, caught.value.problems[0].column) == (7, "Priority")
    with pytest.raises(InputError) as caught:
        fill_runs.run_filling_schedule(engine, user=alice, name="x", lots=LOTS, config={"objective": "soonest"})
    assert caught.value.problems[0].column == "objective"
    assert count_rows(engine, Schedule) == 0


def test_check_run_warns_about_a_release_after_the_due_date():
    lots = [Lot("L1", "A", 19920, due=datetime(2030, 1, 8), release=datetime(2030, 1, 9), row=5), *LOTS[:1]]
    warnings = fill_runs.check_run(lots, {**CONFIG.to_dict(), "objective": "due"})
    assert warnings == ["row 5: lot 'L1' is released (2030-01-09 00:00) after it is due (2030-01-08 00:00): "
                        "it will be late"]


def test_comparison_keeps_the_due_kpis_of_each_run(engine, alice):
    lots = fill_runs.read_lots(DUE_CSV, "due.csv")
    cid = fill_runs.run_comparison(engine, user=alice, name="c", lots=lots, strategies=["smart-pack", "as-given"],
                                   config={"start_time": "2026-01-05T00:00", "objective": "due"})
    comparison, stored = fill_history.get_comparison(engine, user=alice, comparison_id=cid)
    kpis = fill_history.comparison_kpis(comparison, stored)
    for strategy in ("smart-pack", "as-given"):
        live = stored[strategy].result.kpis
        assert (kpis[strategy].late_lots, kpis[strategy].weighted_tardiness_h) == (live.late_lots, live.weighted_tardiness_h)
        assert stored[strategy].result.config.objective == "due"
