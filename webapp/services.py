"""Service layer: run strategies from ``scheduler_core`` and persist what they produce.

Testable without Streamlit. Every function takes ``db`` — an :class:`~sqlalchemy.Engine`
or a zero-argument callable returning a unit-of-work context manager (such as
``lambda: session_scope(engine)``) — and the acting ``user`` (a :class:`User` row or
anything with ``id``; the role and the active flag are re-read from the database, so a
demotion takes effect at once).

Runs
----
:func:`run_filling_schedule` stores a ``pending`` schedule, marks it ``running``, calls
:func:`scheduler_core.filling.plan` outside any transaction (with the caller's progress
callback), then writes the result row and marks the schedule ``completed`` in **one**
transaction. If anything fails after the schedule row exists (the strategy raises, the
progress callback raises, the result cannot be stored), the schedule is marked ``failed``
with the error text, no result row exists, and :class:`RunFailed` is raised (it carries
``schedule_id`` and the original exception as ``__cause__``/``error``). If even marking
it failed is impossible (the database went away), the run's own error is raised with a
note saying so, and the schedule stays ``running`` until :func:`recover_stuck_runs` (at
the next start) marks it failed. Problems found
*before* anything is stored — a bad config mapping, an unknown strategy, no lots, a viewer
trying to run — raise :class:`~scheduler_core.errors.InputError` or
:class:`PermissionDenied` and store nothing.

Times: ``created_at`` & co. are naive UTC; activity times are the plant's local time as
the planner produced them (ISO strings in the JSON column).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from scheduler_core.errors import InputError
from scheduler_core.filling import (
    STRATEGIES,
    Activity,
    ActivityKind,
    FillingConfig,
    Kpis,
    Lot,
    ScheduleResult,
    parse_config,
    plan,
)
from scheduler_core.progress import ProgressCallback, noop_progress, scaled
from webapp.auth import PermissionDenied, can_create
from webapp.db import repositories as repo
from webapp.db.engine import Db, dispose_engine, get_engine, init_db, unit_of_work
from webapp.db.models import (
    Comparison,
    ConfigTemplate,
    Schedule,
    ScheduleResultRow,
    ScheduleStatus,
    User,
    utcnow,
)
from webapp.db.repositories import DuplicateName, NotFound, Page

__all__ = [
    "PROCESS_START",
    "DuplicateName",
    "NotFound",
    "PermissionDenied",
    "RunFailed",
    "StoredSchedule",
    "config_from_json",
    "config_to_json",
    "create_template",
    "delete_comparison",
    "delete_schedules",
    "delete_template",
    "duplicate_template",
    "get_comparison",
    "get_default_template",
    "get_schedule",
    "get_template",
    "init_app",
    "list_comparisons",
    "list_schedules",
    "list_templates",
    "lots_from_json",
    "lots_to_json",
    "recover_stuck_runs",
    "result_from_row",
    "result_to_row",
    "run_comparison",
    "run_filling_schedule",
    "set_default_template",
    "share_template",
    "template_config",
    "update_template",
    "validate_template_config",
]

#: When this process started (naive UTC); runs older than this cannot still be running here.
PROCESS_START: datetime = utcnow()

log = logging.getLogger(__name__)


class RunFailed(RuntimeError):
    """A stored run failed. The schedule ``schedule_id`` is ``failed`` with the error text."""

    def __init__(self, schedule_id: int, error: BaseException):
        self.schedule_id = schedule_id
        self.error = error
        super().__init__(f"schedule {schedule_id} failed: {describe_error(error)}")

    def lines(self) -> list[str]:
        """User-facing lines (one per input problem for an ``InputError``)."""
        if isinstance(self.error, InputError):
            return self.error.lines()
        return [describe_error(self.error)]


def describe_error(error: BaseException) -> str:
    if isinstance(error, InputError):
        return str(error)
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _uid(user: Any) -> int:
    uid = user if isinstance(user, int) else getattr(user, "id", None)
    if uid is None:
        raise PermissionDenied("not logged in")
    return int(uid)


def _acting_user(session: Session, user: Any, *, write: bool) -> User:
    row = repo.get_user(session, user_id=_uid(user))
    if row is None or not row.active:
        raise PermissionDenied("your account is not active")
    if write and not can_create(row):
        raise PermissionDenied("viewers cannot create, change or delete")
    return row


# ------------------------------------------------------------ JSON <-> domain objects


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _dt(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def lots_to_json(lots: Sequence[Lot]) -> list[dict[str, Any]]:
    return [
        {
            "lot_id": lot.lot_id,
            "lot_type": lot.lot_type,
            "vials": lot.vials,
            "priority": lot.priority,
            "due": _iso(lot.due),
            "row": lot.row,
        }
        for lot in lots
    ]


def lots_from_json(data: Sequence[dict[str, Any]]) -> list[Lot]:
    return [
        Lot(
            lot_id=str(item["lot_id"]),
            lot_type=str(item["lot_type"]),
            vials=int(item["vials"]),
            priority=item.get("priority"),
            due=_dt(item.get("due")),
            row=item.get("row"),
        )
        for item in data
    ]


def config_to_json(config: FillingConfig) -> dict[str, Any]:
    return config.to_dict()


def config_from_json(data: dict[str, Any] | None) -> FillingConfig:
    return parse_config(dict(data or {}))


def _activity_to_json(activity: Activity) -> dict[str, Any]:
    return {
        "kind": str(activity.kind),
        "block": activity.block,
        "start": activity.start.isoformat(),
        "end": activity.end.isoformat(),
        "lot_id": activity.lot_id,
        "lot_type": activity.lot_type,
        "vials": activity.vials,
    }


def _activity_from_json(item: dict[str, Any]) -> Activity:
    return Activity(
        kind=ActivityKind(item["kind"]),
        block=int(item["block"]),
        start=datetime.fromisoformat(item["start"]),
        end=datetime.fromisoformat(item["end"]),
        lot_id=item.get("lot_id"),
        lot_type=item.get("lot_type"),
        vials=item.get("vials"),
    )


def result_to_row(result: ScheduleResult) -> dict[str, Any]:
    """The :class:`ScheduleResultRow` columns for ``result`` (KPIs + activities JSON)."""
    k = result.kpis
    return {
        "makespan_h": float(k.makespan_h),
        "lower_bound_h": float(k.lower_bound_h),
        "gap_pct": float(k.gap_pct),
        "proven_optimal": bool(result.proven_optimal),
        "blocks": int(k.blocks),
        "changeovers": int(k.changeovers),
        "changeover_h": float(k.changeover_h),
        "fill_h": float(k.fill_h),
        "clean_h": float(k.clean_h),
        "utilisation": float(k.utilisation),
        "lots": int(k.lots),
        "runtime_s": float(result.runtime_s),
        "solver_status": str(result.solver_status)[:128],
        "activities": [_activity_to_json(a) for a in result.activities],
    }


def result_from_row(row: ScheduleResultRow, schedule: Schedule) -> ScheduleResult:
    """Rebuild the :class:`ScheduleResult` the pages and exports use from stored rows."""
    activities = tuple(_activity_from_json(a) for a in row.activities)
    blocks: dict[int, list[str]] = {}
    for a in activities:
        if a.kind == ActivityKind.FILL and a.lot_id is not None:
            blocks.setdefault(a.block, []).append(a.lot_id)
    kpis = Kpis(
        makespan_h=row.makespan_h,
        blocks=row.blocks,
        changeovers=row.changeovers,
        changeover_h=row.changeover_h,
        fill_h=row.fill_h,
        clean_h=row.clean_h,
        utilisation=row.utilisation,
        lots=row.lots,
        lower_bound_h=row.lower_bound_h if row.lower_bound_h is not None else 0.0,
        gap_pct=row.gap_pct if row.gap_pct is not None else 0.0,
    )
    return ScheduleResult(
        strategy=schedule.strategy,
        activities=activities,
        kpis=kpis,
        proven_optimal=row.proven_optimal,
        runtime_s=row.runtime_s,
        solver_status=row.solver_status,
        config=config_from_json(schedule.config),
        lots=tuple(lots_from_json(schedule.input_data)),
        blocks=tuple(tuple(blocks[b]) for b in sorted(blocks)),
    )


# --------------------------------------------------------------------------- runs


def _prepare_config(config: FillingConfig | dict | None, strategy: str | None) -> FillingConfig:
    if config is None:
        cfg = FillingConfig()
    elif isinstance(config, FillingConfig):
        cfg = config
    else:
        cfg = parse_config(config)
    name = strategy or cfg.strategy
    if name not in STRATEGIES:
        raise InputError(f"unknown strategy {name!r}; valid strategies: {', '.join(STRATEGIES)}")
    # the stored config is the one that ran: fixed start and the strategy used
    return replace(cfg, strategy=name, start_time=cfg.resolved_start())


#: Failures that could not be written (database unreachable), keyed by (database, schedule
#: id) -> (owner, error, when). Written by the next run once the database answers again, so
#: such a schedule does not stay ``running`` until the next app start.
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
                schedule = repo.get_schedule(session, owner_id=owner_id, schedule_id=schedule_id)
                if (
                    schedule is not None
                    and schedule.status in (ScheduleStatus.PENDING.value, ScheduleStatus.RUNNING.value)
                    and (schedule.started_at is None or schedule.started_at <= when)
                ):
                    repo.fail_schedule(session, owner_id=owner_id, schedule_id=schedule_id, error=error)
                    written += 1
        except Exception as exc:  # noqa: BLE001 - database still away: keep it for later
            log.info("could not record the failure of schedule %s yet: %s", schedule_id, exc)
            continue
        with _unrecorded_lock:
            _unrecorded.pop((key, schedule_id), None)
    return written


def run_filling_schedule(
    db: Db,
    *,
    user: Any,
    name: str,
    lots: Sequence[Lot],
    config: FillingConfig | dict | None = None,
    strategy: str | None = None,
    file_name: str | None = None,
    progress: ProgressCallback | None = None,
) -> int:
    """Plan ``lots`` with ``strategy`` (default: the config's), store it; return its id.

    See the module docstring for the transactions and the failure contract
    (:class:`RunFailed` after a stored failure; ``InputError``/``PermissionDenied`` before
    anything is stored).
    """
    cfg = _prepare_config(config, strategy)
    lots = list(lots)
    if not lots:
        raise InputError("no lots to schedule")
    record_pending_failures(db)
    name = (name or "").strip() or f"{cfg.strategy} {utcnow():%Y-%m-%d %H:%M}"
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=True)
        schedule = repo.create_schedule(
            session,
            owner_id=owner.id,
            name=name[:255],
            strategy=cfg.strategy,
            config=config_to_json(cfg),
            input_data=lots_to_json(lots),
            file_name=file_name[:255] if file_name else None,
        )
        owner_id, schedule_id = owner.id, schedule.id
    try:
        with unit_of_work(db) as session:
            repo.mark_schedule_running(session, owner_id=owner_id, schedule_id=schedule_id)
        result = plan(lots, cfg, cfg.strategy, progress or noop_progress)
        row = result_to_row(result)
        with unit_of_work(db) as session:
            repo.complete_schedule(session, owner_id=owner_id, schedule_id=schedule_id, result=row)
    except BaseException as exc:
        try:
            with unit_of_work(db) as session:
                repo.fail_schedule(
                    session, owner_id=owner_id, schedule_id=schedule_id, error=describe_error(exc)
                )
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
    config: FillingConfig | dict | None = None,
    strategies: Sequence[str] | None = None,
    file_name: str | None = None,
    progress: ProgressCallback | None = None,
) -> int:
    """Run several strategies (default: all) on the same input and save a comparison.

    Each strategy is stored as its own schedule (+ result) through
    :func:`run_filling_schedule`, all with the same start time. A strategy that fails is
    recorded as ``failed`` in the comparison and the others still run. The comparison row
    is saved at the end; returns its id. ``comparison.runs`` maps each strategy to
    ``{"schedule_id", "result_id", "status", "error"}``.
    """
    names = list(dict.fromkeys(strategies or STRATEGIES))
    for strategy in names:
        if strategy not in STRATEGIES:
            raise InputError(f"unknown strategy {strategy!r}; valid strategies: {', '.join(STRATEGIES)}")
    if not names:
        raise InputError("choose at least one strategy")
    base = _prepare_config(config, names[0])
    lots = list(lots)
    if not lots:
        raise InputError("no lots to schedule")
    with unit_of_work(db) as session:
        _acting_user(session, user, write=True)
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
                lots=lots,
                config=replace(base, strategy=strategy),
                strategy=strategy,
                file_name=file_name,
                progress=lambda f, m, s=sub, n=strategy: s(f, f"{n}: {m}"),
            )
            runs[strategy] = {"schedule_id": schedule_id, "status": "completed", "error": None}
        except RunFailed as failed:
            runs[strategy] = {
                "schedule_id": failed.schedule_id,
                "status": "failed",
                "error": describe_error(failed.error),
            }
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=False)
        results = repo.get_results(
            session, owner_id=owner.id, schedule_ids=[r["schedule_id"] for r in runs.values()]
        )
        for info in runs.values():
            row = results.get(info["schedule_id"])
            info["result_id"] = row.id if row is not None else None
        comparison = repo.create_comparison(
            session,
            owner_id=owner.id,
            name=name[:255],
            input_data=lots_to_json(lots),
            file_name=file_name[:255] if file_name else None,
            config=config_to_json(base),
            strategies=names,
            runs=runs,
        )
        return comparison.id


def recover_stuck_runs(
    db: Db, *, started_before: datetime | None = None, grace: timedelta | None = None
) -> int:
    """Mark ``pending``/``running`` schedules that began before ``started_before`` (default:
    :data:`PROCESS_START` minus ``grace``, default from settings) as failed. Call once at
    app start; returns how many were marked. With several replicas set a grace
    (``PSS_STUCK_RUN_GRACE_MIN``) longer than the longest run, so one replica's restart
    does not fail another replica's live run."""
    if started_before is None:
        if grace is None:
            from webapp.settings import get_settings

            grace = timedelta(minutes=get_settings().stuck_run_grace_min)
        started_before = PROCESS_START - grace
    with unit_of_work(db) as session:
        return repo.fail_stale_runs(
            session,
            started_before=started_before,
            error="interrupted: the app stopped while this schedule was being planned; run it again",
        )


_init_lock = threading.Lock()
_initialised: dict[str, Engine] = {}


def reset_process_state() -> None:
    """Forget settings, the engine and the start-up work, so the next call reads the
    environment again (tests and benchmarks that switch databases in one process)."""
    from webapp.settings import get_settings

    get_settings.cache_clear()
    dispose_engine()
    _initialised.clear()


def init_app(engine: Engine | None = None) -> Engine:
    """Start-up, once per process (later calls return at once): the engine from settings
    (or the given one), migrations to head, stuck runs marked failed. Returns the engine."""
    engine = engine if engine is not None else get_engine()
    key = engine.url.render_as_string(hide_password=False)
    with _init_lock:
        if key not in _initialised:
            init_db(engine)
            recover_stuck_runs(engine)
            _initialised[key] = engine
    return _initialised[key]


# ------------------------------------------------------------------ reading/deleting


@dataclass(frozen=True)
class StoredSchedule:
    """A schedule row with its rebuilt result (``None`` unless completed)."""

    schedule: Schedule
    result_row: ScheduleResultRow | None
    result: ScheduleResult | None


def get_schedule(db: Db, *, user: Any, schedule_id: int) -> StoredSchedule | None:
    """One of ``user``'s schedules with its result, or ``None`` (absent or not theirs)."""
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=False)
        schedule = repo.get_schedule(session, owner_id=owner.id, schedule_id=schedule_id)
        if schedule is None:
            return None
        row = repo.get_result(session, owner_id=owner.id, schedule_id=schedule_id)
    result = result_from_row(row, schedule) if row is not None else None
    return StoredSchedule(schedule=schedule, result_row=row, result=result)


def list_schedules(
    db: Db, *, user: Any, with_results: bool = True, **filters: Any
) -> tuple[Page[Schedule], dict[int, ScheduleResultRow]]:
    """A page of ``user``'s schedules (filters as :func:`repositories.list_schedules`) and,
    when ``with_results``, the KPI rows of the page's schedules keyed by schedule id."""
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=False)
        page = repo.list_schedules(session, owner_id=owner.id, **filters)
        results = (
            repo.get_results(session, owner_id=owner.id, schedule_ids=[s.id for s in page.items])
            if with_results
            else {}
        )
    return page, results


def delete_schedules(db: Db, *, user: Any, schedule_ids: Sequence[int]) -> int:
    """Delete some of ``user``'s schedules (others' ids are ignored). Viewers: denied."""
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=True)
        return repo.delete_schedules(session, owner_id=owner.id, schedule_ids=schedule_ids)


def get_comparison(
    db: Db, *, user: Any, comparison_id: int
) -> tuple[Comparison, dict[str, StoredSchedule | None]] | None:
    """One of ``user``'s comparisons with each strategy's stored schedule (``None`` when
    that schedule was deleted since)."""
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=False)
        comparison = repo.get_comparison(session, owner_id=owner.id, comparison_id=comparison_id)
        if comparison is None:
            return None
        ids = [r["schedule_id"] for r in comparison.runs.values()]
        rows = repo.get_results(session, owner_id=owner.id, schedule_ids=ids)
        schedules = {sid: repo.get_schedule(session, owner_id=owner.id, schedule_id=sid) for sid in ids}
    out: dict[str, StoredSchedule | None] = {}
    for strategy, info in comparison.runs.items():
        schedule = schedules.get(info["schedule_id"])
        if schedule is None:
            out[strategy] = None
            continue
        row = rows.get(schedule.id)
        result = result_from_row(row, schedule) if row is not None else None
        out[strategy] = StoredSchedule(schedule=schedule, result_row=row, result=result)
    return comparison, out


def list_comparisons(db: Db, *, user: Any, **filters: Any) -> Page[Comparison]:
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=False)
        return repo.list_comparisons(session, owner_id=owner.id, **filters)


def delete_comparison(db: Db, *, user: Any, comparison_id: int, delete_schedules_too: bool = False) -> bool:
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=True)
        return repo.delete_comparison(
            session,
            owner_id=owner.id,
            comparison_id=comparison_id,
            delete_schedules_too=delete_schedules_too,
        )


# ---------------------------------------------------------------------- templates


def validate_template_config(config: dict | bytes | str | FillingConfig) -> dict[str, Any]:
    """Validate a config (mapping, or YAML/JSON text/bytes) with ``parse_config``; return
    its normalised JSON form. Raises ``InputError`` listing every problem."""
    if isinstance(config, FillingConfig):
        return config_to_json(config)
    if isinstance(config, str):
        config = config.encode("utf-8")
    return config_to_json(parse_config(config))


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise InputError("a template needs a name")
    if len(name) > 255:
        raise InputError("template names are at most 255 characters")
    return name


def create_template(
    db: Db,
    *,
    user: Any,
    name: str,
    config: dict | bytes | str | FillingConfig,
    description: str = "",
    is_shared: bool = False,
    is_default: bool = False,
) -> int:
    """Validate and store a template; returns its id. ``DuplicateName`` if the name is
    taken among the user's templates."""
    name = _clean_name(name)
    data = validate_template_config(config)
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=True)
        template = repo.create_template(
            session,
            owner_id=owner.id,
            name=name,
            description=description or "",
            config=data,
            is_shared=is_shared,
            is_default=is_default,
        )
        return template.id


def update_template(
    db: Db,
    *,
    user: Any,
    template_id: int,
    name: str | None = None,
    description: str | None = None,
    config: dict | bytes | str | FillingConfig | None = None,
    is_shared: bool | None = None,
) -> ConfigTemplate:
    """Edit one of the user's templates (``None`` = leave unchanged). ``NotFound`` for a
    template that is not theirs (shared templates of others included)."""
    fields: dict[str, Any] = {}
    if name is not None:
        fields["name"] = _clean_name(name)
    if description is not None:
        fields["description"] = description
    if config is not None:
        fields["config"] = validate_template_config(config)
    if is_shared is not None:
        fields["is_shared"] = is_shared
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=True)
        return repo.update_template(session, owner_id=owner.id, template_id=template_id, **fields)


def share_template(db: Db, *, user: Any, template_id: int, shared: bool = True) -> ConfigTemplate:
    return update_template(db, user=user, template_id=template_id, is_shared=shared)


def duplicate_template(db: Db, *, user: Any, template_id: int, new_name: str | None = None) -> int:
    """Copy a template the user can read (own or shared) into a new private one of theirs."""
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=True)
        source = repo.get_template(session, user_id=owner.id, template_id=template_id)
        if source is None:
            raise NotFound(f"template {template_id} not found")
        if new_name:
            name = _clean_name(new_name)
        else:
            base = f"{source.name} (copy)"[:240]
            name, n = base, 2
            while repo.template_name_exists(session, owner_id=owner.id, name=name):
                name, n = f"{base} {n}", n + 1
        copy = repo.create_template(
            session,
            owner_id=owner.id,
            name=name,
            description=source.description,
            config=dict(source.config),
        )
        return copy.id


def delete_template(db: Db, *, user: Any, template_id: int) -> bool:
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=True)
        return repo.delete_template(session, owner_id=owner.id, template_id=template_id)


def set_default_template(db: Db, *, user: Any, template_id: int | None) -> None:
    """Make one of the user's templates their default (``None`` clears it). One per user."""
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=True)
        repo.set_default_template(session, owner_id=owner.id, template_id=template_id)


def get_template(db: Db, *, user: Any, template_id: int) -> ConfigTemplate | None:
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=False)
        return repo.get_template(session, user_id=owner.id, template_id=template_id)


def get_default_template(db: Db, *, user: Any) -> ConfigTemplate | None:
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=False)
        return repo.get_default_template(session, owner_id=owner.id)


def list_templates(db: Db, *, user: Any, **filters: Any) -> Page[ConfigTemplate]:
    with unit_of_work(db) as session:
        owner = _acting_user(session, user, write=False)
        return repo.list_templates(session, user_id=owner.id, **filters)


def template_config(template: ConfigTemplate) -> FillingConfig:
    """The :class:`FillingConfig` of a stored template."""
    return config_from_json(template.config)
