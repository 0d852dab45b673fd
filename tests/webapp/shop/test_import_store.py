"""``write_merge``: after an import that adds to the shop, the stored shop is exactly the
merged one (new and updated orders, routings, work centers, calendar marks, downtime)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from scheduler_core.shop import Calendar, Downtime, Operation, ShopProblem, WorkCenter, WorkOrder
from scheduler_core.shop.merge import merge
from tests.webapp.shop.conftest import START
from webapp.access import acting_member
from webapp.db.engine import unit_of_work
from webapp.shop.import_store import write_merge
from webapp.shop.mapping import load_problem


def test_stored_shop_is_the_merged_shop(engine, demo):
    with unit_of_work(engine) as session:
        _, org = acting_member(session, demo, write=True)
        current = load_problem(session, org, START)
        old = current.work_orders[0]
        wc = current.work_centers[0]
        imported = ShopProblem(
            (WorkCenter(wc.code, "renamed", capacity_hours_per_day=8,
                        calendar=Calendar(shift_names=frozenset({"S1"}), overrides=((date(2026, 2, 2), "S1", False),))),
             WorkCenter("NEW", "New one", category="cut", calendar=Calendar(shift_names=frozenset({"S1", "S2"})))),
            (WorkOrder(old.rn, quantity=7, kpl="K-9", product_name="Osovina"), WorkOrder("X-1", kpl="K-9")),
            (Operation(old.rn, 1, "NEW", 12, name="Rezanje"), Operation(old.rn, 2, wc.code, 8),
             Operation("X-1", 1, "NEW", 3)),
            (Downtime("NEW", datetime(2026, 1, 6, 8), datetime(2026, 1, 6, 10), "service"),),
        )
        m = merge(current, imported)
        write_merge(session, org, m)
    with unit_of_work(engine) as session:
        stored = load_problem(session, org, START)
    assert set(stored.work_centers) == set(m.problem.work_centers)
    unnamed = {replace(o, product_name="") for o in m.problem.work_orders}
    assert {replace(o, product_name="") for o in stored.work_orders} == unnamed
    assert set(stored.operations) == set(m.problem.operations)
    assert set(stored.downtime) == set(m.problem.downtime) and set(stored.pins) == set(m.problem.pins)
    assert stored.order("X-1").product_name == "Osovina"  # the product named once, for both orders
