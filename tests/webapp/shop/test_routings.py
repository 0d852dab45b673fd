"""Routings: a work order's operations saved as one table (created, changed, deleted) after
validating the whole table; open orders without a routing listed; another organisation's
user can neither read nor change a routing."""

from __future__ import annotations

import pytest

from tests.webapp.shop.conftest import START, row_counts
from webapp.errors import InputError, NotFound, PermissionDenied
from webapp.shop import catalog as shop_catalog
from webapp.shop import edits as shop_edits
from webapp.shop import planning as shop_planning
from webapp.shop import routings
from webapp.shop import work_centers as shop_work_centers
from webapp.views import DeletionImpact


def _row(seq, wc, norma=30.0, qty=5, done=0.0, status="pending", name="Turning", id=None):
    return {"id": id, "sequence": seq, "name": name, "work_center": wc, "norma": norma, "quantity": qty,
            "quantity_completed": done, "status": status}


def test_create_change_and_delete_operations_of_a_routing(engine, demo):
    wcs = [w.code for w in shop_catalog.list_work_centers(engine, user=demo)]
    wo = shop_catalog.save_work_order(engine, user=demo, rn="NEW-1", quantity=5, kpl="K-9")
    assert "NEW-1" in routings.orders_without_routing(engine, user=demo)
    saved = routings.save_routing(engine, user=demo, work_order_id=wo,
                                  rows=[_row(10, wcs[0]), _row(20, wcs[1], name="Milling")])
    assert (saved.created, saved.updated, saved.deleted) == (2, 0, 0)
    assert "NEW-1" not in routings.orders_without_routing(engine, user=demo)
    rows = routings.routing_rows(engine, user=demo, work_order_id=wo)
    assert [(r["sequence"], r["name"], r["work_center"]) for r in rows] == [(10, "Turning", wcs[0]),
                                                                            (20, "Milling", wcs[1])]
    # swap the sequences, change the first's norma and progress, add a third, nothing deleted
    first, second = rows
    changed = [{**first, "sequence": 20, "norma": 45.0, "quantity_completed": 2.0, "status": "in_progress"},
               {**second, "sequence": 10}, _row(30, wcs[2], name="Deburr")]
    saved = routings.save_routing(engine, user=demo, work_order_id=wo, rows=changed)
    assert (saved.created, saved.updated, saved.deleted) == (1, 2, 0)
    rows = routings.routing_rows(engine, user=demo, work_order_id=wo)
    assert [(r["sequence"], r["name"], r["norma"], r["status"]) for r in rows] == [
        (10, "Milling", 30.0, "pending"), (20, "Turning", 45.0, "in_progress"), (30, "Deburr", 30.0, "pending")]
    problem = shop_planning.build_problem(engine, user=demo)
    assert problem.operation("NEW-1/20").quantity_completed == 2.0
    # delete one (left out of the table)
    saved = routings.save_routing(engine, user=demo, work_order_id=wo, rows=rows[:2])
    assert saved.deleted == 1 and saved.describe() == "0 operations created, 0 changed, 1 deleted"
    assert [r["sequence"] for r in routings.routing_rows(engine, user=demo, work_order_id=wo)] == [10, 20]
    assert routings.work_order_impact(engine, user=demo, work_order_id=wo) == DeletionImpact(
        "work order NEW-1: 2 operations, 0 pins")


def test_the_whole_table_is_validated_and_nothing_is_written(engine, demo):
    wcs = [w.code for w in shop_catalog.list_work_centers(engine, user=demo)]
    shop_work_centers.save_work_center(
        engine, user=demo, work_center_id=shop_catalog.list_work_centers(engine, user=demo)[2].id, is_active=False)
    wo = shop_catalog.save_work_order(engine, user=demo, rn="NEW-2", quantity=5)
    before = row_counts(engine)
    bad = [_row(10, wcs[0]), _row(10, wcs[1], norma=0), _row(20, "NOPE", qty=3, done=4),
           _row(30, wcs[2], done=-1, status="paused"), _row(None, "", norma=None)]
    with pytest.raises(InputError) as caught:
        routings.save_routing(engine, user=demo, work_order_id=wo, rows=bad)
    found = {(p.row, p.column): p.reason for p in caught.value.problems}
    assert found == {
        (2, "sequence"): "sequence 10 is also on row 1",
        (2, "norma (min)"): "the norma must be more than 0 minutes",
        (3, "work center"): "unknown work center 'NOPE'",
        (3, "quantity done"): "the quantity done (4) is more than the quantity (3)",
        (4, "work center"): f"work center '{wcs[2]}' is inactive",
        (4, "quantity done"): "the quantity done must not be negative",
        (4, "status"): "unknown status 'paused' (one of pending, in_progress, completed, cancelled)",
        (5, "sequence"): "a value is required",
        (5, "work center"): "a work center is required",
        (5, "norma (min)"): "a value is required",
    }
    assert row_counts(engine) == before
    with pytest.raises(InputError, match="1.5 is not a whole number"):
        routings.save_routing(engine, user=demo, work_order_id=wo, rows=[_row(1.5, wcs[0])])


def test_moving_an_operation_releases_its_pins(engine, demo):
    problem = shop_planning.build_problem(engine, user=demo)
    wc = problem.operations[0].work_center
    on_wc = [op for op in problem.operations if op.work_center == wc]
    queue = [on_wc[0].op_id, next(op.op_id for op in on_wc if op.rn != on_wc[0].rn)]
    moved = shop_edits.change("move_up", queue=queue, op_id=queue[1])
    shop_edits.accept(engine, user=demo, proposal=shop_edits.propose(engine, user=demo, changes=[moved], start=START))
    assert shop_planning.build_problem(engine, user=demo).pins
    rn = queue[1].split("/")[0]
    wo = next(o.id for o in shop_catalog.list_work_orders(engine, user=demo, limit=100).items if o.rn == rn)
    rows = routings.routing_rows(engine, user=demo, work_order_id=wo)
    other = next(w.code for w in shop_catalog.list_work_centers(engine, user=demo) if w.code != wc)
    seq = int(queue[1].split("/")[1])
    rows = [{**r, "work_center": other} if r["sequence"] == seq else r for r in rows]
    saved = routings.save_routing(engine, user=demo, work_order_id=wo, rows=rows)
    assert saved.pins_released == 1 and "1 pins released" in saved.describe()
    assert shop_planning.build_problem(engine, user=demo).pins == ()


def test_another_organisation_cannot_read_or_change_a_routing(engine, demo, bob, make_user):
    wo = shop_catalog.list_work_orders(engine, user=demo, limit=1).items[0].id
    rows = routings.routing_rows(engine, user=demo, work_order_id=wo)
    for call in (lambda: routings.routing_rows(engine, user=bob, work_order_id=wo),
                 lambda: routings.save_routing(engine, user=bob, work_order_id=wo, rows=rows),
                 lambda: routings.work_order_impact(engine, user=bob, work_order_id=wo)):
        with pytest.raises(NotFound):
            call()
    assert routings.orders_without_routing(engine, user=bob) == []
    with pytest.raises(PermissionDenied):
        routings.save_routing(engine, user=make_user("vic", "viewer"), work_order_id=wo, rows=rows)
    other_wo = shop_catalog.save_work_order(engine, user=demo, rn="OTHER", quantity=1)
    with pytest.raises(NotFound, match="not in this work order"):
        routings.save_routing(engine, user=demo, work_order_id=other_wo, rows=rows)
    assert routings.routing_rows(engine, user=demo, work_order_id=wo) == rows


def test_saving_the_stored_routing_writes_nothing(engine, demo, monkeypatch):
    wcs = [w.code for w in shop_catalog.list_work_centers(engine, user=demo)]
    wo = shop_catalog.save_work_order(engine, user=demo, rn="SAME-1", quantity=5)
    empty = routings.save_routing(engine, user=demo, work_order_id=wo, rows=[])
    assert empty.unchanged and routings.routing_rows(engine, user=demo, work_order_id=wo) == []
    assert not routings.save_routing(engine, user=demo, work_order_id=wo, rows=[_row(10, wcs[0])]).unchanged
    rows = routings.routing_rows(engine, user=demo, work_order_id=wo)
    before = row_counts(engine)

    def no_write(*args, **kwargs):
        raise AssertionError("an unchanged routing was written")

    monkeypatch.setattr(routings.operation_repo, "update_operation", no_write)
    same = routings.save_routing(engine, user=demo, work_order_id=wo, rows=rows)
    assert same == routings.RoutingSaved(created=0, updated=0, deleted=0, pins_released=0) and same.unchanged
    assert row_counts(engine) == before and routings.routing_rows(engine, user=demo, work_order_id=wo) == rows
    monkeypatch.undo()
    assert not routings.save_routing(engine, user=demo, work_order_id=wo, rows=[{**rows[0], "norma": 31.0}]).unchanged
