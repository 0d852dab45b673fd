"""The hand-written migrations create exactly the model tables, on SQLite and Postgres,
and downgrade cleanly."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

from webapp.db import models  # noqa: F401  (tables on the metadata)
from webapp.db.engine import create_engine_from_url, init_db, session_scope, upgrade_to_head
from webapp.db.migrations import current_revision, downgrade, head_revision, upgrade
from webapp.db.shop_models import SHOP_TABLES

TABLES = {"users", "login_failures", "schedules", "schedule_results", "comparisons", "config_templates", *SHOP_TABLES}


def _tables(engine) -> set[str]:
    with engine.connect() as conn:
        return set(sa.inspect(conn).get_table_names()) - {"alembic_version"}


def test_upgrade_matches_models_and_downgrade_removes_all(raw_engine):
    assert _tables(raw_engine) == set()
    upgrade(raw_engine, "head")
    assert current_revision(raw_engine) == head_revision()
    assert _tables(raw_engine) == TABLES
    with raw_engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
    assert diff == []
    with raw_engine.connect() as conn:
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("schedules")}
    assert {
        "ix_schedules_owner_created",
        "ix_schedules_status",
        "ix_schedules_strategy",
        "ix_schedules_name",
    } <= indexes

    downgrade(raw_engine, "base")
    assert _tables(raw_engine) == set()
    assert current_revision(raw_engine) is None

    # and up again, twice (idempotent)
    init_db(raw_engine)
    init_db(raw_engine)
    assert _tables(raw_engine) == TABLES


def test_upgrade_to_head_by_url_keeps_data(db_url):
    upgrade_to_head(db_url)
    engine = create_engine_from_url(db_url)
    try:
        with session_scope(engine) as s:
            s.execute(
                sa.text(
                    "INSERT INTO users (username, email, name, password_hash, role, active, "
                    "created_at, failed_logins, approval, token_version) VALUES ('u1', '', '', "
                    "'h', 'admin', :t, CURRENT_TIMESTAMP, 0, 'approved', 0)"
                ),
                {"t": True},
            )
        upgrade_to_head(db_url)  # a restart: nothing to do, data kept
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM users")).scalar_one() == 1
    finally:
        engine.dispose()


def test_0004_keeps_existing_accounts_approved(raw_engine):
    upgrade(raw_engine, "0003_change_sets")
    with session_scope(raw_engine) as s:
        s.execute(
            sa.text(
                "INSERT INTO users (username, email, name, password_hash, role, active, "
                "created_at, failed_logins) VALUES ('old', '', '', 'h', 'planner', :t, "
                "CURRENT_TIMESTAMP, 0)"
            ),
            {"t": True},
        )
    upgrade(raw_engine, "head")
    with raw_engine.connect() as conn:
        row = conn.execute(sa.text("SELECT approval, token_version FROM users")).one()
    assert tuple(row) == ("approved", 0)


def test_sqlite_pragmas(tmp_path):
    engine = create_engine_from_url(f"sqlite:///{tmp_path / 'sub' / 'x.sqlite3'}")
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    finally:
        engine.dispose()
    assert (tmp_path / "sub" / "x.sqlite3").exists()


def _old_user(s) -> None:
    """User 1 as the migrations from 0004 on store it."""
    s.execute(
        sa.text(
            "INSERT INTO users (id, username, email, name, password_hash, role, active, created_at, "
            "failed_logins, approval, token_version) VALUES (1, 'old', '', '', 'h', 'planner', :t, "
            "CURRENT_TIMESTAMP, 0, 'approved', 0)"
        ),
        {"t": True},
    )


def test_0005_keeps_rows_and_ids_and_stops_reuse(raw_engine):
    upgrade(raw_engine, "0004_accounts_heartbeat")
    with session_scope(raw_engine) as s:
        _old_user(s)
        for sid in (1, 2, 3):
            s.execute(
                sa.text(
                    "INSERT INTO schedules (owner_id, name, problem_kind, status, strategy, config, "
                    "input_data, created_at) VALUES (1, :n, 'filling', 'completed', 'best', '{}', '[]', "
                    "CURRENT_TIMESTAMP)"
                ),
                {"n": f"s{sid}"},
            )
        s.execute(
            sa.text(
                "INSERT INTO schedule_results (id, schedule_id, makespan_h, proven_optimal, blocks, "
                "changeovers, changeover_h, fill_h, clean_h, utilisation, lots, runtime_s, solver_status, "
                "activities, created_at) VALUES (5, 3, 12.5, :f, 1, 0, 0, 10, 0, 0.8, 2, 0.1, '', '[]', "
                "CURRENT_TIMESTAMP)"
            ),
            {"f": False},
        )
        s.execute(
            sa.text(
                "INSERT INTO comparisons (owner_id, name, input_data, config, strategies, runs, created_at) "
                "VALUES (1, 'c', '[]', '{}', '[]', '{}', CURRENT_TIMESTAMP)"
            )
        )
    upgrade(raw_engine, "head")
    with raw_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT id, name FROM schedules ORDER BY id")).all() == [(1, "s1"), (2, "s2"), (3, "s3")]
        assert conn.execute(sa.text("SELECT id, schedule_id, makespan_h FROM schedule_results")).all() == [
            (5, 3, 12.5)
        ]
        assert conn.execute(sa.text("SELECT id FROM comparisons")).all() == [(1,)]
        indexes = {i["name"] for i in sa.inspect(conn).get_indexes("config_templates")}
        fks = sa.inspect(conn).get_foreign_keys("schedule_results")
    assert "uq_config_templates_one_default" in indexes
    assert fks[0]["referred_table"] == "schedules"
    with session_scope(raw_engine) as s:  # the last schedule goes; the next one does not get its id
        s.execute(sa.text("DELETE FROM schedules WHERE id = 3"))
        s.execute(
            sa.text(
                "INSERT INTO schedules (owner_id, name, problem_kind, status, strategy, config, input_data, "
                "created_at) VALUES (1, 'new', 'filling', 'pending', 'best', '{}', '[]', CURRENT_TIMESTAMP)"
            )
        )
    with raw_engine.connect() as conn:
        assert conn.execute(sa.text("SELECT max(id) FROM schedules")).scalar_one() == 4
        assert conn.execute(sa.text("SELECT count(*) FROM schedule_results")).scalar_one() == 0  # cascade still on
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
            sql = conn.execute(sa.text("SELECT sql FROM sqlite_master WHERE name = 'schedules'")).scalar_one()
            assert "AUTOINCREMENT" in sql
            one_default = conn.execute(
                sa.text("SELECT sql FROM sqlite_master WHERE name = 'uq_config_templates_one_default'")
            ).scalar_one()
            assert one_default.endswith("WHERE is_default")  # the rebuild kept the partial index


def test_0006_adds_due_kpis_as_null_for_stored_results(raw_engine):
    upgrade(raw_engine, "0005_ids_never_reused")
    with session_scope(raw_engine) as s:
        _old_user(s)
        s.execute(
            sa.text(
                "INSERT INTO schedules (id, owner_id, name, problem_kind, status, strategy, config, input_data, "
                "created_at) VALUES (1, 1, 's', 'filling', 'completed', 'best', '{}', '[]', CURRENT_TIMESTAMP)"
            )
        )
        s.execute(
            sa.text(
                "INSERT INTO schedule_results (id, schedule_id, makespan_h, proven_optimal, blocks, "
                "changeovers, changeover_h, fill_h, clean_h, utilisation, lots, runtime_s, solver_status, "
                "activities, created_at) VALUES (1, 1, 12.5, :f, 1, 0, 0, 10, 0, 0.8, 2, 0.1, '', '[]', "
                "CURRENT_TIMESTAMP)"
            ),
            {"f": False},
        )
    upgrade(raw_engine, "head")
    with raw_engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT makespan_h, late_lots, tardiness_h, weighted_tardiness_h, max_lateness_h FROM schedule_results"
        )).one()
    assert tuple(row) == (12.5, None, None, None, None)
    downgrade(raw_engine, "0005_ids_never_reused")
    with raw_engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("schedule_results")}
    assert "late_lots" not in columns and "makespan_h" in columns
