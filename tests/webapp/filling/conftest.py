"""Lots, a config and a row counter shared by the filling service tests."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from scheduler_core.filling import FillingConfig, Lot
from webapp.db.engine import session_scope

START = datetime(2030, 1, 7, 6, 0)
LOTS = [
    Lot("001", "A", 19920 * 10),
    Lot("002", "B", 19920 * 20),
    Lot("003", "A", 19920 * 30, priority=1, due=datetime(2030, 1, 20)),
    Lot("004", "C", 19920 * 70),
]
CONFIG = FillingConfig(start_time=START, time_limit_s=1)


def count_rows(engine, model) -> int:
    """How many rows ``model``'s table holds."""
    with session_scope(engine) as s:
        return s.exec(sa.select(sa.func.count()).select_from(model)).one()[0]
