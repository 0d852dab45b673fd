"""Concurrent users: each creates schedules and comparisons at the same time.

10 users x 2 runs on Postgres (a fresh schema per test, like tests/webapp/conftest.py) and
4 users x 2 runs on SQLite in WAL mode. A run = one schedule (``run_filling_schedule``) and
one comparison of two strategies (``run_comparison``), all threads released together by a
barrier. Afterwards: every schedule is stored exactly once with its own result (the lots
of the user who created it), no user sees another's schedules or comparisons, and every
thread finished (joined with a time-out: a deadlock fails the test instead of hanging).
"""

from __future__ import annotations

import os
import sys
import threading
import uuid
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import bcrypt
import pytest
import sqlalchemy as sa

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:  # the webapp package (see tests/webapp/conftest.py)
    sys.path.insert(0, _ROOT)

from scheduler_core.filling import FillingConfig, Lot  # noqa: E402
from webapp.db.engine import create_engine_from_url, init_db, session_scope  # noqa: E402
from webapp.db.repos import users as user_repo  # noqa: E402
from webapp.filling import history as fill_history  # noqa: E402
from webapp.filling import runs as fill_runs  # noqa: E402
from webapp.settings import normalise_database_url  # noqa: E402

pytestmark = pytest.mark.timeout(240)

RUNS = 2
COMPARED = ["smart-pack", "lpt-pack"]
JOIN_TIMEOUT_S = 180
HASH = bcrypt.hashpw(b"correct-horse-42", bcrypt.gensalt(rounds=4)).decode()


def _lots(user: int, run: int) -> list[Lot]:
    """Small, distinct input per user and run (ids and vial counts tell them apart)."""
    return [
        Lot(f"U{user}-R{run}-L{k}", "AB"[k % 2], 20_000 + 1_000 * user + 10 * run + k)
        for k in range(6)
    ]


def _users(engine, n: int) -> list[int]:
    ids = []
    with session_scope(engine) as session:
        for i in range(n):
            user = user_repo.create_user(session, username=f"user{i}", password_hash=HASH, role="planner")
            session.flush()
            ids.append(user.id)
    return ids


def _hammer(engine, n_users: int) -> None:
    user_ids = _users(engine, n_users)
    cfg = FillingConfig(start_time=datetime(2026, 12, 1, 6))
    barrier = threading.Barrier(n_users)
    errors: list[BaseException] = []
    made: dict[int, dict[str, list[int]]] = {i: {"schedules": [], "comparisons": []} for i in range(n_users)}

    def work(i: int) -> None:
        try:
            barrier.wait(timeout=60)
            for r in range(RUNS):
                sid = fill_runs.run_filling_schedule(engine, user=user_ids[i], name=f"user{i} run{r}", lots=_lots(i, r), config=replace(cfg, strategy="smart-pack"))
                made[i]["schedules"].append(sid)
                cid = fill_runs.run_comparison(
                    engine, user=user_ids[i], name=f"user{i} cmp{r}", lots=_lots(i, r),
                    config=cfg, strategies=COMPARED,
                )
                made[i]["comparisons"].append(cid)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,), name=f"user{i}", daemon=True)
               for i in range(n_users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=JOIN_TIMEOUT_S)
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"threads did not finish (deadlock?): {stuck}"
    assert not errors, errors

    per_user = RUNS * (1 + len(COMPARED))
    with engine.connect() as conn:
        n_schedules = conn.execute(sa.text("SELECT count(*) FROM schedules")).scalar_one()
        n_results = conn.execute(sa.text("SELECT count(*) FROM schedule_results")).scalar_one()
        dup_results = conn.execute(sa.text(
            "SELECT count(*) FROM (SELECT schedule_id FROM schedule_results "
            "GROUP BY schedule_id HAVING count(*) > 1) d")).scalar_one()
        statuses = dict(conn.execute(sa.text(
            "SELECT status, count(*) FROM schedules GROUP BY status")).all())
    assert n_schedules == n_users * per_user
    assert n_results == n_schedules and dup_results == 0
    assert statuses == {"completed": n_schedules}

    all_ids = {sid for m in made.values() for sid in m["schedules"]}
    for i, uid in enumerate(user_ids):
        page, results = fill_history.list_schedules(engine, user=uid, limit=100)
        assert len(page.items) == per_user
        assert {s.owner_id for s in page.items} == {uid}
        assert len(results) == per_user
        for sid in made[i]["schedules"]:
            stored = fill_history.get_schedule(engine, user=uid, schedule_id=sid)
            assert stored is not None and stored.result is not None
            run = int(stored.schedule.name.rsplit("run", 1)[1])
            assert stored.schedule.name == f"user{i} run{run}"
            expected = {(lot.lot_id, lot.vials) for lot in _lots(i, run)}
            assert {(lot.lot_id, lot.vials) for lot in stored.result.lots} == expected
            filled = {a.lot_id for a in stored.result.activities if a.lot_id}
            assert filled == {lot_id for lot_id, _ in expected}  # its own result, no cross-talk
        for cid in made[i]["comparisons"]:
            got = fill_history.get_comparison(engine, user=uid, comparison_id=cid)
            assert got is not None
            comparison, runs = got
            assert set(runs) == set(COMPARED)
            for stored in runs.values():
                assert stored is not None and stored.schedule.owner_id == uid
                assert all(lot.lot_id.startswith(f"U{i}-") for lot in stored.result.lots)
        # another user's ids reveal nothing
        other = user_ids[(i + 1) % len(user_ids)]
        if other != uid:
            for sid in made[i]["schedules"]:
                assert fill_history.get_schedule(engine, user=other, schedule_id=sid) is None
            for cid in made[i]["comparisons"]:
                assert fill_history.get_comparison(engine, user=other, comparison_id=cid) is None
    assert len(all_ids) == n_users * RUNS


@pytest.mark.postgres
def test_ten_users_on_postgres():
    url = os.environ.get("TEST_DATABASE_URL", "").strip()
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set")
    base = normalise_database_url(url)
    schema = f"pss_rel_{os.getpid()}_{uuid.uuid4().hex[:10]}"
    admin = create_engine_from_url(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = create_engine_from_url(
        sa.engine.make_url(base)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        init_db(engine)
        _hammer(engine, 10)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def test_four_users_on_sqlite_wal(tmp_path):
    engine = create_engine_from_url(f"sqlite:///{tmp_path / 'studio.sqlite3'}")
    try:
        init_db(engine)
        with engine.connect() as conn:
            assert conn.execute(sa.text("PRAGMA journal_mode")).scalar_one().lower() == "wal"
        _hammer(engine, 4)
    finally:
        engine.dispose()
