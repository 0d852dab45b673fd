"""initial schema: users, schedules, schedule_results, comparisons, config_templates

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_login_at", sa.DateTime(), nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )

    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_schedules_owner", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("problem_kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("strategy", sa.String(64), nullable=False),
        sa.Column("config", JSONType, nullable=False),
        sa.Column("input_data", JSONType, nullable=False),
        sa.Column("file_name", sa.String(255), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
    )
    op.create_index("ix_schedules_owner_created", "schedules", ["owner_id", "created_at"])
    op.create_index("ix_schedules_status", "schedules", ["status"])
    op.create_index("ix_schedules_strategy", "schedules", ["strategy"])
    op.create_index("ix_schedules_name", "schedules", ["name"])

    op.create_table(
        "schedule_results",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "schedule_id",
            sa.Integer(),
            sa.ForeignKey("schedules.id", name="fk_schedule_results_schedule", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("makespan_h", sa.Float(), nullable=False),
        sa.Column("lower_bound_h", sa.Float(), nullable=True),
        sa.Column("gap_pct", sa.Float(), nullable=True),
        sa.Column("proven_optimal", sa.Boolean(), nullable=False),
        sa.Column("blocks", sa.Integer(), nullable=False),
        sa.Column("changeovers", sa.Integer(), nullable=False),
        sa.Column("changeover_h", sa.Float(), nullable=False),
        sa.Column("fill_h", sa.Float(), nullable=False),
        sa.Column("clean_h", sa.Float(), nullable=False),
        sa.Column("utilisation", sa.Float(), nullable=False),
        sa.Column("lots", sa.Integer(), nullable=False),
        sa.Column("runtime_s", sa.Float(), nullable=False),
        sa.Column("solver_status", sa.String(128), nullable=False),
        sa.Column("activities", JSONType, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("schedule_id", name="uq_schedule_results_schedule"),
    )

    op.create_table(
        "comparisons",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_comparisons_owner", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("input_data", JSONType, nullable=False),
        sa.Column("file_name", sa.String(255), nullable=True),
        sa.Column("config", JSONType, nullable=False),
        sa.Column("strategies", JSONType, nullable=False),
        sa.Column("runs", JSONType, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_comparisons_owner_created", "comparisons", ["owner_id", "created_at"])
    op.create_index("ix_comparisons_name", "comparisons", ["name"])

    op.create_table(
        "config_templates",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "owner_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_config_templates_owner", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("config", JSONType, nullable=False),
        sa.Column("is_shared", sa.Boolean(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("owner_id", "name", name="uq_config_templates_owner_name"),
    )
    op.create_index("ix_config_templates_shared", "config_templates", ["is_shared"])
    op.create_index(
        "uq_config_templates_one_default",
        "config_templates",
        ["owner_id"],
        unique=True,
        sqlite_where=sa.text("is_default"),
        postgresql_where=sa.text("is_default"),
    )


def downgrade() -> None:
    op.drop_index("uq_config_templates_one_default", table_name="config_templates")
    op.drop_index("ix_config_templates_shared", table_name="config_templates")
    op.drop_table("config_templates")
    op.drop_index("ix_comparisons_name", table_name="comparisons")
    op.drop_index("ix_comparisons_owner_created", table_name="comparisons")
    op.drop_table("comparisons")
    op.drop_table("schedule_results")
    op.drop_index("ix_schedules_name", table_name="schedules")
    op.drop_index("ix_schedules_strategy", table_name="schedules")
    op.drop_index("ix_schedules_status", table_name="schedules")
    op.drop_index("ix_schedules_owner_created", table_name="schedules")
    op.drop_table("schedules")
    op.drop_table("users")
