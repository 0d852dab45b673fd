"""Cancelling a long run: one stop flag per run, visible to every loop and solver of it.

The caller of a planner passes a ``threading.Event`` (``cancel``); the planner installs it
with :func:`watching` for the duration of the run, and search loops ask :func:`expired`
(deadline passed or stop requested) instead of looking at the clock alone. CP-SAT solves
run inside :func:`watched`: a thread that calls ``StopSearch`` within ``POLL_S`` seconds of
the request, so a cancelled run ends within a second and keeps the best plan found so far.
The flag lives in a ``ContextVar``: runs in different threads never see each other's flag.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: How often a solver watcher looks at the stop flag (seconds).
POLL_S = 0.05

#: Status of a result whose run was cancelled by the user after a plan was found.
CANCELLED_STATUS = "cancelled (best found)"

_current: ContextVar[threading.Event | None] = ContextVar("pss_stop_flag", default=None)


class Cancelled(Exception):
    """Raised when a run is cancelled before it found any plan (nothing to keep)."""


@contextmanager
def watching(flag: threading.Event | None) -> Iterator[None]:
    """Install ``flag`` as the current run's stop flag (``None``: the run cannot be stopped)."""
    token = _current.set(flag)
    try:
        yield
    finally:
        _current.reset(token)


def current() -> threading.Event | None:
    """The current run's stop flag, if any."""
    return _current.get()


def requested() -> bool:
    """True when the user asked the current run to stop."""
    flag = _current.get()
    return flag is not None and flag.is_set()


def expired(deadline: float) -> bool:
    """True when ``deadline`` (``time.monotonic`` seconds) has passed or a stop was requested."""
    return time.monotonic() >= deadline or requested()


def watch_solver(
    stop: Callable[[], None], *, done: threading.Event, also: Callable[[], bool] | None = None
) -> None:
    """Start a daemon thread that calls ``stop()`` (e.g. a CP-SAT solver's ``stop_search``)
    once the current run's stop flag is set or ``also()`` returns True; it ends when ``done``
    is set. The flag is read here, in the caller's thread, since context does not follow
    into new threads."""
    flag = _current.get()
    if flag is None and also is None:
        return

    def loop() -> None:  # keeps stopping: a stop sent before the solve began is not lost
        while not done.wait(POLL_S):
            if (flag is not None and flag.is_set()) or (also is not None and also()):
                stop()

    threading.Thread(target=loop, name="pss-stop-watch", daemon=True).start()


@contextmanager
def watched(stop: Callable[[], None], *, also: Callable[[], bool] | None = None) -> Iterator[None]:
    """Around one solve: :func:`watch_solver` for ``stop`` while the block runs, ended when
    it leaves (``with stopping.watched(solver.stop_search): status = solver.solve(model)``)."""
    done = threading.Event()
    watch_solver(stop, done=done, also=also)
    try:
        yield
    finally:
        done.set()
