from __future__ import annotations

import threading
import time

from scheduler_core import stopping


def test_expired_when_the_deadline_passed_or_a_stop_was_requested():
    flag = threading.Event()
    far = time.monotonic() + 60
    with stopping.watching(flag):
        assert not stopping.expired(far)
        flag.set()
        assert stopping.requested() and stopping.expired(far)
    assert not stopping.requested()  # the flag belongs to that run only
    assert stopping.expired(time.monotonic() - 1)


def test_a_run_in_another_thread_does_not_see_the_flag():
    flag = threading.Event()
    flag.set()
    seen = []
    with stopping.watching(flag):
        worker = threading.Thread(target=lambda: seen.append(stopping.requested()))
        worker.start()
        worker.join()
    assert seen == [False]


class _Solver:
    def __init__(self) -> None:
        self.stops = 0

    def stop_search(self) -> None:
        self.stops += 1


def test_solver_watch_stops_on_request_and_keeps_stopping_until_done():
    flag, done, solver = threading.Event(), threading.Event(), _Solver()
    with stopping.watching(flag):
        stopping.watch_solver(solver.stop_search, done=done)
    time.sleep(3 * stopping.POLL_S)
    assert solver.stops == 0
    flag.set()
    time.sleep(4 * stopping.POLL_S)
    assert solver.stops >= 2  # a stop sent before the solve began would be lost otherwise
    done.set()
    time.sleep(2 * stopping.POLL_S)
    after = solver.stops
    time.sleep(3 * stopping.POLL_S)
    assert solver.stops == after


def test_solver_watch_stops_on_its_own_condition_without_a_flag():
    done, solver = threading.Event(), _Solver()
    stopping.watch_solver(solver.stop_search, done=done, also=lambda: True)
    time.sleep(3 * stopping.POLL_S)
    done.set()
    assert solver.stops >= 1


def test_watched_stops_a_solve_on_request_and_forgets_it_afterwards():
    flag, solver = threading.Event(), _Solver()
    with stopping.watching(flag), stopping.watched(solver.stop_search):
        flag.set()
        time.sleep(3 * stopping.POLL_S)
        assert solver.stops >= 1
    after = solver.stops
    time.sleep(3 * stopping.POLL_S)
    assert solver.stops == after  # the watcher ended with the block
