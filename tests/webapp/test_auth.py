"""Accounts: registration rules and modes (open, approval, closed), the first admin of a
shared deployment, login failures and lock-out, cookie revocation, roles and admin
actions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from webapp import auth
from webapp.db.engine import session_scope
from webapp.db.models import utcnow
from webapp.db.repos import users as user_repo
from webapp.errors import PermissionDenied
from webapp.settings import load_settings

GOOD = "Sunflower-2030"
NEW = "Harbour-lantern-2031"
#: the single-user default: SQLite, open registration (the first account becomes admin)
OPEN = load_settings({})


def _register(engine, username, password=GOOD, email=None, settings=OPEN):
    return auth.register_user(
        engine,
        username=username,
        email=email or f"{username}@example.com",
        password=password,
        name=username.title(),
        settings=settings,
    )


def test_first_user_is_admin_then_planners(engine):
    first = _register(engine, "Anna")
    second = _register(engine, "ben")
    assert first.role == "admin" and first.username == "anna"
    assert second.role == "planner"
    assert first.password_hash != GOOD and auth.verify_password(GOOD, first.password_hash)


def test_duplicate_username_case_insensitive(engine):
    _register(engine, "anna")
    with pytest.raises(auth.RegistrationError, match="already taken"):
        _register(engine, "ANNA")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short1a", "at least 10"),
        ("onlyletterspassword", "digit"),
        ("1234567890123", "letter"),
        ("carlos12345", "username"),
        ("x1" * 40, "72 bytes"),
    ],
)
def test_weak_passwords_rejected(engine, password, reason):
    with pytest.raises(auth.RegistrationError) as info:
        _register(engine, "carlos12345", password=password)
    assert any(reason in p for p in info.value.problems)
    with session_scope(engine) as s:
        assert user_repo.count_users(s) == 0


def test_bad_username_and_email_all_reported(engine):
    with pytest.raises(auth.RegistrationError) as info:
        auth.register_user(engine, username="a b", email="not-an-email", password="short")
    text = " ".join(info.value.problems)
    assert "username" in text and "email" in text and "at least 10" in text


def test_login_ok_and_wrong_password(engine):
    _register(engine, "anna")
    with pytest.raises(auth.LoginError, match="wrong username or password"):
        auth.authenticate(engine, username="anna", password="Wrong-password-1")
    with pytest.raises(auth.LoginError, match="wrong username or password"):
        auth.authenticate(engine, username="nobody", password=GOOD)
    user = auth.authenticate(engine, username=" ANNA ", password=GOOD)
    assert user.last_login_at is not None and user.failed_logins == 0


def test_deactivated_user_cannot_log_in(engine):
    admin = _register(engine, "anna")
    ben = _register(engine, "ben")
    auth.set_active(engine, acting_user=admin, user_id=ben.id, active=False)
    with pytest.raises(auth.LoginError, match="deactivated"):
        auth.authenticate(engine, username="ben", password=GOOD)
    assert auth.get_active_user(engine, username="ben") is None
    auth.set_active(engine, acting_user=admin, user_id=ben.id, active=True)
    assert auth.authenticate(engine, username="ben", password=GOOD).id == ben.id


def test_lockout_after_repeated_failures(engine):
    _register(engine, "anna")
    now = utcnow()
    for _ in range(auth.LOCKOUT_AFTER - 1):
        with pytest.raises(auth.LoginError) as info:
            auth.authenticate(engine, username="anna", password="bad-guess-123", now=now)
        assert info.value.retry_after_s is None
    with pytest.raises(auth.LoginError) as info:
        auth.authenticate(engine, username="anna", password="bad-guess-123", now=now)
    assert info.value.retry_after_s == auth.LOCKOUT_BASE_S
    # locked: even the right password is refused
    with pytest.raises(auth.LoginError, match="too many failed logins"):
        auth.authenticate(engine, username="anna", password=GOOD, now=now + timedelta(seconds=5))
    # after the lock, one more failure doubles it
    later = now + timedelta(seconds=auth.LOCKOUT_BASE_S + 1)
    with pytest.raises(auth.LoginError) as info:
        auth.authenticate(engine, username="anna", password="bad-guess-123", now=later)
    assert info.value.retry_after_s == 2 * auth.LOCKOUT_BASE_S
    with session_scope(engine) as s:
        stored = user_repo.get_user_by_username(s, username="anna")
        assert stored.failed_logins == auth.LOCKOUT_AFTER + 1  # the username's counter
        row = user_repo.get_login_failure(s, user_id=stored.id, client="unknown")
        assert row.failures == auth.LOCKOUT_AFTER + 1
        assert row.locked_until == later + timedelta(seconds=2 * auth.LOCKOUT_BASE_S)
    # after the lock expires the right password works and resets the counter
    user = auth.authenticate(
        engine, username="anna", password=GOOD, now=later + timedelta(seconds=61)
    )
    assert user.failed_logins == 0 and user.locked_until is None
    with session_scope(engine) as s:
        assert user_repo.get_login_failure(s, user_id=user.id, client="unknown") is None


def test_lockout_is_capped():
    assert auth.lockout_seconds(4) == 0
    assert auth.lockout_seconds(5) == auth.LOCKOUT_BASE_S
    assert auth.lockout_seconds(50) == auth.LOCKOUT_MAX_S


def test_change_password(engine):
    anna = _register(engine, "anna")
    with pytest.raises(auth.AuthError, match="current password is wrong"):
        auth.change_password(
            engine, user_id=anna.id, old_password="nope-nope-1", new_password=NEW
        )
    with pytest.raises(auth.AuthError, match="at least 10"):
        auth.change_password(engine, user_id=anna.id, old_password=GOOD, new_password="a1")
    auth.change_password(engine, user_id=anna.id, old_password=GOOD, new_password=NEW)
    with pytest.raises(auth.LoginError):
        auth.authenticate(engine, username="anna", password=GOOD)
    changed = auth.authenticate(engine, username="anna", password=NEW)
    assert changed.id == anna.id and changed.token_version == anna.token_version + 1  # old cookies end


def test_update_profile(engine):
    anna = _register(engine, "anna")
    with pytest.raises(auth.AuthError):
        auth.update_profile(engine, user_id=anna.id, email="bad")
    updated = auth.update_profile(engine, user_id=anna.id, email="a@b.org", name="Anna K")
    assert updated.email == "a@b.org" and updated.name == "Anna K"


def test_admin_functions_need_admin(engine):
    admin = _register(engine, "anna")
    ben = _register(engine, "ben")
    with pytest.raises(PermissionDenied):
        auth.list_users(engine, acting_user=ben)
    with pytest.raises(PermissionDenied):
        auth.set_role(engine, acting_user=ben, user_id=ben.id, role="admin")
    with pytest.raises(PermissionDenied):
        auth.set_active(engine, acting_user=ben, user_id=admin.id, active=False)
    with pytest.raises(PermissionDenied):
        auth.admin_reset_password(
            engine, acting_user=ben, user_id=admin.id, new_password="Hijacked-2030"
        )
    page = auth.list_users(engine, acting_user=admin)
    assert [u.username for u in page.items] == ["anna", "ben"]
    assert auth.set_role(engine, acting_user=admin, user_id=ben.id, role="viewer").role == "viewer"
    with pytest.raises(auth.AuthError):
        auth.set_role(engine, acting_user=admin, user_id=ben.id, role="superuser")
    auth.admin_reset_password(
        engine, acting_user=admin, user_id=ben.id, new_password="Reset-pass-2030"
    )
    reset = auth.authenticate(engine, username="ben", password="Reset-pass-2030")
    assert reset.id == ben.id and reset.token_version == ben.token_version + 1


def test_demoted_admin_loses_admin_rights_at_once(engine):
    admin = _register(engine, "anna")
    ben = _register(engine, "ben")
    auth.set_role(engine, acting_user=admin, user_id=ben.id, role="admin")
    auth.set_role(engine, acting_user=ben, user_id=admin.id, role="planner")
    # the stale object still says admin, the DB does not
    with pytest.raises(PermissionDenied):
        auth.list_users(engine, acting_user=admin)


def test_last_admin_cannot_be_demoted_or_deactivated(engine):
    admin = _register(engine, "anna")
    with pytest.raises(PermissionDenied, match="last active administrator"):
        auth.set_role(engine, acting_user=admin, user_id=admin.id, role="planner")
    with pytest.raises(PermissionDenied, match="last active administrator"):
        auth.set_active(engine, acting_user=admin, user_id=admin.id, active=False)
    ben = _register(engine, "ben")
    auth.set_role(engine, acting_user=admin, user_id=ben.id, role="admin")
    auth.set_active(engine, acting_user=admin, user_id=admin.id, active=False)
    with session_scope(engine) as s:
        assert user_repo.count_active_admins(s) == 1
    with pytest.raises(PermissionDenied):
        auth.set_active(engine, acting_user=ben, user_id=ben.id, active=False)


# ------------------------------------------------------------- who may register (item 9)

APPROVAL = load_settings({"PSS_REGISTRATION": "approval"})
CLOSED = load_settings({"PSS_REGISTRATION": "closed"})
SHARED_OPEN = load_settings({"DATABASE_URL": "postgresql://db/studio", "PSS_REGISTRATION": "open"})


def test_approval_mode_accounts_wait_for_an_admin(engine):
    admin = auth.create_account(engine, username="root-admin", password=GOOD)
    ben = _register(engine, "ben", settings=APPROVAL)
    cleo = _register(engine, "cleo", settings=APPROVAL)
    assert ben.approval == "pending" and ben.role == "planner"
    with pytest.raises(auth.LoginError, match="awaits approval by an administrator"):
        auth.authenticate(engine, username="ben", password=GOOD)
    assert auth.get_active_user(engine, user_id=ben.id) is None  # no cookie re-login either
    waiting = auth.list_users(engine, acting_user=admin, approval="pending")
    assert [u.username for u in waiting.items] == ["ben", "cleo"]
    with pytest.raises(PermissionDenied):
        auth.review_registration(engine, acting_user=ben, user_id=ben.id, approve=True)
    auth.review_registration(engine, acting_user=admin, user_id=ben.id, approve=True)
    auth.review_registration(engine, acting_user=admin, user_id=cleo.id, approve=False)
    assert auth.authenticate(engine, username="ben", password=GOOD).id == ben.id
    with pytest.raises(auth.LoginError, match="not approved"):
        auth.authenticate(engine, username="cleo", password=GOOD)
    with pytest.raises(auth.AuthError, match="not waiting"):
        auth.review_registration(engine, acting_user=admin, user_id=cleo.id, approve=True)


def test_closed_mode_refuses_registration(engine):
    with pytest.raises(auth.RegistrationError, match="registration is closed"):
        _register(engine, "anna", settings=CLOSED)
    with session_scope(engine) as s:
        assert user_repo.count_users(s) == 0


@pytest.mark.parametrize("settings", [APPROVAL, SHARED_OPEN], ids=["approval", "postgres-open"])
def test_first_registration_of_a_shared_deployment_is_no_admin(engine, settings):
    first = _register(engine, "mallory", settings=settings)
    assert first.role == "planner"


def test_create_account_makes_an_approved_admin_whatever_the_mode(engine):
    admin = auth.create_account(engine, username="Boss", password=GOOD)
    assert (admin.username, admin.role, admin.approval, admin.email) == ("boss", "admin", "approved", "")
    with pytest.raises(auth.RegistrationError, match="already taken"):
        auth.create_account(engine, username="boss", password=GOOD)
    with pytest.raises(auth.RegistrationError, match="too easy to guess"):
        auth.create_account(engine, username="second", password="Password123")


def test_ensure_admin_creates_once_and_never_resets(engine):
    assert auth.ensure_admin(engine, username="ops", password=GOOD) is True
    assert auth.ensure_admin(engine, username="ops", password="Other-lantern-2044") is False
    assert auth.authenticate(engine, username="ops", password=GOOD).role == "admin"


# ------------------------------------------------------------ secrets and sessions (item 10)


def test_end_sessions_bumps_the_token_version(engine):
    anna = _register(engine, "anna")
    auth.end_sessions(engine, user_id=anna.id)
    auth.end_sessions(engine, user_id=anna.id)
    assert auth.get_active_user(engine, user_id=anna.id).token_version == anna.token_version + 2


@pytest.mark.parametrize("weak", ["Password123", "Qwerty12345", "Summer2024!"])
def test_easy_passwords_refused_everywhere_with_feedback(engine, weak):
    with pytest.raises(auth.RegistrationError) as info:
        _register(engine, "anna", password=weak)
    (problem,) = info.value.problems
    assert "too easy to guess" in problem
    anna = _register(engine, "anna")
    with pytest.raises(auth.AuthError, match="too easy to guess"):
        auth.change_password(engine, user_id=anna.id, old_password=GOOD, new_password=weak)
    ben = _register(engine, "ben")
    with pytest.raises(auth.AuthError, match="too easy to guess"):
        auth.admin_reset_password(engine, acting_user=anna, user_id=ben.id, new_password=weak)
