"""User accounts: the ``users`` table, which has no owner.

These functions apply no role checks: they are for :mod:`webapp.auth`, which decides who
may register, change or list users.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from webapp.db.models import User
from webapp.db.repos.base import DuplicateName, NotFound, Page, name_filter, paginate


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
    """Insert a user. Returns the new :class:`User` (flushed, with its id).

    Raises :class:`DuplicateName` if the username is taken.
    """
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
    """Returns the user with id ``user_id``, or ``None`` if there is none. Raises nothing."""
    return session.get(User, user_id)


def get_user_by_username(session: Session, *, username: str) -> User | None:
    """Returns the user called ``username`` (exact match), or ``None``. Raises nothing."""
    return session.exec(select(User).where(User.username == username)).first()


def count_users(session: Session) -> int:
    """Returns the number of users (active or not). Raises nothing."""
    return int(session.exec(select(sa.func.count()).select_from(User)).one())


def count_active_admins(session: Session) -> int:
    """Returns the number of active users with the ``admin`` role. Raises nothing."""
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
    """Returns a :class:`Page` of users sorted by username.

    ``name_contains`` filters the username case-insensitively; ``role`` and ``active``
    filter exactly when given. Raises nothing.
    """
    stmt = select(User)
    cond = name_filter(User.username, name_contains)
    if cond is not None:
        stmt = stmt.where(cond)
    if role:
        stmt = stmt.where(User.role == role)
    if active is not None:
        stmt = stmt.where(col(User.active).is_(active))
    return paginate(session, stmt, order_by=[User.username], limit=limit, offset=offset)


def update_user(session: Session, *, user_id: int, **fields: Any) -> User:
    """Set columns of a user row (used by :mod:`webapp.auth`, which checks permissions).

    Returns the updated :class:`User`. Raises :class:`NotFound` if there is no such user
    and ``ValueError`` for an unknown field or ``id``/``created_at``.
    """
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
