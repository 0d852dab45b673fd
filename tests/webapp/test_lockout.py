"""Lock-out per (user, client) and per username: a stranger failing from another client
cannot lock the account's owner out; guessing spread over many clients still hits the
username's cap."""

from __future__ import annotations

from datetime import timedelta

import pytest

from webapp import auth, lockout
from webapp.db.engine import session_scope
from webapp.db.models import utcnow
from webapp.db.repos import users as user_repo
from webapp.settings import load_settings

GOOD = "Sunflower-2030"
WRONG = "bad-guess-123"


@pytest.fixture
def anna(engine):
    return auth.register_user(engine, username="anna", email="anna@example.com", password=GOOD, settings=load_settings({}))


def _fail(engine, client: str, now, times: int = 1) -> auth.LoginError:
    for _ in range(times):
        with pytest.raises(auth.LoginError) as info:
            auth.authenticate(engine, username="anna", password=WRONG, client=client, now=now)
    return info.value


def test_another_clients_failures_do_not_lock_this_client(engine, anna):
    now = utcnow()
    last = _fail(engine, "203.0.113.9", now, times=lockout.LOCKOUT_AFTER)
    assert last.retry_after_s == lockout.LOCKOUT_BASE_S
    # the stranger is locked out, even with the right password …
    with pytest.raises(auth.LoginError, match="too many failed logins"):
        auth.authenticate(engine, username="anna", password=GOOD, client="203.0.113.9", now=now)
    # … the owner, from their own client, is not
    user = auth.authenticate(engine, username="anna", password=GOOD, client="198.51.100.7", now=now)
    assert user.id == anna.id
    with session_scope(engine) as s:  # the owner's success cleared only their own client
        assert user_repo.get_login_failure(s, user_id=anna.id, client="203.0.113.9").failures == lockout.LOCKOUT_AFTER
        assert user_repo.get_user(s, user_id=anna.id).failed_logins == 0


def test_guessing_from_many_clients_hits_the_username_cap(engine, anna):
    now = utcnow()
    clients = [f"10.0.{k // 250}.{k % 250}" for k in range(lockout.GLOBAL_LOCKOUT_AFTER // 2)]
    for client in clients:  # two guesses each: no client reaches its own limit
        _fail(engine, client, now, times=2)
    with session_scope(engine) as s:
        stored = user_repo.get_user(s, user_id=anna.id)
        assert stored.failed_logins == lockout.GLOBAL_LOCKOUT_AFTER
        assert stored.locked_until == now + timedelta(seconds=lockout.LOCKOUT_BASE_S)
    with pytest.raises(auth.LoginError, match="too many failed logins"):
        auth.authenticate(engine, username="anna", password=GOOD, client="198.51.100.7", now=now)
    later = now + timedelta(seconds=lockout.LOCKOUT_BASE_S + 1)
    assert auth.authenticate(engine, username="anna", password=GOOD, client="198.51.100.7", now=later).id == anna.id


def test_reactivation_clears_every_lock(engine, anna):
    ben = auth.register_user(engine, username="ben", email="ben@example.com", password=GOOD, settings=load_settings({}))
    now = utcnow()
    for _ in range(lockout.LOCKOUT_AFTER):
        with pytest.raises(auth.LoginError):
            auth.authenticate(engine, username="ben", password=WRONG, client="x", now=now)
    auth.set_active(engine, acting_user=anna, user_id=ben.id, active=False)
    auth.set_active(engine, acting_user=anna, user_id=ben.id, active=True)
    assert auth.authenticate(engine, username="ben", password=GOOD, client="x", now=now).id == ben.id


def test_lockout_seconds_and_client_key():
    assert lockout.lockout_seconds(4) == 0
    assert lockout.lockout_seconds(5) == lockout.LOCKOUT_BASE_S
    assert lockout.lockout_seconds(10_000) == lockout.LOCKOUT_MAX_S
    assert lockout.lockout_seconds(99, after=lockout.GLOBAL_LOCKOUT_AFTER) == 0
    assert lockout.client_key(None) == lockout.client_key("  ") == lockout.UNKNOWN_CLIENT
    assert lockout.client_key("x" * 100) == "x" * 64
