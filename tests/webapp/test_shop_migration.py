"""Migration 0002_shop: creates exactly the shop model tables (SQLite and Postgres), with
the seed's constraints, and its downgrade removes them again (leaving 0001's tables)."""

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
