"""Typed domain objects of the job-shop / MES problem (DESIGN.md §2).

Conventions:

* Datetimes are **naive and mean the plant's local time** everywhere (input, result, export).
* Internally the planners work in integer minutes from the plan's start moment (``origin``);
  datetimes appear only at the edges (``ShopResult``).
* A due *date* (``datetime.date``) means "by the end of that day" (the following midnight);
  a ``datetime`` due is taken as is (benchmark adapters use that).
* Remaining duration of an operation = ``norma × (1 − quantity_completed / quantity)``
  minutes, rounded up to whole minutes. ``setup_time_minutes`` of a work center is kept for
  reference only (the shop's ``norma`` already covers the whole operation).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from scheduler_core.errors import InputError, Problem

ORDER_STATUSES = ("pending", "in_progress", "completed", "cancelled")
OPERATION_STATUSES = ("pending", "in_progress", "completed", "cancelled")
CLOSED_STATUSES = ("completed", "cancelled")
DUE_BASES = ("assembly", "delivery")
#: Weight of a work order's tardiness from its priority level (1 high … 3 low).
PRIORITY_WEIGHTS = {1: 3, 2: 2, 3: 1}


@dataclass(frozen=True)
class Shift:
    """One shift: ``start``–``end`` (may wrap past midnight) with an optional break.

    A shift belongs to the date it *starts* on (S3 of Monday runs Monday 23:00 – Tuesday 07:00).
    """

    name: str
    start: time
    end: time
    break_start: time | None = None
    break_minutes: int = 0

    @property
    def length_minutes(self) -> int:
        s = self.start.hour * 60 + self.start.minute
        e = self.end.hour * 60 + self.end.minute
        return (e - s) % 1440 or 1440

    @property
    def working_minutes(self) -> int:
        return self.length_minutes - (self.break_minutes if self.break_start else 0)


DEFAULT_SHIFTS: tuple[Shift, ...] = (
    Shift("S1", time(7), time(15), time(10), 30),
    Shift("S2", time(15), time(23), time(18), 30),
    Shift("S3", time(23), time(7), time(2), 30),
)


@dataclass(frozen=True)
class Calendar:
    """Which shifts a work center works, per date.

    ``weekdays`` (0 = Monday) work the shifts in ``shift_names`` (default: all shifts);
    ``overrides`` sets single (date, shift name) pairs working (True) or not (False), e.g.
    holidays or an extra Saturday shift. ``always_working`` ignores everything else: every
    minute is working time (used for benchmark instances).
    """

    shifts: tuple[Shift, ...] = DEFAULT_SHIFTS
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    shift_names: frozenset[str] | None = None
    overrides: tuple[tuple[date, str, bool], ...] = ()
    always_working: bool = False

    @classmethod
    def always(cls) -> Calendar:
        return cls(always_working=True)

    def is_working(self, day: date, shift_name: str) -> bool:
        for d, name, flag in reversed(self.overrides):
            if d == day and name == shift_name:
                return flag
        if day.weekday() not in self.weekdays:
            return False
        return self.shift_names is None or shift_name in self.shift_names

    def with_override(self, day: date, shift_name: str, working: bool) -> Calendar:
        return Calendar(
            self.shifts,
            self.weekdays,
            self.shift_names,
            (*self.overrides, (day, shift_name, working)),
            self.always_working,
        )

    @property
    def hours_per_working_day(self) -> float:
        if self.always_working:
            return 24.0
        names = self.shift_names
        return sum(s.working_minutes for s in self.shifts if names is None or s.name in names) / 60


@dataclass(frozen=True)
class Downtime:
    """A period a work center cannot work (breakdown, maintenance)."""

    work_center: str
    start: datetime
    end: datetime
    reason: str = ""


@dataclass(frozen=True)
class WorkCenter:
    code: str
    name: str = ""
    category: str = ""
    capacity_hours_per_day: float = 22.5
    setup_time_minutes: int = 0
    cost_per_hour: float | None = None
    active: bool = True
    calendar: Calendar = field(default_factory=Calendar)


@dataclass(frozen=True)
class WorkOrder:
    rn: str
    quantity: int = 1
    priority_level: int = 3
    kpl: str = ""
    product_name: str = ""
    delivery_date: date | datetime | None = None
    assembly_date: date | datetime | None = None
    third_date: date | datetime | None = None
    status: str = "pending"
    #: Manual urgency list position (1 = most urgent); ``None`` = not on the list.
    urgency_rank: int | None = None
    #: Explicit tardiness weight; ``None`` = from ``priority_level`` (PRIORITY_WEIGHTS).
    weight: int | None = None

    @property
    def tardiness_weight(self) -> int:
        if self.weight is not None:
            return self.weight
        return PRIORITY_WEIGHTS.get(self.priority_level, 1)

    def due(self, basis: str = "assembly") -> datetime | None:
        """The due moment for ``basis`` (falls back to the other date when blank)."""
        first, second = (
            (self.assembly_date, self.delivery_date)
            if basis == "assembly"
            else (self.delivery_date, self.assembly_date)
        )
        value = first if first is not None else second
        return due_moment(value)


def due_moment(value: date | datetime | None) -> datetime | None:
    """A date means the end of that day; a datetime is taken as is."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value
    return datetime.combine(value + timedelta(days=1), time(0))


@dataclass(frozen=True)
class Operation:
    rn: str
    sequence: int
    work_center: str
    norma: float
    name: str = ""
    quantity: int = 1
    quantity_completed: float = 0
    status: str = "pending"
    #: The operation must start at this moment (frozen by the planner).
    pinned_start: datetime | None = None
    actual_start: datetime | None = None
    actual_end: datetime | None = None
    #: Other work centers this operation may run on (informative; see ``actions.move``).
    alternatives: tuple[str, ...] = ()

    @property
    def op_id(self) -> str:
        return f"{self.rn}/{self.sequence}"

    @property
    def remaining_minutes(self) -> int:
        """``norma × (1 − qty_completed / quantity)``, rounded up to whole minutes."""
        if self.quantity <= 0:
            return 0
        frac = max(0.0, 1.0 - self.quantity_completed / self.quantity)
        return max(0, math.ceil(round(self.norma * frac, 6)))

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES and self.remaining_minutes > 0


@dataclass(frozen=True)
class ShopProblem:
    """Everything a planner needs. ``manual_sequences[wc]`` lists operation ids that must run
    in that relative order on ``wc`` (the planner's reordering)."""

    work_centers: tuple[WorkCenter, ...]
    work_orders: tuple[WorkOrder, ...]
    operations: tuple[Operation, ...]
    downtime: tuple[Downtime, ...] = ()
    manual_sequences: dict[str, tuple[str, ...]] = field(default_factory=dict)
    start: datetime | None = None
    name: str = ""

    def wc(self, code: str) -> WorkCenter:
        for w in self.work_centers:
            if w.code == code:
                return w
        raise KeyError(code)

    def order(self, rn: str) -> WorkOrder:
        for o in self.work_orders:
            if o.rn == rn:
                return o
        raise KeyError(rn)

    def open_operations(self) -> list[Operation]:
        """Operations still to plan: open operations of open orders, in (rn, sequence) order."""
        closed = {o.rn for o in self.work_orders if o.status in CLOSED_STATUSES}
        return [op for op in self.operations if op.rn not in closed and op.is_open]

    def problems(self) -> list[Problem]:
        """Consistency problems (unknown references, duplicates, bad numbers)."""
        out: list[Problem] = []
        codes = [w.code for w in self.work_centers]
        for c in sorted({c for c in codes if codes.count(c) > 1}):
            out.append(Problem(f"duplicate work center '{c}'"))
        rns = [o.rn for o in self.work_orders]
        for r in sorted({r for r in rns if rns.count(r) > 1}):
            out.append(Problem(f"duplicate work order '{r}'"))
        known_rn = set(rns)
        active = {w.code for w in self.work_centers if w.active}
        seen: set[str] = set()
        for o in self.work_orders:
            if o.priority_level not in (1, 2, 3):
                out.append(Problem(f"work order '{o.rn}': priority must be 1, 2 or 3"))
            if o.quantity <= 0:
                out.append(Problem(f"work order '{o.rn}': quantity must be positive"))
            if o.status not in ORDER_STATUSES:
                out.append(Problem(f"work order '{o.rn}': unknown status '{o.status}'"))
        open_ids = {op.op_id for op in self.open_operations()}
        for op in self.operations:
            if op.op_id in seen:
                out.append(Problem(f"duplicate operation '{op.op_id}'"))
            seen.add(op.op_id)
            if op.rn not in known_rn:
                out.append(Problem(f"operation '{op.op_id}': unknown work order '{op.rn}'"))
            if op.work_center not in codes:
                out.append(
                    Problem(f"operation '{op.op_id}': unknown work center '{op.work_center}'")
                )
            elif op.op_id in open_ids and op.work_center not in active:
                out.append(
                    Problem(
                        f"operation '{op.op_id}': work center '{op.work_center}' is inactive; "
                        "move the operation to an active work center"
                    )
                )
            if op.norma < 0:
                out.append(Problem(f"operation '{op.op_id}': norma must not be negative"))
            if op.quantity <= 0:
                out.append(Problem(f"operation '{op.op_id}': quantity must be positive"))
            if op.quantity_completed < 0 or op.quantity_completed > op.quantity:
                out.append(
                    Problem(f"operation '{op.op_id}': quantity completed must be 0..quantity")
                )
            if op.status not in OPERATION_STATUSES:
                out.append(Problem(f"operation '{op.op_id}': unknown status '{op.status}'"))
        for wc, ids in self.manual_sequences.items():
            for i in ids:
                if i not in seen:
                    out.append(Problem(f"manual sequence of '{wc}': unknown operation '{i}'"))
        for d in self.downtime:
            if d.work_center not in codes:
                out.append(Problem(f"downtime: unknown work center '{d.work_center}'"))
            if d.end <= d.start:
                out.append(Problem(f"downtime on '{d.work_center}': end must be after start"))
        return out

    def check(self) -> None:
        probs = self.problems()
        if probs:
            raise InputError(probs)


@dataclass(frozen=True)
class PlannedOperation:
    """One operation in a plan, with the working intervals it occupies (gaps = breaks,
    non-working time, downtime)."""

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


@dataclass(frozen=True)
class OrderOutcome:
    rn: str
    priority_level: int
    weight: int
    urgency_rank: int | None
    due: datetime | None
    completion: datetime | None
    #: completion − due in hours (negative = early); ``None`` without due date.
    lateness_hours: float | None

    @property
    def late(self) -> bool:
        return self.lateness_hours is not None and self.lateness_hours > 0

    @property
    def tardiness_hours(self) -> float:
        return max(0.0, self.lateness_hours or 0.0)


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
        return self.capacity_hours - self.planned_hours

    @property
    def overload_hours(self) -> float:
        return max(0.0, self.due_hours - self.capacity_hours)


@dataclass(frozen=True)
class ShopKpis:
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


@dataclass
class ShopResult:
    """The one result type every shop strategy returns."""

    strategy: str
    due_basis: str
    start: datetime
    operations: list[PlannedOperation]
    orders: list[OrderOutcome]
    kpis: ShopKpis
    proven_optimal: bool = False
    runtime_s: float = 0.0
    status: str = ""
    warnings: list[str] = field(default_factory=list)
    #: Seconds after the start when the returned plan was found (searching strategies).
    best_found_s: float | None = None

    def by_work_center(self) -> dict[str, list[PlannedOperation]]:
        out: dict[str, list[PlannedOperation]] = {}
        for p in sorted(self.operations, key=lambda p: (p.start, p.end, p.op_id)):
            out.setdefault(p.work_center, []).append(p)
        return out

    def late_orders(self) -> list[OrderOutcome]:
        return sorted(
            (o for o in self.orders if o.late), key=lambda o: -(o.lateness_hours or 0)
        )
