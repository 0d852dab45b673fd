"""Who may do what: roles, and the acting user (and their organisation) of a service call.

Every service call names its acting ``user`` (a ``User`` row, a ``SessionUser`` or an id);
:func:`acting_user` re-reads the role and the active flag from the database inside the
call's transaction, so a demotion or deactivation takes effect at once. Writes need a
planner or an admin (:func:`can_create`); viewers only look.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from webapp.db.models import Role, User
from webapp.db.repos import organisations as organisation_repo
from webapp.db.repos import users as user_repo
from webapp.errors import PermissionDenied


def _role(user: Any) -> str:
    return str(getattr(user, "role", "") or "")


def is_admin(user: Any) -> bool:
    """An active admin."""
    return user is not None and bool(getattr(user, "active", False)) and _role(user) == Role.ADMIN.value


def can_create(user: Any) -> bool:
    """Planners and admins may create, change and delete their data; viewers only look."""
    return (
        user is not None
        and bool(getattr(user, "active", False))
        and _role(user) in (Role.ADMIN.value, Role.PLANNER.value)
    )


def user_id(user: Any) -> int:
    """The id of ``user`` (an int, or anything with ``id``).

    Raises:
        PermissionDenied: no user (not logged in).
    """
    uid = user if isinstance(user, int) else getattr(user, "id", None)
    if uid is None:
        raise PermissionDenied("not logged in")
    return int(uid)


def acting_user(session: Session, user: Any, *, write: bool) -> User:
    """The acting user's row, re-read in ``session``.

    Raises:
        PermissionDenied: the account is gone or inactive, or ``write`` and a viewer.
    """
    row = user_repo.get_user(session, user_id=user_id(user))
    if row is None or not row.active:
        raise PermissionDenied("your account is not active")
    if write and not can_create(row):
        raise PermissionDenied("viewers cannot create, change or delete")
    return row


def acting_member(session: Session, user: Any, *, write: bool) -> tuple[int, int]:
    """(user id, organisation id) of the acting user; the organisation is created on the
    user's first shop call. Raises ``PermissionDenied`` as :func:`acting_user`."""
    row = acting_user(session, user, write=write)
    org = organisation_repo.ensure_organisation(session, user_id=row.id, username=row.username)
    return row.id, org.id
