"""The heartbeat of a running schedule: proof, stored in ``schedules.heartbeat_at``, that
the process planning it is alive, so start-up recovery of any replica fails only runs whose
process died (``app_start.recover_stuck_runs``).

:class:`Heartbeat` wraps a run's progress callback: each report is passed on, and at most
every :data:`BEAT_EVERY_S` seconds the heartbeat is written from the calling (worker)
thread in its own short transaction. A solver can stay silent for long (CP-SAT reports only
new solutions), so :meth:`Heartbeat.kept_alive` also beats every :data:`KEEP_ALIVE_S`
seconds from a small thread while the planner runs. When a beat finds the schedule no longer
``running`` (another replica's recovery marked it failed), the next progress report raises
``RunAlreadyFailed``, which stops the planner: its result would not be stored anyway.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from scheduler_core.progress import ProgressCallback
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import schedules as schedule_repo
from webapp.db.repos.schedules import RunAlreadyFailed

log = logging.getLogger(__name__)

#: the least time between two heartbeats written from progress reports
BEAT_EVERY_S = 5.0
#: the heartbeat of a silent planner (well below ``app_start.STALE_AFTER``)
KEEP_ALIVE_S = 20.0


class Heartbeat:
    """A progress callback that also writes the heartbeat of schedule ``schedule_id`` (at
    most every ``every_s`` seconds, default :data:`BEAT_EVERY_S`)."""

    def __init__(
        self,
        db: Db,
        *,
        owner_id: int,
        schedule_id: int,
        progress: ProgressCallback,
        every_s: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._db = db
        self._owner_id = owner_id
        self._schedule_id = schedule_id
        self._progress = progress
        self._every_s = BEAT_EVERY_S if every_s is None else every_s
        self._clock = clock
        self._last = clock()  # marking the schedule running wrote the first beat
        self._lock = threading.Lock()
        #: set when a beat found the schedule no longer running
        self.abandoned = False

    def __call__(self, fraction: float, message: str) -> None:
        self._progress(fraction, message)
        self.beat()
        if self.abandoned:
            raise RunAlreadyFailed(
                f"schedule {self._schedule_id} was marked failed while it ran (its process "
                "was taken for dead); planning stopped"
            )

    def beat(self, *, force: bool = False) -> bool:
        """Write the heartbeat if :data:`BEAT_EVERY_S` passed since the last (or
        ``force``); returns whether one was written. A database error is logged, not raised:
        the run goes on, and its result is written (or refused) as usual."""
        with self._lock:
            now = self._clock()
            if not force and now - self._last < self._every_s:
                return False
            self._last = now
        try:
            with unit_of_work(self._db) as session:
                alive = schedule_repo.record_heartbeat(
                    session, owner_id=self._owner_id, schedule_id=self._schedule_id
                )
        except Exception as exc:  # noqa: BLE001 - a lost beat must not end a good run
            log.warning("could not write the heartbeat of schedule %s: %s", self._schedule_id, exc)
            return False
        if not alive:
            self.abandoned = True
        return True

    @contextmanager
    def kept_alive(self, every_s: float = KEEP_ALIVE_S) -> Iterator[None]:
        """Beat every ``every_s`` seconds from a daemon thread while the block runs."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(every_s):
                self.beat(force=True)

        thread = threading.Thread(target=loop, name=f"pss-heartbeat-{self._schedule_id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join(timeout=5)
