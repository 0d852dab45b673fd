"""accounts of a shared deployment (approval, cookie version, lock-out per client) and the
heartbeat of running schedules

Revision ID: 0004_accounts_heartbeat
Revises: 0003_change_sets
Create Date: 2026-12-07

* ``users.approval``: ``approved`` / ``pending`` / ``rejected`` (existing accounts: approved).
* ``users.token_version``: part of the signed re-login cookie; bumped on logout and password
  change, so a copied cookie stops working.
* ``login_failures``: consecutive failed logins per (user, client) and that pair's lock.
* ``schedules.heartbeat_at``: the last sign of life of a running schedule.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_accounts_heartbeat"
down_revision = "0003_change_sets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("approval", sa.String(16), nullable=False, server_default="approved"))
        batch.add_column(sa.Column("token_version", sa.Integer(), nullable=False, server_default="0"))
    # the models carry no server defaults: drop them once the existing rows are filled
    with op.batch_alter_table("users") as batch:
        batch.alter_column("approval", server_default=None)
        batch.alter_column("token_version", server_default=None)
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id",
            sa.Integer(),
            sa.ForeignKey("users.id", name="fk_login_failures_user", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.Column("last_failure_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("user_id", "client", name="uq_login_failures_user_client"),
    )
    with op.batch_alter_table("schedules") as batch:
        batch.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("schedules") as batch:
        batch.drop_column("heartbeat_at")
    op.drop_table("login_failures")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("token_version")
        batch.drop_column("approval")
