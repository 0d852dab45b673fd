"""Work order repository on SQLite and Postgres: CRUD, filters, sorting, value checks."""

from __future__ import annotations

from datetime import date

import pytest

from webapp.db.engine import session_scope
from webapp.db.repos import work_orders as work_order_repo
from webapp.db.repos.base import DuplicateName, NotFound


def test_work_orders_crud_filters_and_checks(engine, orgs):
    a, _ = orgs
    with session_scope(engine) as s:
        for i in range(5):
            work_order_repo.create_work_order(s, organisation_id=a, rn=f"RN-{i}", quantity=1 + i, priority_level=1 + i % 3,
                                              assembly_date=date(2026, 1, 1 + i))
    with session_scope(engine) as s:
        page = work_order_repo.list_work_orders(s, organisation_id=a, limit=2)
        assert page.total == 5 and [o.rn for o in page.items] == ["RN-0", "RN-1"]
        assert work_order_repo.list_work_orders(s, organisation_id=a, priority=[1]).total == 2
        assert work_order_repo.list_work_orders(s, organisation_id=a, rn_contains="rn-3").items[0].rn == "RN-3"
        assert work_order_repo.list_work_orders(s, organisation_id=a, due_from=date(2026, 1, 4)).total == 2
        with pytest.raises(DuplicateName):
            work_order_repo.create_work_order(s, organisation_id=a, rn="RN-1")
        with pytest.raises(ValueError):
            work_order_repo.create_work_order(s, organisation_id=a, rn="X", priority_level=5)
        wo = work_order_repo.get_work_order(s, organisation_id=a, rn="RN-2")
        work_order_repo.update_work_order(s, organisation_id=a, work_order_id=wo.id, status="in_progress")
        with pytest.raises(ValueError):
            work_order_repo.update_work_order(s, organisation_id=a, work_order_id=wo.id, status="lost")
    with session_scope(engine) as s:
        assert work_order_repo.list_work_orders(s, organisation_id=a, status="in_progress").total == 1



def test_work_order_counts_sorting_and_lookups(engine, orgs):
    a, b = orgs
    with session_scope(engine) as s:
        for rn, day in (("RN-B", 3), ("RN-A", 1), ("RN-C", None)):
            work_order_repo.create_work_order(s, organisation_id=a, rn=rn,
                                              assembly_date=date(2026, 2, day) if day else None)
        work_order_repo.create_work_order(s, organisation_id=b, rn="RN-A")
    with session_scope(engine) as s:
        assert work_order_repo.count_work_orders(s, organisation_id=a) == 3
        assert work_order_repo.count_work_orders(s, organisation_id=b) == 1
        assert [o.rn for o in work_order_repo.all_work_orders(s, organisation_id=a)] == ["RN-B", "RN-A", "RN-C"]
        by_date = work_order_repo.list_work_orders(s, organisation_id=a)
        assert [o.rn for o in by_date.items] == ["RN-A", "RN-B", "RN-C"]  # no date last
        latest = work_order_repo.list_work_orders(s, organisation_id=a, descending=True)
        assert [o.rn for o in latest.items] == ["RN-B", "RN-A", "RN-C"]
        by_rn = work_order_repo.list_work_orders(s, organisation_id=a, sort="rn", rns=["RN-C", "RN-A"])
        assert [o.rn for o in by_rn.items] == ["RN-A", "RN-C"]
        assert work_order_repo.list_work_orders(s, organisation_id=a, due_to=date(2026, 2, 1)).total == 1
        with pytest.raises(ValueError):
            work_order_repo.list_work_orders(s, organisation_id=a, sort="organisation_id")
        wo = work_order_repo.get_work_order(s, organisation_id=a, rn="RN-A")
        assert work_order_repo.require_work_order(s, organisation_id=a, work_order_id=wo.id).rn == "RN-A"
        assert work_order_repo.get_work_order(s, organisation_id=a, work_order_id=wo.id, rn="RN-B") is None
        with pytest.raises(NotFound):
            work_order_repo.require_work_order(s, organisation_id=b, work_order_id=wo.id)
        with pytest.raises(NotFound):
            work_order_repo.update_work_order(s, organisation_id=b, work_order_id=wo.id, quantity=2)


def test_work_order_value_checks(engine, orgs):
    a, _ = orgs
    with session_scope(engine) as s:
        for bad in ({"rn": "  "}, {"rn": "X", "quantity": 0}, {"rn": "X", "status": "lost"},
                    {"rn": "X", "created_at": None}, {"rn": "X", "no_such_column": 1}):
            with pytest.raises(ValueError):
                work_order_repo.create_work_order(s, organisation_id=a, **bad)
        wo = work_order_repo.create_work_order(s, organisation_id=a, rn=" RN-1 ", quantity=4)
        assert wo.rn == "RN-1" and wo.status == "pending"
        work_order_repo.create_work_order(s, organisation_id=a, rn="RN-2")
        with pytest.raises(ValueError):
            work_order_repo.update_work_order(s, organisation_id=a, work_order_id=wo.id, quantity=-1)
        with pytest.raises(ValueError, match="delivery_date '9999-12-31' is outside the accepted range"):
            work_order_repo.update_work_order(s, organisation_id=a, work_order_id=wo.id,
                                              delivery_date=date(9999, 12, 31))
        assert work_order_repo.count_work_orders(s, organisation_id=a) == 2
    with pytest.raises(DuplicateName), session_scope(engine) as s:
        work_order_repo.update_work_order(s, organisation_id=a, work_order_id=wo.id, rn="RN-2")
    with session_scope(engine) as s:
        assert work_order_repo.get_work_order(s, organisation_id=a, work_order_id=wo.id).rn == "RN-1"


def test_delete_work_order_deletes_its_operations(engine, orgs):
    from webapp.db.repos import operations as operation_repo
    from webapp.db.repos import work_centers as work_center_repo

    a, _ = orgs
    with session_scope(engine) as s:
        wc = work_center_repo.create_work_center(s, organisation_id=a, code="W1")
        gone = work_order_repo.create_work_order(s, organisation_id=a, rn="RN-1")
        kept = work_order_repo.create_work_order(s, organisation_id=a, rn="RN-2")
        for wo in (gone, kept):
            for seq in (1, 2):
                operation_repo.create_operation(s, organisation_id=a, work_order_id=wo.id, work_center_id=wc.id,
                                                sequence=seq)
    with session_scope(engine) as s:
        assert work_order_repo.delete_work_order(s, organisation_id=a, work_order_id=gone.id)
        assert not work_order_repo.delete_work_order(s, organisation_id=a, work_order_id=gone.id)
    with session_scope(engine) as s:
        assert [o.rn for o in work_order_repo.all_work_orders(s, organisation_id=a)] == ["RN-2"]
        assert {op.work_order_id for op in operation_repo.list_operations(s, organisation_id=a)} == {kept.id}
        assert operation_repo.count_operations(s, organisation_id=a) == 2
