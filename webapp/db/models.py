"""SQLModel tables. The Alembic migrations in ``migrations/versions`` create exactly these.

All timestamps are naive UTC (``utcnow()``), the same on SQLite and Postgres. JSON columns
are ``JSON`` on SQLite and ``JSONB`` on Postgres.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    """Current time as naive UTC (how every timestamp is stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Role(StrEnum):
    """A user's role: ``admin`` (users and plans), ``planner`` (plans), ``viewer`` (looks)."""
    ADMIN = "admin"
    PLANNER = "planner"
    VIEWER = "viewer"


class Approval(StrEnum):
    """Whether an account may log in: ``approved``, or (registration by approval) ``pending``
    until an admin approves it, or ``rejected``."""
    APPROVED = "approved"
    PENDING = "pending"
    REJECTED = "rejected"


class ProblemKind(StrEnum):
    """Which problem a schedule belongs to."""
    FILLING = "filling"
    SHOP = "shop"


class ScheduleStatus(StrEnum):
    """The life of a run: pending -> running -> completed or failed."""
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"


def _ts(*, nullable: bool = False) -> Any:
    if nullable:
        return Field(default=None, sa_type=sa.DateTime(), nullable=True)
    return Field(default_factory=utcnow, sa_type=sa.DateTime(), nullable=False)


def _json_field(*, nullable: bool = False, default: Any = None) -> Any:
    if default is None and not nullable:
        default = {}
    factory = (lambda: type(default)()) if isinstance(default, dict | list) else None
    if factory is not None:
        return Field(default_factory=factory, sa_column=sa.Column(JSONType, nullable=nullable))
    return Field(default=default, sa_column=sa.Column(JSONType, nullable=nullable))


class User(SQLModel, table=True):
    """An account: username (unique, lower-case), bcrypt hash, role, active flag, approval
    state, the version of its re-login cookies (bumped on logout and password change) and
    the global lock-out of the username (failures from every client)."""
    __tablename__ = "users"
    __table_args__ = (sa.UniqueConstraint("username", name="uq_users_username"),)

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64)
    email: str = Field(default="", max_length=255)
    name: str = Field(default="", max_length=255)
    password_hash: str = Field(max_length=255)
    role: str = Field(default=Role.PLANNER.value, max_length=16)
    active: bool = Field(default=True)
    created_at: datetime = _ts()
    last_login_at: datetime | None = _ts(nullable=True)
    failed_logins: int = Field(default=0)
    locked_until: datetime | None = _ts(nullable=True)
    approval: str = Field(default=Approval.APPROVED.value, max_length=16)
    token_version: int = Field(default=0)


class LoginFailure(SQLModel, table=True):
    """Consecutive failed logins of one user from one client (IP address) and the lock of
    that pair; a successful login from the client removes the row."""
    __tablename__ = "login_failures"
    __table_args__ = (sa.UniqueConstraint("user_id", "client", name="uq_login_failures_user_client"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("users.id", name="fk_login_failures_user", ondelete="CASCADE"),
            nullable=False,
        )
    )
    client: str = Field(max_length=64)
    failures: int = Field(default=0)
    locked_until: datetime | None = _ts(nullable=True)
    last_failure_at: datetime = _ts()


class Schedule(SQLModel, table=True):
    """A planning run of a user: name, strategy, config and lots (JSON), status and times
    (naive UTC), the error text when it failed.
    """
    __tablename__ = "schedules"
    __table_args__ = (
        sa.Index("ix_schedules_owner_created", "owner_id", "created_at"),
        sa.Index("ix_schedules_status", "status"),
        sa.Index("ix_schedules_strategy", "strategy"),
        sa.Index("ix_schedules_name", "name"),
        {"sqlite_autoincrement": True},  # a deleted id is never handed out again
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("users.id", name="fk_schedules_owner", ondelete="CASCADE"),
            nullable=False,
        )
    )
    name: str = Field(max_length=255)
    problem_kind: str = Field(default=ProblemKind.FILLING.value, max_length=16)
    status: str = Field(default=ScheduleStatus.PENDING.value, max_length=16)
    strategy: str = Field(max_length=64)
    config: dict = _json_field()
    input_data: list = _json_field(default=[])
    file_name: str | None = Field(default=None, max_length=255)
    created_at: datetime = _ts()
    started_at: datetime | None = _ts(nullable=True)
    finished_at: datetime | None = _ts(nullable=True)
    #: last sign of life of a running schedule (naive UTC); start-up recovery fails stale ones
    heartbeat_at: datetime | None = _ts(nullable=True)
    error_message: str | None = Field(default=None, sa_column=sa.Column(sa.Text, nullable=True))


class ScheduleResultRow(SQLModel, table=True):
    """The result of a completed schedule: KPI columns (hours, counts) and the activities
    (JSON, plant-local ISO times).
    """
    __tablename__ = "schedule_results"
    __table_args__ = (sa.UniqueConstraint("schedule_id", name="uq_schedule_results_schedule"),)

    id: int | None = Field(default=None, primary_key=True)
    schedule_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("schedules.id", name="fk_schedule_results_schedule", ondelete="CASCADE"),
            nullable=False,
        )
    )
    makespan_h: float
    lower_bound_h: float | None = Field(default=None)
    gap_pct: float | None = Field(default=None)
    proven_optimal: bool = Field(default=False)
    blocks: int
    changeovers: int
    changeover_h: float
    fill_h: float
    clean_h: float = Field(default=0.0)
    utilisation: float
    lots: int
    runtime_s: float
    solver_status: str = Field(default="", max_length=128)
    #: Due-date KPIs (DESIGN.md §1); ``None`` on results stored before they were measured.
    late_lots: int | None = Field(default=None)
    tardiness_h: float | None = Field(default=None)
    weighted_tardiness_h: float | None = Field(default=None)
    max_lateness_h: float | None = Field(default=None)
    activities: list = _json_field(default=[])
    created_at: datetime = _ts()


class Comparison(SQLModel, table=True):
    """Several strategies run on one input: the lots and config (JSON), the strategies and
    per strategy the schedule, result, status and error.
    """
    __tablename__ = "comparisons"
    __table_args__ = (
        sa.Index("ix_comparisons_owner_created", "owner_id", "created_at"),
        sa.Index("ix_comparisons_name", "name"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("users.id", name="fk_comparisons_owner", ondelete="CASCADE"),
            nullable=False,
        )
    )
    name: str = Field(max_length=255)
    input_data: list = _json_field(default=[])
    file_name: str | None = Field(default=None, max_length=255)
    config: dict = _json_field()
    strategies: list = _json_field(default=[])
    #: ``{strategy: {"schedule_id": int, "result_id": int | None, "status": str}}``
    runs: dict = _json_field()
    created_at: datetime = _ts()


class ConfigTemplate(SQLModel, table=True):
    """A named line configuration of a user, private or shared, at most one the default."""
    __tablename__ = "config_templates"
    __table_args__ = (
        sa.UniqueConstraint("owner_id", "name", name="uq_config_templates_owner_name"),
        sa.Index("ix_config_templates_shared", "is_shared"),
        # at most one default template per user (partial unique index, SQLite and Postgres)
        sa.Index(
            "uq_config_templates_one_default",
            "owner_id",
            unique=True,
            sqlite_where=sa.text("is_default"),
            postgresql_where=sa.text("is_default"),
        ),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("users.id", name="fk_config_templates_owner", ondelete="CASCADE"),
            nullable=False,
        )
    )
    name: str = Field(max_length=255)
    description: str = Field(default="", sa_column=sa.Column(sa.Text, nullable=False))
    config: dict = _json_field()
    is_shared: bool = Field(default=False)
    is_default: bool = Field(default=False)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
