"""How filling plans differ: one plan against another (a what-if against the schedule it
came from) and several plans of one input against the best of them (a comparison).

* :func:`lot_changes` — lot by lot: block, start, end and lateness before and after, each
  lot marked ``added`` / ``removed`` / ``moved`` / ``unchanged``, the biggest change first.
* :func:`kpi_deltas` — the KPIs a planner weighs (makespan, blocks, changeover hours,
  utilisation, late lots, weighted tardiness, gap) before, after and the change, with
  whether the change is better or worse.
* :func:`best_of` — the ★ of a comparison by :data:`TIE_RULES`: for objective ``makespan``
  lowest makespan, then lowest weighted tardiness, then the fastest run; for ``due``
  weighted tardiness and makespan the other way round.

Pure functions over ``Activity`` / ``Kpis`` values; hours throughout.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from scheduler_core.filling.model import Activity, ActivityKind, Kpis

#: The ★ rule of a comparison, as the page states it (issue 15 item 6).
#: The ★ of a comparison by the run's objective (config key ``objective``): what it ranks first.
TIE_RULES = {
    "makespan": "lowest makespan, then lowest weighted tardiness, then the fastest run",
    "due": "lowest weighted tardiness, then lowest makespan, then the fastest run",
}
#: The rule of the default objective (``makespan``), as issue 15 states it.
TIE_RULE = TIE_RULES["makespan"]

#: A lot's status in a what-if (``due changed``: same place, other lateness — its due date moved).
ADDED, REMOVED, MOVED, DUE_CHANGED, UNCHANGED = "added", "removed", "moved", "due changed", "unchanged"

#: Times closer than this (hours, about 0.04 s) count as the same.
SAME_H = 1e-5


@dataclass(frozen=True)
class Placement:
    """Where a lot is filled in one plan: its block (1-based), fill start and end
    (plant-local) and lateness in hours (``None``: no due date)."""

    block: int
    start: datetime
    end: datetime
    lateness_h: float | None


@dataclass(frozen=True)
class LotChange:
    """One lot of a what-if: its placement before and after (``None`` where it is not in
    that plan) and its :attr:`status`."""

    lot_id: str
    lot_type: str
    before: Placement | None
    after: Placement | None

    @property
    def status(self) -> str:
        """``added``, ``removed``, ``moved`` (block, start or end differ), ``due changed``
        (same place, another lateness) or ``unchanged``."""
        if self.before is None:
            return ADDED
        if self.after is None:
            return REMOVED
        moved = (self.before.block != self.after.block or abs(self.start_shift_h or 0) > SAME_H
                 or abs(self.end_shift_h or 0) > SAME_H)
        if moved:
            return MOVED
        if self.before.lateness_h != self.after.lateness_h and abs(self.lateness_change_h or 1.0) > SAME_H:
            return DUE_CHANGED
        return UNCHANGED

    @property
    def start_shift_h(self) -> float | None:
        """Hours the fill starts later (negative: earlier); ``None`` for an added/removed lot."""
        if self.before is None or self.after is None:
            return None
        return _hours(self.after.start - self.before.start)

    @property
    def end_shift_h(self) -> float | None:
        """Hours the fill ends later (negative: earlier); ``None`` for an added/removed lot."""
        if self.before is None or self.after is None:
            return None
        return _hours(self.after.end - self.before.end)

    @property
    def lateness_change_h(self) -> float | None:
        """Lateness after minus lateness before (hours; negative: less late); ``None`` when
        either side has no lateness (added/removed lot, or no due date)."""
        if self.before is None or self.after is None or None in (self.before.lateness_h, self.after.lateness_h):
            return None
        return self.after.lateness_h - self.before.lateness_h  # type: ignore[operator]

    @property
    def size_h(self) -> float:
        """How big the change is, for sorting: infinite for an added or removed lot, else
        the largest of |start shift|, |end shift| and |lateness change| in hours."""
        if self.before is None or self.after is None:
            return float("inf")
        return max(abs(self.start_shift_h or 0.0), abs(self.end_shift_h or 0.0), abs(self.lateness_change_h or 0.0))


def _hours(delta) -> float:
    return delta.total_seconds() / 3600.0


def placements(activities: Sequence[Activity]) -> dict[str, tuple[str, Placement]]:
    """Lot id -> (lot type, placement) of every FILL in ``activities``."""
    return {
        a.lot_id: (a.lot_type or "", Placement(a.block, a.start, a.end, a.lateness_h))
        for a in activities
        if a.kind is ActivityKind.FILL and a.lot_id is not None
    }


def lot_changes(before: Sequence[Activity], after: Sequence[Activity]) -> list[LotChange]:
    """Every lot of either plan with its placement in each, the biggest change first
    (added and removed lots on top, then by :attr:`LotChange.size_h`; ties by the lot's
    start before, then its id). A lot is matched by its id."""
    old, new = placements(before), placements(after)
    changes = []
    for lot_id in dict.fromkeys([*old, *new]):
        lot_type = (new.get(lot_id) or old[lot_id])[0]
        changes.append(LotChange(lot_id, lot_type, old[lot_id][1] if lot_id in old else None,
                                 new[lot_id][1] if lot_id in new else None))
    far = datetime.max

    def key(c: LotChange) -> tuple:
        at = (c.before or c.after).start if (c.before or c.after) else far
        return (-c.size_h, c.status != ADDED, at, c.lot_id)

    return sorted(changes, key=key)


@dataclass(frozen=True)
class KpiDelta:
    """One KPI before and after (``None``: not measured, e.g. no due dates), the change
    ``after - before``, its unit and whether a *lower* value is the better one."""

    key: str
    label: str
    unit: str
    before: float | None
    after: float | None
    lower_is_better: bool = True

    @property
    def change(self) -> float | None:
        """``after - before``, ``None`` when either is missing."""
        return None if self.before is None or self.after is None else self.after - self.before

    @property
    def verdict(self) -> str:
        """``better``, ``worse`` or ``same`` (``same`` also when a side is missing)."""
        c = self.change
        if c is None or abs(c) <= SAME_H:
            return "same"
        return "better" if (c < 0) == self.lower_is_better else "worse"


#: The KPIs of a what-if: (key, label, unit, lower is better, value of a ``Kpis``).
KPI_ROWS: tuple[tuple[str, str, str, bool, Callable[[Kpis], float | None]], ...] = (
    ("makespan_h", "Makespan", "h", True, lambda k: k.makespan_h),
    ("blocks", "Blocks", "", True, lambda k: k.blocks),
    ("changeover_h", "Changeover", "h", True, lambda k: k.changeover_h),
    ("utilisation_pct", "Utilisation", "%", False, lambda k: 100.0 * k.utilisation),
    ("late_lots", "Late lots", "", True, lambda k: k.late_lots),
    ("weighted_tardiness_h", "Weighted tardiness", "h", True, lambda k: k.weighted_tardiness_h),
    ("gap_pct", "Gap to bound", "%", True, lambda k: k.gap_pct),
)


def kpi_deltas(before: Kpis, after: Kpis) -> list[KpiDelta]:
    """The :data:`KPI_ROWS` of two plans, in that order (utilisation in %, hours in h)."""
    return [KpiDelta(key, label, unit, get(before), get(after), lower) for key, label, unit, lower, get in KPI_ROWS]


K = TypeVar("K")


def best_of(runs: Mapping[K, tuple[float, float | None, float]], objective: str = "makespan") -> K | None:
    """The best run by :data:`TIE_RULES` of ``objective``: ``runs`` maps a name to
    (makespan h, weighted tardiness h or ``None`` = 0, runtime s). For ``makespan`` equal
    makespans (within ``SAME_H``) are broken by weighted tardiness, equal ones by runtime;
    for ``due`` weighted tardiness comes first. The first given wins a full tie. ``None``
    when ``runs`` is empty. Raises ``KeyError`` for an objective not in ``TIE_RULES``."""
    TIE_RULES[objective]  # noqa: B018 - an unknown objective is refused, never a default
    ranked = {k: ((r[1] or 0.0, r[0], r[2]) if objective == "due" else r) for k, r in runs.items()}
    best: K | None = None
    for name, run in ranked.items():
        if best is None or _better(run, ranked[best]):
            best = name
    return best


def _better(a: tuple[float, float | None, float], b: tuple[float, float | None, float]) -> bool:
    for x, y in ((a[0], b[0]), (a[1] or 0.0, b[1] or 0.0), (a[2], b[2])):
        if abs(x - y) > SAME_H:
            return x < y
    return False


def difference_to_best(makespans: Mapping[K, float], best: K) -> dict[K, tuple[float, float]]:
    """Each run's makespan minus the best run's: (hours, % of the best's makespan; 0 when
    the best's makespan is 0). Raises ``KeyError`` when ``best`` is not in ``makespans``."""
    ref = makespans[best]
    return {k: (m - ref, 100.0 * (m - ref) / ref if ref > 0 else 0.0) for k, m in makespans.items()}
