"""Operation repository on SQLite and Postgres: create on the organisation's own work
orders and work centers, list, update, count."""

from __future__ import annotations

from datetime import datetime

import pytest

from webapp.db.engine import session_scope
from webapp.db.repos import operations as operation_repo
from webapp.db.repos import work_centers as work_center_repo
from webapp.db.repos import work_orders as work_order_repo
from webapp.db.repos.base import DuplicateName, NotFound


@pytest.fixture
def shop(engine, orgs):
    """Organisation ``a`` with work centers W1, W2 and work orders RN-1, RN-2; ``b``'s
    work center W9."""
    a, b = orgs
    with session_scope(engine) as s:
        w1 = work_center_repo.create_work_center(s, organisation_id=a, code="W1").id
        w2 = work_center_repo.create_work_center(s, organisation_id=a, code="W2").id
        o1 = work_order_repo.create_work_order(s, organisation_id=a, rn="RN-1").id
        o2 = work_order_repo.create_work_order(s, organisation_id=a, rn="RN-2").id
        w9 = work_center_repo.create_work_center(s, organisation_id=b, code="W9").id
    return {"a": a, "b": b, "w1": w1, "w2": w2, "o1": o1, "o2": o2, "w9": w9}


def test_create_list_and_count(engine, shop):
    a, b = shop["a"], shop["b"]
    with session_scope(engine) as s:
        second = operation_repo.create_operation(s, organisation_id=a, work_order_id=shop["o1"],
                                                 work_center_id=shop["w2"], sequence=2, norma=5.0)
        first = operation_repo.create_operation(s, organisation_id=a, work_order_id=shop["o1"],
                                                work_center_id=shop["w1"], sequence=1, name="cut")
        other = operation_repo.create_operation(s, organisation_id=a, work_order_id=shop["o2"],
                                                work_center_id=shop["w1"], sequence=1)
        with pytest.raises(NotFound):
            operation_repo.create_operation(s, organisation_id=a, work_order_id=shop["o1"],
                                            work_center_id=shop["w9"], sequence=3)
        with pytest.raises(NotFound):
            operation_repo.create_operation(s, organisation_id=b, work_order_id=shop["o1"],
                                            work_center_id=shop["w9"], sequence=3)
        with pytest.raises(ValueError):
            operation_repo.create_operation(s, organisation_id=a, work_order_id=shop["o1"],
                                            work_center_id=shop["w1"], sequence=3, work_order_id_x=1)
    with pytest.raises(DuplicateName), session_scope(engine) as s:
        operation_repo.create_operation(s, organisation_id=a, work_order_id=shop["o1"],
                                        work_center_id=shop["w1"], sequence=1)
    with session_scope(engine) as s:
        assert [op.id for op in operation_repo.list_operations(s, organisation_id=a)] == [
            first.id, second.id, other.id]
        assert [op.id for op in operation_repo.list_operations(s, organisation_id=a, work_order_id=shop["o1"])] == [
            first.id, second.id]
        assert [op.id for op in operation_repo.list_operations(s, organisation_id=a, work_center_id=shop["w1"])] == [
            first.id, other.id]
        assert operation_repo.list_operations(s, organisation_id=b) == []
        assert operation_repo.count_operations(s, organisation_id=a) == 3
        assert operation_repo.count_operations(s, organisation_id=b) == 0
        got = operation_repo.get_operation(s, organisation_id=a, operation_id=first.id)
        assert (got.name, got.sequence, got.norma) == ("cut", 1, 0.0)


def test_update_operation(engine, shop):
    a = shop["a"]
    with session_scope(engine) as s:
        op = operation_repo.create_operation(s, organisation_id=a, work_order_id=shop["o1"],
                                             work_center_id=shop["w1"], sequence=1)
    with session_scope(engine) as s:
        moved = operation_repo.update_operation(s, organisation_id=a, operation_id=op.id, work_center_id=shop["w2"],
                                                pinned_start=datetime(2026, 1, 5, 8), status="in_progress")
        assert moved.work_center_id == shop["w2"] and moved.status == "in_progress"
        with pytest.raises(NotFound):
            operation_repo.update_operation(s, organisation_id=a, operation_id=op.id, work_center_id=shop["w9"])
        with pytest.raises(NotFound):
            operation_repo.update_operation(s, organisation_id=a, operation_id=op.id + 1000, status="completed")
        with pytest.raises(ValueError):
            operation_repo.update_operation(s, organisation_id=a, operation_id=op.id, work_order_id=shop["o2"])
    with session_scope(engine) as s:
        got = operation_repo.get_operation(s, organisation_id=a, operation_id=op.id)
        assert (got.work_center_id, got.work_order_id) == (shop["w2"], shop["o1"])
        assert got.pinned_start == datetime(2026, 1, 5, 8)


def test_delete_routing_takes_the_orders_operations_and_their_pins_only(engine, shop):
    from webapp.db.repos import pins as pin_repo

    a, b = shop["a"], shop["b"]
    with session_scope(engine) as s:
        o1 = [operation_repo.create_operation(s, organisation_id=a, work_order_id=shop["o1"],
                                              work_center_id=shop["w1"], sequence=k).id for k in (1, 2)]
        o2 = operation_repo.create_operation(s, organisation_id=a, work_order_id=shop["o2"],
                                             work_center_id=shop["w1"], sequence=1).id
        pin_repo.add_pin(s, organisation_id=a, before_operation_id=o2, after_operation_id=o1[0])
        assert operation_repo.delete_routing(s, organisation_id=b, work_order_id=shop["o1"]) == 0
    with session_scope(engine) as s:
        assert operation_repo.delete_routing(s, organisation_id=a, work_order_id=shop["o1"]) == 2
    with session_scope(engine) as s:
        assert [op.id for op in operation_repo.list_operations(s, organisation_id=a)] == [o2]
        assert pin_repo.list_pins(s, organisation_id=a) == []


def test_delete_operation_with_its_pins_and_work_center_guards(engine, shop):
    """An operation goes with its pins; another organisation's is not deleted; a work center
    with an operation cannot be deleted, without one it goes with its downtime; an open order
    without operations is listed as without routing."""
    import sqlalchemy as sa
    from sqlalchemy.exc import IntegrityError

    from webapp.db.repos import pins as pin_repo

    a, b = shop["a"], shop["b"]
    with session_scope(engine) as s:
        x = operation_repo.create_operation(s, organisation_id=a, work_order_id=shop["o1"],
                                            work_center_id=shop["w1"], sequence=1).id
        y = operation_repo.create_operation(s, organisation_id=a, work_order_id=shop["o2"],
                                            work_center_id=shop["w1"], sequence=1).id
        pin_repo.add_pin(s, organisation_id=a, before_operation_id=x, after_operation_id=y)
        work_center_repo.add_downtime(s, organisation_id=a, work_center_id=shop["w2"], start_at=datetime(2026, 1, 5),
                                      end_at=datetime(2026, 1, 6))
    with session_scope(engine) as s:
        assert not operation_repo.delete_operation(s, organisation_id=b, operation_id=x)
        assert not work_center_repo.delete_work_center(s, organisation_id=b, work_center_id=shop["w2"])
        assert work_order_repo.open_without_operations(s, organisation_id=a) == []
    with pytest.raises(IntegrityError), session_scope(engine) as s:
        work_center_repo.delete_work_center(s, organisation_id=a, work_center_id=shop["w1"])
    with session_scope(engine) as s:
        assert operation_repo.delete_operation(s, organisation_id=a, operation_id=x)
        assert pin_repo.list_pins(s, organisation_id=a) == []
        assert work_order_repo.open_without_operations(s, organisation_id=a) == ["RN-1"]
        assert work_center_repo.delete_work_center(s, organisation_id=a, work_center_id=shop["w2"])
        assert work_center_repo.list_downtimes(s, organisation_id=a) == []
        assert s.exec(sa.select(sa.func.count()).select_from(sa.table("work_centers"))).one()[0] == 2
