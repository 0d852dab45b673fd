"""Solver slots: at most ``limit`` runs at once, the others first come, first served, each
told how many runs wait before it."""

from __future__ import annotations

import threading
import time

import pytest

from webapp import solves
from webapp.solves import SolverSlots, waiting_message


def _until(condition) -> None:
    end = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < end
        time.sleep(0.005)


def test_limit_and_queue_order_with_places():
    slots = SolverSlots(2)
    gate = threading.Event()
    order: list[str] = []
    heard: dict[str, list[int]] = {}

    def run(name: str) -> None:
        heard[name] = []
        with slots.slot(heard[name].append):
            order.append(name)
            gate.wait(10)

    threads = {}
    for name in ("a", "b", "c", "d"):
        threads[name] = threading.Thread(target=run, args=(name,))
        threads[name].start()
        _until(lambda n=name: n in heard and (n in order or slots.waiting() >= 1))
    _until(lambda: slots.running() == 2 and slots.waiting() == 2)
    assert order == ["a", "b"] and heard["c"] == [0] and heard["d"] == [1]
    gate.set()
    for t in threads.values():
        t.join(10)
    assert order == ["a", "b", "c", "d"] and slots.running() == slots.waiting() == 0


def test_a_failed_wait_leaves_the_queue():
    slots = SolverSlots(1)

    def refuse(ahead: int) -> None:
        raise KeyboardInterrupt

    with slots.slot():
        with pytest.raises(KeyboardInterrupt), slots.slot(refuse):
            pass
        assert slots.waiting() == 0
    with slots.slot():
        assert slots.running() == 1


def test_process_slots_follow_the_setting(monkeypatch):
    from webapp.settings import get_settings

    monkeypatch.setenv("PSS_MAX_SOLVES", "3")
    get_settings.cache_clear()
    solves.reset()
    try:
        assert solves.slots().limit == 3 and solves.slots() is solves.slots()
    finally:
        get_settings.cache_clear()
        solves.reset()
    with pytest.raises(ValueError):
        SolverSlots(0)


def test_waiting_message():
    assert waiting_message(2) == "waiting: 2 runs ahead of yours"
    assert waiting_message(1) == "waiting: 1 run ahead of yours"
    assert "next" in waiting_message(0)
