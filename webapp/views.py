"""Frozen read models the services hand to pages (never table rows).

Each view copies what a page shows from a row, inside the service's transaction, so a page
never touches a database session, a lazy attribute or a mutable row. JSON columns keep
their JSON form (``config`` a dict, ``input_data`` a list of lot dicts, ``runs`` a dict);
times of creation/finish are naive UTC, plan and activity times plant-local.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

from scheduler_core.filling import ScheduleResult
from scheduler_core.filling.codec import activity_from_json, lots_from_json
from scheduler_core.filling.kpis import due_kpis
from scheduler_core.shop import ShopResult
from webapp.db.repos.base import Page

V = TypeVar("V")


def _from_row(cls: type[V], row: Any, **extra: Any) -> V:
    """A ``cls`` view holding ``row``'s attributes of the same names (``extra`` wins)."""
    values = {f.name: extra[f.name] if f.name in extra else getattr(row, f.name) for f in fields(cls)}
    return cls(**values)


def page_of(page: Page, convert: Any) -> Page:
    """``page`` with every item converted (``convert(row) -> view``)."""
    return Page(items=[convert(row) for row in page.items], total=page.total, limit=page.limit, offset=page.offset)


# ------------------------------------------------------------------------ filling


@dataclass(frozen=True)
class ScheduleView:
    """A stored filling schedule: identity, status and timings (UTC), the config that ran
    (JSON form), the lots it planned (JSON form) and the failure text if it failed."""

    id: int
    owner_id: int
    name: str
    strategy: str
    status: str
    config: dict
    input_data: list
    file_name: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error_message: str | None

    @classmethod
    def of(cls, row: Any) -> ScheduleView:
        """The view of a ``Schedule`` row."""
        return _from_row(cls, row, config=dict(row.config or {}), input_data=list(row.input_data or []))


@dataclass(frozen=True)
class ResultSummary:
    """The KPI columns of a stored result (hours, counts, utilisation 0..1, gap in %) and
    its late lots and weighted tardiness (hours), measured on the stored FILLs (``None``:
    not known — a weighted tardiness needs the lots' priorities)."""

    id: int
    schedule_id: int
    makespan_h: float
    lower_bound_h: float | None
    gap_pct: float | None
    proven_optimal: bool
    blocks: int
    changeovers: int
    changeover_h: float
    fill_h: float
    clean_h: float
    utilisation: float
    lots: int
    runtime_s: float
    solver_status: str
    late_lots: int | None = None
    weighted_tardiness_h: float | None = None

    @classmethod
    def of(cls, row: Any, lots: list | None = None) -> ResultSummary:
        """The view of a ``ScheduleResultRow``; ``lots`` (the schedule's lots in their JSON
        form, ``input_data``) give the weights of the weighted tardiness, which stays
        ``None`` without them."""
        fills = [activity_from_json(a) for a in row.activities or () if a.get("kind") == "FILL"]
        weights = {lot.lot_id: lot.weight for lot in lots_from_json(lots)} if lots is not None else {}
        due = due_kpis(fills, weights)
        return _from_row(cls, row, late_lots=due["late_lots"],
                         weighted_tardiness_h=due["weighted_tardiness_h"] if lots is not None else None)

    def to_json(self) -> dict[str, Any]:
        """The KPIs as a JSON object (the copy a comparison keeps of each strategy's run)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ResultSummary:
        """The summary :meth:`to_json` wrote (keys it does not know are ignored)."""
        return cls(**{f.name: data.get(f.name) for f in fields(cls)})


@dataclass(frozen=True)
class StoredSchedule:
    """A schedule with its KPI summary and its rebuilt result (both ``None`` unless it
    completed)."""

    schedule: ScheduleView
    result_row: ResultSummary | None
    result: ScheduleResult | None


@dataclass(frozen=True)
class ComparisonView:
    """A saved comparison: its input (lots JSON), config, the strategies in order and per
    strategy ``{"schedule_id", "result_id", "status", "error", "kpis"}`` (``kpis``: its own
    copy of the run's :class:`ResultSummary`; comparisons saved before it lack the key)."""

    id: int
    owner_id: int
    name: str
    input_data: list
    file_name: str | None
    config: dict
    strategies: list
    runs: dict
    created_at: datetime

    @classmethod
    def of(cls, row: Any) -> ComparisonView:
        """The view of a ``Comparison`` row."""
        return _from_row(
            cls, row, input_data=list(row.input_data or []), config=dict(row.config or {}),
            strategies=list(row.strategies or []), runs={k: dict(v) for k, v in (row.runs or {}).items()},
        )


@dataclass(frozen=True)
class TemplateView:
    """A config template (own or shared): its config in JSON form, shared/default flags."""

    id: int
    owner_id: int
    name: str
    description: str
    config: dict
    is_shared: bool
    is_default: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: Any) -> TemplateView:
        """The view of a ``ConfigTemplate`` row."""
        return _from_row(cls, row, config=dict(row.config or {}))


# --------------------------------------------------------------------------- shop


@dataclass(frozen=True)
class ShopSummary:
    """Counts of the acting user's shop and its current plan id (``None`` without one)."""

    organisation: str
    work_centers: int
    work_orders: int
    operations: int
    current_plan_id: int | None


@dataclass(frozen=True)
class WorkOrderView:
    """A work order as the work-orders page lists it (dates are due dates)."""

    id: int
    rn: str
    product_id: int | None
    quantity: int
    priority_level: int
    delivery_date: date | None
    assembly_date: date | None
    third_date: date | None
    status: str
    urgency_rank: int | None

    @classmethod
    def of(cls, row: Any) -> WorkOrderView:
        """The view of a ``ShopWorkOrder`` row."""
        return _from_row(cls, row)


@dataclass(frozen=True)
class OperationView:
    """One operation of a work order with its work center code and planned times."""

    id: int
    sequence: int
    name: str
    work_center: str
    norma: float
    quantity: int
    quantity_completed: float
    status: str
    planned_start: datetime | None
    planned_end: datetime | None


@dataclass(frozen=True)
class PlantView:
    """A plant: code, name, location, whether active and whether it is the main plant (the
    first, whose time zone the plans use)."""

    id: int
    code: str
    name: str
    location: str
    is_active: bool
    time_zone: str | None
    main: bool = False

    @classmethod
    def of(cls, row: Any, main: bool = False) -> PlantView:
        """The view of a ``Plant`` row."""
        return _from_row(cls, row, main=main)


@dataclass(frozen=True)
class ProductTypeView:
    """A product type (family): code, name, description, sort order."""

    id: int
    type_code: str
    type_name: str
    description: str
    sort_order: int

    @classmethod
    def of(cls, row: Any) -> ProductTypeView:
        """The view of a ``ProductType`` row."""
        return _from_row(cls, row)


@dataclass(frozen=True)
class ProductView:
    """A product: ``kpl`` code, name, its type's code ("" without one), whether active."""

    id: int
    kpl: str
    name: str
    type_code: str
    is_active: bool

    @classmethod
    def of(cls, row: Any, type_code: str = "") -> ProductView:
        """The view of a ``Product`` row (``type_code``: its type's code)."""
        return _from_row(cls, row, type_code=type_code)


@dataclass(frozen=True)
class WorkCenterView:
    """A work center: identity, status, calendar (``shifts`` "S1,S2", ``working_days``
    "0,1,2,3,4" with 0 = Monday) and capacity in hours per day."""

    id: int
    code: str
    name: str
    status: str
    is_active: bool
    shifts: str
    working_days: str
    capacity_hours_per_day: float
    setup_time_minutes: int
    cost_per_hour: float | None
    #: the code of its category ("" without one)
    category: str = ""

    @classmethod
    def of(cls, row: Any, category: str = "") -> WorkCenterView:
        """The view of a ``ShopWorkCenter`` row (``category``: its category's code)."""
        return _from_row(cls, row, category=category)

    @property
    def shift_list(self) -> list[str]:
        """The shifts worked, e.g. ``["S1", "S2"]``."""
        return [s for s in self.shifts.split(",") if s]

    @property
    def weekday_list(self) -> list[int]:
        """The working weekdays, 0 = Monday."""
        return [int(d) for d in self.working_days.split(",") if d]


@dataclass(frozen=True)
class PlanView:
    """An accepted shop plan's header: strategy, start (plant-local), objective (weighted
    tardiness hours), late orders, makespan (h), runtime (s), whether it is current."""

    id: int
    owner_id: int
    name: str
    strategy: str
    due_basis: str
    plan_start: datetime
    objective: float
    late_orders: int
    makespan_h: float
    runtime_s: float
    is_current: bool
    created_at: datetime

    @classmethod
    def of(cls, row: Any) -> PlanView:
        """The view of a ``ShopPlan`` row."""
        return _from_row(cls, row)


@dataclass(frozen=True)
class StoredPlan:
    """An accepted plan: its header and the whole result."""

    plan: PlanView
    result: ShopResult


@dataclass(frozen=True)
class ScenarioView:
    """A what-if scenario: its name, the changes made (texts, in order), whether it has
    been planned since its last change, and whether it is stale (the plan it was based on is
    no longer the current plan)."""

    id: int
    owner_id: int
    name: str
    base_plan_id: int | None
    changes: list
    planned: bool
    stale: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: Any, *, current_plan_id: int | None = None) -> ScenarioView:
        """The view of a ``ShopScenario`` row (stale against ``current_plan_id``)."""
        return _from_row(cls, row, changes=list(row.changes or []), planned=bool(row.result),
                         stale=row.base_plan_id != current_plan_id)


@dataclass(frozen=True)
class ChangeSetView:
    """An accepted change set: what it changed (in the planner's words), who accepted it and
    when (naive UTC), the plan it produced and the one it replaced, and whether it can still
    be undone (its plan is the current plan)."""

    id: int
    owner_id: int
    summary: str
    plan_id: int | None
    previous_plan_id: int | None
    created_at: datetime
    undoable: bool

    @classmethod
    def of(cls, row: Any, *, undoable: bool) -> ChangeSetView:
        """The view of a ``ShopChangeSet`` row."""
        return _from_row(cls, row, undoable=undoable)


@dataclass(frozen=True)
class DeletionImpact:
    """What deleting something would do, or why it cannot be deleted (``possible`` false):
    the confirmation dialog offers "Delete" only when it is possible."""

    text: str
    possible: bool = True
