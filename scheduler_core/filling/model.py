"""Typed domain objects of the filling-line problem (DESIGN.md §1) and the rules that make
them valid.

Validation happens once, in the value objects: ``FillingConfig.__post_init__`` runs
``CONFIG_RULES`` and ``FillingProblem.__post_init__`` runs ``LOT_RULES`` on every lot and
``PROBLEM_RULES`` on the whole set; each rule is one small function returning the problems it
finds, and every problem found is raised at once in one ``InputError``. Code holding such an
object trusts it. ``lots_fit_window`` is the one rule that needs both (planner).

Times inside the package are exact: every duration is an integer number of *ticks*, where a
tick is ``1 / TimeScale.ticks_per_hour`` hours, chosen so that fill durations
(``vials / fill_rate_vph``) and every configured hour value are whole ticks. Datetimes appear
only at the edges (activities of a result). Datetimes are naive and mean the plant's local
time.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Any

from scheduler_core.cells import range_problem
from scheduler_core.errors import Problem, check, raise_problems
from scheduler_core.filling.catalog import DEFAULT_STRATEGY
from scheduler_core.filling.config_rules import CONFIG_RULES, NUMBER_KEYS, OBJECTIVES, short  # noqa: F401 - re-exported
from scheduler_core.tabular import capped
from scheduler_core.zones import default_zone_name, next_full_hour

#: Largest accepted vial count of one lot.
MAX_VIALS = 10**12
#: Priority of a lot that gives none (1 high … 3 low).
DEFAULT_PRIORITY = 3


@dataclass(frozen=True)
class Lot:
    """One lot of vials to fill. ``lot_id`` is kept exactly as the user wrote it; ``vials`` is
    a count; ``priority`` 1 (high) … 3 (low), ``None`` meaning 3; ``due`` the plant-local
    moment its fill should end by; ``release`` the earliest moment its fill may start (e.g.
    when the bulk is released: a hard rule, the line waits). A plain record:
    :class:`FillingProblem` validates lots (so that every problem of a set is reported at once)."""

    lot_id: str
    lot_type: str
    vials: int
    priority: int | None = None
    due: datetime | None = None
    release: datetime | None = None
    #: Row in the source file (header = row 1), for messages. ``None`` if built in code.
    row: int | None = None

    @property
    def weight(self) -> int:
        """Weight of the lot's tardiness: ``4 - priority`` (priority 1 -> 3, 3 -> 1; DESIGN.md §1)."""
        return 4 - (self.priority if self.priority is not None else DEFAULT_PRIORITY)


@dataclass(frozen=True)
class FillingConfig:
    """Line configuration and run options: every key of DESIGN.md §1 (hours, vials per hour,
    seconds). The one options object of the filling problem: one default per key, validated
    in ``__post_init__`` by :data:`CONFIG_RULES`.

    Raises:
        InputError: every bad value at once (``column`` = the config key).
    """

    fill_rate_vph: float = 19920
    clean_hours: float = 24
    window_hours: float = 120
    changeover_same_hours: float = 4
    changeover_diff_hours: float = 8
    #: ``{(from_type, to_type): hours}``; pairs not listed use the same/different values.
    changeover_matrix: dict[tuple[str, str], float] | None = None
    #: ``None`` means "now, rounded to the hour" at planning time.
    start_time: datetime | None = None
    strategy: str = DEFAULT_STRATEGY
    time_limit_s: float = 10
    #: ``makespan`` (then weighted tardiness) or ``due`` (weighted tardiness, then makespan).
    objective: str = "makespan"

    def __post_init__(self) -> None:
        raise_problems(check(CONFIG_RULES, self))

    def changeover_hours(self, from_type: str, to_type: str) -> float:
        """Hours of a changeover from a lot of ``from_type`` to one of ``to_type``."""
        if self.changeover_matrix and (from_type, to_type) in self.changeover_matrix:
            return self.changeover_matrix[(from_type, to_type)]
        if from_type == to_type:
            return self.changeover_same_hours
        return self.changeover_diff_hours

    def resolved_start(self) -> datetime:
        """``start_time``, or the next full hour on the plant clock (``PSS_TIMEZONE``; DESIGN.md
        §1: "now, rounded up to the next hour"), never the server's own clock.

        Raises:
            InputError: ``PSS_TIMEZONE`` names no IANA zone.
        """
        if self.start_time is not None:
            return self.start_time
        return next_full_hour(default_zone_name())

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (matrix as ``{from: {to: hours}}``, start as ISO text),
        accepted back by ``io_config.parse_config``."""
        out: dict[str, Any] = {
            "fill_rate_vph": self.fill_rate_vph,
            "clean_hours": self.clean_hours,
            "window_hours": self.window_hours,
            "changeover_same_hours": self.changeover_same_hours,
            "changeover_diff_hours": self.changeover_diff_hours,
            "strategy": self.strategy,
            "time_limit_s": self.time_limit_s,
            "objective": self.objective,
        }
        if self.changeover_matrix:
            matrix: dict[str, dict[str, float]] = {}
            for (a, b), h in sorted(self.changeover_matrix.items()):
                matrix.setdefault(a, {})[b] = h
            out["changeover_matrix"] = matrix
        if self.start_time is not None:
            out["start_time"] = self.start_time.isoformat()
        return out


def _fraction(value: float | int) -> Fraction:
    """Exact fraction of a user number (``0.1`` is 1/10, not its binary approximation)."""
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


@dataclass(frozen=True)
class TimeScale:
    """Integer time base for one (config, lots) pair. See the module docstring."""

    ticks_per_hour: int
    fill_rate: Fraction

    @classmethod
    def for_config(cls, config: FillingConfig) -> TimeScale:
        """The scale of ``config``: ticks per hour = lcm of the denominators of the fill rate
        and of every configured hour value, so every duration is a whole number of ticks.
        """
        rate = _fraction(config.fill_rate_vph)
        denominators = [rate.numerator]  # vials / (p/q) h = vials*q/p h -> p ticks per hour
        hours = [
            config.clean_hours,
            config.window_hours,
            config.changeover_same_hours,
            config.changeover_diff_hours,
            *(config.changeover_matrix or {}).values(),
        ]
        denominators += [_fraction(h).denominator for h in hours]
        tph = 1
        for d in denominators:
            tph = math.lcm(tph, d)
        return cls(ticks_per_hour=tph, fill_rate=rate)

    def hours_to_ticks(self, hours: float) -> int:
        """``hours`` in ticks (exact). Raises ``ValueError`` if not whole (the scale prevents it)."""
        value = _fraction(hours) * self.ticks_per_hour
        if value.denominator != 1:  # pragma: no cover - the scale is built to avoid this
            raise ValueError(f"{hours} h is not a whole number of ticks")
        return int(value)

    def fill_ticks(self, vials: int) -> int:
        """Ticks to fill ``vials`` at the fill rate (exact)."""
        value = Fraction(vials) / self.fill_rate * self.ticks_per_hour
        if value.denominator != 1:  # pragma: no cover - the scale is built to avoid this
            raise ValueError("fill duration is not a whole number of ticks")
        return int(value)

    def to_hours(self, ticks: int) -> float:
        """``ticks`` in hours."""
        return ticks / self.ticks_per_hour

    def to_timedelta(self, ticks: int) -> timedelta:
        """``ticks`` as a ``timedelta`` rounded to the microsecond."""
        micro = Fraction(ticks * 3_600_000_000, self.ticks_per_hour)
        return timedelta(microseconds=round(micro))


class ActivityKind(StrEnum):
    """What the line does in an activity: a ``CLEAN``, a ``CHANGEOVER`` or a ``FILL``."""
    CLEAN = "CLEAN"
    CHANGEOVER = "CHANGEOVER"
    FILL = "FILL"


@dataclass(frozen=True)
class Activity:
    """One bar of the schedule. Lot fields are ``None`` for ``CLEAN``; for a ``CHANGEOVER``
    they describe the lot the line is being changed over *to*."""

    kind: ActivityKind
    block: int  # 1-based
    start: datetime
    end: datetime
    lot_id: str | None = None
    lot_type: str | None = None
    vials: int | None = None
    #: FILL only: the lot's due moment (``None``: no due date).
    due: datetime | None = None
    #: FILL only: hours from ``due`` to the fill's end (negative: early; ``None``: no due date).
    lateness_h: float | None = None

    @property
    def duration_h(self) -> float:
        """Hours from start to end."""
        return (self.end - self.start).total_seconds() / 3600.0


@dataclass(frozen=True)
class Kpis:
    """KPIs of a schedule: makespan, changeover, fill and clean hours, blocks, changeovers,
    lots, utilisation (fill hours / makespan, 0..1), the lower bound (hours) and the gap to it
    (100 * (makespan - bound) / bound, in %), and the due-date KPIs of DESIGN.md §1 (late
    lots, tardiness and weighted tardiness in hours, maximum lateness).
    """
    makespan_h: float
    blocks: int
    changeovers: int
    changeover_h: float
    fill_h: float
    clean_h: float
    utilisation: float  # fill hours / makespan, 0..1
    lots: int
    lower_bound_h: float
    gap_pct: float  # 100 * (makespan - lower bound) / lower bound
    #: Lots whose fill ends after their due date.
    late_lots: int = 0
    #: Sum over lots of max(0, lateness) in hours.
    tardiness_h: float = 0.0
    #: Sum over lots of (4 - priority) * max(0, lateness) in hours.
    weighted_tardiness_h: float = 0.0
    #: Largest lateness (may be negative: every lot early) in hours; ``None``: no due dates.
    max_lateness_h: float | None = None


@dataclass(frozen=True)
class ScheduleResult:
    """What every strategy returns. The app, exports and comparisons use only this type."""

    strategy: str
    activities: tuple[Activity, ...]
    kpis: Kpis
    proven_optimal: bool
    runtime_s: float
    #: Human-readable solver outcome, e.g. "heuristic", "OPTIMAL", "FEASIBLE (time limit)".
    solver_status: str
    config: FillingConfig
    lots: tuple[Lot, ...]
    #: Lots of each block in line order (lot ids), the compact form of the schedule.
    blocks: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def makespan_h(self) -> float:
        """Hours from the plan's start (the first clean's start, unless a release put it
        off) to the last fill's end."""
        return self.kpis.makespan_h

    @property
    def lower_bound_h(self) -> float:
        """The lower bound in hours."""
        return self.kpis.lower_bound_h

    @property
    def start(self) -> datetime:
        """Start of the first activity (the first clean)."""
        return self.activities[0].start

    @property
    def end(self) -> datetime:
        """End of the last activity."""
        return self.activities[-1].end


@dataclass(frozen=True)
class FillingProblem:
    """The lots to fill (in the user's order), validated as a whole.

    ``lots`` may be given as any sequence; it is stored as a tuple.

    Raises:
        InputError: every problem of every lot (:data:`LOT_RULES`) and of the set
            (:data:`PROBLEM_RULES`) at once, at most ``tabular.MAX_PROBLEMS`` listed.
    """

    lots: tuple[Lot, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "lots", tuple(self.lots))
        problems = [p for lot in self.lots for p in check(LOT_RULES, lot)]
        raise_problems(capped(problems + check(PROBLEM_RULES, self)))

    @property
    def types(self) -> list[str]:
        """Distinct lot types in order of first appearance."""
        return list(dict.fromkeys(lot.lot_type for lot in self.lots))


# ----------------------------------------------------------------------- lot rules


def lot_id_not_blank(lot: Lot) -> Iterator[Problem]:
    """A lot has a non-blank text id."""
    if not isinstance(lot.lot_id, str) or not lot.lot_id.strip():
        yield Problem("Lot ID is blank", lot.row, "Lot ID")


def lot_type_not_blank(lot: Lot) -> Iterator[Problem]:
    """A lot has a non-blank text type."""
    if not isinstance(lot.lot_type, str) or not lot.lot_type.strip():
        yield Problem("Type is blank", lot.row, "Type")


def vials_positive_whole(lot: Lot) -> Iterator[Problem]:
    """A lot holds a positive whole number of vials, at most :data:`MAX_VIALS`."""
    vials = lot.vials
    if isinstance(vials, bool) or not isinstance(vials, int) or not 0 < vials <= MAX_VIALS:
        yield Problem(f"vials must be a positive whole number, got {vials!r}", lot.row, "Vials")


def moments_plausible(lot: Lot) -> Iterator[Problem]:
    """A lot's due date and release are dates/times in the accepted range (or absent)."""
    for value, name, column in ((lot.due, "due", "Due"), (lot.release, "release", "Release")):
        if value is not None and not isinstance(value, datetime):
            yield Problem(f"{column} must be a date/time, got {short(value)}", lot.row, column)
        elif reason := range_problem(value, name):
            yield Problem(reason, lot.row, column)


def priority_in_range(lot: Lot) -> Iterator[Problem]:
    """A lot's priority is 1 (high), 2 or 3 (low), or absent (3)."""
    p = lot.priority
    if p is not None and (isinstance(p, bool) or not isinstance(p, int) or not 1 <= p <= 3):
        yield Problem(f"Priority must be 1 (high), 2 or 3 (low), got {short(p)}", lot.row, "Priority")


LOT_RULES = (lot_id_not_blank, lot_type_not_blank, vials_positive_whole, moments_plausible, priority_in_range)


def has_lots(problem: FillingProblem) -> Iterator[Problem]:
    """There is at least one lot to schedule."""
    if not problem.lots:
        yield Problem("no lots to schedule")


def lot_ids_unique(problem: FillingProblem) -> Iterator[Problem]:
    """No two lots share an id."""
    first_row: dict[str, int | None] = {}
    for lot in problem.lots:
        if lot.lot_id in first_row:
            where = first_row[lot.lot_id]
            seen = f"first seen in row {where}" if where is not None else "listed more than once"
            yield Problem(f"duplicate Lot ID {lot.lot_id!r} ({seen})", lot.row, "Lot ID")
        else:
            first_row[lot.lot_id] = lot.row


PROBLEM_RULES = (has_lots, lot_ids_unique)


def lots_fit_window(problem: FillingProblem, config: FillingConfig) -> list[Problem]:
    """Every lot's fill alone fits in the window (one problem per lot that does not: the
    planner refuses such input instead of producing an impossible block)."""
    problems = []
    for lot in problem.lots:
        hours = lot.vials / config.fill_rate_vph
        if hours > config.window_hours:
            over = hours - config.window_hours
            extra_vials = math.ceil(lot.vials - config.fill_rate_vph * config.window_hours)
            by = f"{over:.2f} h" if over >= 0.01 else f"{extra_vials:,} vial{'s' if extra_vials != 1 else ''}"
            problems.append(
                Problem(
                    f"lot {lot.lot_id!r} needs {hours:.2f} h of filling, {by} more than the "
                    f"{config.window_hours:g} h window holds; split it into smaller lots",
                    row=lot.row,
                    column="Vials",
                )
            )
    return capped(problems)


def release_after_due(problem: FillingProblem) -> list[Problem]:
    """Warnings (the lot is still planned; it cannot be on time) for every lot released
    after its due date."""
    return capped([
        Problem(f"lot {lot.lot_id!r} is released ({lot.release:%Y-%m-%d %H:%M}) after it is due "
                f"({lot.due:%Y-%m-%d %H:%M}): it will be late", lot.row, "Release")
        for lot in problem.lots
        if lot.due is not None and lot.release is not None and lot.release > lot.due
    ])


def matrix_unknown_types(problem: FillingProblem, config: FillingConfig) -> list[Problem]:
    """Warnings (not errors: a template is reused for many files) for every type the
    changeover matrix names that no lot has, with the nearest real type name when one is
    close: such an entry would otherwise be ignored without a word."""
    import difflib

    if not config.changeover_matrix:
        return []
    real = sorted({lot.lot_type for lot in problem.lots})
    named = sorted({t for pair in config.changeover_matrix for t in pair})
    warnings = []
    for name in named:
        if name in real:
            continue
        near = difflib.get_close_matches(name, real, n=1, cutoff=0.5) or [
            t for t in real if t.casefold() == name.casefold()]
        hint = f"; did you mean {near[0]!r}?" if near else ""
        warnings.append(Problem(f"changeover_matrix names type {name!r}, which no lot has: its entries are "
                                f"not used{hint}", column="changeover_matrix"))
    return warnings
