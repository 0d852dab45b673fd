"""due-date KPIs of a filling result: late lots, tardiness, weighted tardiness, max lateness

Revision ID: 0006_due_kpis
Revises: 0005_ids_never_reused
Create Date: 2026-11-30

Results stored before lots had due dates keep ``NULL`` here; they are read as "no late lot"
(their activities carry no due date either).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_due_kpis"
down_revision = "0005_ids_never_reused"
branch_labels = None
depends_on = None

COLUMNS = (
    ("late_lots", sa.Integer()),
    ("tardiness_h", sa.Float()),
    ("weighted_tardiness_h", sa.Float()),
    ("max_lateness_h", sa.Float()),
)


def upgrade() -> None:
    with op.batch_alter_table("schedule_results") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("schedule_results") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
