"""Repositories: every database read and write of the app, with the owner check inside.

Conventions
-----------
* The first argument is the :class:`~sqlmodel.Session` of the caller's unit of work
  (:func:`webapp.db.session_scope`); everything else is keyword-only. Repositories flush
  but never commit: the caller's scope commits or rolls back the whole unit of work.
* ``owner_id`` / ``user_id`` is the id of the *acting* user. A private row of another user
  is indistinguishable from a missing row: ``get_*`` returns ``None``, ``delete_*`` returns
  ``False`` and the other mutating calls raise :class:`NotFound`. Admins get no exemption
  (a schedule is private to its owner).
* Config templates flagged ``is_shared`` are readable (and usable, duplicable) by every
  user, but only their owner can change or delete them.
* Lists return a :class:`Page` (items, total count, limit, offset).
* User rows have no owner: the ``*_user*`` functions are for :mod:`webapp.auth`, which
  applies the role checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from webapp.db.models import (
    Comparison,
    ConfigTemplate,
    ProblemKind,
    Schedule,
    ScheduleResultRow,
    ScheduleStatus,
    User,
    utcnow,
)

T = TypeVar("T")

MAX_PAGE_SIZE = 500


class NotFound(LookupError):
    """The row does not exist or belongs to another user (deliberately not distinguished)."""


class DuplicateName(ValueError):
    """A name that must be unique (per owner) is already taken."""


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.items) < self.total

    @property
    def has_previous(self) -> bool:
        return self.offset > 0


def _clamp(limit: int, offset: int) -> tuple[int, int]:
    return max(1, min(int(limit), MAX_PAGE_SIZE)), max(0, int(offset))


def _page(session: Session, stmt, *, order_by: Sequence, limit: int, offset: int) -> Page:
    limit, offset = _clamp(limit, offset)
    total = session.exec(select(sa.func.count()).select_from(stmt.subquery())).one()
    items = list(session.exec(stmt.order_by(*order_by).limit(limit).offset(offset)).all())
    return Page(items=items, total=int(total), limit=limit, offset=offset)


def _name_filter(column, text: str | None):
    if not text or not text.strip():
        return None
    return sa.func.lower(column).contains(text.strip().lower(), autoescape=True)


# --------------------------------------------------------------------------- users


def create_user(
    session: Session,
    *,
    username: str,
    password_hash: str,
    email: str = "",
    name: str = "",
    role: str = "planner",
    active: bool = True,
) -> User:
    """Insert a user. Raises :class:`DuplicateName` if the username is taken."""
    if get_user_by_username(session, username=username) is not None:
        raise DuplicateName(f"username '{username}' is already taken")
    user = User(
        username=username,
        password_hash=password_hash,
        email=email,
        name=name,
        role=role,
        active=active,
    )
    session.add(user)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise DuplicateName(f"username '{username}' is already taken") from exc
    return user


def get_user(session: Session, *, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_username(session: Session, *, username: str) -> User | None:
    return session.exec(select(User).where(User.username == username)).first()


def count_users(session: Session) -> int:
    return int(session.exec(select(sa.func.count()).select_from(User)).one())


def count_active_admins(session: Session) -> int:
    stmt = (
        select(sa.func.count())
        .select_from(User)
        .where(User.role == "admin", col(User.active).is_(True))
    )
    return int(session.exec(stmt).one())


def list_users(
    session: Session,
    *,
    limit: int = 50,
    offset: int = 0,
    name_contains: str | None = None,
    role: str | None = None,
    active: bool | None = None,
) -> Page[User]:
    stmt = select(User)
    cond = _name_filter(User.username, name_contains)
    if cond is not None:
        stmt = stmt.where(cond)
    if role:
        stmt = stmt.where(User.role == role)
    if active is not None:
        stmt = stmt.where(col(User.active).is_(active))
    return _page(session, stmt, order_by=[User.username], limit=limit, offset=offset)


def update_user(session: Session, *, user_id: int, **fields: Any) -> User:
    """Set columns of a user row (used by :mod:`webapp.auth`, which checks permissions)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    allowed = set(User.model_fields) - {"id", "created_at"}
    for key, value in fields.items():
        if key not in allowed:
            raise ValueError(f"unknown user field {key!r}")
        setattr(user, key, value)
    session.add(user)
    session.flush()
    return user


# ----------------------------------------------------------------------- schedules


def create_schedule(
    session: Session,
    *,
    owner_id: int,
    name: str,
    strategy: str,
    config: dict,
    input_data: list,
    file_name: str | None = None,
    problem_kind: str = ProblemKind.FILLING.value,
) -> Schedule:
    """Insert a ``pending`` schedule owned by ``owner_id``."""
    schedule = Schedule(
        owner_id=owner_id,
        name=name,
        strategy=strategy,
        config=config,
        input_data=input_data,
        file_name=file_name,
        problem_kind=ProblemKind(problem_kind).value,
        status=ScheduleStatus.PENDING.value,
    )
    session.add(schedule)
    session.flush()
    return schedule


def _owned_schedule(session: Session, owner_id: int, schedule_id: int) -> Schedule | None:
    stmt = select(Schedule).where(Schedule.id == schedule_id, Schedule.owner_id == owner_id)
    return session.exec(stmt).first()


def _require_schedule(session: Session, owner_id: int, schedule_id: int) -> Schedule:
    schedule = _owned_schedule(session, owner_id, schedule_id)
    if schedule is None:
        raise NotFound(f"schedule {schedule_id} not found")
    return schedule


def get_schedule(session: Session, *, owner_id: int, schedule_id: int) -> Schedule | None:
    return _owned_schedule(session, owner_id, schedule_id)


def mark_schedule_running(session: Session, *, owner_id: int, schedule_id: int) -> Schedule:
    schedule = _require_schedule(session, owner_id, schedule_id)
    schedule.status = ScheduleStatus.RUNNING.value
    schedule.started_at = utcnow()
    schedule.error_message = None
    session.add(schedule)
    session.flush()
    return schedule


def complete_schedule(
    session: Session, *, owner_id: int, schedule_id: int, result: dict[str, Any]
) -> ScheduleResultRow:
    """Store the result row and mark the schedule ``completed`` (same unit of work).

    ``result`` holds the :class:`ScheduleResultRow` columns (KPIs and ``activities``).
    A previous result of the schedule is replaced.
    """
    schedule = _require_schedule(session, owner_id, schedule_id)
    session.exec(sa.delete(ScheduleResultRow).where(ScheduleResultRow.schedule_id == schedule_id))
    fields = {k: v for k, v in result.items() if k not in {"id", "schedule_id", "created_at"}}
    row = ScheduleResultRow(schedule_id=schedule_id, **fields)
    session.add(row)
    schedule.status = ScheduleStatus.COMPLETED.value
    schedule.finished_at = utcnow()
    schedule.error_message = None
    session.add(schedule)
    session.flush()
    return row


def fail_schedule(session: Session, *, owner_id: int, schedule_id: int, error: str) -> Schedule:
    """Mark the schedule ``failed`` with ``error`` and remove any result rows it has."""
    schedule = _require_schedule(session, owner_id, schedule_id)
    session.exec(sa.delete(ScheduleResultRow).where(ScheduleResultRow.schedule_id == schedule_id))
    schedule.status = ScheduleStatus.FAILED.value
    schedule.finished_at = utcnow()
    schedule.error_message = (error or "failed")[:10_000]
    session.add(schedule)
    session.flush()
    return schedule


def rename_schedule(session: Session, *, owner_id: int, schedule_id: int, name: str) -> Schedule:
    schedule = _require_schedule(session, owner_id, schedule_id)
    schedule.name = name
    session.add(schedule)
    session.flush()
    return schedule


def get_result(session: Session, *, owner_id: int, schedule_id: int) -> ScheduleResultRow | None:
    """The result of one of ``owner_id``'s schedules (``None`` if absent or not theirs)."""
    stmt = (
        select(ScheduleResultRow)
        .join(Schedule, col(Schedule.id) == col(ScheduleResultRow.schedule_id))
        .where(ScheduleResultRow.schedule_id == schedule_id, Schedule.owner_id == owner_id)
    )
    return session.exec(stmt).first()


def get_results(
    session: Session, *, owner_id: int, schedule_ids: Iterable[int]
) -> dict[int, ScheduleResultRow]:
    """Results of several of ``owner_id``'s schedules, keyed by schedule id (others skipped)."""
    ids = sorted({int(i) for i in schedule_ids})
    if not ids:
        return {}
    stmt = (
        select(ScheduleResultRow)
        .join(Schedule, col(Schedule.id) == col(ScheduleResultRow.schedule_id))
        .where(col(ScheduleResultRow.schedule_id).in_(ids), Schedule.owner_id == owner_id)
    )
    return {row.schedule_id: row for row in session.exec(stmt).all()}


SCHEDULE_SORTS = {
    "created_at": Schedule.created_at,
    "name": Schedule.name,
    "status": Schedule.status,
    "strategy": Schedule.strategy,
    "finished_at": Schedule.finished_at,
    "makespan_h": ScheduleResultRow.makespan_h,
}


def list_schedules(
    session: Session,
    *,
    owner_id: int,
    limit: int = 20,
    offset: int = 0,
    status: str | Sequence[str] | None = None,
    strategy: str | Sequence[str] | None = None,
    name_contains: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    problem_kind: str | None = None,
    sort: str = "created_at",
    descending: bool = True,
) -> Page[Schedule]:
    """A page of ``owner_id``'s schedules.

    Filters combine with AND; ``status``/``strategy`` accept one value or several;
    ``name_contains`` is case-insensitive; ``created_from`` is inclusive and ``created_to``
    exclusive (naive UTC). ``sort`` is one of :data:`SCHEDULE_SORTS`; ties are broken by id.
    """
    if sort not in SCHEDULE_SORTS:
        raise ValueError(f"unknown sort {sort!r}; use one of {sorted(SCHEDULE_SORTS)}")
    stmt = select(Schedule).where(Schedule.owner_id == owner_id)
    if sort == "makespan_h":
        stmt = stmt.outerjoin(
            ScheduleResultRow, col(ScheduleResultRow.schedule_id) == col(Schedule.id)
        )
    for column, value in ((Schedule.status, status), (Schedule.strategy, strategy)):
        if value:
            values = [value] if isinstance(value, str) else list(value)
            stmt = stmt.where(col(column).in_(values))
    cond = _name_filter(Schedule.name, name_contains)
    if cond is not None:
        stmt = stmt.where(cond)
    if created_from is not None:
        stmt = stmt.where(Schedule.created_at >= created_from)
    if created_to is not None:
        stmt = stmt.where(Schedule.created_at < created_to)
    if problem_kind:
        stmt = stmt.where(Schedule.problem_kind == problem_kind)
    key = col(SCHEDULE_SORTS[sort])
    id_key = col(Schedule.id)
    order = (
        [key.desc().nulls_last(), id_key.desc()]
        if descending
        else [key.asc().nulls_last(), id_key.asc()]
    )
    return _page(session, stmt, order_by=order, limit=limit, offset=offset)


def delete_schedule(session: Session, *, owner_id: int, schedule_id: int) -> bool:
    """Delete one of ``owner_id``'s schedules and its result. ``False`` if none was deleted."""
    return delete_schedules(session, owner_id=owner_id, schedule_ids=[schedule_id]) == 1


def delete_schedules(session: Session, *, owner_id: int, schedule_ids: Iterable[int]) -> int:
    """Delete several of ``owner_id``'s schedules (others' ids are ignored); returns count."""
    ids = sorted({int(i) for i in schedule_ids})
    if not ids:
        return 0
    owned = list(
        session.exec(
            select(Schedule.id).where(col(Schedule.id).in_(ids), Schedule.owner_id == owner_id)
        ).all()
    )
    if not owned:
        return 0
    # explicit child delete: do not rely on ON DELETE CASCADE alone
    session.exec(sa.delete(ScheduleResultRow).where(col(ScheduleResultRow.schedule_id).in_(owned)))
    session.exec(sa.delete(Schedule).where(col(Schedule.id).in_(owned)))
    session.flush()
    return len(owned)


def fail_stale_runs(
    session: Session, *, started_before: datetime, error: str, include_pending: bool = True
) -> int:
    """System task (no owner): mark ``running`` (and ``pending``) schedules whose run began
    (or that were created) before ``started_before`` as ``failed``. Returns the count."""
    statuses = [ScheduleStatus.RUNNING.value]
    if include_pending:
        statuses.append(ScheduleStatus.PENDING.value)
    stale = col(Schedule.status).in_(statuses) & (
        sa.func.coalesce(Schedule.started_at, Schedule.created_at) < started_before
    )
    ids = list(session.exec(select(Schedule.id).where(stale)).all())
    if not ids:
        return 0
    session.exec(sa.delete(ScheduleResultRow).where(col(ScheduleResultRow.schedule_id).in_(ids)))
    session.exec(
        sa.update(Schedule)
        .where(col(Schedule.id).in_(ids))
        .values(status=ScheduleStatus.FAILED.value, error_message=error, finished_at=utcnow())
    )
    session.flush()
    return len(ids)


# --------------------------------------------------------------------- comparisons


def create_comparison(
    session: Session,
    *,
    owner_id: int,
    name: str,
    input_data: list,
    strategies: list[str],
    runs: dict[str, dict[str, Any]],
    file_name: str | None = None,
    config: dict | None = None,
) -> Comparison:
    """Insert a comparison. Every schedule id in ``runs`` must be one of ``owner_id``'s."""
    ids = [r["schedule_id"] for r in runs.values() if r.get("schedule_id") is not None]
    if ids:
        owned = set(
            session.exec(
                select(Schedule.id).where(col(Schedule.id).in_(ids), Schedule.owner_id == owner_id)
            ).all()
        )
        if owned != set(ids):
            raise NotFound("a schedule of the comparison was not found")
    comparison = Comparison(
        owner_id=owner_id,
        name=name,
        input_data=input_data,
        file_name=file_name,
        config=config or {},
        strategies=list(strategies),
        runs=runs,
    )
    session.add(comparison)
    session.flush()
    return comparison


def get_comparison(session: Session, *, owner_id: int, comparison_id: int) -> Comparison | None:
    stmt = select(Comparison).where(Comparison.id == comparison_id, Comparison.owner_id == owner_id)
    return session.exec(stmt).first()


def list_comparisons(
    session: Session,
    *,
    owner_id: int,
    limit: int = 20,
    offset: int = 0,
    name_contains: str | None = None,
    created_from: datetime | None = None,
    created_to: datetime | None = None,
    descending: bool = True,
) -> Page[Comparison]:
    stmt = select(Comparison).where(Comparison.owner_id == owner_id)
    cond = _name_filter(Comparison.name, name_contains)
    if cond is not None:
        stmt = stmt.where(cond)
    if created_from is not None:
        stmt = stmt.where(Comparison.created_at >= created_from)
    if created_to is not None:
        stmt = stmt.where(Comparison.created_at < created_to)
    keys = [col(Comparison.created_at), col(Comparison.id)]
    order = [k.desc() for k in keys] if descending else [k.asc() for k in keys]
    return _page(session, stmt, order_by=order, limit=limit, offset=offset)


def delete_comparison(
    session: Session, *, owner_id: int, comparison_id: int, delete_schedules_too: bool = False
) -> bool:
    """Delete one of ``owner_id``'s comparisons; optionally also the schedules it created."""
    comparison = get_comparison(session, owner_id=owner_id, comparison_id=comparison_id)
    if comparison is None:
        return False
    if delete_schedules_too:
        ids = [r["schedule_id"] for r in comparison.runs.values() if r.get("schedule_id")]
        delete_schedules(session, owner_id=owner_id, schedule_ids=ids)
    session.delete(comparison)
    session.flush()
    return True


# ---------------------------------------------------------------- config templates


def _visible_template(user_id: int, template_id: int):
    return select(ConfigTemplate).where(
        ConfigTemplate.id == template_id,
        sa.or_(ConfigTemplate.owner_id == user_id, col(ConfigTemplate.is_shared).is_(True)),
    )


def _own_template(session: Session, owner_id: int, template_id: int) -> ConfigTemplate:
    stmt = select(ConfigTemplate).where(
        ConfigTemplate.id == template_id, ConfigTemplate.owner_id == owner_id
    )
    template = session.exec(stmt).first()
    if template is None:
        raise NotFound(f"template {template_id} not found")
    return template


def _flush_template(session: Session, template: ConfigTemplate) -> None:
    session.add(template)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise DuplicateName(f"you already have a template named '{template.name}'") from exc


def template_name_exists(
    session: Session, *, owner_id: int, name: str, exclude_id: int | None = None
) -> bool:
    """Whether ``owner_id`` already has a template called ``name``."""
    stmt = select(ConfigTemplate.id).where(
        ConfigTemplate.owner_id == owner_id, ConfigTemplate.name == name
    )
    if exclude_id is not None:
        stmt = stmt.where(ConfigTemplate.id != exclude_id)
    return session.exec(stmt).first() is not None


def _clear_default(session: Session, owner_id: int, keep_id: int | None = None) -> None:
    stmt = (
        sa.update(ConfigTemplate)
        .where(ConfigTemplate.owner_id == owner_id, col(ConfigTemplate.is_default).is_(True))
        .values(is_default=False)
    )
    if keep_id is not None:
        stmt = stmt.where(ConfigTemplate.id != keep_id)
    session.exec(stmt)
    session.flush()


def create_template(
    session: Session,
    *,
    owner_id: int,
    name: str,
    config: dict,
    description: str = "",
    is_shared: bool = False,
    is_default: bool = False,
) -> ConfigTemplate:
    """Insert a template. Raises :class:`DuplicateName` if ``owner_id`` has one so named."""
    if template_name_exists(session, owner_id=owner_id, name=name):
        raise DuplicateName(f"you already have a template named '{name}'")
    if is_default:
        _clear_default(session, owner_id)
    template = ConfigTemplate(
        owner_id=owner_id,
        name=name,
        description=description,
        config=config,
        is_shared=is_shared,
        is_default=is_default,
    )
    _flush_template(session, template)
    return template


def get_template(session: Session, *, user_id: int, template_id: int) -> ConfigTemplate | None:
    """A template of ``user_id`` or a shared one; ``None`` otherwise."""
    return session.exec(_visible_template(user_id, template_id)).first()


def list_templates(
    session: Session,
    *,
    user_id: int,
    include_shared: bool = True,
    only_own: bool = False,
    name_contains: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Page[ConfigTemplate]:
    """``user_id``'s templates, plus other users' shared ones when ``include_shared``.

    Sorted: the user's default first, then own before others', then by name.
    """
    if only_own or not include_shared:
        stmt = select(ConfigTemplate).where(ConfigTemplate.owner_id == user_id)
    else:
        stmt = select(ConfigTemplate).where(
            sa.or_(ConfigTemplate.owner_id == user_id, col(ConfigTemplate.is_shared).is_(True))
        )
    cond = _name_filter(ConfigTemplate.name, name_contains)
    if cond is not None:
        stmt = stmt.where(cond)
    own_first = sa.case((ConfigTemplate.owner_id == user_id, 0), else_=1)
    default_first = sa.case(
        (sa.and_(ConfigTemplate.owner_id == user_id, col(ConfigTemplate.is_default)), 0),
        else_=1,
    )
    order = [default_first, own_first, col(ConfigTemplate.name), col(ConfigTemplate.id)]
    return _page(session, stmt, order_by=order, limit=limit, offset=offset)


_UNSET: Any = object()


def update_template(
    session: Session,
    *,
    owner_id: int,
    template_id: int,
    name: str = _UNSET,
    description: str = _UNSET,
    config: dict = _UNSET,
    is_shared: bool = _UNSET,
) -> ConfigTemplate:
    """Change fields of one of ``owner_id``'s templates (shared ones of others: NotFound)."""
    template = _own_template(session, owner_id, template_id)
    if name is not _UNSET and name != template.name:
        if template_name_exists(session, owner_id=owner_id, name=name, exclude_id=template_id):
            raise DuplicateName(f"you already have a template named '{name}'")
        template.name = name
    if description is not _UNSET:
        template.description = description
    if config is not _UNSET:
        template.config = config
    if is_shared is not _UNSET:
        template.is_shared = bool(is_shared)
    template.updated_at = utcnow()
    _flush_template(session, template)
    return template


def set_default_template(
    session: Session, *, owner_id: int, template_id: int | None
) -> ConfigTemplate | None:
    """Make one of ``owner_id``'s templates their only default (``None``: no default)."""
    if template_id is None:
        _clear_default(session, owner_id)
        return None
    template = _own_template(session, owner_id, template_id)
    _clear_default(session, owner_id, keep_id=template_id)
    template.is_default = True
    template.updated_at = utcnow()
    _flush_template(session, template)
    return template


def get_default_template(session: Session, *, owner_id: int) -> ConfigTemplate | None:
    stmt = select(ConfigTemplate).where(
        ConfigTemplate.owner_id == owner_id, col(ConfigTemplate.is_default).is_(True)
    )
    return session.exec(stmt).first()


def delete_template(session: Session, *, owner_id: int, template_id: int) -> bool:
    stmt = select(ConfigTemplate).where(
        ConfigTemplate.id == template_id, ConfigTemplate.owner_id == owner_id
    )
    template = session.exec(stmt).first()
    if template is None:
        return False
    session.delete(template)
    session.flush()
    return True
