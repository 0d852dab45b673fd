"""The board's edits reach the stored shop through the core's pure edits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from scheduler_core.errors import InputError
from tests.webapp.shop.conftest import START
from webapp.errors import NotFound, PermissionDenied
from webapp.shop import catalog as shop_catalog
from webapp.shop import edits as shop_edits
from webapp.shop import planning as shop_planning


def test_actions_reorder_move_pin_finish_downtime(engine, demo):
    base = shop_planning.run_plan(engine, user=demo, start=START)
    wc, queue = max(base.by_work_center().items(), key=lambda kv: len(kv[1]))
    ids = [p.op_id for p in queue if not p.in_progress]
    k = next(k for k in range(1, len(ids)) if ids[k].endswith("/1"))
    wanted = shop_edits.move_in_queue(ids, ids[k], -1)
    assert wanted[k - 1] == ids[k]
    shop_edits.reorder(engine, user=demo, work_center=wc, op_ids=wanted)
    problem = shop_planning.build_problem(engine, user=demo, start=START)
    assert list(problem.manual_sequences[wc]) == wanted
    after = shop_planning.run_plan(engine, user=demo, start=START)
    order = [p.op_id for p in after.by_work_center()[wc]]
    assert order.index(ids[k]) < order.index(ids[k - 1])
    diff = shop_planning.diff_plans(base, after)
    assert diff.moved and diff.objective_before == base.kpis.weighted_tardiness_hours
    with pytest.raises(InputError):
        shop_edits.reorder(engine, user=demo, work_center=wc, op_ids=[ids[0], ids[0]])

    other = next(w.code for w in shop_catalog.list_work_centers(engine, user=demo) if w.code != wc)
    shop_edits.move_operation(engine, user=demo, op_id=ids[0], work_center=other)
    moved = shop_planning.build_problem(engine, user=demo, start=START)
    assert next(o for o in moved.operations if o.op_id == ids[0]).work_center == other
    assert ids[0] not in moved.manual_sequences.get(wc, ())

    pin_at = START + timedelta(days=2)
    shop_edits.pin_operation(engine, user=demo, op_id=ids[1], start=pin_at)
    assert next(o for o in shop_planning.build_problem(engine, user=demo).operations if o.op_id == ids[1]).pinned_start == pin_at

    shop_edits.finish_operation(engine, user=demo, op_id=ids[2])
    rn = ids[3].split("/")[0]
    shop_edits.finish_order(engine, user=demo, rn=rn)
    p = shop_planning.build_problem(engine, user=demo, start=START)
    open_ids = {o.op_id for o in p.open_operations()}
    assert ids[2] not in open_ids and not any(i.startswith(rn + "/") for i in open_ids)

    shop_edits.record_downtime(engine, user=demo, work_center=wc, start=START, end=START + timedelta(hours=4),
                       reason="spindle <b>")
    assert any(d["reason"] == "spindle <b>" for d in shop_catalog.downtimes(engine, user=demo))
    with pytest.raises(InputError):
        shop_edits.record_downtime(engine, user=demo, work_center=wc, start=START, end=START)


def test_unknown_references_are_not_found_and_viewers_are_refused(engine, demo, make_user):
    with pytest.raises(NotFound, match="unknown work center"):
        shop_edits.record_downtime(engine, user=demo, work_center="NOPE", start=START, end=START + timedelta(hours=1))
    with pytest.raises(NotFound, match="unknown operation"):
        shop_edits.finish_operation(engine, user=demo, op_id="NOPE/1")
    viewer = make_user("vic", "viewer")
    with pytest.raises(PermissionDenied):
        shop_edits.move_urgency(engine, user=viewer, rn="x", step=-1)


def test_delete_downtime(engine, demo):
    code = shop_catalog.list_work_centers(engine, user=demo)[0].code
    before = shop_catalog.downtimes(engine, user=demo)
    shop_edits.record_downtime(engine, user=demo, work_center=code, start=START, end=START + timedelta(hours=1),
                               reason="oil")
    (down,) = [d for d in shop_catalog.downtimes(engine, user=demo) if d not in before]
    assert down["reason"] == "oil"
    assert shop_edits.delete_downtime(engine, user=demo, downtime_id=down["id"])
    assert not shop_edits.delete_downtime(engine, user=demo, downtime_id=down["id"])
    assert shop_catalog.downtimes(engine, user=demo) == before


def test_set_calendar_counts_marks_and_keeps_the_note(engine, demo):
    code = shop_catalog.list_work_centers(engine, user=demo)[0].code
    n = shop_edits.set_calendar(engine, user=demo, code=code, first=date(2026, 2, 2), last=date(2026, 2, 4),
                                shifts=["S1", "S3"], working=False, note="strike")
    assert n == 6
    marks = [m for m in shop_catalog.calendar_exceptions(engine, user=demo, code=code) if m["note"] == "strike"]
    assert {(m["date"], m["shift"]) for m in marks} == {
        (date(2026, 2, d), s) for d in (2, 3, 4) for s in ("S1", "S3")
    } and not any(m["working"] for m in marks)
    shop_edits.set_calendar(engine, user=demo, code=code, first=date(2026, 2, 3), last=date(2026, 2, 3),
                            shifts=["S1"], working=False, note="plant closed")  # same flag, new note
    notes = {(m["date"], m["shift"]): m["note"] for m in shop_catalog.calendar_exceptions(engine, user=demo, code=code)}
    assert notes[(date(2026, 2, 3), "S1")] == "plant closed" and notes[(date(2026, 2, 3), "S3")] == "strike"
    with pytest.raises(InputError, match="ends before it starts"):
        shop_edits.set_calendar(engine, user=demo, code=code, first=date(2026, 2, 4), last=date(2026, 2, 2),
                                shifts=["S1"], working=False)
