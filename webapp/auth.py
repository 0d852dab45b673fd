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
* Username, email and password: :mod:`webapp.passwords` (the password must also be hard to
  guess: zxcvbn score 3 or more).
* Who may register (``PSS_REGISTRATION``, :mod:`webapp.settings`): ``open`` — anyone, at
  once; ``approval`` — anyone, but the account waits (``approval = pending``) until an
  admin approves or rejects it; ``closed`` — nobody. Only on the single-user SQLite default
  with ``open`` does the first registered account become ``admin``; on a shared deployment
  the first admin comes from :func:`create_account` (``python -m webapp admin create``) or
  ``PSS_ADMIN_USER`` at start (:func:`ensure_admin`), later accounts are ``planner``.
* Lock-out: :mod:`webapp.lockout` (per client and per username, counters in the DB).
* Re-login cookies carry the user's ``token_version``; :func:`end_sessions` (logout),
  password change and admin reset bump it, so every older cookie stops working.
* Roles: ``admin`` manages users and plans; ``planner`` plans; ``viewer`` only looks.
  There is always at least one active admin.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from webapp import lockout
from webapp.access import is_admin
from webapp.db.engine import Db, unit_of_work
from webapp.db.models import Approval, Role, User, utcnow
from webapp.db.repos import users as user_repo
from webapp.db.repos.base import DuplicateName, NotFound, Page
from webapp.errors import PermissionDenied
from webapp.lockout import LOCKOUT_AFTER, LOCKOUT_BASE_S, LOCKOUT_MAX_S, lockout_seconds
from webapp.passwords import (
    MIN_PASSWORD,
    dummy_hash,
    email_problems,
    hash_password,
    normalise_username,
    password_problems,
    username_problems,
    verify_password,
)
from webapp.settings import Settings, get_settings

__all__ = [
    "LOCKOUT_AFTER", "LOCKOUT_BASE_S", "LOCKOUT_MAX_S", "MIN_PASSWORD", "ROLES", "AuthError",
    "LoginError", "RegistrationError", "SessionUser", "authenticate", "change_password",
    "create_account", "end_sessions", "ensure_admin", "get_active_user", "hash_password",
    "list_users", "lockout_seconds", "register_user", "review_registration", "set_active",
    "set_role", "update_profile", "verify_password",
]

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


# ------------------------------------------------------------------------ accounts


def _account_problems(username: str, email: str, password: str, name: str, *, email_required: bool = True) -> list[str]:
    problems = (
        username_problems(username)
        + (email_problems(email) if email_required or email else [])
        + password_problems(password, username=username, known=[email, name])
    )
    if len((name or "").strip()) > 255:
        problems.append("name must be at most 255 characters")
    return problems


def register_user(
    db: Db, *, username: str, email: str, password: str, name: str = "", settings: Settings | None = None
) -> User:
    """Register an account as ``settings.registration`` allows (default: the process's
    settings): ``open`` — usable at once (the very first one becomes admin on the
    single-user SQLite default only); ``approval`` — it waits for an admin
    (``approval == "pending"``); ``closed`` — refused. Raises :class:`RegistrationError`
    listing every problem (registration closed; bad username, email or password; username
    taken)."""
    settings = settings or get_settings()
    if settings.registration == "closed":
        raise RegistrationError("registration is closed: ask an administrator for an account")
    uname = normalise_username(username)
    problems = _account_problems(uname, email, password, name)
    if problems:
        raise RegistrationError(problems)
    password_hash = hash_password(password)
    approval = Approval.PENDING.value if settings.registration == "approval" else Approval.APPROVED.value
    try:
        with unit_of_work(db) as session:
            first = not settings.shared and user_repo.count_users(session) == 0
            return user_repo.create_user(
                session,
                username=uname,
                password_hash=password_hash,
                email=email.strip(),
                name=(name or "").strip(),
                role=Role.ADMIN.value if first else Role.PLANNER.value,
                approval=approval,
            )
    except DuplicateName as exc:
        raise RegistrationError(f"username '{uname}' is already taken") from exc


def create_account(
    db: Db, *, username: str, password: str, email: str = "", name: str = "", role: str = Role.ADMIN.value
) -> User:
    """Create an approved account with ``role`` (default admin) from the command line or
    the start-up settings, whatever the registration mode. The password rules are the app's;
    the email may be empty. Raises :class:`RegistrationError` listing every problem."""
    uname = normalise_username(username)
    problems = _account_problems(uname, email, password, name, email_required=False)
    if role not in ROLES:
        problems.append(f"unknown role {role!r}; roles: {', '.join(ROLES)}")
    if problems:
        raise RegistrationError(problems)
    try:
        with unit_of_work(db) as session:
            return user_repo.create_user(
                session,
                username=uname,
                password_hash=hash_password(password),
                email=(email or "").strip(),
                name=(name or "").strip(),
                role=role,
            )
    except DuplicateName as exc:
        raise RegistrationError(f"username '{uname}' is already taken") from exc


def ensure_admin(db: Db, *, username: str, password: str) -> bool:
    """Create the admin ``username`` with ``password`` unless that user exists (the
    ``PSS_ADMIN_USER`` / ``PSS_ADMIN_PASSWORD`` start-up account); returns whether it was
    created. An existing user is left as it is (its password is not reset). Raises
    :class:`RegistrationError` for a bad name or a weak password."""
    with unit_of_work(db) as session:
        if user_repo.get_user_by_username(session, username=normalise_username(username)) is not None:
            return False
    try:
        create_account(db, username=username, password=password)
    except RegistrationError as exc:
        if any("already taken" in p for p in exc.problems):  # another replica was faster
            return False
        raise
    return True


_WRONG = "wrong username or password"
_NOT_USABLE = {
    Approval.PENDING.value: "your account awaits approval by an administrator",
    Approval.REJECTED.value: "your registration was not approved; ask an administrator",
}


def authenticate(
    db: Db, *, username: str, password: str, client: str | None = None, now: datetime | None = None
) -> User:
    """Check a login from ``client`` (its address; see :mod:`webapp.lockout`). Returns the
    user (``last_login_at`` updated) or raises :class:`LoginError`: wrong username or
    password, locked (``retry_after_s``), deactivated, awaiting approval or rejected.
    Failures are counted in the DB before the error is raised."""
    now = now or utcnow()
    uname = normalise_username(username)
    failure: LoginError | None = None
    with unit_of_work(db) as session:
        user = user_repo.get_user_by_username(session, username=uname, for_update=True) if uname else None
        if user is None:
            verify_password(password, dummy_hash())
            raise LoginError(_WRONG)
        wait = lockout.locked_for(session, user, client, now)
        if wait:
            raise LoginError(f"too many failed logins: try again in {int(wait) + 1} s", retry_after_s=wait)
        if not verify_password(password, user.password_hash):
            lock = lockout.record_failure(session, user, client, now)
            failure = LoginError(_WRONG, retry_after_s=lock or None)
        elif not user.active:
            failure = LoginError("this account is deactivated; ask an administrator")
        elif user.approval in _NOT_USABLE:
            failure = LoginError(_NOT_USABLE[user.approval])
        else:
            lockout.record_success(session, user, client)
            user.last_login_at = now
            session.add(user)
    # the failure counter is committed before the error is raised
    if failure is not None:
        raise failure
    return user


def get_active_user(db: Db, *, user_id: int | None = None, username: str | None = None):
    """The user if it exists, is active and approved (for cookie re-login and per-run
    checks)."""
    with unit_of_work(db) as session:
        if user_id is not None:
            user = user_repo.get_user(session, user_id=user_id)
        elif username:
            user = user_repo.get_user_by_username(session, username=normalise_username(username))
        else:
            return None
    usable = user is not None and user.active and user.approval == Approval.APPROVED.value
    return user if usable else None


def end_sessions(db: Db, *, user_id: int) -> None:
    """Logout: bump the user's token version, so no re-login cookie issued before works
    any more (in this browser or a copy of it elsewhere)."""
    with unit_of_work(db) as session:
        user = user_repo.get_user(session, user_id=user_id)
        if user is not None:
            user_repo.update_user(session, user_id=user_id, token_version=user.token_version + 1)


def change_password(db: Db, *, user_id: int, old_password: str, new_password: str) -> None:
    """Change one's own password (the old one must be right; the new one meet the policy)."""
    with unit_of_work(db) as session:
        user = user_repo.get_user(session, user_id=user_id)
        if user is None or not user.active:
            raise PermissionDenied("your account is not active")
        if not verify_password(old_password, user.password_hash):
            raise AuthError("current password is wrong")
        problems = password_problems(new_password, username=user.username, known=[user.email, user.name])
        if new_password == old_password:
            problems.append("new password must differ from the current one")
        if problems:
            raise AuthError(problems)
        user_repo.update_user(
            session,
            user_id=user.id,
            password_hash=hash_password(new_password),
            token_version=user.token_version + 1,
        )


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
        if active:
            lockout.clear(session, target)
        return user_repo.update_user(session, user_id=user_id, active=bool(active))


def review_registration(db: Db, *, acting_user: Any, user_id: int, approve: bool) -> User:
    """Approve (the account can log in) or reject (it never can) a registration waiting
    for approval (admin only). Raises ``PermissionDenied`` for anyone else, ``NotFound``
    for no such user and :class:`AuthError` when the account is not waiting."""
    with unit_of_work(db) as session:
        _require_admin(session, acting_user)
        target = user_repo.get_user(session, user_id=user_id)
        if target is None:
            raise NotFound(f"user {user_id} not found")
        if target.approval != Approval.PENDING.value:
            raise AuthError(f"'{target.username}' is not waiting for approval ({target.approval})")
        decision = Approval.APPROVED if approve else Approval.REJECTED
        return user_repo.update_user(session, user_id=user_id, approval=decision.value)


def admin_reset_password(db: Db, *, acting_user: Any, user_id: int, new_password: str) -> None:
    """Set another user's password (admin only), clear their lock-out and end their
    re-login cookies."""
    with unit_of_work(db) as session:
        _require_admin(session, acting_user)
        target = user_repo.get_user(session, user_id=user_id)
        if target is None:
            raise NotFound(f"user {user_id} not found")
        problems = password_problems(new_password, username=target.username, known=[target.email, target.name])
        if problems:
            raise AuthError(problems)
        lockout.clear(session, target)
        user_repo.update_user(
            session,
            user_id=user_id,
            password_hash=hash_password(new_password),
            token_version=target.token_version + 1,
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
