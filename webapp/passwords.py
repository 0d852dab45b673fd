"""Passwords and names of accounts: bcrypt hashing and the rules a username, an email
address and a password must meet (the same rules on registration, password change, admin
reset and the admin command line).

Password rule: at least :data:`MIN_PASSWORD` characters with a letter and a digit, not the
username, at most :data:`MAX_PASSWORD_BYTES` bytes (bcrypt's limit), and hard to guess:
``zxcvbn`` (the username, email and name count as known words) must score it at least
:data:`MIN_STRENGTH` of 4; its feedback is part of the refusal.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
MIN_PASSWORD = 10
MAX_PASSWORD_BYTES = 72
#: the least zxcvbn score (0..4) of an accepted password
MIN_STRENGTH = 3


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
def dummy_hash() -> str:
    """Checked for unknown usernames, so they cost the same time as a wrong password."""
    return hash_password("not-a-real-password-0")


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


def strength_problems(password: str, known: Iterable[str] = ()) -> list[str]:
    """Why zxcvbn finds ``password`` too easy to guess ([] when it scores at least
    :data:`MIN_STRENGTH`); ``known`` are words of the account (username, email, name)."""
    from zxcvbn import zxcvbn

    verdict = zxcvbn(password, user_inputs=[k for k in known if k])
    if verdict["score"] >= MIN_STRENGTH:
        return []
    feedback = verdict.get("feedback") or {}
    hints = [feedback.get("warning") or "", *(feedback.get("suggestions") or [])]
    hint = " ".join(h.strip() for h in hints if h and h.strip())
    return [
        f"password is too easy to guess (strength {verdict['score']} of 4, needs {MIN_STRENGTH})"
        + (f": {hint}" if hint else "")
    ]


def password_problems(password: str, *, username: str = "", known: Iterable[str] = ()) -> list[str]:
    """Every way ``password`` breaks the policy ([] when it is acceptable). The strength is
    judged once the length and character rules hold; ``known`` are further words of the
    account (email, name) a guesser would try."""
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
    if not problems:
        problems += strength_problems(password, [normalise_username(username), *known])
    return problems
