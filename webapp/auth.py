"""Accounts backed by the database (no Streamlit needed; the widgets are in ``ui_auth``).

Passwords are hashed with streamlit-authenticator's :class:`Hasher` (bcrypt). We do *not*
hand streamlit-authenticator's ``Authenticate`` a credentials dict: that dict would be a
per-session copy of the users table that has to be rebuilt and synced back on every
change (and would not see other replicas' changes, lock-outs or deactivations). Instead
the DB is the only source of truth: :func:`authenticate` checks the password, the active
flag and the lock-out in one transaction; ``ui_auth`` keeps the login in
``st.session_state`` and uses streamlit-authenticator's cookie model (JWT signed with the
configured cookie key) for re-login, re-checking the user in the DB each time.

Rules
-----
* Username: 3–32 characters, letters, digits, ``.``, ``_``, ``-``, starting with a letter
  or digit; stored lower-case (unique regardless of case).
* Password: at least 10 characters, a letter and a digit, not the username, at most 72
  bytes (bcrypt's limit).
* The first user to register becomes ``admin``; later users are ``planner``.
* Lock-out: after :data:`LOCKOUT_AFTER` consecutive failures each further failure locks the
  account for ``LOCKOUT_BASE_S * 2**(failures - LOCKOUT_AFTER)`` seconds (capped at
  :data:`LOCKOUT_MAX_S`); the counter and the lock live in the DB. A correct password
  during the lock is refused too; a successful login resets the counter.
* Roles: ``admin`` manages users and plans; ``planner`` plans; ``viewer`` only looks.
  There is always at least one active admin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from webapp.access import is_admin
from webapp.db.engine import Db, unit_of_work
from webapp.db.models import Role, User, utcnow
from webapp.db.repos import users as user_repo
from webapp.db.repos.base import DuplicateName, NotFound, Page
from webapp.errors import PermissionDenied

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MIN_PASSWORD = 10
MAX_PASSWORD_BYTES = 72
LOCKOUT_AFTER = 5
LOCKOUT_BASE_S = 30
LOCKOUT_MAX_S = 3600
ROLES = tuple(r.value for r in Role)


class AuthError(ValueError):
    """A registration/login/account problem. ``problems`` lists every reason."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class RegistrationError(AuthError):
    """Registration refused (bad username, email or password, or the username is taken)."""


class LoginError(AuthError):
    """Login refused. ``retry_after_s`` is set while the account is locked."""

    def __init__(self, problems: list[str] | str, *, retry_after_s: float | None = None):
        super().__init__(problems)
        self.retry_after_s = retry_after_s


# ------------------------------------------------------------------------- hashing


def _hasher():
    # streamlit_authenticator imports streamlit; keep that off the import path of callers
    # that never hash (and out of the scheduler's CLI).
    from streamlit_authenticator.utilities.hasher import Hasher

    return Hasher


def hash_password(password: str) -> str:
    """A bcrypt hash of ``password``."""
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (never raises; too long: ``False``)."""
    if not password or len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return False
    try:
        return bool(_hasher().check_pw(password, password_hash))
    except ValueError:  # not a bcrypt hash
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Checked for unknown usernames, so they cost the same time as a wrong password."""
    return hash_password("not-a-real-password-0")


# ----------------------------------------------------------------------- policies


def normalise_username(username: str) -> str:
    """The stored form of a username: trimmed, lower-case."""
    return (username or "").strip().lower()


def username_problems(username: str) -> list[str]:
    """Why ``username`` is not acceptable ([] when it is)."""
    if not USERNAME_RE.match(normalise_username(username)):
        return [
            "username must be 3-32 characters: letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        ]
    return []


def email_problems(email: str) -> list[str]:
    """Why ``email`` is not acceptable ([] when it is)."""
    email = (email or "").strip()
    if len(email) > 255 or not EMAIL_RE.match(email):
        return ["email address is not valid"]
    return []


def password_problems(password: str, *, username: str = "") -> list[str]:
    """Every way ``password`` breaks the policy ([] when it is acceptable)."""
    password = password or ""
    problems = []
    if len(password) < MIN_PASSWORD:
        problems.append(f"password must be at least {MIN_PASSWORD} characters")
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        problems.append(f"password must be at most {MAX_PASSWORD_BYTES} bytes")
    if not re.search(r"[^\W\d_]", password):
        problems.append("password must contain a letter")
    if not re.search(r"\d", password):
        problems.append("password must contain a digit")
    if username and password.strip().lower() == normalise_username(username):
        problems.append("password must not be the username")
    return problems


# ------------------------------------------------------------------------ accounts


def register_user(db: Db, *, username: str, email: str, password: str, name: str = "") -> User:
    """Create an account (the first one becomes admin). Raises :class:`RegistrationError`
    listing every problem (bad username, email or password; username taken)."""
    uname = normalise_username(username)
    problems = (
        username_problems(uname)
        + email_problems(email)
        + password_problems(password, username=uname)
    )
    if len((name or "").strip()) > 255:
        problems.append("name must be at most 255 characters")
    if problems:
        raise RegistrationError(problems)
    password_hash = hash_password(password)
    try:
        with unit_of_work(db) as session:
            role = Role.ADMIN.value if user_repo.count_users(session) == 0 else Role.PLANNER.value
            return user_repo.create_user(
                session,
                username=uname,
                password_hash=password_hash,
                email=email.strip(),
                name=(name or "").strip(),
                role=role,
            )
    except DuplicateName as exc:
        raise RegistrationError(f"username '{uname}' is already taken") from exc


def lockout_seconds(failed_logins: int) -> float:
    """Lock duration after ``failed_logins`` consecutive failures (0 below the threshold)."""
    if failed_logins < LOCKOUT_AFTER:
        return 0.0
    return float(min(LOCKOUT_MAX_S, LOCKOUT_BASE_S * 2 ** (failed_logins - LOCKOUT_AFTER)))


_WRONG = "wrong username or password"


def authenticate(db: Db, *, username: str, password: str, now: datetime | None = None) -> User:
    """Check a login. Returns the user (``last_login_at`` updated) or raises
    :class:`LoginError`. Failures are counted in the DB (see the module docstring)."""
    now = now or utcnow()
    uname = normalise_username(username)
    failure: LoginError | None = None
    with unit_of_work(db) as session:
        user = user_repo.get_user_by_username(session, username=uname) if uname else None
        if user is None:
            verify_password(password, _dummy_hash())
            raise LoginError(_WRONG)
        if user.locked_until is not None and user.locked_until > now:
            wait = (user.locked_until - now).total_seconds()
            raise LoginError(
                f"too many failed logins: try again in {int(wait) + 1} s", retry_after_s=wait
            )
        if not verify_password(password, user.password_hash):
            user.failed_logins += 1
            lock = lockout_seconds(user.failed_logins)
            user.locked_until = now + timedelta(seconds=lock) if lock else None
            session.add(user)
            failure = LoginError(_WRONG, retry_after_s=lock or None)
        elif not user.active:
            failure = LoginError("this account is deactivated; ask an administrator")
        else:
            user.failed_logins = 0
            user.locked_until = None
            user.last_login_at = now
            session.add(user)
    # the failure counter is committed before the error is raised
    if failure is not None:
        raise failure
    return user


def get_active_user(db: Db, *, user_id: int | None = None, username: str | None = None):
    """The user if it exists and is active (for cookie re-login and per-run checks)."""
    with unit_of_work(db) as session:
        if user_id is not None:
            user = user_repo.get_user(session, user_id=user_id)
        elif username:
            user = user_repo.get_user_by_username(session, username=normalise_username(username))
        else:
            return None
    return user if user is not None and user.active else None


def change_password(db: Db, *, user_id: int, old_password: str, new_password: str) -> None:
    """Change one's own password (the old one must be right; the new one meet the policy)."""
    with unit_of_work(db) as session:
        user = user_repo.get_user(session, user_id=user_id)
        if user is None or not user.active:
            raise PermissionDenied("your account is not active")
        if not verify_password(old_password, user.password_hash):
            raise AuthError("current password is wrong")
        problems = password_problems(new_password, username=user.username)
        if new_password == old_password:
            problems.append("new password must differ from the current one")
        if problems:
            raise AuthError(problems)
        user_repo.update_user(session, user_id=user.id, password_hash=hash_password(new_password))


def update_profile(db: Db, *, user_id: int, email: str | None = None, name: str | None = None):
    """Change a user's email and/or name; returns the user row.

    Raises:
        AuthError: every problem of the new values. NotFound: no such user.
    """
    fields: dict[str, Any] = {}
    problems: list[str] = []
    if email is not None:
        problems += email_problems(email)
        fields["email"] = email.strip()
    if name is not None:
        if len(name.strip()) > 255:
            problems.append("name must be at most 255 characters")
        fields["name"] = name.strip()
    if problems:
        raise AuthError(problems)
    with unit_of_work(db) as session:
        user = user_repo.get_user(session, user_id=user_id)
        if user is None or not user.active:
            raise PermissionDenied("your account is not active")
        return user_repo.update_user(session, user_id=user_id, **fields)


# --------------------------------------------------------------------------- admin


def _require_admin(session, acting_user: Any) -> User:
    uid = getattr(acting_user, "id", acting_user)
    admin = user_repo.get_user(session, user_id=int(uid)) if uid is not None else None
    if not is_admin(admin):
        raise PermissionDenied("only administrators can manage users")
    return admin


def list_users(
    db: Db, *, acting_user: Any, limit: int = 50, offset: int = 0, **filters: Any
) -> Page[User]:
    """A page of users (admins only). Raises ``PermissionDenied`` for anyone else."""
    with unit_of_work(db) as session:
        _require_admin(session, acting_user)
        return user_repo.list_users(session, limit=limit, offset=offset, **filters)


def _keeps_an_admin(session, target: User, *, role: str, active: bool) -> bool:
    if target.role != Role.ADMIN.value or not target.active:
        return True  # target is not an active admin: nothing changes
    if role == Role.ADMIN.value and active:
        return True
    return user_repo.count_active_admins(session) > 1


def set_role(db: Db, *, acting_user: Any, user_id: int, role: str) -> User:
    """Change a user's role (admin only; never demotes the last active admin)."""
    if role not in ROLES:
        raise AuthError(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    with unit_of_work(db) as session:
        _require_admin(session, acting_user)
        target = user_repo.get_user(session, user_id=user_id)
        if target is None:
            raise NotFound(f"user {user_id} not found")
        if not _keeps_an_admin(session, target, role=role, active=target.active):
            raise PermissionDenied("cannot demote the last active administrator")
        return user_repo.update_user(session, user_id=user_id, role=role)


def set_active(db: Db, *, acting_user: Any, user_id: int, active: bool) -> User:
    """Activate or deactivate an account (admin only; never the last active admin).
    Re-activating also clears a lock-out."""
    with unit_of_work(db) as session:
        _require_admin(session, acting_user)
        target = user_repo.get_user(session, user_id=user_id)
        if target is None:
            raise NotFound(f"user {user_id} not found")
        if not _keeps_an_admin(session, target, role=target.role, active=active):
            raise PermissionDenied("cannot deactivate the last active administrator")
        fields: dict[str, Any] = {"active": bool(active)}
        if active:
            fields.update(failed_logins=0, locked_until=None)
        return user_repo.update_user(session, user_id=user_id, **fields)


def admin_reset_password(db: Db, *, acting_user: Any, user_id: int, new_password: str) -> None:
    """Set another user's password (admin only) and clear their lock-out."""
    with unit_of_work(db) as session:
        _require_admin(session, acting_user)
        target = user_repo.get_user(session, user_id=user_id)
        if target is None:
            raise NotFound(f"user {user_id} not found")
        problems = password_problems(new_password, username=target.username)
        if problems:
            raise AuthError(problems)
        user_repo.update_user(
            session,
            user_id=user_id,
            password_hash=hash_password(new_password),
            failed_logins=0,
            locked_until=None,
        )


@dataclass(frozen=True)
class SessionUser:
    """What the UI keeps about the logged-in user between reruns (no password hash)."""

    id: int
    username: str
    name: str
    email: str
    role: str
    active: bool

    @classmethod
    def of(cls, user: User) -> SessionUser:
        """The session's copy of a user row (no password hash)."""
        return cls(
            id=int(user.id),
            username=user.username,
            name=user.name,
            email=user.email,
            role=user.role,
            active=user.active,
        )
