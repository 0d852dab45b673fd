"""ids never reused: schedules, comparisons and config templates get SQLite AUTOINCREMENT

Revision ID: 0005_ids_never_reused
Revises: 0004_accounts_heartbeat
Create Date: 2026-11-30

Without ``AUTOINCREMENT`` SQLite hands out the highest id again once the row holding it is
deleted, so an old link (or a comparison) would open another schedule. SQLite cannot add the
keyword to a table: the three tables are rebuilt (rows, ids, indexes and foreign keys kept;
the migration runner switches SQLite's foreign-key enforcement off meanwhile, so the rebuild
does not cascade into ``schedule_results``). The highest id in use seeds ``sqlite_sequence``.
Postgres sequences never reuse a value: nothing to do there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_ids_never_reused"
down_revision = "0004_accounts_heartbeat"
branch_labels = None
depends_on = None

TABLES = ("schedules", "comparisons", "config_templates")


def _rebuild(autoincrement: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass
        if autoincrement:  # continue after the highest id in use
            top = bind.execute(sa.text(f"SELECT max(id) FROM {table}")).scalar()
            if top is not None:
                bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :t"), {"t": table})
                bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:t, :s)"), {"t": table, "s": top})


def upgrade() -> None:
    _rebuild(True)


def downgrade() -> None:
    _rebuild(False)
