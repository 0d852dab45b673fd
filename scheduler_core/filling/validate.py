"""Independent checker of filling schedules: a list of small named rules.

It re-derives every rule of DESIGN.md §1 from the lots and the config alone (it does not use
the planner's tick arithmetic), so a bug in a strategy or in the timeline cannot hide. Each
rule of :data:`SCHEDULE_RULES` is one function ``Schedule -> violations``;
``validate_activities`` runs them all, ``validate_schedule`` adds the KPI rule. One
``Violation`` per broken rule instance; ``[]`` means valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from scheduler_core.filling.model import Activity, ActivityKind, FillingConfig, Lot, ScheduleResult
from scheduler_core.filling.validate_model import (  # noqa: F401 - RULES, Segment re-exported
    RULES,
    TOLERANCE,
    Schedule,
    Segment,
    Violation,
    close_to,
    describe,
    hours_of,
)

# ------------------------------------------------------------------------- timing


def no_overlap(s: Schedule) -> Iterator[Violation]:
    """No activity starts before the previous one ends, and none ends before it starts."""
    for prev, cur in zip(s.acts, s.acts[1:], strict=False):
        if cur.start < prev.end - TOLERANCE:
            yield Violation(
                "overlap", f"{describe(cur)} starts {prev.end - cur.start} before {describe(prev)} ends", cur.block, cur.lot_id
            )
    for a in s.acts:
        if a.end < a.start:
            yield Violation("overlap", f"{describe(a)} ends before it starts", a.block, a.lot_id)


def no_gap(s: Schedule) -> Iterator[Violation]:
    """Each activity starts when the previous one ends, unless the line waits for a release:
    a FILL may start later only exactly at its lot's release, and a CLEAN only when some fill
    of its block starts exactly at its lot's release (the clean was put off for it)."""
    released = {seg.clean.block: any(_at_release(s, f) for f in seg.fills) for seg in s.segments if seg.clean}
    for prev, cur in zip(s.acts, s.acts[1:], strict=False):
        if cur.start <= prev.end + TOLERANCE:
            continue
        if cur.kind is ActivityKind.FILL and _at_release(s, cur):
            continue
        if cur.kind is ActivityKind.CLEAN and released.get(cur.block):
            continue
        yield Violation("gap", f"{cur.start - prev.end} idle between {describe(prev)} and {describe(cur)}", cur.block, cur.lot_id)


def _at_release(s: Schedule, fill: Activity) -> bool:
    lot = s.lots.get(fill.lot_id or "")
    return lot is not None and lot.release is not None and abs(fill.start - lot.release) <= TOLERANCE


def after_release(s: Schedule) -> Iterator[Violation]:
    """No FILL starts before its lot's release."""
    for a in _fills(s):
        lot = s.lots.get(a.lot_id or "")
        if lot is not None and lot.release is not None and a.start < lot.release - TOLERANCE:
            yield Violation("release", f"{describe(a)} starts {lot.release - a.start} before its release "
                            f"({lot.release:%Y-%m-%d %H:%M})", a.block, a.lot_id)


# ------------------------------------------------------------------------- blocks


def blocks_opened_by_clean(s: Schedule) -> Iterator[Violation]:
    """Every fill and changeover belongs to the block the last CLEAN opened."""
    for seg in s.segments:
        for a in seg.items:
            if seg.clean is None:
                yield Violation("block-not-opened-by-clean", f"{describe(a)} comes before any CLEAN", a.block, a.lot_id)
            elif a.block != seg.number:
                yield Violation(
                    "block-not-opened-by-clean",
                    f"{describe(a)} is in block {a.block}, which no CLEAN opened (current block {seg.number})",
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
        if seg.clean is not None and not close_to(hours_of(seg.clean), expected):
            a = seg.clean
            yield Violation(
                "clean-duration", f"CLEAN of block {a.block} lasts {hours_of(a):.4f} h, expected {expected:g} h", a.block
            )


def within_window(s: Schedule) -> Iterator[Violation]:
    """The fills, changeovers and waits of a block take at most ``window_hours`` after its
    CLEAN (its fills and changeovers alone, when it has no CLEAN)."""
    window = s.config.window_hours
    for seg in s.segments:
        work = sum(hours_of(a) for a in seg.items)
        if seg.clean is not None and seg.items:
            work = max(work, (seg.items[-1].end - seg.clean.end).total_seconds() / 3600)
        if work * 3600 > window * 3600 + TOLERANCE.total_seconds():
            yield Violation(
                "window",
                f"block {seg.number} holds {work:.4f} h of fills, changeovers and waits, window is {window:g} h",
                seg.number,
            )


# -------------------------------------------------------------------- changeovers


def changeover_follows_fill(s: Schedule) -> Iterator[Violation]:
    """A CHANGEOVER comes right after a FILL of its block (not first, not twice in a row)."""
    for seg in s.segments:
        previous: Activity | None = None
        for a in seg.items:
            if a.kind is ActivityKind.CHANGEOVER and (previous is None or previous.kind is not ActivityKind.FILL):
                yield Violation("unexpected-changeover", f"{describe(a)} does not follow a fill of its block", a.block, a.lot_id)
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
            yield Violation("unexpected-changeover", f"{describe(pending)} is not followed by a fill", pending.block)


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
            got = hours_of(changeover)
            if not close_to(got, expected):
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
        if not close_to(hours_of(a), expected):
            yield Violation(
                "fill-duration",
                f"FILL of {lot.lot_id!r} lasts {hours_of(a):.4f} h, expected {expected:.4f} h",
                a.block,
                a.lot_id,
            )


#: Every rule a schedule's activities must satisfy, in the order they are reported.
SCHEDULE_RULES = (
    no_overlap,
    no_gap,
    after_release,
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
    """The reported makespan and block count are those of the activities, the lower bound
    is not above the makespan, and lateness and the due-date KPIs are those of the lots."""
    if not result.activities:
        return
    fills = [a for a in result.activities if a.kind is ActivityKind.FILL]
    if fills:
        origin = result.config.start_time or result.activities[0].start  # the plan's start
        makespan = (fills[-1].end - origin).total_seconds() / 3600
        if abs(makespan - result.kpis.makespan_h) > 1e-3:
            yield Violation(
                "kpi-mismatch", f"reported makespan {result.kpis.makespan_h} h, activities span {makespan:.4f} h"
            )
    if result.kpis.blocks != sum(1 for a in result.activities if a.kind is ActivityKind.CLEAN):
        yield Violation("kpi-mismatch", "reported block count differs")
    if result.kpis.lower_bound_h > result.kpis.makespan_h + 1e-6:
        yield Violation("kpi-mismatch", "lower bound above the makespan")
    yield from _due_kpis_match(result, fills)


def _due_kpis_match(result: ScheduleResult, fills: list[Activity]) -> Iterator[Violation]:
    """Each FILL's due date and lateness, and the due-date KPIs, re-derived from the lots."""
    lots = {lot.lot_id: lot for lot in result.lots}
    late = weighted = 0.0
    count = 0
    for a in fills:
        lot = lots.get(a.lot_id or "")
        if lot is None:
            continue
        lateness = (a.end - lot.due).total_seconds() / 3600 if lot.due is not None else None
        if a.due != lot.due or (lateness is None) != (a.lateness_h is None) or (
                lateness is not None and abs(lateness - a.lateness_h) > 1e-3):
            yield Violation("kpi-mismatch", f"{describe(a)} reports due {a.due} / lateness {a.lateness_h} h, "
                            f"its lot gives {lot.due} / {lateness}", a.block, a.lot_id)
        if lateness is not None and lateness > 0:
            count, late, weighted = count + 1, late + lateness, weighted + lot.weight * lateness
    k = result.kpis
    if k.late_lots != count or abs(k.tardiness_h - late) > 1e-3 or abs(k.weighted_tardiness_h - weighted) > 1e-3:
        yield Violation("kpi-mismatch", f"reported {k.late_lots} late lots / {k.weighted_tardiness_h} h weighted "
                        f"tardiness, activities give {count} / {weighted:.3f} h")


def validate_schedule(result: ScheduleResult) -> list[Violation]:
    """Every violation of a result: the schedule rules, then (when the timeline has no gap
    or overlap, so a span is meaningful) :func:`kpis_match`."""
    violations = validate_activities(result.activities, result.lots, result.config)
    if not any(v.rule in ("gap", "overlap") for v in violations):
        violations.extend(kpis_match(result))
    return violations
