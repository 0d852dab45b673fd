"""The errors the webapp's services raise, in one place, so pages handle them by kind.

* :class:`InputError` (and its :class:`UnknownReference`): bad input, every problem listed
  (row, column, reason) — the scheduling package's own type, re-exported.
* :class:`PermissionDenied`: not logged in, inactive, or a viewer trying to change data.
* :class:`NotFound`, :class:`DuplicateName`: the repositories' errors.
* :class:`RunFailed`: a stored run failed; the schedule is stored as ``failed``.
* :class:`RunCancelled`: the user cancelled a run before it had any plan; nothing is stored.

A database that cannot be reached surfaces as SQLAlchemy's own ``OperationalError`` (with
the run's note when a failure could not be recorded); ``ui.guarded`` turns each kind into a
message on the page.
"""

from __future__ import annotations

from scheduler_core.errors import InputError, Problem, UnknownReference
from webapp.db.repos.base import DuplicateName, NotFound

__all__ = [
    "DuplicateName",
    "InputError",
    "NotFound",
    "PermissionDenied",
    "Problem",
    "RunCancelled",
    "RunFailed",
    "UnknownReference",
    "describe_error",
]


class PermissionDenied(PermissionError):
    """The acting user may not do this (message says why)."""


def describe_error(error: BaseException) -> str:
    """One line for a user: an ``InputError``'s text, else ``Type: message``."""
    if isinstance(error, InputError):
        return str(error)
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class RunFailed(RuntimeError):
    """A stored run failed. The schedule ``schedule_id`` is ``failed`` with the error text;
    ``error`` is the original exception (also the ``__cause__``)."""

    def __init__(self, schedule_id: int, error: BaseException):
        self.schedule_id = schedule_id
        self.error = error
        super().__init__(f"schedule {schedule_id} failed: {describe_error(error)}")

    def lines(self) -> list[str]:
        """User-facing lines (one per input problem for an ``InputError``)."""
        if isinstance(self.error, InputError):
            return self.error.lines()
        return [describe_error(self.error)]


class RunCancelled(RuntimeError):
    """The user cancelled a run before it found any plan (while it waited for a solver, or
    before the first plan): nothing of it is stored. A run cancelled after it found a plan
    does not raise this; its best plan is stored (``stopping.CANCELLED_STATUS``)."""
