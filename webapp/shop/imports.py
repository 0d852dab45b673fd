"""Filling a shop: a workbook is previewed (every row error in one ``InputError``, nothing
stored) and then imported in **one** transaction (all or nothing, replacing the shop); the
demo shop fills an empty organisation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scheduler_core.shop import ShopProblem, demo_shop, read_workbook
from webapp.access import acting_member
from webapp.db.engine import Db, unit_of_work
from webapp.db.repos import work_orders as work_order_repo
from webapp.errors import InputError, Problem
from webapp.shop.mapping import plant_now, plant_zone, store_problem


def preview_workbook(data: bytes, filename: str, time_zone: str = "UTC") -> ShopProblem:
    """Parse a workbook or flat CSV (either layout) of a plant in ``time_zone`` (times with
    an offset become its wall-clock time). Raises ``InputError`` listing every bad row (row,
    sheet!column, reason); stores nothing."""
    return read_workbook(data, filename=filename, time_zone=time_zone)


def import_problem(db: Db, *, user: Any, problem: ShopProblem) -> dict[str, int]:
    """Replace the organisation's shop with ``problem`` in ONE transaction (all or nothing);
    returns the counts stored. Raises ``PermissionDenied`` for a viewer."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        return store_problem(session, org_id, problem)


def import_workbook(db: Db, *, user: Any, data: bytes, filename: str) -> dict[str, int]:
    """Parse and store a workbook (in the plant's time zone); a broken workbook raises
    ``InputError`` and stores nothing."""
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=False)
        zone = plant_zone(session, org_id)
    return import_problem(db, user=user, problem=preview_workbook(data, filename, zone))


def load_demo(db: Db, *, user: Any, seed: int = 1, orders: int = 60, work_centers: int = 5,
              start: datetime | None = None) -> dict[str, int]:
    """Fill an EMPTY organisation with a generated demo shop whose dates count from ``start``
    (default: 07:00 today on the plant's clock).

    Raises:
        InputError: the shop already has work orders. PermissionDenied: a viewer.
    """
    with unit_of_work(db) as session:
        _, org_id = acting_member(session, user, write=True)
        first = start or plant_now(session, org_id).replace(hour=7, minute=0)
        problem = demo_shop(seed, work_centers=work_centers, orders=orders, start=first)
        if work_order_repo.count_work_orders(session, organisation_id=org_id):
            raise InputError(Problem("the shop already has work orders; the demo fills an empty shop only"))
        return store_problem(session, org_id, problem)
