"""Settings: data directory, database URL, cookie key."""

from __future__ import annotations

import stat

from webapp import settings


def test_defaults_and_overrides(tmp_path):
    s = settings.load_settings({})
    assert s.data_dir == settings.PROJECT_ROOT / "var"
    assert s.database_url == f"sqlite:///{settings.PROJECT_ROOT / 'var' / 'studio.sqlite3'}"
    assert s.is_sqlite and s.max_upload_bytes == 20 * 1024 * 1024
    s = settings.load_settings(
        {
            "PSS_DATA_DIR": str(tmp_path),
            "DATABASE_URL": "postgresql://u:p@db:5432/studio",
            "PSS_MAX_UPLOAD_MB": "5",
        }
    )
    assert s.data_dir == tmp_path.resolve()
    assert s.database_url == "postgresql+psycopg://u:p@db:5432/studio"
    assert not s.is_sqlite and s.max_upload_mb == 5
    assert settings.normalise_database_url("postgres://x/y") == "postgresql+psycopg://x/y"
    assert settings.normalise_database_url("sqlite:///a.db") == "sqlite:///a.db"


def test_cookie_key_from_env_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("PSS_COOKIE_KEY", "from-env")
    s = settings.load_settings({"PSS_DATA_DIR": str(tmp_path)})
    assert settings.cookie_key(s, use_secrets=False) == "from-env"
    assert not (tmp_path / settings.COOKIE_KEY_FILE).exists()


def test_dev_cookie_key_generated_once_with_0600(tmp_path, monkeypatch):
    monkeypatch.delenv("PSS_COOKIE_KEY", raising=False)
    s = settings.load_settings({"PSS_DATA_DIR": str(tmp_path / "data")})
    first = settings.cookie_key(s, use_secrets=False)
    second = settings.cookie_key(s, use_secrets=False)
    assert first == second and len(first) >= 32
    path = tmp_path / "data" / settings.COOKIE_KEY_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_plant_time_zone_setting_is_an_iana_zone():
    import pytest

    from scheduler_core.errors import InputError
    from webapp.settings import load_settings

    assert load_settings({}).time_zone == "UTC"
    assert load_settings({"PSS_TIMEZONE": "Europe/Zagreb"}).time_zone == "Europe/Zagreb"
    with pytest.raises(InputError, match="unknown time zone 'CEST'"):
        load_settings({"PSS_TIMEZONE": "CEST"})
