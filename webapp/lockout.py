"""Lock-out after failed logins, per client and per username.

A *client* is the address a login comes from (see ``ui.login.client_address``). Two
counters, both kept in the database so every replica sees them:

* per (user, client) — ``login_failures``: after :data:`LOCKOUT_AFTER` consecutive
  failures from that client, each further failure locks that client out of that account
  for ``LOCKOUT_BASE_S * 2**(failures - LOCKOUT_AFTER)`` seconds (at most
  :data:`LOCKOUT_MAX_S`). A stranger guessing from elsewhere therefore locks out only
  themselves, not the account's owner.
* per username — ``users.failed_logins`` / ``users.locked_until``: failures from every
  client together; from :data:`GLOBAL_LOCKOUT_AFTER` on the same doubling lock applies to
  every client. It stops guessing spread over many addresses (at most about
  ``GLOBAL_LOCKOUT_AFTER`` guesses, then one per lock), at the price that such an attack can
  lock the owner out too.

A correct password during a lock is refused as well; a successful login clears the
client's counter and the username's counter.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from webapp.db.models import User
from webapp.db.repos import users as user_repo

LOCKOUT_AFTER = 5
GLOBAL_LOCKOUT_AFTER = 100
LOCKOUT_BASE_S = 30
LOCKOUT_MAX_S = 3600
#: the client of a login whose address is not known
UNKNOWN_CLIENT = "unknown"


def lockout_seconds(failures: int, *, after: int = LOCKOUT_AFTER) -> float:
    """Lock duration after ``failures`` consecutive failures (0 below ``after``)."""
    if failures < after:
        return 0.0
    return float(min(LOCKOUT_MAX_S, LOCKOUT_BASE_S * 2 ** min(failures - after, 16)))


def client_key(client: str | None) -> str:
    """The stored form of a client address (trimmed, at most 64 characters)."""
    return (client or "").strip()[:64] or UNKNOWN_CLIENT


def locked_for(session: Session, user: User, client: str, now: datetime) -> float:
    """Seconds until ``user`` may try again from ``client`` (0: not locked)."""
    row = user_repo.get_login_failure(session, user_id=user.id, client=client_key(client))
    until = [t for t in (user.locked_until, row.locked_until if row else None) if t is not None and t > now]
    return max((t - now).total_seconds() for t in until) if until else 0.0


def record_failure(session: Session, user: User, client: str, now: datetime) -> float:
    """Count a failed login of ``user`` from ``client``; returns the lock it starts (seconds,
    0 for none)."""
    key = client_key(client)
    row = user_repo.get_login_failure(session, user_id=user.id, client=key)
    failures = (row.failures if row else 0) + 1
    lock = lockout_seconds(failures)
    user_repo.save_login_failure(
        session,
        user_id=user.id,
        client=key,
        failures=failures,
        locked_until=now + timedelta(seconds=lock) if lock else None,
        at=now,
    )
    user.failed_logins += 1
    global_lock = lockout_seconds(user.failed_logins, after=GLOBAL_LOCKOUT_AFTER)
    user.locked_until = now + timedelta(seconds=global_lock) if global_lock else None
    session.add(user)
    return max(lock, global_lock)


def record_success(session: Session, user: User, client: str) -> None:
    """Clear the counters of ``user``: from ``client`` and for the username."""
    user_repo.clear_login_failures(session, user_id=user.id, client=client_key(client))
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)


def clear(session: Session, user: User) -> None:
    """Clear every lock of ``user`` (admin re-activation or password reset)."""
    user_repo.clear_login_failures(session, user_id=user.id)
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
