"""One sheet of a shop workbook as it is read: canonical column -> raw cell, every problem of
a row recorded (row as the user sees it, column as ``sheet!header``), and what each problem
spoils (its *owner*: the work order or work center of the row), so a partial import can skip
exactly the items a bad row belongs to.
"""

from __future__ import annotations

from typing import Any

from scheduler_core.cells import norm_header
from scheduler_core.errors import Problem
from scheduler_core.shop.io import columns as c
from scheduler_core.tabular import Row

__all__ = ["ORDER", "WORK_CENTER", "Bad", "Sheet"]

#: Owner kinds: a problem of a row spoils its work order or its work center.
ORDER = "work order"
WORK_CENTER = "work center"


class Bad(Exception):
    """The current row had a bad value (its problems are recorded); skip the row."""


class Sheet:
    """Rows of one sheet as canonical column -> raw value, with problem collection.

    ``problems`` is the reader's shared list; ``owners`` (shared too) maps each row problem
    to the ``(kind, key)`` it spoils, taken from :attr:`owner` when it is recorded (set it
    with :meth:`own` once the row's work order or work center is known).
    """

    def __init__(self, name: str, rows: list[Row], aliases: dict[str, list[str]],
                 problems: list[Problem], required: tuple[str, ...],
                 owners: dict[Problem, tuple[str, str]] | None = None):
        self.name = name
        self.problems = problems
        self.owners = owners if owners is not None else {}
        self.owner: tuple[str, str] | None = None
        self._seen: set[Problem] = set()
        self.cols: dict[str, int] = {}
        self.headers: dict[str, str] = {}
        lookup = {a: canon for canon, al in aliases.items() for a in al}
        for k, h in enumerate(rows[0].cells if rows else []):
            canon = lookup.get(norm_header(h))
            if canon and canon not in self.cols:
                self.cols[canon] = k
                self.headers[canon] = str(h).strip()
        for col in required:
            if col not in self.cols:
                problems.append(Problem(f"sheet '{name}': missing column '{col}'", column=col))
        self.rows = rows[1:]
        self.ok = all(col in self.cols for col in required)
        self.failed = False

    def column(self, col: str) -> str:
        """``sheet!header`` of canonical column ``col`` (the header as written)."""
        return f"{self.name}!{self.headers.get(col, col)}"

    def next_row(self) -> None:
        """Start a row: its problems spoil nothing until :meth:`own` names what they spoil."""
        self.owner = None
        self.failed = False

    def own(self, kind: str, key: str) -> None:
        """Problems recorded from now on spoil ``(kind, key)`` (a work order or work center)."""
        self.owner = (kind, key)

    def raw(self, row: list[Any], col: str) -> Any:
        """The cell of ``col`` in ``row`` (stripped text; ``None`` when blank or absent)."""
        k = self.cols.get(col)
        if k is None or k >= len(row):
            return None
        v = row[k]
        if isinstance(v, str):
            v = v.strip()
            if v == "":
                return None
        return v

    def given(self, row: list[Any], fields: dict[str, str], explicit: tuple[str, ...] = ()) -> frozenset[str]:
        """The fields (``fields``: column -> field) ``row`` gives: a non-blank cell, or any
        cell of an ``explicit`` column (one where a blank is a value). An absent column
        gives nothing."""
        return frozenset(f for col, f in fields.items()
                         if self.raw(row, col) is not None or (col in explicit and col in self.cols))

    def bad(self, r: int, col: str, reason: str) -> None:
        """Record problem ``reason`` at row ``r``, column ``col`` (once), owned by :attr:`owner`."""
        p = Problem(reason, r, self.column(col))
        if p not in self._seen:
            self._seen.add(p)
            self.problems.append(p)
            if self.owner is not None:
                self.owners[p] = self.owner

    def get(self, r: int, row: list[Any], col: str, conv: c.Converter,
            default: Any = None, required: bool = False) -> Any:
        """The converted value; on a problem it is recorded, the row is marked failed and
        ``default`` returned, so every problem of a row is collected (``done`` raises). A
        value that converts to ``None`` (e.g. only control characters) counts as blank."""
        v = self.raw(row, col)
        if v is not None:
            try:
                v = conv(v, self.headers.get(col, col))
            except (ValueError, TypeError) as exc:
                self.bad(r, col, str(exc) or f"invalid value '{v}'")
                self.failed = True
                return default
        if v is None:
            if required:
                self.bad(r, col, "is blank")
                self.failed = True
            return default
        return v

    def done(self) -> None:
        """Raise :class:`Bad` if a value of the current row was bad (and reset)."""
        if self.failed:
            self.failed = False
            raise Bad
