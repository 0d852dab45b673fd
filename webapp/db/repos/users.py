"""User accounts: the ``users`` table, which has no owner, and the failed logins of each
user per client (``login_failures``).

These functions apply no role checks: they are for :mod:`webapp.auth`, which decides who
may register, change or list users, and :mod:`webapp.lockout`, which counts failures.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from webapp.db.models import LoginFailure, User
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
    approval: str = "approved",
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
        approval=approval,
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


def get_user_by_username(session: Session, *, username: str, for_update: bool = False) -> User | None:
    """Returns the user called ``username`` (exact match), or ``None``. With ``for_update``
    the row stays locked until the transaction ends (Postgres; SQLite locks the whole file
    on write anyway), so concurrent logins of one user count failures one at a time.
    Raises nothing."""
    stmt = select(User).where(User.username == username)
    if for_update:
        stmt = stmt.with_for_update()
    return session.exec(stmt).first()


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
    approval: str | None = None,
) -> Page[User]:
    """Returns a :class:`Page` of users sorted by username.

    ``name_contains`` filters the username case-insensitively; ``role``, ``active`` and
    ``approval`` filter exactly when given. Raises nothing.
    """
    stmt = select(User)
    cond = name_filter(User.username, name_contains)
    if cond is not None:
        stmt = stmt.where(cond)
    if role:
        stmt = stmt.where(User.role == role)
    if active is not None:
        stmt = stmt.where(col(User.active).is_(active))
    if approval:
        stmt = stmt.where(User.approval == approval)
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


def get_login_failure(session: Session, *, user_id: int, client: str) -> LoginFailure | None:
    """Returns the failed-login counter of ``user_id`` from ``client``, or ``None``. Raises
    nothing."""
    stmt = select(LoginFailure).where(LoginFailure.user_id == user_id, LoginFailure.client == client)
    return session.exec(stmt).first()


def save_login_failure(
    session: Session, *, user_id: int, client: str, failures: int, locked_until, at
) -> LoginFailure:
    """Set (create or update) the failed-login counter of ``user_id`` from ``client``.
    Returns the row (flushed). Raises nothing of its own."""
    row = get_login_failure(session, user_id=user_id, client=client)
    if row is None:
        row = LoginFailure(user_id=user_id, client=client)
    row.failures = failures
    row.locked_until = locked_until
    row.last_failure_at = at
    session.add(row)
    session.flush()
    return row


def clear_login_failures(session: Session, *, user_id: int, client: str | None = None) -> int:
    """Remove the failed-login counters of ``user_id`` (from ``client`` only, when given).
    Returns how many were removed. Raises nothing."""
    stmt = sa.delete(LoginFailure).where(LoginFailure.user_id == user_id)
    if client is not None:
        stmt = stmt.where(LoginFailure.client == client)
    return int(session.exec(stmt).rowcount or 0)
