"""due-date KPIs of filling results

Revision ID: 0006_due_kpis
Revises: 0005_ids_never_reused
Create Date: 2026-11-30

``schedule_results`` gets the due-date KPIs of DESIGN.md §1: ``late_lots``, ``tardiness_h``,
``weighted_tardiness_h`` and ``max_lateness_h``. Results stored before have ``NULL`` there:
they were planned before due dates counted, so their lateness was never measured (the pages
show "–", not a zero that would claim every lot on time).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_due_kpis"
down_revision = "0005_ids_never_reused"
branch_labels = None
depends_on = None

COLUMNS = (
    ("late_lots", sa.Integer),
    ("tardiness_h", sa.Float),
    ("weighted_tardiness_h", sa.Float),
    ("max_lateness_h", sa.Float),
)


def upgrade() -> None:
    with op.batch_alter_table("schedule_results") as batch:
        for name, kind in COLUMNS:
            batch.add_column(sa.Column(name, kind(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("schedule_results") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
