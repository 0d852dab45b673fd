"""Typed domain objects of the filling-line problem (DESIGN.md §1).

Times inside the package are exact: every duration is an integer number of *ticks*, where a
tick is ``1 / TimeScale.ticks_per_hour`` hours, chosen so that fill durations
(``vials / fill_rate_vph``) and every configured hour value are whole ticks. Datetimes appear
only at the edges (activities of a result). Datetimes are naive and mean the plant's local
time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Any

DEFAULT_STRATEGY = "best"


@dataclass(frozen=True)
class Lot:
    """One lot of vials to fill. ``lot_id`` is kept exactly as the user wrote it."""

    lot_id: str
    lot_type: str
    vials: int
    priority: int | None = None
    due: datetime | None = None
    #: Row in the source file (header = row 1), for messages. ``None`` if built in code.
    row: int | None = None


@dataclass(frozen=True)
class FillingConfig:
    """Line configuration. Every key of DESIGN.md §1; validated by ``io.parse_config``."""

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

    def changeover_hours(self, from_type: str, to_type: str) -> float:
        if self.changeover_matrix and (from_type, to_type) in self.changeover_matrix:
            return self.changeover_matrix[(from_type, to_type)]
        if from_type == to_type:
            return self.changeover_same_hours
        return self.changeover_diff_hours

    def resolved_start(self) -> datetime:
        """``start_time`` or the current hour (rounded to the nearest hour)."""
        if self.start_time is not None:
            return self.start_time
        now = datetime.now().replace(second=0, microsecond=0)
        base = now.replace(minute=0)
        return base + timedelta(hours=1) if now.minute >= 30 else base

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form, accepted back by ``io.parse_config``."""
        out: dict[str, Any] = {
            "fill_rate_vph": self.fill_rate_vph,
            "clean_hours": self.clean_hours,
            "window_hours": self.window_hours,
            "changeover_same_hours": self.changeover_same_hours,
            "changeover_diff_hours": self.changeover_diff_hours,
            "strategy": self.strategy,
            "time_limit_s": self.time_limit_s,
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
        value = _fraction(hours) * self.ticks_per_hour
        if value.denominator != 1:  # pragma: no cover - the scale is built to avoid this
            raise ValueError(f"{hours} h is not a whole number of ticks")
        return int(value)

    def fill_ticks(self, vials: int) -> int:
        value = Fraction(vials) / self.fill_rate * self.ticks_per_hour
        if value.denominator != 1:  # pragma: no cover - the scale is built to avoid this
            raise ValueError("fill duration is not a whole number of ticks")
        return int(value)

    def to_hours(self, ticks: int) -> float:
        return ticks / self.ticks_per_hour

    def to_timedelta(self, ticks: int) -> timedelta:
        micro = Fraction(ticks * 3_600_000_000, self.ticks_per_hour)
        return timedelta(microseconds=round(micro))


class ActivityKind(StrEnum):
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

    @property
    def duration_h(self) -> float:
        return (self.end - self.start).total_seconds() / 3600.0


@dataclass(frozen=True)
class Kpis:
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
        return self.kpis.makespan_h

    @property
    def lower_bound_h(self) -> float:
        return self.kpis.lower_bound_h

    @property
    def start(self) -> datetime:
        return self.activities[0].start

    @property
    def end(self) -> datetime:
        return self.activities[-1].end
