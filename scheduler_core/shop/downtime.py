"""Downtime edits of a shop, pure: record a period a work center is down, change one, remove
one — with one rule for overlaps: an identical period (same work center, start and end) is
refused, and so is one that lies wholly within a recorded period (it would change nothing);
a period that overlaps recorded ones on the same work center is merged with them
into one (from the earliest start to the latest end, reasons joined). ``merge_note`` says in
words what recording a period will do, before it is done.

Raises (every edit): ``UnknownReference`` (an ``InputError``) for an unknown work center or a
period that is not recorded; ``InputError`` for a period that does not end after it starts
or that is already recorded (identical, or within a recorded period).
"""

from __future__ import annotations

from dataclasses import replace

from scheduler_core.errors import InputError, Problem, UnknownReference
from scheduler_core.shop.model import Downtime, ShopProblem


def period(d: Downtime) -> str:
    """``CNC-1 2026-01-05 07:00 – 2026-01-05 11:00``."""
    return f"{d.work_center} {d.start:%Y-%m-%d %H:%M} – {d.end:%Y-%m-%d %H:%M}"


def _checked(problem: ShopProblem, downtime: Downtime) -> None:
    if downtime.work_center not in {w.code for w in problem.work_centers}:
        raise UnknownReference(Problem(f"unknown work center '{downtime.work_center}'"))
    if downtime.end <= downtime.start:
        raise InputError(Problem("the downtime must end after it starts"))


def overlapping(problem: ShopProblem, downtime: Downtime) -> list[Downtime]:
    """The recorded periods on ``downtime``'s work center that share time with it (periods
    that only touch do not overlap)."""
    return [
        d for d in problem.downtime
        if d.work_center == downtime.work_center and d.start < downtime.end and downtime.start < d.end
    ]


def _merged(downtime: Downtime, others: list[Downtime]) -> Downtime:
    reasons = [r for r in dict.fromkeys(d.reason.strip() for d in [*others, downtime]) if r]
    return replace(
        downtime,
        start=min(d.start for d in [*others, downtime]),
        end=max(d.end for d in [*others, downtime]),
        reason="; ".join(reasons)[:500],
    )


def merge_note(problem: ShopProblem, downtime: Downtime) -> str:
    """What recording ``downtime`` does besides adding it: ``""`` when it overlaps nothing,
    else "overlaps … ; merged into …". Raises like :func:`add_downtime`."""
    _checked(problem, downtime)
    others = overlapping(problem, downtime)
    if any(d.start == downtime.start and d.end == downtime.end for d in others):
        raise InputError(Problem(f"identical downtime already recorded: {period(downtime)}"))
    inside = [d for d in others if d.start <= downtime.start and downtime.end <= d.end]
    if inside:
        raise InputError(Problem(f"{period(downtime)} is already down: it lies within recorded downtime "
                                 f"{period(inside[0])}"))
    if not others:
        return ""
    return (f"overlaps recorded downtime {', '.join(period(d) for d in others)}; "
            f"merged into {period(_merged(downtime, others))}")


def add_downtime(problem: ShopProblem, downtime: Downtime) -> ShopProblem:
    """Record a breakdown or maintenance period on a work center: refused when an identical
    period is recorded, merged with the periods it overlaps (:func:`merge_note` says so)."""
    merge_note(problem, downtime)
    others = overlapping(problem, downtime)
    rest = [d for d in problem.downtime if d not in others]
    return replace(problem, downtime=(*rest, _merged(downtime, others) if others else downtime))


def remove_downtime(problem: ShopProblem, downtime: Downtime) -> ShopProblem:
    """Remove one recorded downtime period (an identical one, if listed twice, stays)."""
    rest = list(problem.downtime)
    if downtime not in rest:
        raise UnknownReference(Problem(f"no such downtime on '{downtime.work_center}'"))
    rest.remove(downtime)
    return replace(problem, downtime=tuple(rest))


def edit_downtime(problem: ShopProblem, old: Downtime, new: Downtime) -> ShopProblem:
    """Change recorded period ``old`` into ``new`` (times, reason, work center): ``new`` is
    recorded on the shop without ``old`` by the rules of :func:`add_downtime`."""
    if new == old:
        raise InputError(Problem(f"the downtime {period(old)} is unchanged"))
    return add_downtime(remove_downtime(problem, old), new)
