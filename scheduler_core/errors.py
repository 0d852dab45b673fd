"""Errors the scheduling package raises for bad user input, and the rule-list runner.

Every validator of the package is a list of small named rule functions; :func:`check` runs
such a list over one subject and :func:`raise_problems` turns what they found into one
:class:`InputError`, so a user sees every problem at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where it is and why it is wrong.

    ``row`` is the 1-based line/row number as the user sees it in the file (the header is
    row 1), or ``None`` for problems that concern the whole file (a missing column, an
    unknown config key, ...).
    """

    reason: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.reason}" if prefix else self.reason


class InputError(ValueError):
    """Bad input. Carries every problem found, so a user can fix them all at once."""

    def __init__(self, problems: list[Problem] | Problem | str, *, source: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        super().__init__(head + "; ".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        """One human-readable line per problem (used by the CLI and the app)."""
        head = f"{self.source}: " if self.source else ""
        return [head + str(p) for p in self.problems]


class UnknownReference(InputError):
    """An input names something that does not exist (a work center, work order, operation)."""


#: A rule: one function that returns the problems it finds in its subject (none = holds).
Rule = Callable[[T], Iterable[Problem]]


def check(rules: Sequence[Rule[T]], subject: T) -> list[Problem]:
    """Run every rule of ``rules`` over ``subject``; the problems of all rules, in rule order."""
    return [problem for rule in rules for problem in rule(subject)]


def raise_problems(problems: Sequence[Problem], *, source: str | None = None) -> None:
    """Raise one :class:`InputError` carrying ``problems`` (nothing when there are none)."""
    if problems:
        raise InputError(list(problems), source=source)
