"""Where a user lands after login: the dashboard of the problem (filling or shop) they worked
on last, judged by what they made last (a filling schedule against a shop plan or what-if
scenario)."""

from __future__ import annotations

from typing import Any, Literal

from webapp.access import user_id
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import plans as plan_repo
from webapp.db.repos import scenarios as scenario_repo
from webapp.db.repos import schedules as schedule_repo

Problem = Literal["filling", "shop"]


def last_used_problem(db: Db, *, user: Any) -> Problem | None:
    """``"filling"`` or ``"shop"``: the problem of the newest thing ``user`` made (schedule vs
    shop plan or scenario); ``None`` when they made nothing yet. Raises nothing of its own."""
    uid = user_id(user)
    with unit_of_work(db) as session:
        filling = schedule_repo.last_created_at(session, owner_id=uid)
        shop = [t for t in (plan_repo.last_created_at(session, owner_id=uid),
                            scenario_repo.last_created_at(session, owner_id=uid)) if t is not None]
    if filling is None and not shop:
        return None
    if filling is None:
        return "shop"
    return "shop" if shop and max(shop) > filling else "filling"
