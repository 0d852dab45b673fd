"""How many solver runs one process runs at once (``PSS_MAX_SOLVES``, default the CPU
count), and the queue of the runs that wait for a free solver.

Every path that runs a planner (a filling schedule, a shop plan, a shop proposal) takes a
slot with :func:`solver_slot`. Waiting runs are served first come, first served; while a
run waits, ``on_wait(ahead)`` is called whenever the number of waiting runs before it
changes, so its user sees "waiting: 2 runs ahead of yours". The
limit is per process: with several replicas each bounds its own runs.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from webapp.errors import RunCancelled
from webapp.settings import get_settings

#: called with the number of runs waiting before this one
OnWait = Callable[[int], None]


def waiting_message(ahead: int) -> str:
    """What a queued user reads: how many runs wait before theirs."""
    if ahead == 0:
        return "waiting: yours is next, every solver is busy"
    return f"waiting: {ahead} run{'s' if ahead != 1 else ''} ahead of yours"


class SolverSlots:
    """At most ``limit`` runs at once; the others wait in arrival order."""

    def __init__(self, limit: int):
        if limit < 1:
            raise ValueError(f"at least one solver run must be allowed, got {limit}")
        self.limit = limit
        self._running = 0
        self._queue: deque[object] = deque()
        self._cond = threading.Condition()

    def running(self) -> int:
        """Runs holding a slot now."""
        with self._cond:
            return self._running

    def waiting(self) -> int:
        """Runs waiting for a slot now."""
        with self._cond:
            return len(self._queue)

    @contextmanager
    def slot(self, on_wait: OnWait | None = None, cancel: threading.Event | None = None) -> Iterator[None]:
        """Hold a slot for the block; wait (reporting the queue to ``on_wait``) until one
        is free and every run that came earlier has one.

        Raises:
            RunCancelled: ``cancel`` was set while the run waited (within a second); the
                run leaves the queue without having held a slot.
        """
        ticket = object()
        with self._cond:
            self._queue.append(ticket)
            reported: int | None = None
            try:
                while not (self._queue[0] is ticket and self._running < self.limit):
                    if cancel is not None and cancel.is_set():
                        raise RunCancelled("the run was cancelled while it waited for a solver")
                    ahead = self._queue.index(ticket)
                    if on_wait is not None and ahead != reported:
                        reported = ahead
                        on_wait(ahead)
                    self._cond.wait(timeout=1.0)
            except BaseException:
                self._queue.remove(ticket)
                self._cond.notify_all()
                raise
            self._queue.popleft()
            self._running += 1
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                self._running -= 1
                self._cond.notify_all()


_slots: SolverSlots | None = None
_slots_lock = threading.Lock()


def slots() -> SolverSlots:
    """The process's solver slots (``PSS_MAX_SOLVES`` of the settings, read once)."""
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = SolverSlots(get_settings().max_solves)
        return _slots


def reset() -> None:
    """Forget the process's slots (the next :func:`slots` reads the settings again); for
    tests that change ``PSS_MAX_SOLVES``."""
    global _slots
    with _slots_lock:
        _slots = None


def solver_slot(on_wait: OnWait | None = None, cancel: threading.Event | None = None):
    """A slot of the process's solvers for the block (see :meth:`SolverSlots.slot`)."""
    return slots().slot(on_wait, cancel)
