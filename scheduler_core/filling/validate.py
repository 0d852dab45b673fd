"""Independent checker of filling schedules: a list of small named rules.

It re-derives every rule of DESIGN.md §1 from the lots and the config alone (it does not use
the planner's tick arithmetic), so a bug in a strategy or in the timeline cannot hide. Each
rule of :data:`SCHEDULE_RULES` is one function ``Schedule -> violations``;
``validate_activities`` runs them all, ``validate_schedule`` adds the KPI rule. One
``Violation`` per broken rule instance; ``[]`` means valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta

from scheduler_core.filling.model import Activity, ActivityKind, FillingConfig, Lot, ScheduleResult

#: Timestamps are rounded to microseconds; allow for that (and nothing more meaningful).
TOLERANCE = timedelta(milliseconds=1)

#: Violation names (``Violation.rule``) and what each means.
RULES = {
    "block-not-opened-by-clean": "every block starts with a CLEAN",
    "block-numbering": "blocks are numbered 1, 2, ... in time order",
    "empty-block": "a CLEAN is followed by at least one lot of its block",
    "gap": "activities follow each other without gaps",
    "overlap": "activities do not overlap",
    "clean-duration": "a CLEAN lasts clean_hours",
    "fill-duration": "a FILL lasts vials / fill_rate_vph hours",
    "changeover-duration": "a CHANGEOVER lasts the configured hours for its pair of types",
    "missing-changeover": "consecutive lots of a block are separated by a CHANGEOVER",
    "unexpected-changeover": "a CHANGEOVER only sits between two lots of the same block",
    "window": "fills + changeovers of a block fit in window_hours",
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


def _hours(a: Activity) -> float:
    return (a.end - a.start).total_seconds() / 3600


def _close(hours: float, expected: float) -> bool:
    return abs(hours - expected) * 3600 <= TOLERANCE.total_seconds()


def _name(a: Activity) -> str:
    what = f" of {a.lot_id!r}" if a.lot_id and a.kind is not ActivityKind.CLEAN else ""
    return f"{a.kind.value}{what} (block {a.block})"


# ------------------------------------------------------------------------- timing


def no_overlap(s: Schedule) -> Iterator[Violation]:
    """No activity starts before the previous one ends, and none ends before it starts."""
    for prev, cur in zip(s.acts, s.acts[1:], strict=False):
        if cur.start < prev.end - TOLERANCE:
            yield Violation(
                "overlap", f"{_name(cur)} starts {prev.end - cur.start} before {_name(prev)} ends", cur.block, cur.lot_id
            )
    for a in s.acts:
        if a.end < a.start:
            yield Violation("overlap", f"{_name(a)} ends before it starts", a.block, a.lot_id)


def no_gap(s: Schedule) -> Iterator[Violation]:
    """Each activity starts when the previous one ends (the line never idles)."""
    for prev, cur in zip(s.acts, s.acts[1:], strict=False):
        if cur.start > prev.end + TOLERANCE:
            yield Violation("gap", f"{cur.start - prev.end} idle between {_name(prev)} and {_name(cur)}", cur.block, cur.lot_id)


# ------------------------------------------------------------------------- blocks


def blocks_opened_by_clean(s: Schedule) -> Iterator[Violation]:
    """Every fill and changeover belongs to the block the last CLEAN opened."""
    for seg in s.segments:
        for a in seg.items:
            if seg.clean is None:
                yield Violation("block-not-opened-by-clean", f"{_name(a)} comes before any CLEAN", a.block, a.lot_id)
            elif a.block != seg.number:
                yield Violation(
                    "block-not-opened-by-clean",
                    f"{_name(a)} is in block {a.block}, which no CLEAN opened (current block {seg.number})",
                    a.block,
                    a.lot_id,
                )


def blocks_numbered_in_order(s: Schedule) -> Iterator[Violation]:
    """The n-th CLEAN opens block n."""
    for seg in s.segments:
        if seg.clean is not None and seg.clean.block != seg.number:
            yield Violation(
                "block-numbering", f"CLEAN numbered block {seg.clean.block}, expected {seg.number}", seg.clean.block
            )


def no_empty_block(s: Schedule) -> Iterator[Violation]:
    """A CLEAN is followed by at least one lot before the next CLEAN (or the end)."""
    opened = [seg for seg in s.segments if seg.clean is not None]
    for seg in opened[:-1]:
        if not seg.fills:
            yield Violation("empty-block", f"block {seg.number} has no lots", seg.number)
    if opened and s.acts and s.acts[-1] is opened[-1].clean:
        last = opened[-1].clean
        yield Violation("empty-block", f"schedule ends with the CLEAN of block {last.block}", last.block)


def clean_duration(s: Schedule) -> Iterator[Violation]:
    """A CLEAN lasts ``clean_hours``."""
    expected = s.config.clean_hours
    for seg in s.segments:
        if seg.clean is not None and not _close(_hours(seg.clean), expected):
            a = seg.clean
            yield Violation(
                "clean-duration", f"CLEAN of block {a.block} lasts {_hours(a):.4f} h, expected {expected:g} h", a.block
            )


def within_window(s: Schedule) -> Iterator[Violation]:
    """The fills and changeovers of a block take at most ``window_hours``."""
    window = s.config.window_hours
    for seg in s.segments:
        work = sum(_hours(a) for a in seg.items)
        if work * 3600 > window * 3600 + TOLERANCE.total_seconds():
            yield Violation(
                "window",
                f"block {seg.number} holds {work:.4f} h of fills and changeovers, window is {window:g} h",
                seg.number,
            )


# -------------------------------------------------------------------- changeovers


def changeover_follows_fill(s: Schedule) -> Iterator[Violation]:
    """A CHANGEOVER comes right after a FILL of its block (not first, not twice in a row)."""
    for seg in s.segments:
        previous: Activity | None = None
        for a in seg.items:
            if a.kind is ActivityKind.CHANGEOVER and (previous is None or previous.kind is not ActivityKind.FILL):
                yield Violation("unexpected-changeover", f"{_name(a)} does not follow a fill of its block", a.block, a.lot_id)
            previous = a


def changeover_followed_by_fill(s: Schedule) -> Iterator[Violation]:
    """A CHANGEOVER is followed by a FILL of its block (never by a CLEAN or the end)."""
    for seg in s.segments:
        pending: Activity | None = None
        for a in seg.items:
            if a.kind is ActivityKind.CHANGEOVER:
                pending = a
            elif a.kind is ActivityKind.FILL:
                pending = None
        if pending is not None:
            yield Violation("unexpected-changeover", f"{_name(pending)} is not followed by a fill", pending.block)


def changeover_names_next_lot(s: Schedule) -> Iterator[Violation]:
    """A CHANGEOVER that names a lot names the lot filled right after it."""
    for seg in s.segments:
        pending: Activity | None = None
        for a in seg.items:
            if a.kind is ActivityKind.CHANGEOVER:
                pending = a
            elif a.kind is ActivityKind.FILL:
                if pending is not None and pending.lot_id not in (None, a.lot_id):
                    yield Violation(
                        "unexpected-changeover",
                        f"CHANGEOVER names lot {pending.lot_id!r} but {a.lot_id!r} follows",
                        a.block,
                        a.lot_id,
                    )
                pending = None


def _consecutive_fills(seg: Segment) -> Iterator[tuple[Activity, Activity | None, Activity]]:
    """(previous fill, changeover between or ``None``, fill) for each fill after the first."""
    last_fill: Activity | None = None
    pending: Activity | None = None
    for a in seg.items:
        if a.kind is ActivityKind.CHANGEOVER:
            pending = a
        elif a.kind is ActivityKind.FILL:
            if last_fill is not None:
                yield last_fill, pending, a
            last_fill, pending = a, None


def changeover_between_lots(s: Schedule) -> Iterator[Violation]:
    """Two consecutive lots of a block are separated by a CHANGEOVER."""
    for seg in s.segments:
        for before, changeover, fill in _consecutive_fills(seg):
            if changeover is None:
                yield Violation(
                    "missing-changeover", f"no CHANGEOVER between {before.lot_id!r} and {fill.lot_id!r}", fill.block, fill.lot_id
                )


def changeover_duration(s: Schedule) -> Iterator[Violation]:
    """A CHANGEOVER lasts the configured hours for its (from type, to type) pair."""
    for seg in s.segments:
        for before, changeover, fill in _consecutive_fills(seg):
            if changeover is None:
                continue
            lot = s.lots.get(fill.lot_id or "")
            from_type = before.lot_type or ""
            to_type = lot.lot_type if lot else (fill.lot_type or "")
            expected = s.config.changeover_hours(from_type, to_type)
            got = _hours(changeover)
            if not _close(got, expected):
                yield Violation(
                    "changeover-duration",
                    f"CHANGEOVER {from_type!r}->{to_type!r} before {fill.lot_id!r} lasts {got:.4f} h, expected {expected:g} h",
                    fill.block,
                    fill.lot_id,
                )


# -------------------------------------------------------------------------- lots


def _fills(s: Schedule) -> Iterator[Activity]:
    return (a for a in s.acts if a.kind is ActivityKind.FILL)


def only_known_lots(s: Schedule) -> Iterator[Violation]:
    """Every FILL is of a lot of the input."""
    for a in _fills(s):
        if (a.lot_id or "") not in s.lots:
            yield Violation("unknown-lot", f"FILL of unknown lot {a.lot_id!r}", a.block, a.lot_id)


def lots_filled_once(s: Schedule) -> Iterator[Violation]:
    """No lot is filled twice."""
    first_block: dict[str, int] = {}
    for a in _fills(s):
        if (a.lot_id or "") not in s.lots:
            continue
        if a.lot_id in first_block:
            yield Violation(
                "duplicate-lot", f"lot {a.lot_id!r} filled again (first in block {first_block[a.lot_id]})", a.block, a.lot_id
            )
        else:
            first_block[a.lot_id] = a.block


def every_lot_filled(s: Schedule) -> Iterator[Violation]:
    """Every lot of the input is filled."""
    if not s.acts:
        if s.lots:
            yield Violation("missing-lot", f"{len(s.lots)} lots but no activities")
        return
    filled = {a.lot_id for a in _fills(s)}
    missing = [lot_id for lot_id in s.lots if lot_id not in filled]
    if missing:
        head = ", ".join(repr(m) for m in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        yield Violation("missing-lot", f"{len(missing)} lots never filled: {head}{more}", lot_id=missing[0])


def fill_matches_lot(s: Schedule) -> Iterator[Violation]:
    """A FILL shows the type and vial count of its lot."""
    for a in _fills(s):
        lot = s.lots.get(a.lot_id or "")
        if lot is not None and (a.lot_type != lot.lot_type or (a.vials is not None and a.vials != lot.vials)):
            yield Violation(
                "lot-mismatch",
                f"FILL of {lot.lot_id!r} shows type {a.lot_type!r}/{a.vials} vials, input has {lot.lot_type!r}/{lot.vials}",
                a.block,
                a.lot_id,
            )


def fill_duration(s: Schedule) -> Iterator[Violation]:
    """A FILL lasts ``vials / fill_rate_vph`` hours of its lot."""
    for a in _fills(s):
        lot = s.lots.get(a.lot_id or "")
        if lot is None:
            continue
        expected = lot.vials / s.config.fill_rate_vph
        if not _close(_hours(a), expected):
            yield Violation(
                "fill-duration",
                f"FILL of {lot.lot_id!r} lasts {_hours(a):.4f} h, expected {expected:.4f} h",
                a.block,
                a.lot_id,
            )


#: Every rule a schedule's activities must satisfy, in the order they are reported.
SCHEDULE_RULES = (
    no_overlap,
    no_gap,
    blocks_opened_by_clean,
    blocks_numbered_in_order,
    no_empty_block,
    clean_duration,
    within_window,
    changeover_follows_fill,
    changeover_followed_by_fill,
    changeover_names_next_lot,
    changeover_between_lots,
    changeover_duration,
    only_known_lots,
    lots_filled_once,
    every_lot_filled,
    fill_matches_lot,
    fill_duration,
)


def validate_activities(
    activities: Iterable[Activity], lots: Iterable[Lot], config: FillingConfig
) -> list[Violation]:
    """Every violation of :data:`SCHEDULE_RULES` by ``activities`` (time order) for ``lots``
    under ``config``; ``[]`` when the schedule is valid."""
    schedule = Schedule.of(activities, lots, config)
    return [v for rule in SCHEDULE_RULES for v in rule(schedule)]


def kpis_match(result: ScheduleResult) -> Iterator[Violation]:
    """The reported makespan and block count are those of the activities, and the lower
    bound is not above the makespan."""
    if not result.activities:
        return
    fills = [a for a in result.activities if a.kind is ActivityKind.FILL]
    if fills:
        makespan = (fills[-1].end - result.activities[0].start).total_seconds() / 3600
        if abs(makespan - result.kpis.makespan_h) > 1e-3:
            yield Violation(
                "kpi-mismatch", f"reported makespan {result.kpis.makespan_h} h, activities span {makespan:.4f} h"
            )
    if result.kpis.blocks != sum(1 for a in result.activities if a.kind is ActivityKind.CLEAN):
        yield Violation("kpi-mismatch", "reported block count differs")
    if result.kpis.lower_bound_h > result.kpis.makespan_h + 1e-6:
        yield Violation("kpi-mismatch", "lower bound above the makespan")


def validate_schedule(result: ScheduleResult) -> list[Violation]:
    """Every violation of a result: the schedule rules, then (when the timeline has no gap
    or overlap, so a span is meaningful) :func:`kpis_match`."""
    violations = validate_activities(result.activities, result.lots, result.config)
    if not any(v.rule in ("gap", "overlap") for v in violations):
        violations.extend(kpis_match(result))
    return violations
