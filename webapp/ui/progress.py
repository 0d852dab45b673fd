"""The progress bridge between a long run in a worker thread and ``st.progress``.

The worker (a solver and its callbacks) never touches Streamlit: it writes
``(fraction, message)`` into a thread-safe :class:`ProgressHolder`; the script thread polls
the holder and updates the bar (and, for comparisons, one status line per strategy). While
the run waits for a free solver, the bar says how many runs are ahead
(:meth:`ProgressHolder.queued`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine

from scheduler_core.filling import FillingConfig
from webapp.filling import runs
from webapp.solves import waiting_message
from webapp.ui.tables import table


@dataclass
class ProgressHolder:
    """Thread-safe (fraction 0..1, message) written by solver threads, read by the script,
    plus optional per-part status lines (e.g. one per strategy of a comparison)."""

    fraction: float = 0.0
    message: str = "loading"
    parts: dict[str, str] = field(default_factory=dict)
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


def run_with_progress(
    work: Callable[[ProgressHolder], Any], *, label: str = "Working", poll_s: float = 0.2
) -> Any:
    """Run ``work(progress)`` in a worker thread; poll its progress into ``st.progress``
    every ``poll_s`` seconds until it finishes. Returns its value or re-raises its error."""
    holder = ProgressHolder()
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work(holder)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the script thread
            outcome["error"] = exc

    bar = st.progress(0.0, text=f"{label}: loading")
    parts_box = st.empty()
    thread = threading.Thread(target=target, name="pss-run", daemon=True)
    thread.start()
    shown_parts: dict[str, str] = {}

    def show_parts() -> None:
        nonlocal shown_parts
        parts = holder.read_parts()
        if parts and parts != shown_parts:
            table(pd.DataFrame([{"part": k, "status": v} for k, v in parts.items()]), container=parts_box)
            shown_parts = parts

    while thread.is_alive():
        thread.join(poll_s)
        fraction, message = holder.read()
        bar.progress(min(fraction, 0.99), text=f"{label}: {message}"[:200])
        show_parts()
    show_parts()
    if "error" in outcome:
        bar.empty()
        raise outcome["error"]
    bar.progress(1.0, text=f"{label}: done")
    return outcome.get("value")


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
    """Set each strategy's status line from a stored comparison's ``runs``."""
    for strategy, info in runs.items():
        status = info.get("status") or "unknown"
        holder.note(strategy, "done" if status == "completed" else status)


def run_schedule(engine: Engine, user: Any, *, config: FillingConfig, **run: Any) -> int:
    """Plan and store one filling schedule with ``config`` (``runs.run_filling_schedule``
    keyword arguments ``name``, ``lots``, ``file_name``), showing its progress; returns the
    schedule id. Raises as ``run_filling_schedule``."""

    def work(progress: ProgressHolder) -> int:
        progress(0.05, "validating")
        schedule_id = runs.run_filling_schedule(
            engine, user=user, config=config, progress=stepped(progress), on_wait=progress.queued, **run
        )
        progress(1.0, "done")
        return schedule_id

    return run_with_progress(work, label=f"Planning with {config.strategy}")
