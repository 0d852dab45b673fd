"""SQLModel tables of the job shop (DESIGN.md §2, seed 002 schema with English names).

Ownership: every row belongs to an **organisation** (``organisation_id``); users belong to
one organisation through ``user_organisations`` (the ``users`` table is not altered). Shop
data (work centers, orders, operations) is shared by the members of an organisation and
invisible to other organisations. Plans (``shop_plans``) and what-if scenarios
(``shop_scenarios``) additionally have an ``owner_id``; the organisation's accepted plan
(``is_current``) is the baseline every member sees.

The migration ``0002_shop`` creates exactly these tables. Timestamps are naive UTC; plan
times (planned/actual starts, downtime, calendar dates) are the plant's local time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from webapp.db.models import JSONType, utcnow

ORDER_STATUSES = ("pending", "in_progress", "completed", "cancelled")
OPERATION_STATUSES = ("pending", "in_progress", "completed", "cancelled")
WORK_CENTER_STATUSES = ("available", "maintenance", "down")

_STATUS_SQL = "status IN ('pending', 'in_progress', 'completed', 'cancelled')"


def _ts(*, nullable: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_type=sa.DateTime(), nullable=True)
    return Field(default_factory=utcnow, sa_type=sa.DateTime(), nullable=False)


def _fk(target: str, name: str, *, ondelete: str = "CASCADE", nullable: bool = False) -> Any:
    return Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey(target, name=name, ondelete=ondelete), nullable=nullable
        ),
    )


def _json(default: Any) -> Any:
    return Field(
        default_factory=lambda: type(default)(), sa_column=sa.Column(JSONType, nullable=False)
    )


class Organisation(SQLModel, table=True):
    """The company whose shop its members share."""
    __tablename__ = "organisations"
    __table_args__ = (sa.UniqueConstraint("code", name="uq_organisations_code"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64)
    name: str = Field(max_length=200)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class UserOrganisation(SQLModel, table=True):
    """A user's membership (one organisation per user)."""

    __tablename__ = "user_organisations"
    __table_args__ = (
        sa.UniqueConstraint("user_id", name="uq_user_organisations_user"),
        sa.Index("ix_user_organisations_org", "organisation_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = _fk("users.id", "fk_user_organisations_user")
    organisation_id: int = _fk("organisations.id", "fk_user_organisations_org")
    role: str = Field(default="member", max_length=16)
    created_at: datetime = _ts()


class Plant(SQLModel, table=True):
    """A plant of an organisation (work centers may name theirs)."""
    __tablename__ = "plants"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "code", name="uq_plants_org_code"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = _fk("organisations.id", "fk_plants_org")
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    location: str = Field(default="", max_length=500)
    #: IANA time zone of the plant's wall clock (``None``: ``PSS_TIMEZONE``, else UTC)
    time_zone: str | None = Field(default=None, max_length=64)
    is_active: bool = Field(default=True)
    created_at: datetime = _ts()


class WorkCenterCategory(SQLModel, table=True):
    """A kind of work center (lathes, mills …) of an organisation."""
    __tablename__ = "work_center_categories"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "code", name="uq_wc_categories_org_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = _fk("organisations.id", "fk_wc_categories_org")
    code: str = Field(max_length=64)
    name: str = Field(max_length=200)


class ShopWorkCenter(SQLModel, table=True):
    """A work center with its calendar settings: ``shifts`` ("S1,S2,S3") worked on
    ``working_days`` ("0,1,2,3,4", 0 = Monday); single dates in ``calendar_exceptions``."""

    __tablename__ = "work_centers"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "code", name="uq_work_centers_org_code"),
        sa.Index("ix_work_centers_plant", "plant_id"),
        sa.CheckConstraint(
            "status IN ('available', 'maintenance', 'down')", name="ck_work_centers_status"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = _fk("organisations.id", "fk_work_centers_org")
    plant_id: int | None = _fk("plants.id", "fk_work_centers_plant", ondelete="SET NULL", nullable=True)
    category_id: int | None = _fk(
        "work_center_categories.id", "fk_work_centers_category", ondelete="SET NULL", nullable=True
    )
    code: str = Field(max_length=64)
    name: str = Field(default="", max_length=200)
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    capacity_hours_per_day: float = Field(default=22.5)
    setup_time_minutes: int = Field(default=0)
    cost_per_hour: float | None = Field(default=None)
    is_active: bool = Field(default=True)
    status: str = Field(default="available", max_length=16)
    shifts: str = Field(default="S1,S2,S3", max_length=64)
    working_days: str = Field(default="0,1,2,3,4", max_length=32)
    created_at: datetime = _ts()


class CalendarException(SQLModel, table=True):
    """One date × shift of a work center marked working (True) or not (holiday: False)."""

    __tablename__ = "calendar_exceptions"
    __table_args__ = (
        sa.UniqueConstraint("work_center_id", "day", "shift", name="uq_calendar_exceptions_wc_day_shift"),
        sa.Index("ix_calendar_exceptions_org", "organisation_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = _fk("organisations.id", "fk_calendar_exceptions_org")
    work_center_id: int = _fk("work_centers.id", "fk_calendar_exceptions_wc")
    day: date = Field(sa_type=sa.Date(), nullable=False)
    shift: str = Field(max_length=8)
    working: bool = Field(default=False)
    note: str = Field(default="", max_length=200)


class ShopDowntime(SQLModel, table=True):
    """A period a work center cannot work (plant-local times), with its reason."""
    __tablename__ = "downtimes"
    __table_args__ = (
        sa.Index("ix_downtimes_wc_start", "work_center_id", "start_at"),
        sa.Index("ix_downtimes_org", "organisation_id"),
        sa.CheckConstraint("end_at > start_at", name="ck_downtimes_end_after_start"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = _fk("organisations.id", "fk_downtimes_org")
    work_center_id: int = _fk("work_centers.id", "fk_downtimes_wc")
    start_at: datetime = Field(sa_type=sa.DateTime(), nullable=False)
    end_at: datetime = Field(sa_type=sa.DateTime(), nullable=False)
    reason: str = Field(default="", max_length=500)
    created_at: datetime = _ts()


class ProductType(SQLModel, table=True):
    """A product family of an organisation."""
    __tablename__ = "product_types"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "type_code", name="uq_product_types_org_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = _fk("organisations.id", "fk_product_types_org")
    type_code: str = Field(max_length=64)
    type_name: str = Field(default="", max_length=200)
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    sort_order: int = Field(default=0)
    created_at: datetime = _ts()


class Product(SQLModel, table=True):
    """A product (``kpl`` code, name) that work orders make."""
    __tablename__ = "products"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "kpl", name="uq_products_org_kpl"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = _fk("organisations.id", "fk_products_org")
    type_id: int | None = _fk("product_types.id", "fk_products_type", ondelete="SET NULL", nullable=True)
    kpl: str = Field(max_length=64)
    name: str = Field(default="", max_length=200)
    is_active: bool = Field(default=True)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class ShopWorkOrder(SQLModel, table=True):
    """A work order of an organisation: ``rn``, product, quantity, priority, due dates,
    status and urgency rank.
    """
    __tablename__ = "work_orders"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "rn", name="uq_work_orders_org_rn"),
        sa.Index("ix_work_orders_org_status", "organisation_id", "status"),
        sa.Index("ix_work_orders_priority", "priority_level"),
        sa.Index("ix_work_orders_dates", "delivery_date", "assembly_date"),
        sa.Index("ix_work_orders_product", "product_id"),
        sa.CheckConstraint("priority_level IN (1, 2, 3)", name="ck_work_orders_priority"),
        sa.CheckConstraint(_STATUS_SQL, name="ck_work_orders_status"),
        sa.CheckConstraint("quantity > 0", name="ck_work_orders_quantity"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = _fk("organisations.id", "fk_work_orders_org")
    product_id: int | None = _fk("products.id", "fk_work_orders_product", ondelete="SET NULL", nullable=True)
    rn: str = Field(max_length=64)
    quantity: int = Field(default=1)
    priority_level: int = Field(default=3)
    delivery_date: date | None = Field(default=None, sa_type=sa.Date(), nullable=True)
    assembly_date: date | None = Field(default=None, sa_type=sa.Date(), nullable=True)
    third_date: date | None = Field(default=None, sa_type=sa.Date(), nullable=True)
    status: str = Field(default="pending", max_length=16)
    #: manual urgency list position (1 = most urgent), ``None`` = not on the list
    urgency_rank: int | None = Field(default=None)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class ShopOperation(SQLModel, table=True):
    """An operation with planned (``planned_*``, from the accepted plan) and actual times."""

    __tablename__ = "operations"
    __table_args__ = (
        sa.UniqueConstraint("work_order_id", "sequence", name="uq_operations_order_seq"),
        sa.Index("ix_operations_work_center", "work_center_id"),
        sa.Index("ix_operations_status", "status"),
        sa.Index("ix_operations_org", "organisation_id"),
        sa.CheckConstraint(_STATUS_SQL, name="ck_operations_status"),
        sa.CheckConstraint("quantity > 0", name="ck_operations_quantity"),
        sa.CheckConstraint("norma >= 0", name="ck_operations_norma"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = _fk("organisations.id", "fk_operations_org")
    work_order_id: int = _fk("work_orders.id", "fk_operations_order")
    work_center_id: int = _fk("work_centers.id", "fk_operations_wc", ondelete="RESTRICT")
    sequence: int
    name: str = Field(default="", max_length=500)
    norma: float = Field(default=0.0)
    quantity: int = Field(default=1)
    quantity_completed: float = Field(default=0.0)
    status: str = Field(default="pending", max_length=16)
    pinned_start: datetime | None = _ts(nullable=True)
    alternatives: str = Field(default="", max_length=200)
    planned_start: datetime | None = _ts(nullable=True)
    planned_end: datetime | None = _ts(nullable=True)
    actual_start: datetime | None = _ts(nullable=True)
    actual_end: datetime | None = _ts(nullable=True)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class ShopPlan(SQLModel, table=True):
    """A stored plan: KPIs, objective and the whole result (per-operation planned times,
    order outcomes, weekly load) as JSON. ``is_current`` marks the organisation's baseline."""

    __tablename__ = "shop_plans"
    __table_args__ = (
        sa.Index("ix_shop_plans_org_created", "organisation_id", "created_at"),
        sa.Index("ix_shop_plans_owner_created", "owner_id", "created_at"),
        sa.Index("ix_shop_plans_org_current", "organisation_id", "is_current"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = _fk("organisations.id", "fk_shop_plans_org")
    owner_id: int = _fk("users.id", "fk_shop_plans_owner")
    name: str = Field(default="", max_length=255)
    strategy: str = Field(max_length=32)
    due_basis: str = Field(default="assembly", max_length=16)
    plan_start: datetime = Field(sa_type=sa.DateTime(), nullable=False)
    objective: float = Field(default=0.0)
    late_orders: int = Field(default=0)
    makespan_h: float = Field(default=0.0)
    runtime_s: float = Field(default=0.0)
    kpis: dict = _json({})
    result: dict = _json({})
    is_current: bool = Field(default=False)
    created_at: datetime = _ts()


class ShopScenario(SQLModel, table=True):
    """A what-if copy of the shop (problem JSON) with its own plan, owned by one user."""

    __tablename__ = "shop_scenarios"
    __table_args__ = (sa.Index("ix_shop_scenarios_owner_created", "owner_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = _fk("organisations.id", "fk_shop_scenarios_org")
    owner_id: int = _fk("users.id", "fk_shop_scenarios_owner")
    base_plan_id: int | None = _fk(
        "shop_plans.id", "fk_shop_scenarios_base_plan", ondelete="SET NULL", nullable=True
    )
    name: str = Field(max_length=255)
    problem: dict = _json({})
    result: dict = _json({})
    changes: list = _json([])
    #: the scenario's own change set (``scheduler_core.shop.changes.Change`` JSON), re-applied
    #: onto the current shop when the scenario is promoted
    change_set: list = _json([])
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class ShopPin(SQLModel, table=True):
    """A planner's sequence pin: operation ``before`` must end before ``after`` starts."""

    __tablename__ = "shop_pins"
    __table_args__ = (
        sa.UniqueConstraint("before_operation_id", "after_operation_id", name="uq_shop_pins_pair"),
        sa.CheckConstraint("before_operation_id <> after_operation_id", name="ck_shop_pins_distinct"),
        sa.Index("ix_shop_pins_org", "organisation_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = _fk("organisations.id", "fk_shop_pins_org")
    before_operation_id: int = _fk("operations.id", "fk_shop_pins_before")
    after_operation_id: int = _fk("operations.id", "fk_shop_pins_after")
    created_at: datetime = _ts()


class ShopChangeSet(SQLModel, table=True):
    """An accepted change set: its changes (JSON), the shop before them (problem JSON), the
    plan it produced and the plan it replaced; ``undone_at`` once undone."""

    __tablename__ = "shop_change_sets"
    __table_args__ = (sa.Index("ix_shop_change_sets_org_created", "organisation_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = _fk("organisations.id", "fk_shop_change_sets_org")
    owner_id: int = _fk("users.id", "fk_shop_change_sets_owner")
    summary: str = Field(default="", max_length=500)
    changes: list = _json([])
    before: dict = _json({})
    plan_id: int | None = _fk("shop_plans.id", "fk_shop_change_sets_plan", ondelete="SET NULL", nullable=True)
    previous_plan_id: int | None = _fk(
        "shop_plans.id", "fk_shop_change_sets_previous", ondelete="SET NULL", nullable=True
    )
    undone_at: datetime | None = _ts(nullable=True)
    created_at: datetime = _ts()


SHOP_TABLES = (
    "organisations",
    "user_organisations",
    "plants",
    "work_center_categories",
    "work_centers",
    "calendar_exceptions",
    "downtimes",
    "product_types",
    "products",
    "work_orders",
    "operations",
    "shop_plans",
    "shop_scenarios",
    "shop_pins",
    "shop_change_sets",
)
