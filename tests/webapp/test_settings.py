"""Settings: data directory, database URL, cookie key, time zone, registration mode,
solver limit, proxies; values the app cannot run with are refused naming the variable."""

from __future__ import annotations

import stat

import pytest

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


# ------------------------------------------------------------------ shared deployment


PG = {"DATABASE_URL": "postgresql://u:p@db/studio"}


def test_registration_defaults_open_on_sqlite_approval_on_postgres():
    sqlite = settings.load_settings({})
    assert sqlite.registration == "open" and not sqlite.shared
    pg = settings.load_settings(PG)
    assert pg.registration == "approval" and pg.shared
    assert settings.load_settings({"PSS_REGISTRATION": " Closed "}).registration == "closed"
    assert settings.load_settings({"PSS_REGISTRATION": "approval"}).shared  # SQLite, not open
    assert settings.load_settings({**PG, "PSS_REGISTRATION": "open"}).shared  # Postgres


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"PSS_REGISTRATION": "invite"}, "PSS_REGISTRATION"),
        ({"PSS_MAX_SOLVES": "0"}, "PSS_MAX_SOLVES"),
        ({"PSS_MAX_SOLVES": "two"}, "PSS_MAX_SOLVES"),
        ({"PSS_PROXY_HOPS": "-1"}, "PSS_PROXY_HOPS"),
        ({"PSS_TIMEZONE": "CEST"}, "unknown time zone"),
        ({"PSS_DATE_ORDER": "YMD"}, "PSS_DATE_ORDER must be DMY or MDY"),
    ],
)
def test_unknown_values_stop_the_app_naming_the_variable(env, name):
    with pytest.raises(settings.SettingsError, match=name):
        settings.load_settings(env)


def test_solver_limit_defaults_to_the_cpu_count():
    import os

    assert settings.load_settings({}).max_solves == (os.cpu_count() or 1)
    assert settings.load_settings({"PSS_MAX_SOLVES": "3"}).max_solves == 3
    assert settings.load_settings({"PSS_PROXY_HOPS": "1"}).proxy_hops == 1


def test_short_cookie_key_stops_a_postgres_deployment(tmp_path, monkeypatch):
    monkeypatch.setenv("PSS_COOKIE_KEY", "short-but-set")
    pg = settings.load_settings({**PG, "PSS_DATA_DIR": str(tmp_path)})
    with pytest.raises(settings.SettingsError, match="PSS_COOKIE_KEY") as info:
        settings.cookie_key(pg, use_secrets=False)
    assert "short-but-set" not in str(info.value)  # the secret is never echoed
    # the single-user SQLite default accepts it; a long key is fine on Postgres
    assert settings.cookie_key(settings.load_settings({"PSS_DATA_DIR": str(tmp_path)}), use_secrets=False)
    monkeypatch.setenv("PSS_COOKIE_KEY", "k" * settings.MIN_COOKIE_KEY)
    assert settings.cookie_key(pg, use_secrets=False) == "k" * 32



def test_date_order_setting():
    assert settings.load_settings({}).date_order is None
    assert settings.load_settings({"PSS_DATE_ORDER": "mdy"}).date_order == "MDY"
