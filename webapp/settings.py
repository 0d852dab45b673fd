"""Application settings, read from the environment (and Streamlit secrets for the cookie key).

=====================  ==========================================================  ==========
variable               meaning                                                     default
=====================  ==========================================================  ==========
``PSS_DATA_DIR``       directory for the SQLite file and the dev cookie key        ``<project>/var``
``DATABASE_URL``       SQLAlchemy URL; ``postgresql://`` is mapped to psycopg 3    SQLite file
``PSS_COOKIE_KEY``     secret that signs the re-login cookie                       see below
``PSS_COOKIE_NAME``    name of the re-login cookie                                 ``pss_auth``
``PSS_COOKIE_DAYS``    lifetime of the re-login cookie in days (0 = no cookie)     ``7``
``PSS_MAX_UPLOAD_MB``  largest accepted upload                                     ``20``
``PSS_TIMEZONE``       IANA time zone of a plant that names none (shop plans)      ``UTC``
``PSS_DATE_ORDER``     ``DMY``/``MDY``: how to read ``05/06/2026`` (else refused)  unset
``PSS_REGISTRATION``   who may register: ``open``, ``approval`` (an admin approves  see below
                       new accounts) or ``closed`` (no registration form)
``PSS_MAX_SOLVES``     solver runs at once in this process (more wait in a queue)  CPU count
``PSS_PROXY_HOPS``     reverse proxies in front of the app that append to          ``0``
                       ``X-Forwarded-For`` (0: the socket's address is the client)
``PSS_ADMIN_USER``     an admin account created at start if it does not exist      (none)
``PSS_ADMIN_PASSWORD`` its password (read only at start, never kept in settings)   (none)
=====================  ==========================================================  ==========

``PSS_REGISTRATION`` defaults to ``open`` on the single-user SQLite default (the first
account registered becomes the admin) and to ``approval`` on Postgres. Any mode but ``open``
on SQLite is a *shared deployment*: the first admin comes from ``python -m webapp admin
create NAME`` or ``PSS_ADMIN_USER``, never from being first to register.

The cookie key comes from ``PSS_COOKIE_KEY``, else from Streamlit secrets
(``cookie_key`` in ``.streamlit/secrets.toml``), else — development only — a random key is
generated once and stored in ``<data dir>/cookie_key`` with permissions 0600. Never commit
a key. On Postgres (a shared deployment) a configured key shorter than
:data:`MIN_COOKIE_KEY` characters stops the app.

An unknown or malformed value of any variable stops the app with a message naming it
(:class:`SettingsError`), never a silent default.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scheduler_core.cells import date_order
from scheduler_core.errors import InputError, Problem
from scheduler_core.zones import default_zone_name

PROJECT_ROOT = Path(__file__).resolve().parent.parent
COOKIE_KEY_FILE = "cookie_key"
SQLITE_FILE = "studio.sqlite3"
#: the shortest cookie key accepted on Postgres
MIN_COOKIE_KEY = 32
#: the values of ``PSS_REGISTRATION``
REGISTRATION_MODES = ("open", "approval", "closed")


class SettingsError(InputError):
    """A variable of the environment has a value the app cannot run with (the message names
    it); the app stops with it at start instead of guessing."""


@dataclass(frozen=True)
class Settings:
    """The app's settings from the environment: data folder, database URL, cookie, upload
    limit (MB), the default plant time zone, who may register, how many solver runs run at
    once and how many proxies stand in front of the app.
    """
    data_dir: Path
    database_url: str
    cookie_name: str
    cookie_expiry_days: float
    max_upload_mb: int
    #: the plant time zone of a plant that names none (an IANA name)
    time_zone: str = "UTC"
    #: ``open``, ``approval`` or ``closed``
    registration: str = "open"
    #: solver runs at once in this process
    max_solves: int = 1
    #: reverse proxies that append to ``X-Forwarded-For``
    proxy_hops: int = 0
    #: the admin account created at start when it does not exist ("" = none)
    admin_user: str = ""
    #: how ambiguous slash dates are read: ``DMY``, ``MDY`` or ``None`` (refused)
    date_order: str | None = None

    @property
    def max_upload_bytes(self) -> int:
        """The upload limit in bytes."""
        return self.max_upload_mb * 1024 * 1024

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is a SQLite file."""
        return self.database_url.startswith("sqlite")

    @property
    def shared(self) -> bool:
        """Whether this is a shared deployment: anything but open registration on SQLite.
        There the first admin never comes from registering first."""
        return not (self.is_sqlite and self.registration == "open")


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for Postgres URLs written without a driver."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _whole(env: dict[str, str], name: str, default: int, *, least: int) -> int:
    """The whole number in ``env[name]`` (``default`` when unset), at least ``least``."""
    text = env.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        raise SettingsError(Problem(f"{name} must be a whole number of at least {least}, got {text!r}"))
    return value


def _registration(env: dict[str, str], is_sqlite: bool) -> str:
    text = env.get("PSS_REGISTRATION", "").strip().lower()
    if not text:
        return "open" if is_sqlite else "approval"
    if text not in REGISTRATION_MODES:
        raise SettingsError(
            Problem(f"PSS_REGISTRATION must be one of {', '.join(REGISTRATION_MODES)}, got {text!r}")
        )
    return text


def _zone(env: dict[str, str]) -> str:
    try:
        return default_zone_name(env)
    except InputError as exc:
        raise SettingsError(exc.problems) from None


def _date_order(env: dict[str, str]) -> str | None:
    try:
        return date_order(env)
    except ValueError as exc:
        raise SettingsError(Problem(str(exc))) from None


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build settings from ``env`` (default ``os.environ``). Does not touch the disk.
    Raises :class:`SettingsError` (an ``InputError``) naming the variable when ``PSS_TIMEZONE`` names no IANA time zone,
    ``PSS_REGISTRATION`` is not a known mode, ``PSS_DATE_ORDER`` is not ``DMY``/``MDY``, or ``PSS_MAX_SOLVES`` / ``PSS_PROXY_HOPS`` is
    not a whole number in range."""
    env = dict(os.environ if env is None else env)
    data_dir = Path(env.get("PSS_DATA_DIR") or PROJECT_ROOT / "var").expanduser().resolve()
    url = env.get("DATABASE_URL", "").strip()
    url = normalise_database_url(url) if url else f"sqlite:///{data_dir / SQLITE_FILE}"
    return Settings(
        data_dir=data_dir,
        database_url=url,
        cookie_name=env.get("PSS_COOKIE_NAME", "pss_auth"),
        cookie_expiry_days=float(env.get("PSS_COOKIE_DAYS", "7")),
        max_upload_mb=int(env.get("PSS_MAX_UPLOAD_MB", "20")),
        time_zone=_zone(env),
        registration=_registration(env, url.startswith("sqlite")),
        max_solves=_whole(env, "PSS_MAX_SOLVES", os.cpu_count() or 1, least=1),
        proxy_hops=_whole(env, "PSS_PROXY_HOPS", 0, least=0),
        admin_user=env.get("PSS_ADMIN_USER", "").strip(),
        date_order=_date_order(env),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return load_settings()


def _secrets_cookie_key() -> str | None:
    try:
        import streamlit as st

        value = st.secrets.get("cookie_key")
    except Exception:  # no secrets file, or no Streamlit runtime  # noqa: BLE001
        return None
    return str(value) if value else None


def cookie_key(settings: Settings | None = None, *, use_secrets: bool = True) -> str:
    """The secret that signs re-login cookies. See the module docstring for the order.
    Raises :class:`SettingsError` naming ``PSS_COOKIE_KEY`` when, on Postgres, the configured key is
    shorter than :data:`MIN_COOKIE_KEY` characters."""
    settings = settings or get_settings()
    key = os.environ.get("PSS_COOKIE_KEY", "").strip()
    if not key and use_secrets:
        key = _secrets_cookie_key() or ""
    if not key:
        return _dev_cookie_key(settings.data_dir)
    if not settings.is_sqlite and len(key) < MIN_COOKIE_KEY:
        raise SettingsError(
            Problem(
                f"PSS_COOKIE_KEY (or cookie_key in the Streamlit secrets) must be at least "
                f"{MIN_COOKIE_KEY} characters on a shared (Postgres) deployment, got {len(key)}"
            )
        )
    return key


def _dev_cookie_key(data_dir: Path) -> str:
    """Read (or create once, mode 0600) the development cookie key in the data directory."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / COOKIE_KEY_FILE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")
    return key
