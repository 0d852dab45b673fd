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
``PSS_STUCK_RUN_GRACE_MIN``  runs started this long before process start are       ``0``
                       marked failed at start (raise it with several replicas)
``PSS_TIMEZONE``       IANA time zone of a plant that names none (shop plans)      ``UTC``
=====================  ==========================================================  ==========

The cookie key comes from ``PSS_COOKIE_KEY``, else from Streamlit secrets
(``cookie_key`` in ``.streamlit/secrets.toml``), else — development only — a random key is
generated once and stored in ``<data dir>/cookie_key`` with permissions 0600. Never commit
a key.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from scheduler_core.zones import default_zone_name

PROJECT_ROOT = Path(__file__).resolve().parent.parent
COOKIE_KEY_FILE = "cookie_key"
SQLITE_FILE = "studio.sqlite3"


@dataclass(frozen=True)
class Settings:
    """The app's settings from the environment: data folder, database URL, cookie, upload
    limit (MB), the grace before a stuck run is failed (minutes) and the default plant time
    zone.
    """
    data_dir: Path
    database_url: str
    cookie_name: str
    cookie_expiry_days: float
    max_upload_mb: int
    stuck_run_grace_min: float
    #: the plant time zone of a plant that names none (an IANA name)
    time_zone: str = "UTC"

    @property
    def max_upload_bytes(self) -> int:
        """The upload limit in bytes."""
        return self.max_upload_mb * 1024 * 1024

    @property
    def is_sqlite(self) -> bool:
        """Whether the database is a SQLite file."""
        return self.database_url.startswith("sqlite")


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for Postgres URLs written without a driver."""
    url = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Build settings from ``env`` (default ``os.environ``). Does not touch the disk.
    Raises ``InputError`` when ``PSS_TIMEZONE`` names no IANA time zone."""
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
        stuck_run_grace_min=float(env.get("PSS_STUCK_RUN_GRACE_MIN", "0")),
        time_zone=default_zone_name(env),
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
    """The secret that signs re-login cookies. See the module docstring for the order."""
    settings = settings or get_settings()
    key = os.environ.get("PSS_COOKIE_KEY", "").strip()
    if key:
        return key
    if use_secrets:
        key = _secrets_cookie_key() or ""
        if key:
            return key
    return _dev_cookie_key(settings.data_dir)


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
