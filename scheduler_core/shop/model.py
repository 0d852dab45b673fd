"""Input objects of the job-shop / MES problem (DESIGN.md §2) and the rules that make a
``ShopProblem`` valid (each rule one small function; the problem runs them when built).

Conventions:

* Datetimes are **naive plant wall-clock time** of the problem's ``time_zone`` (an IANA
  name, ``UTC`` by default) everywhere (input, result, export); a datetime given with an
  offset is converted to plant time when the problem is built (``clock.to_plant``).
* Internally the planners work in integer real minutes from the plan's start moment
  (``origin``, see ``clock.Clock``); datetimes appear only at the edges (``ShopResult``).
* A due *date* (``datetime.date``) means "by the end of that day" (the following midnight);
  a ``datetime`` due is taken as is (benchmark adapters use that).
* Remaining duration of an operation = ``norma × (1 − quantity_completed / quantity)``
  minutes, rounded up to whole minutes.
* Setup: an operation on a work center needs that work center's ``setup_time_minutes`` of
  working time before it, unless the operation before it on that work center is of the same
  product (``kpl``) or it is already in progress.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from scheduler_core.cells import range_problem
from scheduler_core.errors import Problem, check, raise_problems
from scheduler_core.shop.clock import offsets_to_plant
from scheduler_core.shop.pins import pins_acyclic, pins_known
from scheduler_core.zones import DEFAULT_ZONE, zone_problem

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
        """Minutes from start to end (a shift ending at its start lasts a day)."""
        s = self.start.hour * 60 + self.start.minute
        e = self.end.hour * 60 + self.end.minute
        return (e - s) % 1440 or 1440

    @property
    def working_minutes(self) -> int:
        """Length minus the break."""
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
        """A calendar where every minute is working time (benchmark instances)."""
        return cls(always_working=True)

    def is_working(self, day: date, shift_name: str) -> bool:
        """Whether shift ``shift_name`` of ``day`` is worked (overrides first, the last wins)."""
        for d, name, flag in reversed(self.overrides):
            if d == day and name == shift_name:
                return flag
        if day.weekday() not in self.weekdays:
            return False
        return self.shift_names is None or shift_name in self.shift_names

    def with_override(self, day: date, shift_name: str, working: bool) -> Calendar:
        """This calendar with ``shift_name`` of ``day`` marked working or not."""
        return Calendar(
            self.shifts,
            self.weekdays,
            self.shift_names,
            (*self.overrides, (day, shift_name, working)),
            self.always_working,
        )

    @property
    def hours_per_working_day(self) -> float:
        """Working hours of a normal working day (24 when always working)."""
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
    """A work center: ``code``, name, category, capacity (hours per day), setup (minutes),
    cost per hour, whether it is active (planned), and its calendar.
    """
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
    """A work order: number ``rn``, quantity, priority 1 (high)..3, product, the delivery,
    assembly and third dates, status, urgency rank and an optional tardiness weight.
    """
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
        """The weight of this order's tardiness: ``weight``, else from the priority."""
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
    """An operation of a work order: its ``sequence`` in the routing, work center, ``norma``
    (minutes for the whole quantity), progress, status, an optional pinned start, actual
    start/end and the other work centers it may run on.
    """
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
        """``RN/sequence``, unique in a problem."""
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
        """Not completed or cancelled, and work remains."""
        return self.status not in CLOSED_STATUSES and self.remaining_minutes > 0


@dataclass(frozen=True)
class ShopProblem:
    """Everything a planner needs, validated as a whole when built.

    ``pins`` are the planner's sequence pins: ``(first, then)`` operation ids on one work
    center, ``then`` may start only after ``first`` ends (a reorder pins only the operations
    the planner moved, everything else stays free); ``start`` is the planning start
    (``None`` = now); ``time_zone`` the plant's IANA zone (datetimes given with an offset are
    converted to its wall-clock time).

    Raises:
        InputError: every problem of :data:`PROBLEM_RULES` at once (duplicates, unknown
            references, bad numbers or statuses).
    """

    work_centers: tuple[WorkCenter, ...]
    work_orders: tuple[WorkOrder, ...]
    operations: tuple[Operation, ...]
    downtime: tuple[Downtime, ...] = ()
    pins: tuple[tuple[str, str], ...] = ()
    start: datetime | None = None
    name: str = ""
    time_zone: str = DEFAULT_ZONE

    def __post_init__(self) -> None:
        for name in ("work_centers", "work_orders", "operations", "downtime"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "pins", tuple(tuple(pin) for pin in self.pins))
        if zone_problem(self.time_zone) is None:
            for name, value in offsets_to_plant(self).items():
                object.__setattr__(self, name, value)
        raise_problems(self.problems())

    def problems(self) -> list[Problem]:
        """The problems :data:`PROBLEM_RULES` find (``[]`` for every built problem)."""
        return check(PROBLEM_RULES, self)

    def wc(self, code: str) -> WorkCenter:
        """The work center ``code``. Raises ``KeyError`` when there is none."""
        for w in self.work_centers:
            if w.code == code:
                return w
        raise KeyError(code)

    def order(self, rn: str) -> WorkOrder:
        """The work order ``rn``. Raises ``KeyError`` when there is none."""
        for o in self.work_orders:
            if o.rn == rn:
                return o
        raise KeyError(rn)

    def operation(self, op_id: str) -> Operation:
        """The operation ``op_id`` (``RN/sequence``). Raises ``KeyError`` when there is none."""
        for op in self.operations:
            if op.op_id == op_id:
                return op
        raise KeyError(op_id)

    def open_operations(self) -> list[Operation]:
        """Operations still to plan: open operations of open orders, in (rn, sequence) order."""
        closed = {o.rn for o in self.work_orders if o.status in CLOSED_STATUSES}
        return [op for op in self.operations if op.rn not in closed and op.is_open]


# ------------------------------------------------------------------ problem rules


def time_zone_known(p: ShopProblem) -> Iterator[Problem]:
    """The plant time zone is an IANA name (``Europe/Zagreb``, ``UTC``)."""
    problem = zone_problem(p.time_zone)
    if problem is not None:
        yield problem


def _duplicates(values: list[str]) -> list[str]:
    counts = Counter(values)
    return sorted(v for v, n in counts.items() if n > 1)


def work_centers_unique(p: ShopProblem) -> Iterator[Problem]:
    """No two work centers share a code."""
    for code in _duplicates([w.code for w in p.work_centers]):
        yield Problem(f"duplicate work center '{code}'")


def work_orders_unique(p: ShopProblem) -> Iterator[Problem]:
    """No two work orders share a number (``rn``)."""
    for rn in _duplicates([o.rn for o in p.work_orders]):
        yield Problem(f"duplicate work order '{rn}'")


def work_order_values(p: ShopProblem) -> Iterator[Problem]:
    """A work order has priority 1..3, a positive quantity and a known status."""
    for o in p.work_orders:
        if o.priority_level not in (1, 2, 3):
            yield Problem(f"work order '{o.rn}': priority must be 1, 2 or 3")
        if o.quantity <= 0:
            yield Problem(f"work order '{o.rn}': quantity must be positive")
        if o.status not in ORDER_STATUSES:
            yield Problem(f"work order '{o.rn}': unknown status '{o.status}'")


def operations_unique(p: ShopProblem) -> Iterator[Problem]:
    """No two operations share a work order and sequence."""
    seen: set[str] = set()
    for op in p.operations:
        if op.op_id in seen:
            yield Problem(f"duplicate operation '{op.op_id}'")
        seen.add(op.op_id)


def operation_references(p: ShopProblem) -> Iterator[Problem]:
    """An operation belongs to a known work order and runs on a known work center."""
    rns = {o.rn for o in p.work_orders}
    codes = {w.code for w in p.work_centers}
    for op in p.operations:
        if op.rn not in rns:
            yield Problem(f"operation '{op.op_id}': unknown work order '{op.rn}'")
        if op.work_center not in codes:
            yield Problem(f"operation '{op.op_id}': unknown work center '{op.work_center}'")


def operation_values(p: ShopProblem) -> Iterator[Problem]:
    """An operation has norma >= 0 minutes, a positive quantity, 0 <= completed <= quantity
    and a known status."""
    for op in p.operations:
        if op.norma < 0:
            yield Problem(f"operation '{op.op_id}': norma must not be negative")
        if op.quantity <= 0:
            yield Problem(f"operation '{op.op_id}': quantity must be positive")
        if op.quantity_completed < 0 or op.quantity_completed > op.quantity:
            yield Problem(f"operation '{op.op_id}': quantity completed must be 0..quantity")
        if op.status not in OPERATION_STATUSES:
            yield Problem(f"operation '{op.op_id}': unknown status '{op.status}'")


def downtime_valid(p: ShopProblem) -> Iterator[Problem]:
    """A downtime is on a known work center and ends after it starts."""
    codes = {w.code for w in p.work_centers}
    for d in p.downtime:
        if d.work_center not in codes:
            yield Problem(f"downtime: unknown work center '{d.work_center}'")
        if d.end <= d.start:
            yield Problem(f"downtime on '{d.work_center}': end must be after start")


def dates_plausible(p: ShopProblem) -> Iterator[Problem]:
    """Every date of the shop (plan start, order dates, fixed and actual starts, downtime) lies
    in the accepted range (``cells.EARLIEST``..``LATEST``): a typo such as 9999-12-31 is
    refused here, never planned."""
    found = [("start", p.start)]
    for o in p.work_orders:
        found += [(f"work order '{o.rn}': {name}", getattr(o, name))
                  for name in ("delivery_date", "assembly_date", "third_date")]
    for op in p.operations:
        found += [(f"operation '{op.op_id}': {name}", getattr(op, name))
                  for name in ("pinned_start", "actual_start", "actual_end")]
    for d in p.downtime:
        found += [(f"downtime on '{d.work_center}': start", d.start), (f"downtime on '{d.work_center}': end", d.end)]
    for what, moment in found:
        if isinstance(moment, date) and (reason := range_problem(moment, what)):
            yield Problem(reason)


#: Every rule a shop problem satisfies once built, in the order problems are reported.
PROBLEM_RULES = (
    time_zone_known,
    work_centers_unique,
    work_orders_unique,
    work_order_values,
    operations_unique,
    operation_references,
    operation_values,
    pins_known,
    pins_acyclic,
    downtime_valid,
    dates_plausible,
)
