"""The progress bridge: the bar moves with elapsed time against the limit, an interrupted
polling loop cancels its run, and the next script run reports what a stopped run stored."""

from __future__ import annotations

import threading

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from tests.pages.conftest import app_env, assert_ok, engine, open_page, user  # noqa: F401
from webapp import ui
from webapp.errors import RunCancelled
from webapp.ui import progress


def _run(work=lambda holder: None, *, time_limit_s=None, explain=None, start=True) -> progress.ActiveRun:
    holder = progress.ProgressHolder()
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = work(holder)
        except BaseException as exc:  # noqa: BLE001 - kept like run_with_progress does
            outcome["error"] = exc

    run = progress.ActiveRun("Planning with best", holder, threading.Thread(target=target, daemon=True), outcome,
                             explain or (lambda v: (f"Schedule #{v} is stored.", v)), time_limit_s, ui.PAGE_NEW)
    if start:
        run.thread.start()
    return run


def test_the_bar_moves_with_elapsed_time_against_the_limit():
    run = _run(time_limit_s=30, start=False)
    run.holder(0.14, "planning – best: plan 162.0 h · lower bound 158.0 h · gap 2.5 %")
    fraction, text = progress.bar_state(run, now=run.holder.started + 15)
    assert fraction == pytest.approx(0.1 + 0.8 * 0.5)
    assert "plan 162.0 h · lower bound 158.0 h · gap 2.5 %" in text and "15 s of 30 s" in text
    late, _ = progress.bar_state(run, now=run.holder.started + 300)
    assert late == pytest.approx(0.9)  # the limit passed: the planning share is full, never 100 %


def test_a_reported_fraction_ahead_of_the_clock_wins_and_the_bar_never_reads_done():
    run = _run(start=False)  # no time limit: the reports alone, the clock in seconds
    run.holder(1.0, "writing")
    fraction, text = progress.bar_state(run, now=run.holder.started + 2)
    assert fraction == 0.99 and text.endswith("· 2 s")
    run.holder.cancel.set()
    assert "stopping – keeping the best plan found" in progress.bar_state(run)[1]


def test_an_interrupted_polling_loop_cancels_the_run():
    run = _run(lambda holder: holder.cancel.wait(30) and 7)  # plans until cancelled
    calls = []

    def show(current):
        calls.append(current)
        raise StopException()  # Streamlit's Stop (a rerun raises the same way)

    with pytest.raises(StopException):
        progress.follow(run, show, poll_s=0.01)
    assert run.holder.cancel.is_set()
    run.thread.join(5)
    assert run.done() and run.outcome == {"value": 7}


def test_a_finished_run_is_followed_to_its_end_without_a_cancel():
    run = _run(lambda holder: 3)
    shown = []
    progress.follow(run, shown.append, poll_s=0.01)
    assert run.done() and not run.holder.cancel.is_set() and run.outcome == {"value": 3}


def test_strategies_a_cancelled_comparison_did_not_run_say_so():
    holder = progress.ProgressHolder()
    for s in ("smart-pack", "best", "lpt-pack"):
        holder.note(s, "waiting")
    progress.final_comparison_status(holder, {"smart-pack": {"status": "completed"},
                                              "best": {"status": "cancelled (best found)"}})
    assert holder.read_parts() == {"smart-pack": "done", "best": "cancelled (best found)",
                                   "lpt-pack": "not run (cancelled)"}


def test_a_run_left_for_another_page_is_reported_there(user):  # noqa: F811
    run = _run(lambda holder: 12)
    run.thread.join(5)
    at = open_page(user, **{progress.ACTIVE_RUN_KEY: run})  # the dashboard, not New schedule
    assert_ok(at)
    assert any("Planning with best: cancelled. Schedule #12 is stored." in w.value for w in at.warning)
    assert progress.ACTIVE_RUN_KEY not in at.session_state  # reported once
    at.run()
    assert not any("cancelled" in w.value for w in at.warning)


def test_a_run_cancelled_on_its_page_is_reported_next_to_its_run_button(user):  # noqa: F811
    run = _run(lambda holder: 4)
    run.thread.join(5)
    at = open_page(user, ui.PAGE_NEW, **{ui.LOTS_KEY: {"lots": ui.sample_lots(), "file_name": "x.csv"}})
    at.session_state[progress.ACTIVE_RUN_KEY] = run  # as the interrupted run on this page left it
    at.run()
    assert_ok(at)
    assert any("Schedule #4 is stored." in w.value for w in at.warning)
    assert progress.ACTIVE_RUN_KEY not in at.session_state


def test_a_run_stopped_before_any_plan_says_nothing_was_stored(user):  # noqa: F811
    def cancelled(holder):
        raise RunCancelled("cancelled before it started")

    run = _run(cancelled)
    at = open_page(user, **{progress.ACTIVE_RUN_KEY: run})
    assert_ok(at)
    assert any("Nothing was stored" in i.value for i in at.info)


def test_the_notice_waits_for_a_run_still_stopping(user):  # noqa: F811
    run = _run(lambda holder: holder.cancel.wait(30) and 5)  # ends once the notice cancels it
    at = open_page(user, **{progress.ACTIVE_RUN_KEY: run})
    assert_ok(at)
    assert run.holder.cancel.is_set() and run.done()
    assert any("Schedule #5 is stored." in w.value for w in at.warning)


def test_the_package_exports_the_notice():
    assert ui.stopped_run_notice is progress.stopped_run_notice
