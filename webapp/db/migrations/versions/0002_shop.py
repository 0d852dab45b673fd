"""shop tables: organisations, plants, work centers, calendars, orders, operations, plans

Revision ID: 0002_shop
Revises: 0001_initial
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002_shop"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
STATUS_SQL = "status IN ('pending', 'in_progress', 'completed', 'cancelled')"


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _fk(column: str, target: str, name: str, *, ondelete: str = "CASCADE", nullable: bool = False):
    return sa.Column(
        column, sa.Integer(), sa.ForeignKey(target, name=name, ondelete=ondelete), nullable=nullable
    )


def _org(prefix: str) -> sa.Column:
    return _fk("organisation_id", "organisations.id", f"fk_{prefix}_org")


def _created() -> sa.Column:
    return sa.Column("created_at", sa.DateTime(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "organisations",
        _id(),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        _created(),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("code", name="uq_organisations_code"),
    )
    op.create_table(
        "user_organisations",
        _id(),
        _fk("user_id", "users.id", "fk_user_organisations_user"),
        _fk("organisation_id", "organisations.id", "fk_user_organisations_org"),
        sa.Column("role", sa.String(16), nullable=False),
        _created(),
        sa.UniqueConstraint("user_id", name="uq_user_organisations_user"),
    )
    op.create_index("ix_user_organisations_org", "user_organisations", ["organisation_id"])
    op.create_table(
        "plants",
        _id(),
        _org("plants"),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("location", sa.String(500), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        _created(),
        sa.UniqueConstraint("organisation_id", "code", name="uq_plants_org_code"),
    )
    op.create_table(
        "work_center_categories",
        _id(),
        _org("wc_categories"),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.UniqueConstraint("organisation_id", "code", name="uq_wc_categories_org_code"),
    )
    op.create_table(
        "work_centers",
        _id(),
        _org("work_centers"),
        _fk("plant_id", "plants.id", "fk_work_centers_plant", ondelete="SET NULL", nullable=True),
        _fk(
            "category_id",
            "work_center_categories.id",
            "fk_work_centers_category",
            ondelete="SET NULL",
            nullable=True,
        ),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("capacity_hours_per_day", sa.Float(), nullable=False),
        sa.Column("setup_time_minutes", sa.Integer(), nullable=False),
        sa.Column("cost_per_hour", sa.Float(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("shifts", sa.String(64), nullable=False),
        sa.Column("working_days", sa.String(32), nullable=False),
        _created(),
        sa.UniqueConstraint("organisation_id", "code", name="uq_work_centers_org_code"),
        sa.CheckConstraint(
            "status IN ('available', 'maintenance', 'down')", name="ck_work_centers_status"
        ),
    )
    op.create_index("ix_work_centers_plant", "work_centers", ["plant_id"])
    op.create_table(
        "calendar_exceptions",
        _id(),
        _org("calendar_exceptions"),
        _fk("work_center_id", "work_centers.id", "fk_calendar_exceptions_wc"),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shift", sa.String(8), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(200), nullable=False),
        sa.UniqueConstraint(
            "work_center_id", "day", "shift", name="uq_calendar_exceptions_wc_day_shift"
        ),
    )
    op.create_index("ix_calendar_exceptions_org", "calendar_exceptions", ["organisation_id"])
    op.create_table(
        "downtimes",
        _id(),
        _org("downtimes"),
        _fk("work_center_id", "work_centers.id", "fk_downtimes_wc"),
        sa.Column("start_at", sa.DateTime(), nullable=False),
        sa.Column("end_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        _created(),
        sa.CheckConstraint("end_at > start_at", name="ck_downtimes_end_after_start"),
    )
    op.create_index("ix_downtimes_wc_start", "downtimes", ["work_center_id", "start_at"])
    op.create_index("ix_downtimes_org", "downtimes", ["organisation_id"])
    op.create_table(
        "product_types",
        _id(),
        _org("product_types"),
        sa.Column("type_code", sa.String(64), nullable=False),
        sa.Column("type_name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        _created(),
        sa.UniqueConstraint("organisation_id", "type_code", name="uq_product_types_org_code"),
    )
    op.create_table(
        "products",
        _id(),
        _org("products"),
        _fk("type_id", "product_types.id", "fk_products_type", ondelete="SET NULL", nullable=True),
        sa.Column("kpl", sa.String(64), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        _created(),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("organisation_id", "kpl", name="uq_products_org_kpl"),
    )
    op.create_table(
        "work_orders",
        _id(),
        _org("work_orders"),
        _fk("product_id", "products.id", "fk_work_orders_product", ondelete="SET NULL", nullable=True),
        sa.Column("rn", sa.String(64), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("priority_level", sa.Integer(), nullable=False),
        sa.Column("delivery_date", sa.Date(), nullable=True),
        sa.Column("assembly_date", sa.Date(), nullable=True),
        sa.Column("third_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("urgency_rank", sa.Integer(), nullable=True),
        _created(),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("organisation_id", "rn", name="uq_work_orders_org_rn"),
        sa.CheckConstraint("priority_level IN (1, 2, 3)", name="ck_work_orders_priority"),
        sa.CheckConstraint(STATUS_SQL, name="ck_work_orders_status"),
        sa.CheckConstraint("quantity > 0", name="ck_work_orders_quantity"),
    )
    op.create_index("ix_work_orders_org_status", "work_orders", ["organisation_id", "status"])
    op.create_index("ix_work_orders_priority", "work_orders", ["priority_level"])
    op.create_index("ix_work_orders_dates", "work_orders", ["delivery_date", "assembly_date"])
    op.create_index("ix_work_orders_product", "work_orders", ["product_id"])
    op.create_table(
        "operations",
        _id(),
        _org("operations"),
        _fk("work_order_id", "work_orders.id", "fk_operations_order"),
        _fk("work_center_id", "work_centers.id", "fk_operations_wc", ondelete="RESTRICT"),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("norma", sa.Float(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("quantity_completed", sa.Float(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("manual_position", sa.Integer(), nullable=True),
        sa.Column("pinned_start", sa.DateTime(), nullable=True),
        sa.Column("alternatives", sa.String(200), nullable=False),
        sa.Column("planned_start", sa.DateTime(), nullable=True),
        sa.Column("planned_end", sa.DateTime(), nullable=True),
        sa.Column("actual_start", sa.DateTime(), nullable=True),
        sa.Column("actual_end", sa.DateTime(), nullable=True),
        _created(),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("work_order_id", "sequence", name="uq_operations_order_seq"),
        sa.CheckConstraint(STATUS_SQL, name="ck_operations_status"),
        sa.CheckConstraint("quantity > 0", name="ck_operations_quantity"),
        sa.CheckConstraint("norma >= 0", name="ck_operations_norma"),
    )
    op.create_index("ix_operations_work_center", "operations", ["work_center_id"])
    op.create_index("ix_operations_status", "operations", ["status"])
    op.create_index("ix_operations_org", "operations", ["organisation_id"])
    op.create_table(
        "shop_plans",
        _id(),
        _org("shop_plans"),
        _fk("owner_id", "users.id", "fk_shop_plans_owner"),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("strategy", sa.String(32), nullable=False),
        sa.Column("due_basis", sa.String(16), nullable=False),
        sa.Column("plan_start", sa.DateTime(), nullable=False),
        sa.Column("objective", sa.Float(), nullable=False),
        sa.Column("late_orders", sa.Integer(), nullable=False),
        sa.Column("makespan_h", sa.Float(), nullable=False),
        sa.Column("runtime_s", sa.Float(), nullable=False),
        sa.Column("kpis", JSONType, nullable=False),
        sa.Column("result", JSONType, nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        _created(),
    )
    op.create_index("ix_shop_plans_org_created", "shop_plans", ["organisation_id", "created_at"])
    op.create_index("ix_shop_plans_owner_created", "shop_plans", ["owner_id", "created_at"])
    op.create_index("ix_shop_plans_org_current", "shop_plans", ["organisation_id", "is_current"])
    op.create_table(
        "shop_scenarios",
        _id(),
        _org("shop_scenarios"),
        _fk("owner_id", "users.id", "fk_shop_scenarios_owner"),
        _fk(
            "base_plan_id",
            "shop_plans.id",
            "fk_shop_scenarios_base_plan",
            ondelete="SET NULL",
            nullable=True,
        ),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("problem", JSONType, nullable=False),
        sa.Column("result", JSONType, nullable=False),
        sa.Column("changes", JSONType, nullable=False),
        _created(),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_shop_scenarios_owner_created", "shop_scenarios", ["owner_id", "created_at"])


def downgrade() -> None:
    for index, table in (
        ("ix_shop_scenarios_owner_created", "shop_scenarios"),
        ("ix_shop_plans_org_current", "shop_plans"),
        ("ix_shop_plans_owner_created", "shop_plans"),
        ("ix_shop_plans_org_created", "shop_plans"),
        ("ix_operations_org", "operations"),
        ("ix_operations_status", "operations"),
        ("ix_operations_work_center", "operations"),
        ("ix_work_orders_product", "work_orders"),
        ("ix_work_orders_dates", "work_orders"),
        ("ix_work_orders_priority", "work_orders"),
        ("ix_work_orders_org_status", "work_orders"),
        ("ix_downtimes_org", "downtimes"),
        ("ix_downtimes_wc_start", "downtimes"),
        ("ix_calendar_exceptions_org", "calendar_exceptions"),
        ("ix_work_centers_plant", "work_centers"),
        ("ix_user_organisations_org", "user_organisations"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "shop_scenarios",
        "shop_plans",
        "operations",
        "work_orders",
        "products",
        "product_types",
        "downtimes",
        "calendar_exceptions",
        "work_centers",
        "work_center_categories",
        "plants",
        "user_organisations",
        "organisations",
    ):
        op.drop_table(table)
