"""Errors the scheduling package raises for bad user input."""

from __future__ import annotations

from dataclasses import dataclass


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
