"""Database layer: SQLModel tables, engine/session handling, migrations and repositories
(one module per aggregate in :mod:`webapp.db.repos`).

Typical use::

    from webapp.db import get_engine, init_db, session_scope
    engine = get_engine()          # from settings (DATABASE_URL or the SQLite file)
    init_db(engine)                # apply Alembic migrations up to head
    with session_scope(engine) as session:
        ...                        # one unit of work: commit on success, rollback on error
"""

from webapp.db import shop_models  # noqa: F401  (shop tables on the shared metadata)
from webapp.db.engine import create_engine_from_url, get_engine, init_db, session_scope

__all__ = ["create_engine_from_url", "get_engine", "init_db", "session_scope"]
