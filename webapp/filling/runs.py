"""Run filling strategies and store what they produce (schedules, results, comparisons).

:func:`run_filling_schedule` first waits for a free solver of this process
(``solves.solver_slot``: ``PSS_MAX_SOLVES`` at once, the caller's ``on_wait`` hears its
place in the queue), then stores a ``pending`` schedule, marks it ``running``, plans it
outside any transaction (with the caller's progress callback, which also writes the run's
heartbeat: ``filling.heartbeat``), then writes the result row and marks the schedule
``completed`` in **one** transaction — unless the schedule was marked ``failed`` meanwhile
(start-up recovery of a replica that took the run for dead): then it stays failed, nothing
is stored and ``RunFailed`` is raised. If anything fails after the
schedule row exists (the strategy raises, the progress callback raises, the result cannot be
stored), the schedule is marked ``failed`` with the error text, no result row exists, and
:class:`~webapp.errors.RunFailed` is raised. If even marking it failed is impossible (the
database went away), the run's own error is raised with a note saying so, the failure is
remembered, and the next run on that database writes it (:func:`record_pending_failures`);
``app_start.recover_stuck_runs`` covers a process that died. Problems found *before*
anything is stored (bad config, unknown strategy, no lots, a viewer) raise ``InputError`` or
``PermissionDenied`` and store nothing.

The lots and the config are validated once, here at the edge: a ``FillingProblem`` and a
``FillingConfig`` are built from what the page passes, and the planner trusts them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from scheduler_core.errors import raise_problems
from scheduler_core.filling import STRATEGIES, FillingConfig, FillingProblem, Lot, parse_lots, plan
from scheduler_core.filling.codec import config_from_json, config_to_json, lots_to_json
from scheduler_core.filling.model import lots_fit_window, matrix_unknown_types
from scheduler_core.progress import ProgressCallback, noop_progress, scaled
from webapp.access import acting_user
from webapp.db.engine import Db, unit_of_work
from webapp.db.models import ScheduleStatus, utcnow
from webapp.db.repos import comparisons as comparison_repo
from webapp.db.repos import schedules as schedule_repo
from webapp.db.repos.schedules import RunAlreadyFailed
from webapp.errors import InputError, RunFailed, describe_error
from webapp.filling.heartbeat import Heartbeat
from webapp.filling.mapping import result_to_row
from webapp.solves import OnWait, solver_slot
from webapp.views import ResultSummary

__all__ = ["STRATEGIES", "Lot", "read_lots", "record_pending_failures", "run_comparison", "run_filling_schedule"]

log = logging.getLogger(__name__)


def read_lots(data: bytes, filename: str) -> list[Lot]:
    """The lots of an uploaded CSV/Excel file. Raises ``InputError`` listing every bad row."""
    return parse_lots(data, filename=filename)


def run_config(config: FillingConfig | Mapping[str, Any] | None) -> FillingConfig:
    """The config that runs: ``config`` (a mapping is validated into a ``FillingConfig``)
    with a fixed start (now, rounded to the hour, when it has none), as it is stored.

    Raises:
        InputError: every bad key or value of a mapping.
    """
    if config is None:
        cfg = FillingConfig()
    elif isinstance(config, FillingConfig):
        cfg = config
    else:
        cfg = config_from_json(config)
    return replace(cfg, start_time=cfg.resolved_start())


#: Failures that could not be written (database unreachable), keyed by (database, schedule
#: id) -> (owner, error, when). Written by the next run once the database answers again.
_unrecorded: dict[tuple[str, int], tuple[int, str, datetime]] = {}
_unrecorded_lock = threading.Lock()


def _db_key(db: Db) -> str:
    return db.url.render_as_string(hide_password=True) if isinstance(db, Engine) else f"id:{id(db)}"


def _remember_failure(db: Db, owner_id: int, schedule_id: int, error: str) -> None:
    with _unrecorded_lock:
        _unrecorded[(_db_key(db), schedule_id)] = (owner_id, error, utcnow())


def record_pending_failures(db: Db) -> int:
    """Mark failed the runs of this database whose failure could not be stored; returns how
    many were written. Only a schedule still pending/running that started before the failure
    is touched. Best effort: what still cannot be written is kept for the next call."""
    key = _db_key(db)
    with _unrecorded_lock:
        pending = {sid: v for (k, sid), v in _unrecorded.items() if k == key}
    written = 0
    for schedule_id, (owner_id, error, when) in pending.items():
        try:
            with unit_of_work(db) as session:
                schedule = schedule_repo.get_schedule(session, owner_id=owner_id, schedule_id=schedule_id)
                if (
                    schedule is not None
                    and schedule.status in (ScheduleStatus.PENDING.value, ScheduleStatus.RUNNING.value)
                    and (schedule.started_at is None or schedule.started_at <= when)
                ):
                    schedule_repo.fail_schedule(session, owner_id=owner_id, schedule_id=schedule_id, error=error)
                    written += 1
        except Exception as exc:  # noqa: BLE001 - database still away: keep it for later
            log.info("could not record the failure of schedule %s yet: %s", schedule_id, exc)
            continue
        with _unrecorded_lock:
            _unrecorded.pop((key, schedule_id), None)
    return written


def check_run(lots: Sequence[Lot], config: FillingConfig | Mapping[str, Any] | None) -> list[str]:
    """Check that ``lots`` can be planned with ``config`` before anything is stored: every
    lot's fill fits the window. Returns the warnings (a changeover matrix naming a type no
    lot has, with the nearest real name).

    Raises:
        InputError: a bad config, bad lots or a lot longer than the window (row, column).
    """
    cfg, problem = _valid_input(lots, config)
    return [w.reason for w in matrix_unknown_types(problem, cfg)]


def _valid_input(lots: Sequence[Lot], config: FillingConfig | Mapping[str, Any] | None
                 ) -> tuple[FillingConfig, FillingProblem]:
    """The config and the problem, once every lot fits the window; raises ``InputError`` as
    :func:`check_run` (so nothing is stored for input that cannot run)."""
    cfg = run_config(config)
    problem = FillingProblem(lots)
    raise_problems(lots_fit_window(problem, cfg))
    return cfg, problem


def run_filling_schedule(
    db: Db,
    *,
    user: Any,
    name: str,
    lots: Sequence[Lot],
    config: FillingConfig | Mapping[str, Any] | None = None,
    file_name: str | None = None,
    progress: ProgressCallback | None = None,
    on_wait: OnWait | None = None,
) -> int:
    """Plan ``lots`` with ``config`` (its ``strategy``), store it; return the schedule id.
    While every solver of the process is busy the run waits; ``on_wait(ahead)`` hears how
    many runs wait before it.

    Raises:
        InputError, PermissionDenied: before anything is stored.
        RunFailed: the run failed and is stored as ``failed`` (see the module docstring).
    """
    cfg, problem = _valid_input(lots, config)  # refused before anything is stored
    with unit_of_work(db) as session:
        acting_user(session, user, write=True)  # a viewer is refused before queueing
    with solver_slot(on_wait):
        return _run(db, user=user, name=name, problem=problem, cfg=cfg, file_name=file_name, progress=progress)


def _run(
    db: Db,
    *,
    user: Any,
    name: str,
    problem: FillingProblem,
    cfg: FillingConfig,
    file_name: str | None,
    progress: ProgressCallback | None,
) -> int:
    """The stored run of :func:`run_filling_schedule`, holding a solver slot."""
    record_pending_failures(db)
    name = (name or "").strip() or f"{cfg.strategy} {utcnow():%Y-%m-%d %H:%M}"
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=True)
        schedule = schedule_repo.create_schedule(
            session,
            owner_id=owner.id,
            name=name[:255],
            strategy=cfg.strategy,
            config=config_to_json(cfg),
            input_data=lots_to_json(problem.lots),
            file_name=file_name[:255] if file_name else None,
        )
        owner_id, schedule_id = owner.id, schedule.id
    try:
        with unit_of_work(db) as session:
            schedule_repo.mark_schedule_running(session, owner_id=owner_id, schedule_id=schedule_id)
        beat = Heartbeat(db, owner_id=owner_id, schedule_id=schedule_id, progress=progress or noop_progress)
        with beat.kept_alive():
            result = plan(problem, cfg, progress=beat)
        row = result_to_row(result)
        with unit_of_work(db) as session:
            schedule_repo.complete_schedule(session, owner_id=owner_id, schedule_id=schedule_id, result=row)
    except RunAlreadyFailed as exc:  # failed by a replica's recovery: it stays as it is
        raise RunFailed(schedule_id, exc) from exc
    except BaseException as exc:
        try:
            with unit_of_work(db) as session:
                schedule_repo.fail_schedule(session, owner_id=owner_id, schedule_id=schedule_id, error=describe_error(exc))
        except Exception as store_exc:  # noqa: BLE001 - keep the original error visible
            exc.add_note(f"could not mark schedule {schedule_id} failed: {store_exc!r}")
            _remember_failure(db, owner_id, schedule_id, describe_error(exc))
            raise exc from None  # the run's own error (with the note), not the follow-up one
        if isinstance(exc, Exception):
            raise RunFailed(schedule_id, exc) from exc
        raise  # KeyboardInterrupt / SystemExit: stored as failed, then propagate as is
    return schedule_id


def run_comparison(
    db: Db,
    *,
    user: Any,
    name: str,
    lots: Sequence[Lot],
    config: FillingConfig | Mapping[str, Any] | None = None,
    strategies: Sequence[str] | None = None,
    file_name: str | None = None,
    progress: ProgressCallback | None = None,
    on_wait: OnWait | None = None,
) -> int:
    """Run several strategies (default: all) on the same input from one start time and save
    a comparison; returns its id.

    Each strategy is stored as its own schedule (+ result) through
    :func:`run_filling_schedule` (each waits for a free solver; ``on_wait`` hears the
    queue). A strategy that fails is recorded as ``failed`` in the
    comparison and the others still run. ``comparison.runs`` maps each strategy to
    ``{"schedule_id", "result_id", "status", "error", "kpis"}`` (``kpis``: a copy of the
    run's KPI summary, kept when the schedule is deleted).

    Raises:
        InputError: an unknown strategy, no strategy, bad lots or config (nothing stored).
        PermissionDenied: a viewer.
    """
    names = list(dict.fromkeys(strategies or STRATEGIES))
    if not names:
        raise InputError("choose at least one strategy")
    base, problem = _valid_input(lots, config)
    configs = {strategy: replace(base, strategy=strategy) for strategy in names}  # refuses unknown names
    with unit_of_work(db) as session:
        acting_user(session, user, write=True)
    name = (name or "").strip() or f"comparison {utcnow():%Y-%m-%d %H:%M}"
    report = progress or noop_progress
    runs: dict[str, dict[str, Any]] = {}
    for k, strategy in enumerate(names):
        sub = scaled(report, k / len(names), (k + 1) / len(names))
        try:
            schedule_id = run_filling_schedule(
                db,
                user=user,
                name=f"{name} · {strategy}"[:255],
                lots=problem.lots,
                config=configs[strategy],
                file_name=file_name,
                progress=lambda f, m, s=sub, n=strategy: s(f, f"{n}: {m}"),
                on_wait=on_wait,
            )
            runs[strategy] = {"schedule_id": schedule_id, "status": "completed", "error": None}
        except RunFailed as failed:
            runs[strategy] = {"schedule_id": failed.schedule_id, "status": "failed", "error": describe_error(failed.error)}
    with unit_of_work(db) as session:
        owner = acting_user(session, user, write=False)
        results = schedule_repo.get_results(
            session, owner_id=owner.id, schedule_ids=[r["schedule_id"] for r in runs.values()]
        )
        for info in runs.values():
            row = results.get(info["schedule_id"])
            info["result_id"] = row.id if row is not None else None
            # the comparison's own copy: deleting the schedule later never changes it
            info["kpis"] = ResultSummary.of(row, lots_to_json(problem.lots)).to_json() if row is not None else None
        comparison = comparison_repo.create_comparison(
            session,
            owner_id=owner.id,
            name=name[:255],
            input_data=lots_to_json(problem.lots),
            file_name=file_name[:255] if file_name else None,
            config=config_to_json(base),
            strategies=names,
            runs=runs,
        )
        return comparison.id
