"""What the filling validator (``validate``) works on: the names of its rules
(:data:`RULES`), one broken rule instance (:class:`Violation`), and a schedule cut into
blocks at every CLEAN (:class:`Schedule`, :class:`Segment`), with the small helpers its rules
share (durations in hours, the timestamp tolerance)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from scheduler_core.filling.model import Activity, ActivityKind, FillingConfig, Lot

#: Timestamps are rounded to microseconds; allow for that (and nothing more meaningful).
TOLERANCE = timedelta(milliseconds=1)

#: Violation names (``Violation.rule``) and what each means.
RULES = {
    "block-not-opened-by-clean": "every block starts with a CLEAN",
    "block-numbering": "blocks are numbered 1, 2, ... in time order",
    "empty-block": "a CLEAN is followed by at least one lot of its block",
    "gap": "activities follow each other without gaps, except that the line waits for a release",
    "release": "no fill starts before its lot's release",
    "overlap": "activities do not overlap",
    "clean-duration": "a CLEAN lasts clean_hours",
    "fill-duration": "a FILL lasts vials / fill_rate_vph hours",
    "changeover-duration": "a CHANGEOVER lasts the configured hours for its pair of types",
    "missing-changeover": "consecutive lots of a block are separated by a CHANGEOVER",
    "unexpected-changeover": "a CHANGEOVER only sits between two lots of the same block",
    "window": "fills, changeovers and waits of a block fit in window_hours after its CLEAN",
    "missing-lot": "every lot is filled",
    "duplicate-lot": "every lot is filled exactly once",
    "unknown-lot": "only lots of the input are filled",
    "lot-mismatch": "a FILL's type and vials are those of its lot",
    "kpi-mismatch": "reported KPIs match the activities",
}


@dataclass(frozen=True)
class Violation:
    """One broken rule instance: the rule's name (a key of :data:`RULES`), a message, and
    the block / lot it concerns when there is one."""

    rule: str
    message: str
    block: int | None = None
    lot_id: str | None = None

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass
class Segment:
    """The activities from one CLEAN up to the next (``clean`` is ``None`` for activities
    before the first CLEAN); ``number`` is the block the segment stands for."""

    clean: Activity | None
    number: int
    items: list[Activity] = field(default_factory=list)

    @property
    def fills(self) -> list[Activity]:
        """The segment's FILL activities in time order."""
        return [a for a in self.items if a.kind is ActivityKind.FILL]


@dataclass
class Schedule:
    """What the rules check: the activities in time order, the lots by id, the config, and
    the activities cut into segments at every CLEAN."""

    acts: list[Activity]
    lots: dict[str, Lot]
    config: FillingConfig
    segments: list[Segment]

    @classmethod
    def of(cls, activities: Iterable[Activity], lots: Iterable[Lot], config: FillingConfig) -> Schedule:
        """Cut ``activities`` into segments (a CLEAN opens one; activities before the first
        CLEAN form a segment numbered by their own block, or 1)."""
        acts = list(activities)
        segments: list[Segment] = []
        cleans = 0
        for a in acts:
            if a.kind is ActivityKind.CLEAN:
                cleans += 1
                segments.append(Segment(a, cleans))
            else:
                if not segments:
                    segments.append(Segment(None, a.block or 1))
                segments[-1].items.append(a)
        return cls(acts, {lot.lot_id: lot for lot in lots}, config, segments)


def hours_of(a: Activity) -> float:
    """Duration of an activity in hours."""
    return (a.end - a.start).total_seconds() / 3600


def close_to(hours: float, expected: float) -> bool:
    """``hours`` equals ``expected`` within :data:`TOLERANCE`."""
    return abs(hours - expected) * 3600 <= TOLERANCE.total_seconds()


def describe(a: Activity) -> str:
    """``FILL of 'L1' (block 2)`` – an activity named in messages."""
    what = f" of {a.lot_id!r}" if a.lot_id and a.kind is not ActivityKind.CLEAN else ""
    return f"{a.kind.value}{what} (block {a.block})"
