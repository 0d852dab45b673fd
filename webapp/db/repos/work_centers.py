"""Work centers of an organisation and their availability: categories, calendar
exceptions (a date × shift marked working or not) and downtime.

Every call is scoped to ``organisation_id``: another organisation's work center behaves
as a missing one. Work center codes are unique per organisation, also ignoring case and
surrounding spaces (``lathe `` is ``LATHE``).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from webapp.db.repos.base import FIXED_FIELDS, DuplicateName, NotFound, flush_unique, set_fields
from webapp.db.repos.organisations import main_plant
from webapp.db.shop_models import CalendarException, ShopDowntime, ShopWorkCenter, WorkCenterCategory

# ------------------------------------------------------------------- categories


def category_id(session: Session, *, organisation_id: int, code: str) -> int | None:
    """The id of category ``code`` (created when missing); ``None`` for a blank code.

    ``code`` is stripped and cut to 64 characters. Raises nothing.
    """
    code = (code or "").strip()
    if not code:
        return None
    stmt = select(WorkCenterCategory).where(
        WorkCenterCategory.organisation_id == organisation_id, WorkCenterCategory.code == code[:64]
    )
    row = session.exec(stmt).first()
    if row is None:
        row = WorkCenterCategory(organisation_id=organisation_id, code=code[:64], name=code[:200])
        session.add(row)
        session.flush()
    return row.id


def category_names(session: Session, *, organisation_id: int) -> dict[int, str]:
    """Returns the organisation's category codes keyed by category id. Raises nothing."""
    stmt = select(WorkCenterCategory).where(WorkCenterCategory.organisation_id == organisation_id)
    return {c.id: c.code for c in session.exec(stmt).all()}


# ------------------------------------------------------------------- work centers


def _refuse_taken(session: Session, organisation_id: int, code: str, work_center_id: int | None = None) -> None:
    """Raise :class:`DuplicateName` when another work center's code equals ``code`` ignoring
    case and surrounding spaces."""
    stmt = select(ShopWorkCenter.code).where(
        ShopWorkCenter.organisation_id == organisation_id,
        sa.func.lower(sa.func.trim(col(ShopWorkCenter.code))) == code.strip().lower(),
    )
    if work_center_id is not None:
        stmt = stmt.where(col(ShopWorkCenter.id) != work_center_id)
    taken = session.exec(stmt).first()
    if taken is not None:
        raise DuplicateName(f"work center '{taken}' already exists")


def create_work_center(session: Session, *, organisation_id: int, code: str, **fields: Any) -> ShopWorkCenter:
    """Insert a work center in the organisation's main plant; ``fields`` set other columns.

    Returns the new :class:`ShopWorkCenter`. Raises ``ValueError`` for an unknown or
    read-only field and :class:`DuplicateName` if the organisation already has ``code``
    (ignoring case and surrounding spaces).
    """
    _refuse_taken(session, organisation_id, code)
    plant = main_plant(session, organisation_id=organisation_id)
    wc = ShopWorkCenter(organisation_id=organisation_id, code=code, plant_id=plant.id if plant else None)
    set_fields(wc, fields, FIXED_FIELDS | {"code"})
    session.add(wc)
    flush_unique(session, f"work center '{code}'")
    return wc


def list_work_centers(session: Session, *, organisation_id: int) -> list[ShopWorkCenter]:
    """Returns the organisation's work centers sorted by code. Raises nothing."""
    stmt = (
        select(ShopWorkCenter)
        .where(ShopWorkCenter.organisation_id == organisation_id)
        .order_by(col(ShopWorkCenter.code))
    )
    return list(session.exec(stmt).all())


def get_work_center(
    session: Session, *, organisation_id: int, work_center_id: int | None = None, code: str | None = None
) -> ShopWorkCenter | None:
    """Returns the organisation's work center with this id and/or code (both optional,
    combined with AND), or ``None``. Raises nothing."""
    stmt = select(ShopWorkCenter).where(ShopWorkCenter.organisation_id == organisation_id)
    if work_center_id is not None:
        stmt = stmt.where(ShopWorkCenter.id == work_center_id)
    if code is not None:
        stmt = stmt.where(ShopWorkCenter.code == code)
    return session.exec(stmt).first()


def require_work_center(session: Session, *, organisation_id: int, work_center_id: int) -> ShopWorkCenter:
    """Returns the organisation's work center ``work_center_id``. Raises :class:`NotFound`
    if it is missing or another organisation's."""
    wc = get_work_center(session, organisation_id=organisation_id, work_center_id=work_center_id)
    if wc is None:
        raise NotFound(f"work center {work_center_id} not found")
    return wc


def update_work_center(
    session: Session, *, organisation_id: int, work_center_id: int, **fields: Any
) -> ShopWorkCenter:
    """Set columns of one of the organisation's work centers (not its plant).

    Returns the :class:`ShopWorkCenter`. Raises :class:`NotFound` if it is missing or
    another organisation's, ``ValueError`` for an unknown or read-only field and
    :class:`DuplicateName` if a new ``code`` is taken (ignoring case and surrounding spaces).
    """
    wc = require_work_center(session, organisation_id=organisation_id, work_center_id=work_center_id)
    if "code" in fields:
        _refuse_taken(session, organisation_id, fields["code"], work_center_id)
    set_fields(wc, fields, FIXED_FIELDS | {"plant_id"})
    session.add(wc)
    flush_unique(session, f"work center '{wc.code}'")
    return wc


# ------------------------------------------------------------------- calendar exceptions


def list_calendar_exceptions(
    session: Session, *, organisation_id: int, work_center_id: int | None = None
) -> list[CalendarException]:
    """Returns the organisation's calendar exceptions (of one work center if given), by
    date and shift. Raises nothing."""
    stmt = select(CalendarException).where(CalendarException.organisation_id == organisation_id)
    if work_center_id is not None:
        stmt = stmt.where(CalendarException.work_center_id == work_center_id)
    return list(session.exec(stmt.order_by(col(CalendarException.day), col(CalendarException.shift))).all())


def set_calendar_exception(
    session: Session,
    *,
    organisation_id: int,
    work_center_id: int,
    day: date,
    shift: str,
    working: bool,
    note: str = "",
) -> CalendarException:
    """Mark one date × shift of a work center working or not (replaces an earlier mark).

    Returns the :class:`CalendarException` row. Raises :class:`NotFound` if the work
    center is missing or another organisation's.
    """
    require_work_center(session, organisation_id=organisation_id, work_center_id=work_center_id)
    stmt = select(CalendarException).where(
        CalendarException.work_center_id == work_center_id,
        CalendarException.day == day,
        CalendarException.shift == shift,
    )
    row = session.exec(stmt).first() or CalendarException(
        organisation_id=organisation_id, work_center_id=work_center_id, day=day, shift=shift
    )
    row.working, row.note = bool(working), note[:200]
    session.add(row)
    session.flush()
    return row


def delete_calendar_exception(session: Session, *, organisation_id: int, exception_id: int) -> bool:
    """Delete one of the organisation's calendar exceptions.

    Returns ``False`` if it is missing or another organisation's, else ``True``. Raises
    nothing.
    """
    result = session.exec(
        sa.delete(CalendarException).where(
            CalendarException.id == exception_id, CalendarException.organisation_id == organisation_id
        )
    )
    return result.rowcount == 1


# ------------------------------------------------------------------- downtime


def list_downtimes(
    session: Session, *, organisation_id: int, work_center_id: int | None = None
) -> list[ShopDowntime]:
    """Returns the organisation's downtimes (of one work center if given) by start.
    Raises nothing."""
    stmt = select(ShopDowntime).where(ShopDowntime.organisation_id == organisation_id)
    if work_center_id is not None:
        stmt = stmt.where(ShopDowntime.work_center_id == work_center_id)
    return list(session.exec(stmt.order_by(col(ShopDowntime.start_at))).all())


def add_downtime(
    session: Session, *, organisation_id: int, work_center_id: int, start_at: datetime, end_at: datetime,
    reason: str = "",
) -> ShopDowntime:
    """Record that a work center is down from ``start_at`` to ``end_at``.

    Returns the new :class:`ShopDowntime`. Raises :class:`NotFound` if the work center is
    missing or another organisation's and ``ValueError`` unless ``end_at`` is after
    ``start_at``.
    """
    require_work_center(session, organisation_id=organisation_id, work_center_id=work_center_id)
    if end_at <= start_at:
        raise ValueError("the downtime must end after it starts")
    row = ShopDowntime(
        organisation_id=organisation_id, work_center_id=work_center_id, start_at=start_at, end_at=end_at,
        reason=reason[:500],
    )
    session.add(row)
    session.flush()
    return row


def delete_downtime(session: Session, *, organisation_id: int, downtime_id: int) -> bool:
    """Delete one of the organisation's downtimes.

    Returns ``False`` if it is missing or another organisation's, else ``True``. Raises
    nothing.
    """
    result = session.exec(
        sa.delete(ShopDowntime).where(
            ShopDowntime.id == downtime_id, ShopDowntime.organisation_id == organisation_id
        )
    )
    return result.rowcount == 1


def delete_work_center(session: Session, *, organisation_id: int, work_center_id: int) -> bool:
    """Delete one of the organisation's work centers with its calendar exceptions and
    downtime (the caller makes sure no operation runs on it: the database refuses that).

    Returns ``False`` if it is missing or another organisation's, else ``True``. Raises
    SQLAlchemy's ``IntegrityError`` if operations still run on it.
    """
    wc = get_work_center(session, organisation_id=organisation_id, work_center_id=work_center_id)
    if wc is None:
        return False
    for table in (CalendarException, ShopDowntime):
        session.exec(sa.delete(table).where(table.work_center_id == wc.id))
    session.exec(sa.delete(ShopWorkCenter).where(ShopWorkCenter.id == wc.id))
    session.flush()
    return True
