"""Migrations 0002_shop and 0003_change_sets: 0002 creates the shop tables (SQLite and
Postgres) with the seed's constraints, its downgrade removes them again (leaving 0001's
tables); at the head the schema equals the models. 0003 turns the old whole-queue manual
positions into pins (and back on downgrade)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from webapp.db import models  # noqa: F401  (tables on the metadata)
from webapp.db.migrations import current_revision, downgrade, upgrade
from webapp.db.shop_models import SHOP_TABLES

BASE_TABLES = {"users", "schedules", "schedule_results", "comparisons", "config_templates"}


def _tables(engine) -> set[str]:
    with engine.connect() as conn:
        return set(sa.inspect(conn).get_table_names()) - {"alembic_version"}


def test_shop_migration_up_down(raw_engine):
    upgrade(raw_engine, "0001_initial")
    assert _tables(raw_engine) == BASE_TABLES
    upgrade(raw_engine, "0002_shop")
    assert current_revision(raw_engine) == "0002_shop"
    assert set(SHOP_TABLES) - {"shop_pins", "shop_change_sets"} <= _tables(raw_engine)
    upgrade(raw_engine, "head")
    assert set(SHOP_TABLES) <= _tables(raw_engine)
    with raw_engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("work_orders")}
    assert diff == []
    assert {"ix_work_orders_priority", "ix_work_orders_dates", "ix_work_orders_org_status"} <= indexes

    downgrade(raw_engine, "0001_initial")
    assert _tables(raw_engine) == BASE_TABLES
    assert current_revision(raw_engine) == "0001_initial"
    upgrade(raw_engine, "head")
    assert set(SHOP_TABLES) <= _tables(raw_engine)


def test_check_constraints_enforced(engine):
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO organisations (id, code, name, created_at, updated_at) "
            "VALUES (1, 'o', 'O', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))
    insert = sa.text(
        "INSERT INTO work_orders (organisation_id, rn, quantity, priority_level, status, "
        "created_at, updated_at) VALUES (1, :rn, 1, :p, :s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
    )
    with engine.begin() as conn:
        conn.execute(insert, {"rn": "ok", "p": 1, "s": "pending"})
    for rn, p, s in (("bad-prio", 4, "pending"), ("bad-status", 2, "lost")):
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.execute(insert, {"rn": rn, "p": p, "s": s})
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert, {"rn": "ok", "p": 2, "s": "pending"})  # unique (org, rn)


def _insert(conn, table: str, **values) -> None:
    """Insert a row, stamping the timestamp columns the table has."""
    from datetime import datetime

    columns = {c["name"] for c in sa.inspect(conn).get_columns(table)}
    values.update({c: datetime(2026, 1, 1) for c in ("created_at", "updated_at") if c in columns})
    names = ", ".join(values)
    conn.execute(sa.text(f"INSERT INTO {table} ({names}) VALUES ({', '.join(':' + k for k in values)})"), values)  # noqa: S608


def _shop_rows(conn) -> None:
    """An organisation, a work center, a work order and four operations, three of them with
    the old manual positions 1..3 (in the order 3, 1, 2 of their ids)."""
    _insert(conn, "organisations", id=1, code="o", name="O")
    _insert(conn, "work_centers", id=1, organisation_id=1, code="TOK", name="Lathe", description="",
            capacity_hours_per_day=7.5, setup_time_minutes=0, is_active=True, status="available", shifts="S1",
            working_days="0,1,2,3,4")
    _insert(conn, "work_orders", id=1, organisation_id=1, rn="RN-1", quantity=1, priority_level=3, status="pending")
    for op_id, position in ((1, 2), (2, 3), (3, 1), (4, None)):
        _insert(conn, "operations", id=op_id, organisation_id=1, work_order_id=1, work_center_id=1, sequence=op_id,
                name="op", norma=60, quantity=1, quantity_completed=0, status="pending", manual_position=position,
                alternatives="")


def test_change_set_migration_turns_positions_into_pins_and_back(raw_engine):
    upgrade(raw_engine, "0002_shop")
    with raw_engine.begin() as conn:
        _shop_rows(conn)
    upgrade(raw_engine, "0003_change_sets")
    with raw_engine.connect() as conn:
        pins = conn.execute(sa.text(
            "SELECT before_operation_id, after_operation_id FROM shop_pins ORDER BY id")).all()
        columns = {c["name"] for c in sa.inspect(conn).get_columns("operations")}
        scenario_columns = {c["name"] for c in sa.inspect(conn).get_columns("shop_scenarios")}
    assert [tuple(p) for p in pins] == [(3, 1), (1, 2)]  # positions 1 -> 2 -> 3
    assert "manual_position" not in columns and "change_set" in scenario_columns
    downgrade(raw_engine, "0002_shop")
    with raw_engine.connect() as conn:
        back = dict(conn.execute(sa.text("SELECT id, manual_position FROM operations")).all())
    assert back == {1: 2, 2: 3, 3: 1, 4: None}
