"""Progress reporting shared by every long-running function of the package."""

from __future__ import annotations

from collections.abc import Callable

#: ``callback(fraction, message)`` with ``0 <= fraction <= 1``. May be called from a solver
#: thread: implementations must not touch UI state directly.
ProgressCallback = Callable[[float, str], None]


def noop_progress(fraction: float, message: str) -> None:  # pragma: no cover - trivial
    """A progress callback that ignores everything."""


def scaled(callback: ProgressCallback | None, lo: float, hi: float) -> ProgressCallback:
    """Map a sub-task's 0..1 progress into ``lo..hi`` of the parent's callback."""
    cb = callback or noop_progress

    def inner(fraction: float, message: str) -> None:
        f = min(1.0, max(0.0, fraction))
        cb(lo + (hi - lo) * f, message)

    return inner
