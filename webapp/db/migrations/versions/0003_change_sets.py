"""pins instead of whole-queue positions, accepted change sets (undo), scenario change sets

Revision ID: 0003_change_sets
Revises: 0002_shop
Create Date: 2026-11-30

* ``shop_pins``: the planner's sequence pins (operation ``before`` must end before ``after``
  starts, on one work center). The old ``operations.manual_position`` (a fixed position for
  every operation of a reordered work center) becomes a chain of pins between consecutive
  positions, then the column goes.
* ``shop_change_sets``: each accepted change set with the shop as it was before (problem
  JSON), the plan it produced and the plan it replaced, so the last one can be undone.
* ``shop_scenarios.change_set``: a scenario's own changes, re-applied onto the current shop
  when it is promoted.
* ``plants.time_zone``: the IANA zone of the plant's wall clock (empty: the deployment's).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003_change_sets"
down_revision = "0002_shop"
branch_labels = None
depends_on = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _fk(column: str, target: str, name: str, *, ondelete: str = "CASCADE", nullable: bool = False):
    return sa.Column(column, sa.Integer(), sa.ForeignKey(target, name=name, ondelete=ondelete), nullable=nullable)


def upgrade() -> None:
    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT id, organisation_id, work_center_id, manual_position FROM operations "
        "WHERE manual_position IS NOT NULL ORDER BY organisation_id, work_center_id, manual_position, id"
    )).fetchall()
    pins, previous = [], None
    for row in rows:
        if previous is not None and (previous.organisation_id, previous.work_center_id) == (
            row.organisation_id, row.work_center_id
        ):
            pins.append({"org": row.organisation_id, "a": previous.id, "b": row.id})
        previous = row
    # drop the column before the pins exist: SQLite's batch mode rebuilds "operations", and
    # dropping the old table would cascade to rows referencing it
    with op.batch_alter_table("operations") as batch:
        batch.drop_column("manual_position")
    op.create_table(
        "shop_pins",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("organisation_id", "organisations.id", "fk_shop_pins_org"),
        _fk("before_operation_id", "operations.id", "fk_shop_pins_before"),
        _fk("after_operation_id", "operations.id", "fk_shop_pins_after"),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("before_operation_id", "after_operation_id", name="uq_shop_pins_pair"),
        sa.CheckConstraint("before_operation_id <> after_operation_id", name="ck_shop_pins_distinct"),
    )
    op.create_index("ix_shop_pins_org", "shop_pins", ["organisation_id"])
    for pin in pins:
        bind.execute(sa.text(
            "INSERT INTO shop_pins (organisation_id, before_operation_id, after_operation_id, created_at) "
            "VALUES (:org, :a, :b, CURRENT_TIMESTAMP)"
        ), pin)

    op.create_table(
        "shop_change_sets",
        sa.Column("id", sa.Integer(), primary_key=True),
        _fk("organisation_id", "organisations.id", "fk_shop_change_sets_org"),
        _fk("owner_id", "users.id", "fk_shop_change_sets_owner"),
        sa.Column("summary", sa.String(500), nullable=False),
        sa.Column("changes", JSONType, nullable=False),
        sa.Column("before", JSONType, nullable=False),
        _fk("plan_id", "shop_plans.id", "fk_shop_change_sets_plan", ondelete="SET NULL", nullable=True),
        _fk("previous_plan_id", "shop_plans.id", "fk_shop_change_sets_previous", ondelete="SET NULL", nullable=True),
        sa.Column("undone_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_shop_change_sets_org_created", "shop_change_sets", ["organisation_id", "created_at"])
    with op.batch_alter_table("shop_scenarios") as batch:
        batch.add_column(sa.Column("change_set", JSONType, nullable=False, server_default="[]"))
    with op.batch_alter_table("plants") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plants") as batch:
        batch.drop_column("time_zone")
    with op.batch_alter_table("shop_scenarios") as batch:
        batch.drop_column("change_set")
    op.drop_index("ix_shop_change_sets_org_created", table_name="shop_change_sets")
    op.drop_table("shop_change_sets")
    with op.batch_alter_table("operations") as batch:
        batch.add_column(sa.Column("manual_position", sa.Integer(), nullable=True))
    bind = op.get_bind()
    # each pin chain becomes positions again (in the order the pins link the operations)
    pins = bind.execute(sa.text("SELECT before_operation_id, after_operation_id FROM shop_pins ORDER BY id")).fetchall()
    after = {a: b for a, b in pins}
    heads = set(after) - set(after.values())
    for head in heads:
        position, node, seen = 1, head, set()
        while node is not None and node not in seen:
            seen.add(node)
            bind.execute(sa.text("UPDATE operations SET manual_position = :p WHERE id = :i"), {"p": position, "i": node})
            position, node = position + 1, after.get(node)
    op.drop_index("ix_shop_pins_org", table_name="shop_pins")
    op.drop_table("shop_pins")
