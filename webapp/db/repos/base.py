"""What every repository module shares: the errors, the page of a list and small helpers.

Nothing here reads or writes a particular table. :class:`NotFound` and :class:`DuplicateName`
are the repositories' errors (the services re-export them); :class:`Page` is what every
paged ``list_*`` returns; :func:`paginate`, :func:`clamp` and :func:`name_filter` build
those pages; :func:`flush_unique` and :func:`set_fields` are the write helpers of the shop
repositories (:data:`FIXED_FIELDS` are the columns no caller may set).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from webapp.db.models import utcnow

T = TypeVar("T")

MAX_PAGE_SIZE = 500
"""The largest page a ``list_*`` call returns (larger ``limit`` values are clamped)."""

FIXED_FIELDS = frozenset({"id", "organisation_id", "created_at", "updated_at"})
"""Columns of the shop rows that :func:`set_fields` never lets a caller set."""


class NotFound(LookupError):
    """The row does not exist or belongs to another user (deliberately not distinguished)."""


class DuplicateName(ValueError):
    """A name that must be unique (per owner) is already taken."""


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: ``items`` from ``offset`` on (at most ``limit``) of ``total``."""

    items: list[T]
    total: int
    limit: int
    offset: int

    @property
    def has_next(self) -> bool:
        """Whether rows follow this page."""
        return self.offset + len(self.items) < self.total

    @property
    def has_previous(self) -> bool:
        """Whether rows precede this page."""
        return self.offset > 0


def clamp(limit: int, offset: int) -> tuple[int, int]:
    """Returns ``(limit, offset)`` with ``limit`` in 1..:data:`MAX_PAGE_SIZE` and
    ``offset`` at least 0. Raises ``ValueError``/``TypeError`` if either is not a number."""
    return max(1, min(int(limit), MAX_PAGE_SIZE)), max(0, int(offset))


def paginate(session: Session, stmt, *, order_by: Sequence, limit: int, offset: int) -> Page:
    """Returns the :class:`Page` of ``stmt`` (a ``select``) sorted by ``order_by``, with
    the total row count of ``stmt``; ``limit``/``offset`` are clamped (:func:`clamp`).
    Raises nothing of its own."""
    limit, offset = clamp(limit, offset)
    total = session.exec(select(sa.func.count()).select_from(stmt.subquery())).one()
    items = list(session.exec(stmt.order_by(*order_by).limit(limit).offset(offset)).all())
    return Page(items=items, total=int(total), limit=limit, offset=offset)


def name_filter(column, text: str | None):
    """Returns a case-insensitive "``column`` contains ``text``" condition (LIKE wildcards
    in ``text`` are literal), or ``None`` for a blank ``text``. Raises nothing."""
    if not text or not text.strip():
        return None
    return sa.func.lower(column).contains(text.strip().lower(), autoescape=True)


def flush_unique(session: Session, what: str) -> None:
    """Flush the session in a savepoint. Returns ``None``; raises :class:`DuplicateName`
    ("``what`` already exists") if a unique constraint refuses the flush. The session's
    transaction is unusable after that: let the error end the caller's unit of work."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise DuplicateName(f"{what} already exists") from exc


def set_fields(row: Any, fields: dict[str, Any], forbidden: set[str] | frozenset[str]) -> None:
    """Set the columns ``fields`` on ``row`` (and stamp ``updated_at`` if it has one).
    Returns ``None``; raises ``ValueError`` for a key that is not a column of the row or
    is in ``forbidden`` (the keys before it are already set)."""
    allowed = set(type(row).model_fields) - forbidden
    for key, value in fields.items():
        if key not in allowed:
            raise ValueError(f"unknown or read-only field {key!r}")
        setattr(row, key, value)
    if "updated_at" in type(row).model_fields:
        row.updated_at = utcnow()
