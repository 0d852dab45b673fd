"""Pin repository on SQLite and Postgres: pins between the organisation's operations only,
unique, deleted with their operations."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from webapp.db.engine import session_scope
from webapp.db.repos import operations as operation_repo
from webapp.db.repos import pins as pin_repo
from webapp.db.repos import work_centers as work_center_repo
from webapp.db.repos import work_orders as work_order_repo
from webapp.db.repos.base import DuplicateName, NotFound


@pytest.fixture
def ops(engine, orgs):
    """Three operations of Alice's organisation and one of Bob's."""
    a, b = orgs
    with session_scope(engine) as s:
        w = work_center_repo.create_work_center(s, organisation_id=a, code="W1").id
        o = work_order_repo.create_work_order(s, organisation_id=a, rn="RN-1").id
        mine = [operation_repo.create_operation(s, organisation_id=a, work_order_id=o, work_center_id=w,
                                                sequence=k).id for k in (1, 2, 3)]
        wb = work_center_repo.create_work_center(s, organisation_id=b, code="W9").id
        ob = work_order_repo.create_work_order(s, organisation_id=b, rn="RN-9").id
        theirs = operation_repo.create_operation(s, organisation_id=b, work_order_id=ob, work_center_id=wb,
                                                 sequence=1).id
    return mine, theirs


def test_add_list_delete_pins(engine, orgs, ops):
    (a, b), (mine, theirs) = orgs, ops
    with session_scope(engine) as s:
        pin_repo.add_pin(s, organisation_id=a, before_operation_id=mine[2], after_operation_id=mine[0])
        pin_repo.add_pin(s, organisation_id=a, before_operation_id=mine[0], after_operation_id=mine[1])
        with pytest.raises(NotFound):
            pin_repo.add_pin(s, organisation_id=a, before_operation_id=mine[0], after_operation_id=theirs)
        with pytest.raises(NotFound):
            pin_repo.add_pin(s, organisation_id=b, before_operation_id=mine[0], after_operation_id=mine[1])
    with session_scope(engine) as s:
        assert [(p.before_operation_id, p.after_operation_id) for p in pin_repo.list_pins(s, organisation_id=a)] == [
            (mine[2], mine[0]), (mine[0], mine[1])]
        assert pin_repo.list_pins(s, organisation_id=b) == []
        assert not pin_repo.delete_pin(s, organisation_id=b, before_operation_id=mine[2], after_operation_id=mine[0])
        assert pin_repo.delete_pin(s, organisation_id=a, before_operation_id=mine[2], after_operation_id=mine[0])
    with pytest.raises(DuplicateName), session_scope(engine) as s:
        pin_repo.add_pin(s, organisation_id=a, before_operation_id=mine[0], after_operation_id=mine[1])


def test_pins_go_with_their_operations(engine, orgs, ops):
    (a, _), (mine, _) = orgs, ops
    with session_scope(engine) as s:
        pin_repo.add_pin(s, organisation_id=a, before_operation_id=mine[0], after_operation_id=mine[1])
    with session_scope(engine) as s:
        s.exec(sa.text("DELETE FROM operations WHERE id = :i").bindparams(i=mine[1]))
    with session_scope(engine) as s:
        assert pin_repo.list_pins(s, organisation_id=a) == []
