"""Independent checker of filling schedules.

It re-derives every rule of DESIGN.md §1 from the lots and the config alone (it does not use
the planner's tick arithmetic), so a bug in a strategy or in the timeline cannot hide.
``validate_schedule`` returns one ``Violation`` per broken rule instance; ``[]`` means valid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from scheduler_core.filling.model import Activity, ActivityKind, FillingConfig, Lot, ScheduleResult

#: Timestamps are rounded to microseconds; allow for that (and nothing more meaningful).
TOLERANCE = timedelta(milliseconds=1)

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
    rule: str
    message: str
    block: int | None = None
    lot_id: str | None = None

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


def validate_schedule(result: ScheduleResult) -> list[Violation]:
    violations = validate_activities(result.activities, result.lots, result.config)
    if result.activities and not any(v.rule in ("gap", "overlap") for v in violations):
        fills = [a for a in result.activities if a.kind is ActivityKind.FILL]
        if fills:
            makespan = (fills[-1].end - result.activities[0].start).total_seconds() / 3600
            if abs(makespan - result.kpis.makespan_h) > 1e-3:
                violations.append(
                    Violation(
                        "kpi-mismatch",
                        f"reported makespan {result.kpis.makespan_h} h, activities span {makespan:.4f} h",
                    )
                )
        if result.kpis.blocks != sum(1 for a in result.activities if a.kind is ActivityKind.CLEAN):
            violations.append(Violation("kpi-mismatch", "reported block count differs"))
        if result.kpis.lower_bound_h > result.kpis.makespan_h + 1e-6:
            violations.append(Violation("kpi-mismatch", "lower bound above the makespan"))
    return violations


def validate_activities(
    activities: Iterable[Activity], lots: Iterable[Lot], config: FillingConfig
) -> list[Violation]:
    acts = list(activities)
    by_id = {lot.lot_id: lot for lot in lots}
    out: list[Violation] = []
    if not acts:
        if by_id:
            out.append(Violation("missing-lot", f"{len(by_id)} lots but no activities"))
        return out

    def hours(a: Activity) -> float:
        return (a.end - a.start).total_seconds() / 3600

    def close(h: float, expected: float) -> bool:
        return abs(h - expected) * 3600 <= TOLERANCE.total_seconds()

    # timing: contiguous, no overlaps, positive order
    for prev, cur in zip(acts, acts[1:], strict=False):
        if cur.start < prev.end - TOLERANCE:
            out.append(
                Violation(
                    "overlap",
                    f"{_name(cur)} starts {prev.end - cur.start} before {_name(prev)} ends",
                    cur.block,
                    cur.lot_id,
                )
            )
        elif cur.start > prev.end + TOLERANCE:
            out.append(
                Violation(
                    "gap",
                    f"{cur.start - prev.end} idle between {_name(prev)} and {_name(cur)}",
                    cur.block,
                    cur.lot_id,
                )
            )
    for a in acts:
        if a.end < a.start:
            out.append(Violation("overlap", f"{_name(a)} ends before it starts", a.block, a.lot_id))

    # blocks
    expected_block = 0
    seen: dict[str, int] = {}
    block_work = 0.0
    last_fill: Activity | None = None
    prev: Activity | None = None
    pending_changeover: Activity | None = None

    def close_block(block: int) -> None:
        if block_work * 3600 > config.window_hours * 3600 + TOLERANCE.total_seconds():
            out.append(
                Violation(
                    "window",
                    f"block {block} holds {block_work:.4f} h of fills and changeovers, window is {config.window_hours:g} h",
                    block,
                )
            )

    for a in acts:
        if a.kind is ActivityKind.CLEAN:
            if expected_block:
                close_block(expected_block)
                if last_fill is None:
                    out.append(
                        Violation("empty-block", f"block {expected_block} has no lots", expected_block)
                    )
            if pending_changeover is not None:
                out.append(_dangling(pending_changeover))
                pending_changeover = None
            expected_block += 1
            if a.block != expected_block:
                out.append(
                    Violation(
                        "block-numbering",
                        f"CLEAN numbered block {a.block}, expected {expected_block}",
                        a.block,
                    )
                )
            if not close(hours(a), config.clean_hours):
                out.append(
                    Violation(
                        "clean-duration",
                        f"CLEAN of block {a.block} lasts {hours(a):.4f} h, expected {config.clean_hours:g} h",
                        a.block,
                    )
                )
            block_work = 0.0
            last_fill = None
        else:
            if expected_block == 0:
                out.append(
                    Violation(
                        "block-not-opened-by-clean", f"{_name(a)} comes before any CLEAN", a.block, a.lot_id
                    )
                )
                expected_block = a.block or 1
            elif a.block != expected_block:
                out.append(
                    Violation(
                        "block-not-opened-by-clean",
                        f"{_name(a)} is in block {a.block}, which no CLEAN opened (current block {expected_block})",
                        a.block,
                        a.lot_id,
                    )
                )
            block_work += hours(a)
            if a.kind is ActivityKind.CHANGEOVER:
                if last_fill is None or pending_changeover is not None:
                    out.append(
                        Violation(
                            "unexpected-changeover",
                            f"{_name(a)} does not follow a fill of its block",
                            a.block,
                            a.lot_id,
                        )
                    )
                pending_changeover = a
            elif a.kind is ActivityKind.FILL:
                lot = by_id.get(a.lot_id or "")
                if lot is None:
                    out.append(
                        Violation("unknown-lot", f"FILL of unknown lot {a.lot_id!r}", a.block, a.lot_id)
                    )
                else:
                    if a.lot_id in seen:
                        out.append(
                            Violation(
                                "duplicate-lot",
                                f"lot {a.lot_id!r} filled again (first in block {seen[a.lot_id]})",
                                a.block,
                                a.lot_id,
                            )
                        )
                    seen.setdefault(lot.lot_id, a.block)
                    if a.lot_type != lot.lot_type or (a.vials is not None and a.vials != lot.vials):
                        out.append(
                            Violation(
                                "lot-mismatch",
                                f"FILL of {lot.lot_id!r} shows type {a.lot_type!r}/{a.vials} vials, input has {lot.lot_type!r}/{lot.vials}",
                                a.block,
                                a.lot_id,
                            )
                        )
                    expected_h = lot.vials / config.fill_rate_vph
                    if not close(hours(a), expected_h):
                        out.append(
                            Violation(
                                "fill-duration",
                                f"FILL of {lot.lot_id!r} lasts {hours(a):.4f} h, expected {expected_h:.4f} h",
                                a.block,
                                a.lot_id,
                            )
                        )
                if last_fill is not None:
                    if pending_changeover is None:
                        out.append(
                            Violation(
                                "missing-changeover",
                                f"no CHANGEOVER between {last_fill.lot_id!r} and {a.lot_id!r}",
                                a.block,
                                a.lot_id,
                            )
                        )
                    else:
                        from_type = last_fill.lot_type or ""
                        to_type = lot.lot_type if lot else (a.lot_type or "")
                        expected_h = config.changeover_hours(from_type, to_type)
                        got = hours(pending_changeover)
                        if not close(got, expected_h):
                            out.append(
                                Violation(
                                    "changeover-duration",
                                    f"CHANGEOVER {from_type!r}->{to_type!r} before {a.lot_id!r} lasts {got:.4f} h, expected {expected_h:g} h",
                                    a.block,
                                    a.lot_id,
                                )
                            )
                        if pending_changeover.lot_id not in (None, a.lot_id):
                            out.append(
                                Violation(
                                    "unexpected-changeover",
                                    f"CHANGEOVER names lot {pending_changeover.lot_id!r} but {a.lot_id!r} follows",
                                    a.block,
                                    a.lot_id,
                                )
                            )
                pending_changeover = None
                last_fill = a
        prev = a
    close_block(expected_block)
    if prev is not None and prev.kind is ActivityKind.CLEAN:
        out.append(
            Violation("empty-block", f"schedule ends with the CLEAN of block {prev.block}", prev.block)
        )
    if pending_changeover is not None:
        out.append(_dangling(pending_changeover))
    missing = [lot_id for lot_id in by_id if lot_id not in seen]
    if missing:
        head = ", ".join(repr(m) for m in missing[:10])
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        out.append(
            Violation("missing-lot", f"{len(missing)} lots never filled: {head}{more}", lot_id=missing[0])
        )
    return out


def _dangling(changeover: Activity) -> Violation:
    return Violation(
        "unexpected-changeover", f"{_name(changeover)} is not followed by a fill", changeover.block
    )


def _name(a: Activity) -> str:
    what = f" of {a.lot_id!r}" if a.lot_id and a.kind is not ActivityKind.CLEAN else ""
    return f"{a.kind.value}{what} (block {a.block})"
