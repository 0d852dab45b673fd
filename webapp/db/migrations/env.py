"""Alembic environment. Uses the connection passed in ``config.attributes['connection']``
(how the app runs it), else ``sqlalchemy.url`` from the config, else the app settings."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import webapp.db.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
target_metadata = SQLModel.metadata


def _configure(**kwargs) -> None:
    context.configure(target_metadata=target_metadata, compare_type=True, **kwargs)


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from webapp.settings import get_settings

    return get_settings().database_url


def run_migrations_offline() -> None:
    url = _url()
    _configure(url=url, literal_binds=True, render_as_batch=url.startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def _run_with(connection) -> None:
    _configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_with(connection)
        return
    from webapp.db.engine import create_engine_from_url

    engine = create_engine_from_url(_url())
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":  # a table rebuild must not cascade
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
                connection.commit()
            with connection.begin():
                _run_with(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
