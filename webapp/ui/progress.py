"""The progress bridge between a long run in a worker thread and ``st.progress``, and its
Cancel button.

The worker (a solver and its callbacks) never touches Streamlit: it writes
``(fraction, message)`` into a thread-safe :class:`ProgressHolder`; the script thread polls
the holder and updates the bar (and, for comparisons, one status line per strategy). While
the run waits for a free solver, the bar says how many runs are ahead
(:meth:`ProgressHolder.queued`). With a time limit the bar moves with the elapsed time
against it (:func:`bar_state`), so a silent solver does not freeze it.

Cancelling (filling runs: ``cancellable``): each run has a stop flag
(``ProgressHolder.cancel``, handed to the planner).
Whatever ends the polling loop before the run does — the Cancel button (its click reruns
the script), Streamlit's own Stop, another widget's rerun, a page switch, a closed tab
(Streamlit stops the script of a session that disconnects) — sets the flag (:func:`follow`),
so no run goes on that the user believes stopped. The run is kept in the session
(:data:`ACTIVE_RUN_KEY`); the next script run says what became of it
(:func:`stopped_run_notice`): the best plan found stored as "cancelled (best found)", or
nothing stored.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from scheduler_core.filling import FillingConfig
from webapp.errors import RunCancelled
from webapp.filling import history, runs
from webapp.solves import waiting_message
from webapp.ui.session import COMPARISON_KEY, PAGE_COMPARE, PAGE_DETAIL
from webapp.ui.tables import table

#: Session key of the run the script started and has not reported yet.
ACTIVE_RUN_KEY = "pss_active_run"
#: Widget key of the Cancel button shown while a run is followed.
CANCEL_KEY = "pss_cancel_run"
#: How long the next script run waits for a cancelled run to store its best plan (s).
STOP_WAIT_S = 30.0


@dataclass
class ProgressHolder:
    """Thread-safe (fraction 0..1, message) written by solver threads, read by the script,
    plus optional per-part status lines (e.g. one per strategy of a comparison) and the
    run's stop flag ``cancel``."""

    fraction: float = 0.0
    message: str = "loading"
    parts: dict[str, str] = field(default_factory=dict)
    cancel: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.monotonic)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __call__(self, fraction: float, message: str) -> None:  # a ProgressCallback
        with self._lock:
            self.fraction = min(1.0, max(self.fraction, float(fraction)))
            self.message = str(message)

    def queued(self, ahead: int) -> None:
        """An ``on_wait`` of the solver queue: the message says how many runs wait before
        this one ("waiting: 2 runs ahead of yours")."""
        with self._lock:
            self.message = waiting_message(ahead)

    def note(self, part: str, status: str) -> None:
        """Set the status line of ``part``."""
        with self._lock:
            self.parts[part] = status

    def read(self) -> tuple[float, str]:
        """The latest (fraction, message)."""
        with self._lock:
            return self.fraction, self.message

    def read_parts(self) -> dict[str, str]:
        """A copy of the status lines."""
        with self._lock:
            return dict(self.parts)


@dataclass
class ActiveRun:
    """A run in its worker thread: ``outcome`` gets ``"value"`` or ``"error"`` when it
    ends; ``explain(value)`` says in one line what it stored (for the notice after a stop)
    and which schedule to link (``None``: none)."""

    label: str
    holder: ProgressHolder
    thread: threading.Thread
    outcome: dict[str, Any]
    explain: Callable[[Any], tuple[str, int | None]]
    time_limit_s: float | None = None
    origin: str = ""  # the page that started it (``PAGE_NEW`` …): it shows the notice there

    def done(self) -> bool:
        """True once the worker has ended."""
        return not self.thread.is_alive()


def bar_state(run: ActiveRun, now: float | None = None) -> tuple[float, str]:
    """The bar's (fraction below 1, text) now: the reported fraction, or with a time limit
    at least the planning share (10 %..90 %) of the elapsed time against the limit, so the
    bar moves while a solver is silent; the text adds "12 s of 30 s" (or "12 s")."""
    fraction, message = run.holder.read()
    elapsed = (time.monotonic() if now is None else now) - run.holder.started
    clock = f"{elapsed:.0f} s"
    if run.time_limit_s:
        fraction = max(fraction, 0.1 + 0.8 * min(elapsed / run.time_limit_s, 1.0))
        clock = f"{elapsed:.0f} s of {run.time_limit_s:g} s"
    if run.holder.cancel.is_set():
        message = "stopping – keeping the best plan found"
    return min(fraction, 0.99), f"{run.label}: {message} · {clock}"[:200]


def follow(run: ActiveRun, show: Callable[[ActiveRun], None], *, poll_s: float = 0.2) -> None:
    """Call ``show(run)`` every ``poll_s`` seconds until the run ends. Anything that ends
    the loop first (Streamlit's stop or rerun exceptions raised from ``show``) sets the
    run's stop flag, then passes on."""
    try:
        while not run.done():
            run.thread.join(poll_s)
            show(run)
    except BaseException:
        run.holder.cancel.set()
        raise


def run_with_progress(
    work: Callable[[ProgressHolder], Any],
    *,
    label: str = "Working",
    time_limit_s: float | None = None,
    explain: Callable[[Any], tuple[str, int | None]] = lambda value: (f"It returned {value}.", None),
    origin: str = "",
    cancellable: bool = False,
    poll_s: float = 0.2,
) -> Any:
    """Run ``work(progress)`` in a worker thread; show its progress in ``st.progress`` until
    it finishes. Returns its value or re-raises its error.

    ``cancellable`` (the work hands ``progress.cancel`` to its planner): a Cancel button is
    shown, and an interrupted run (Cancel, Stop, rerun) is cancelled and kept in the session,
    so :func:`stopped_run_notice` reports it on the next script run (on the page ``origin``
    that started it, else on whatever page the user went to). Without it (work that cannot
    stop, e.g. shop planning) there is no button and no notice."""
    holder = ProgressHolder()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work(holder)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the script thread
            outcome["error"] = exc

    run = ActiveRun(label, holder, threading.Thread(target=target, name="pss-run", daemon=True), outcome,
                    explain, time_limit_s, origin)
    bar = st.progress(0.0, text=f"{label}: loading")
    parts_box = st.empty()
    cancel_box = st.empty()
    if cancellable:
        cancel_box.button("Cancel run", key=CANCEL_KEY, icon=":material/stop_circle:",
                          help="Stops the solver within a second and keeps the best plan found so far.")
        st.session_state[ACTIVE_RUN_KEY] = run
    run.thread.start()
    shown_parts: dict[str, str] = {}

    def show(current: ActiveRun) -> None:
        nonlocal shown_parts
        fraction, text = bar_state(current)
        bar.progress(fraction, text=text)
        parts = holder.read_parts()
        if parts and parts != shown_parts:
            table(pd.DataFrame([{"part": k, "status": v} for k, v in parts.items()]), container=parts_box)
            shown_parts = parts

    follow(run, show, poll_s=poll_s)
    show(run)
    st.session_state.pop(ACTIVE_RUN_KEY, None)
    cancel_box.empty()
    if "error" in outcome:
        bar.empty()
        raise outcome["error"]
    bar.progress(1.0, text=f"{label}: done")
    return outcome.get("value")


def _page_name(page: str) -> str:
    """``pages/new_schedule.py`` and the navigation's ``new_schedule`` alike."""
    return page.rsplit("/", 1)[-1].removesuffix(".py")


def stopped_run_notice(page: str, *, own: bool = True) -> None:
    """Report the run a previous script run started and left (Cancel, Stop, a rerun or a
    page switch while it ran): wait until the cancelled run has stored its best plan, then
    say what it stored — or that nothing was stored. ``page`` is the page showing it: with
    ``own`` only a run started there is reported (next to its Run button); without, only a
    run started on another page (the user left it: the app reports it above any page).
    Does nothing when no run was left."""
    run = st.session_state.get(ACTIVE_RUN_KEY)
    if not isinstance(run, ActiveRun) or (_page_name(run.origin) == _page_name(page)) != own:
        return
    run.holder.cancel.set()  # already set by the interrupted loop; a no-op then
    if not run.done():
        with st.spinner(f"{run.label}: stopping, keeping the best plan found …"):
            run.thread.join(STOP_WAIT_S)
    if not run.done():  # still storing: say so, report on a later run
        st.info(f"{run.label}: still stopping; its result will appear in History.")
        return
    st.session_state.pop(ACTIVE_RUN_KEY, None)
    error = run.outcome.get("error")
    if isinstance(error, RunCancelled):
        st.info(f"{run.label}: cancelled before any plan was found. Nothing was stored.")
    elif error is not None:
        st.error(f"{run.label}: stopped with an error: {error}")
    else:
        text, schedule_id = run.explain(run.outcome.get("value"))
        st.warning(f"{run.label}: cancelled. {text}")
        if schedule_id is not None:
            st.page_link(PAGE_DETAIL, label=f"Open schedule #{schedule_id}", icon=":material/insights:",
                         query_params={"id": str(schedule_id)})


def stepped(holder: ProgressHolder, strategy_label: str = "") -> Callable[[float, str], None]:
    """A solver progress callback mapped into the 'planning' step (10 %..90 %)."""
    prefix = f"{strategy_label}: " if strategy_label else ""

    def callback(fraction: float, message: str) -> None:
        f = min(1.0, max(0.0, float(fraction)))
        if f >= 1.0:
            holder(0.92, f"{prefix}writing")
        else:
            holder(0.1 + 0.8 * f, f"{prefix}planning – {message}")

    return callback


def comparison_progress(holder: ProgressHolder, strategies: list[str]) -> Callable[[float, str], None]:
    """The progress callback of a comparison run (messages ``"<strategy>: <step>"``).

    Keeps one status line per strategy in ``holder``: waiting → planning → done. A run
    that raises reports nothing more, so a strategy still "planning" when another one
    starts (strategies run one after the other) has failed; :func:`final_comparison_status`
    settles the last one from the stored comparison.
    """
    wanted = set(strategies)
    current: list[str] = []

    def report(fraction: float, message: str) -> None:
        holder(fraction, message)
        strategy, _, step = message.partition(": ")
        if strategy not in wanted:
            return
        if current and current[0] != strategy and holder.read_parts().get(current[0]) == "planning":
            holder.note(current[0], "failed")
        current[:] = [strategy]
        holder.note(strategy, "done" if step == "done" else "planning")

    return report


def final_comparison_status(holder: ProgressHolder, runs: dict[str, dict[str, Any]]) -> None:
    """Set each strategy's status line from a stored comparison's ``runs``; a strategy that
    did not run (the comparison was cancelled first) reads "not run (cancelled)"."""
    for strategy in holder.read_parts():
        if strategy not in runs:
            holder.note(strategy, "not run (cancelled)")
    for strategy, info in runs.items():
        status = info.get("status") or "unknown"
        holder.note(strategy, "done" if status == "completed" else status)


def schedule_outcome(engine: Engine, user: Any, schedule_id: int) -> tuple[str, int | None]:
    """The notice after a stop for a stored schedule: its id and its solver status
    ("cancelled (best found)", or how it ended when it finished first), and its id."""
    stored = history.get_schedule(engine, user=user, schedule_id=schedule_id)
    if stored is None:
        return f"Schedule #{schedule_id} is no longer stored.", None
    status = stored.result.solver_status if stored.result is not None else stored.schedule.status
    return f"Schedule #{schedule_id} is stored with status \"{status}\".", schedule_id


def run_schedule(engine: Engine, user: Any, *, config: FillingConfig, origin: str, **run: Any) -> int:
    """Plan and store one filling schedule with ``config`` (``runs.run_filling_schedule``
    keyword arguments ``name``, ``lots``, ``file_name``), showing its progress against the
    time limit, with a Cancel button, from page ``origin``; returns the schedule id. Raises
    as ``run_filling_schedule``."""

    def work(progress: ProgressHolder) -> int:
        progress(0.05, "validating")
        schedule_id = runs.run_filling_schedule(
            engine, user=user, config=config, progress=stepped(progress), on_wait=progress.queued,
            cancel=progress.cancel, **run
        )
        progress(1.0, "done")
        return schedule_id

    return run_with_progress(work, label=f"Planning with {config.strategy}", time_limit_s=config.time_limit_s,
                             explain=lambda sid: schedule_outcome(engine, user, sid), origin=origin, cancellable=True)


def comparison_outcome(engine: Engine, user: Any, comparison_id: int, chosen: list[str]) -> tuple[str, None]:
    """The notice after a stop for a saved comparison: which strategies ran and how each
    ended, which did not run; the Compare page opens it next."""
    loaded = history.get_comparison(engine, user=user, comparison_id=comparison_id)
    if loaded is None:
        return f"Comparison #{comparison_id} is no longer stored.", None
    st.session_state[COMPARISON_KEY] = comparison_id
    ran = loaded[0].runs
    done = ", ".join(f"{s} ({info.get('status')})" for s, info in ran.items())
    skipped = [s for s in chosen if s not in ran]
    rest = f"; not run: {', '.join(skipped)}" if skipped else ""
    return f"Comparison #{comparison_id} is saved with the strategies that ran: {done}{rest}.", None


def run_comparison(engine: Engine, user: Any, *, strategies: list[str], config: Any, **run: Any) -> int:
    """Run and save a comparison of ``strategies`` (``runs.run_comparison`` keyword
    arguments ``name``, ``lots``, ``file_name``) with one status line per strategy and a
    Cancel button; returns the comparison id. Raises as ``runs.run_comparison``."""

    def work(progress: ProgressHolder) -> int:
        progress(0.02, "validating")
        for strategy in strategies:
            progress.note(strategy, "waiting")
        cid = runs.run_comparison(
            engine, user=user, config=config, strategies=strategies,
            progress=comparison_progress(progress, strategies), on_wait=progress.queued, cancel=progress.cancel,
            **run,
        )
        stored = history.get_comparison(engine, user=user, comparison_id=cid)
        if stored is not None:  # failed runs report nothing: settle every line
            final_comparison_status(progress, stored[0].runs)
        progress(1.0, "done")
        return cid

    return run_with_progress(work, label=f"Comparing {len(strategies)} strategies",
                             explain=lambda cid: comparison_outcome(engine, user, cid, strategies), origin=PAGE_COMPARE,
                             cancellable=True)
