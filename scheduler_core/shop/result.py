"""Result types of the shop problem: what every strategy returns (DESIGN.md §2).

``ShopResult`` is one frozen type for every strategy: planned operations with their working
intervals, the outcome of each work order against its due moment, the open orders left out
(``NotPlanned``, with the reason), and the KPIs (weighted
tardiness, late orders, makespan, utilisation, weekly load). Datetimes are naive plant-local
time; hours and minutes are real elapsed time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from scheduler_core.shop.clock import elapsed_minutes, to_plant, to_utc


@dataclass(frozen=True)
class PlannedOperation:
    """One operation in a plan, with the working intervals it occupies (gaps = breaks,
    non-working time, downtime): first ``setup_minutes`` of setup, then
    ``duration_minutes`` of run (the remaining work). An operation in progress starts at
    its actual start (before the plan start); its intervals are the work still to do."""

    op_id: str
    rn: str
    sequence: int
    name: str
    work_center: str
    start: datetime
    end: datetime
    duration_minutes: int
    intervals: tuple[tuple[datetime, datetime], ...]
    in_progress: bool = False
    pinned: bool = False
    setup_minutes: int = 0

    def setup_intervals(self, zone_name: str = "UTC") -> tuple[tuple[datetime, datetime], ...]:
        """The working intervals of the setup (the first ``setup_minutes`` of work; pass the
        plan's ``time_zone`` so an interval across a daylight-saving switch splits right)."""
        return split_intervals(self.intervals, self.setup_minutes, zone_name)[0]

    def run_intervals(self, zone_name: str = "UTC") -> tuple[tuple[datetime, datetime], ...]:
        """The working intervals of the run (after the setup)."""
        return split_intervals(self.intervals, self.setup_minutes, zone_name)[1]


def split_intervals(intervals, minutes: int, zone_name: str = "UTC"):
    """``(first, rest)``: the pieces of ``intervals`` (plant wall-clock) holding their first
    ``minutes`` real minutes, and the pieces after them."""
    first, rest, left = [], [], minutes
    for s, e in intervals:
        if left <= 0:
            rest.append((s, e))
            continue
        span = elapsed_minutes(s, e, zone_name)
        if span <= left:
            first.append((s, e))
            left -= span
            continue
        cut = to_plant(to_utc(s, zone_name) + timedelta(minutes=left), zone_name)
        first.append((s, cut))
        rest.append((cut, e))
        left = 0
    return tuple(first), tuple(rest)


@dataclass(frozen=True)
class OrderOutcome:
    """How one work order ends in a plan: its completion against its due moment."""
    rn: str
    priority_level: int
    weight: int
    urgency_rank: int | None
    due: datetime | None
    completion: datetime | None
    #: completion − due in hours (negative = early); ``None`` without due date.
    lateness_hours: float | None
    #: The order's product: code (kpl) and name ("" when the order names none).
    kpl: str = ""
    product_name: str = ""

    @property
    def late(self) -> bool:
        """Completed after its due moment."""
        return self.lateness_hours is not None and self.lateness_hours > 0

    @property
    def tardiness_hours(self) -> float:
        """Hours late (0 when on time or without a due date)."""
        return max(0.0, self.lateness_hours or 0.0)


#: Kinds of reasons an open work order is not planned (``NotPlanned.kind``).
NO_ROUTING = "no routing"
NOTHING_LEFT = "every operation is finished"
ON_INACTIVE = "on an inactive work center"
NOT_PLANNED_KINDS = (NO_ROUTING, NOTHING_LEFT, ON_INACTIVE)


@dataclass(frozen=True)
class NotPlanned:
    """An open work order a plan leaves out, and why, so the pages and exports can say so
    instead of skipping it silently: ``kind`` (one of :data:`NOT_PLANNED_KINDS`, e.g.
    ``no routing``: it has no operations) and, when the kind alone does not say it, the
    ``detail`` (e.g. ``operation WO-1/20 is on inactive work center MILL``)."""

    rn: str
    kind: str
    detail: str = ""

    @property
    def reason(self) -> str:
        """The reason in words: the detail, else the kind."""
        return self.detail or self.kind

    def describe(self) -> str:
        """``RN-7: not planned: no routing``."""
        return f"{self.rn}: not planned: {self.reason}"


@dataclass(frozen=True)
class WeekLoad:
    """Load vs capacity of one work center in one ISO week (Monday ``week_start``).

    ``planned_hours``: work planned in the week; ``due_hours``: remaining work of orders due
    in the week (the "infinite capacity" demand view); ``capacity_hours``: working time."""

    work_center: str
    week_start: date
    capacity_hours: float
    planned_hours: float
    due_hours: float

    @property
    def spare_hours(self) -> float:
        """Capacity left after the planned work (negative: over capacity)."""
        return self.capacity_hours - self.planned_hours

    @property
    def overload_hours(self) -> float:
        """Work due in the week beyond the week's capacity."""
        return max(0.0, self.due_hours - self.capacity_hours)


@dataclass(frozen=True)
class ShopKpis:
    """KPIs of a plan: weighted tardiness (minutes and hours), late orders of all orders,
    operations planned, max lateness (hours, ``None`` without due dates), makespan (minutes
    and hours), utilisation per work center (0..1) and the weekly load."""
    weighted_tardiness_minutes: int
    weighted_tardiness_hours: float
    late_orders: int
    orders: int
    operations: int
    max_lateness_hours: float | None
    makespan_minutes: int
    makespan_hours: float
    utilisation: dict[str, float]
    weekly_load: tuple[WeekLoad, ...]


@dataclass(frozen=True)
class ShopResult:
    """The one result type every shop strategy returns (read-only): ``strategy``, the due
    basis, the plan ``start``, planned operations, order outcomes, KPIs, whether optimality
    is proven, ``runtime_s`` (seconds), the solver ``status``, planner ``warnings`` and the
    ``time_limit_s`` it was planned with."""

    strategy: str
    due_basis: str
    start: datetime
    operations: tuple[PlannedOperation, ...]
    orders: tuple[OrderOutcome, ...]
    kpis: ShopKpis
    proven_optimal: bool = False
    runtime_s: float = 0.0
    status: str = ""
    warnings: tuple[str, ...] = ()
    #: Seconds after the start when the returned plan was found (searching strategies).
    best_found_s: float | None = None
    #: The time limit (s) it was planned with, so a re-plan can use the same options.
    time_limit_s: float | None = None
    #: The plant's IANA time zone: every datetime above is wall-clock time there.
    time_zone: str = "UTC"
    #: Open work orders the plan leaves out, each with the reason (no routing, …).
    not_planned: tuple[NotPlanned, ...] = ()

    def by_work_center(self) -> dict[str, list[PlannedOperation]]:
        """Planned operations per work center in start order."""
        out: dict[str, list[PlannedOperation]] = {}
        for p in sorted(self.operations, key=lambda p: (p.start, p.end, p.op_id)):
            out.setdefault(p.work_center, []).append(p)
        return out

    def late_orders(self) -> list[OrderOutcome]:
        """The late orders, latest first."""
        return sorted(
            (o for o in self.orders if o.late), key=lambda o: -(o.lateness_hours or 0)
        )
