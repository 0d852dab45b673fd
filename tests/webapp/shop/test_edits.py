"""The change set on the stored shop: check, propose (current plan's options), discard (nothing
written), accept (edits + plan + change set in one transaction), undo; frozen horizon and plan
start; bad changes refused with nothing written. Runs on SQLite and Postgres."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
import sqlalchemy as sa

from scheduler_core.errors import InputError
from scheduler_core.shop import ShopOptions
from tests.webapp.shop.conftest import START, row_counts
from webapp.errors import NotFound, PermissionDenied
from webapp.shop import catalog as shop_catalog
from webapp.shop import edits as shop_edits
from webapp.shop import planning as shop_planning


def _pins(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(sa.text("SELECT count(*) FROM shop_pins")).scalar_one()


def _accepted(engine, user, *changes, **kwargs) -> tuple[int, shop_edits.Proposal]:
    proposal = shop_edits.propose(engine, user=user, changes=list(changes), start=START, **kwargs)
    return shop_edits.accept(engine, user=user, proposal=proposal), proposal


def _longest_queue(result) -> tuple[str, list[str]]:
    wc, queue = max(result.by_work_center().items(), key=lambda kv: len(kv[1]))
    return wc, [p.op_id for p in queue]


def test_move_up_discard_writes_nothing_accept_writes_one_pin_undo_takes_it_back(engine, demo):
    first_id, base = _accepted(engine, demo)
    wc, ids = _longest_queue(base.result)
    before_rows, before_shop = row_counts(engine), shop_planning.build_problem(engine, user=demo, start=START)
    move = shop_edits.change("move_up", queue=ids, op_id=ids[-1])

    proposal = shop_edits.propose(engine, user=demo, changes=[move], start=START)
    assert proposal.problem.pins == ((ids[-1], ids[-2]),)
    order = [p.op_id for p in proposal.result.by_work_center()[wc]]
    assert order.index(ids[-1]) < order.index(ids[-2])
    # discard = the caller drops the proposal: nothing was written
    assert row_counts(engine) == before_rows and _pins(engine) == 0
    assert shop_planning.build_problem(engine, user=demo, start=START) == before_shop
    assert shop_planning.current_plan(engine, user=demo).plan.id == first_id

    plan_id = shop_edits.accept(engine, user=demo, proposal=proposal)
    assert _pins(engine) == 1
    assert shop_planning.build_problem(engine, user=demo, start=START).pins == ((ids[-1], ids[-2]),)
    assert shop_planning.current_plan(engine, user=demo).plan.id == plan_id
    last = shop_edits.last_change_set(engine, user=demo)
    assert last.undoable and "moved up" in last.summary and last.previous_plan_id == first_id

    assert shop_edits.undo_last(engine, user=demo) == first_id
    assert _pins(engine) == 0 and shop_planning.current_plan(engine, user=demo).plan.id == first_id
    assert shop_planning.build_problem(engine, user=demo, start=START) == before_shop
    undone = shop_edits.last_change_set(engine, user=demo)
    assert undone.plan_id == first_id  # the first accept is next in line
    with engine.connect() as conn:  # the first plan's times are written back to the operations
        planned = conn.execute(sa.text("SELECT count(*) FROM operations WHERE planned_start IS NOT NULL")).scalar_one()
    assert planned == len(base.result.operations)


def test_the_proposal_plans_with_the_current_plan_options(engine, demo):
    _accepted(engine, demo, options=ShopOptions("optimise", "delivery", time_limit_s=1.5))
    proposal = shop_edits.propose(engine, user=demo, start=START)
    assert proposal.options == ShopOptions("optimise", "delivery", 1.5)
    assert proposal.result.strategy == "optimise" and proposal.result.due_basis == "delivery"
    chosen = shop_edits.propose(engine, user=demo, start=START, options=ShopOptions("dispatch"))
    assert chosen.result.strategy == "dispatch"


def test_every_kind_of_edit_reaches_the_shop(engine, demo):
    _, base = _accepted(engine, demo)
    wc, ids = _longest_queue(base.result)
    other = next(w.code for w in shop_catalog.list_work_centers(engine, user=demo) if w.code != wc)
    rn = next(o.rn for o in base.problem.work_orders if not any(i.startswith(o.rn + "/") for i in ids[:3]))
    fix_at = START + timedelta(days=2)
    _accepted(
        engine, demo,
        shop_edits.change("move_operation", op_id=ids[0], work_center=other, confirmed=True),
        shop_edits.change("fix_start", op_id=ids[1], start=fix_at),
        shop_edits.change("finish_operation", op_id=ids[2], at=START + timedelta(hours=1)),
        shop_edits.change("finish_order", rn=rn, at=START + timedelta(hours=1)),
        shop_edits.change("add_downtime", work_center=wc, start=START, end=START + timedelta(hours=4),
                          reason="spindle <b>"),
        shop_edits.change("set_calendar", work_center=wc, first=date(2026, 2, 2), last=date(2026, 2, 4),
                          shifts=["S1", "S3"], working=False, note="strike"),
        shop_edits.change("set_urgency", rn=base.problem.work_orders[0].rn, urgency_rank=1, priority_level=1),
    )
    p = shop_planning.build_problem(engine, user=demo, start=START)
    assert p.operation(ids[0]).work_center == other and p.operation(ids[1]).pinned_start == fix_at
    open_ids = {o.op_id for o in p.open_operations()}
    assert ids[2] not in open_ids and not any(i.startswith(rn + "/") for i in open_ids)
    assert p.order(rn).status == "completed" and p.order(base.problem.work_orders[0].rn).urgency_rank == 1
    assert any(d["reason"] == "spindle <b>" for d in shop_catalog.downtimes(engine, user=demo))
    marks = [m for m in shop_catalog.calendar_exceptions(engine, user=demo, code=wc) if m["note"] == "strike"]
    assert {(m["date"], m["shift"]) for m in marks} == {(date(2026, 2, d), s) for d in (2, 3, 4) for s in ("S1", "S3")}

    down = next(d for d in shop_catalog.downtimes(engine, user=demo) if d["reason"] == "spindle <b>")
    _accepted(engine, demo, shop_edits.downtime_change(engine, user=demo, downtime_id=down["id"]))
    assert not any(d["reason"] == "spindle <b>" for d in shop_catalog.downtimes(engine, user=demo))
    with pytest.raises(NotFound):
        shop_edits.downtime_change(engine, user=demo, downtime_id=down["id"])


def test_changes_that_cannot_apply_are_refused_naming_the_operation(engine, demo, make_user):
    _, base = _accepted(engine, demo)
    wc, ids = _longest_queue(base.result)
    rows = row_counts(engine)
    with pytest.raises(NotFound, match="unknown operation 'NOPE/1'"):
        shop_edits.check(engine, user=demo, changes=[shop_edits.change("finish_operation", op_id="NOPE/1",
                                                                        at=START)])
    with pytest.raises(NotFound, match="unknown work center"):
        shop_edits.propose(engine, user=demo, start=START, changes=[shop_edits.change(
            "add_downtime", work_center="NOPE", start=START, end=START + timedelta(hours=1))])
    finished = [shop_edits.change("finish_operation", op_id=ids[1], at=START)]
    with pytest.raises(InputError, match=f"{ids[1]}.*finished"):
        shop_edits.check(engine, user=demo, changes=[*finished, shop_edits.change("move_up", queue=ids,
                                                                                  op_id=ids[1])])
    up = shop_edits.change("move_up", queue=ids[:2], op_id=ids[1])  # 1 before 0
    cycle = [up, shop_edits.change("move_up", queue=ids[1:3], op_id=ids[2]),  # 2 before 1
             shop_edits.change("move_up", queue=[ids[2], ids[0]], op_id=ids[0])]  # 0 before 2
    with pytest.raises(InputError, match="cycle"):
        shop_edits.check(engine, user=demo, changes=cycle)
    with pytest.raises(InputError, match="must end after it starts"):
        shop_edits.check(engine, user=demo, changes=[shop_edits.change("add_downtime", work_center=wc, start=START,
                                                                        end=START)])
    with pytest.raises(InputError, match="frozen horizon"):
        shop_edits.propose(engine, user=demo, start=START, frozen_hours=-1)
    with pytest.raises(PermissionDenied):
        shop_edits.check(engine, user=make_user("vic", "viewer"), changes=[up])
    assert row_counts(engine) == rows and _pins(engine) == 0


def test_a_stale_proposal_is_refused_and_undo_needs_its_plan_current(engine, demo):
    _, base = _accepted(engine, demo)
    wc, ids = _longest_queue(base.result)
    stale = shop_edits.propose(engine, user=demo, start=START,
                               changes=[shop_edits.change("move_up", queue=ids, op_id=ids[-1])])
    _accepted(engine, demo, shop_edits.change("move_down", queue=ids, op_id=ids[0]))
    rows = row_counts(engine)
    with pytest.raises(InputError, match="changed since this plan was proposed"):
        shop_edits.accept(engine, user=demo, proposal=stale)
    assert row_counts(engine) == rows and _pins(engine) == 1
    # undo twice: the second change set, then the first one (its plan is current again)
    shop_edits.undo_last(engine, user=demo)
    assert _pins(engine) == 0
    assert shop_edits.undo_last(engine, user=demo) is None
    assert shop_planning.current_plan(engine, user=demo) is None
    with pytest.raises(NotFound, match="nothing|no accepted change"):
        shop_edits.undo_last(engine, user=demo)


def test_undo_keeps_later_changes_to_other_things(engine, demo):
    _, base = _accepted(engine, demo)
    wc, ids = _longest_queue(base.result)
    _accepted(engine, demo, shop_edits.change("fix_start", op_id=ids[0], start=START + timedelta(hours=5)))
    shop_edits.undo_last(engine, user=demo)
    assert shop_planning.build_problem(engine, user=demo, start=START).operation(ids[0]).pinned_start is None


def test_plan_from_a_start_and_a_frozen_horizon(engine, demo):
    _, base = _accepted(engine, demo)
    later = START + timedelta(hours=3, minutes=17)
    proposal = shop_edits.propose(engine, user=demo, start=later)
    assert proposal.result.start == later
    assert all(p.intervals[0][0] >= later for p in proposal.result.operations)
    # re-planning later with a frozen horizon: the current plan counts as followed up to the
    # start, and what it starts within the horizon keeps its start
    rolled = START + timedelta(days=1, minutes=17)
    frozen = shop_edits.propose(engine, user=demo, start=rolled, frozen_hours=24)
    kept = [p for p in base.result.operations if rolled <= p.start < rolled + timedelta(hours=24) and not p.in_progress]
    assert len(kept) >= 3
    now = {p.op_id: p for p in frozen.result.operations}
    assert [(p.op_id, now[p.op_id].start) for p in kept] == [(p.op_id, p.start) for p in kept]
    assert not any("not possible" in w for w in frozen.result.warnings)
    done = [p.op_id for p in base.result.operations if p.end <= rolled]
    assert done and not any(i in now for i in done)  # finished by then in the followed plan
    assert frozen.problem == shop_planning.build_problem(engine, user=demo, start=rolled)  # nothing of it written
    with_offset = shop_edits.propose(engine, user=demo, start=START.replace(tzinfo=UTC), frozen_hours=8)
    assert with_offset.result.start == START  # the plant is on UTC: 07:00+00:00 is 07:00 plant time


def test_undo_and_clear_remove_calendar_marks(engine, demo):
    _accepted(engine, demo)
    code = shop_catalog.list_work_centers(engine, user=demo)[0].code
    before = shop_catalog.calendar_exceptions(engine, user=demo, code=code)
    _accepted(engine, demo, shop_edits.change("set_calendar", work_center=code, first=date(2026, 2, 2),
                                              last=date(2026, 2, 3), shifts=["S1"], working=False, note="holiday"),
              shop_edits.change("set_calendar", work_center=code, first=date(2026, 2, 7), last=date(2026, 2, 7),
                                shifts=["S1"], working=True))
    assert len(shop_catalog.calendar_exceptions(engine, user=demo, code=code)) == len(before) + 3
    shop_edits.undo_last(engine, user=demo)
    assert shop_catalog.calendar_exceptions(engine, user=demo, code=code) == before
    assert shop_planning.build_problem(engine, user=demo).wc(code).calendar.is_working(date(2026, 2, 2), "S1")
    # a mark removed as a pending change leaves the table when accepted
    _accepted(engine, demo, shop_edits.change("set_calendar", work_center=code, first=date(2026, 2, 2),
                                              last=date(2026, 2, 2), shifts=["S1"], working=False))
    _accepted(engine, demo, shop_edits.change("clear_calendar_mark", work_center=code, day=date(2026, 2, 2),
                                              shift="S1"))
    assert shop_catalog.calendar_exceptions(engine, user=demo, code=code) == before


def test_downtime_is_edited_merged_and_identical_periods_refused(engine, demo, bob):
    """Downtime stays in the planning loop: an edit is a pending change written on accept; an
    overlapping period is merged (the note says into what), an identical one refused."""
    from datetime import datetime

    code = shop_catalog.list_work_centers(engine, user=demo)[0].code
    at = datetime(2026, 1, 7, 7)
    add = shop_edits.change("add_downtime", work_center=code, start=at, end=at + timedelta(hours=4), reason="oil")
    assert shop_edits.downtime_note(engine, user=demo, changes=[], item=add) == ""
    shop_edits.accept(engine, user=demo, proposal=shop_edits.propose(engine, user=demo, changes=[add], start=START))
    assert any(d["reason"] == "oil" for d in shop_catalog.downtimes(engine, user=demo))
    with pytest.raises(InputError, match="identical downtime already recorded"):
        shop_edits.downtime_note(engine, user=demo, changes=[], item=add)
    with pytest.raises(InputError, match="identical downtime already recorded"):
        shop_edits.check(engine, user=demo, changes=[add])
    overlap = shop_edits.change("add_downtime", work_center=code, start=at + timedelta(hours=2),
                                end=at + timedelta(hours=6), reason="belt")
    note = shop_edits.downtime_note(engine, user=demo, changes=[], item=overlap)
    assert note == (f"overlaps recorded downtime {code} 2026-01-07 07:00 – 2026-01-07 11:00; "
                    f"merged into {code} 2026-01-07 07:00 – 2026-01-07 13:00")
    shop_edits.accept(engine, user=demo, proposal=shop_edits.propose(engine, user=demo, changes=[overlap], start=START))
    merged = [d for d in shop_catalog.downtimes(engine, user=demo) if d["work_center"] == code and d["start"] == at]
    assert [(d["end"], d["reason"]) for d in merged] == [(at + timedelta(hours=6), "oil; belt")]
    # edit the merged period: shorter, new reason; pending until accepted
    edit = shop_edits.downtime_change(engine, user=demo, downtime_id=merged[0]["id"],
                                      new={"start": at, "end": at + timedelta(hours=1), "reason": "oil only"})
    assert edit.kind == "edit_downtime"
    assert shop_edits.downtime_note(engine, user=demo, changes=[], item=edit) == ""
    assert merged[0] in shop_catalog.downtimes(engine, user=demo)  # nothing written yet
    shop_edits.accept(engine, user=demo, proposal=shop_edits.propose(engine, user=demo, changes=[edit], start=START))
    now = [d for d in shop_catalog.downtimes(engine, user=demo) if d["work_center"] == code and d["start"] == at]
    assert [(d["end"], d["reason"]) for d in now] == [(at + timedelta(hours=1), "oil only")]
    shop_edits.undo_last(engine, user=demo)
    back = [d for d in shop_catalog.downtimes(engine, user=demo) if d["work_center"] == code and d["start"] == at]
    assert [(d["end"], d["reason"]) for d in back] == [(at + timedelta(hours=6), "oil; belt")]
    removal = shop_edits.downtime_change(engine, user=demo, downtime_id=back[0]["id"])
    assert removal.kind == "remove_downtime" and removal.args["reason"] == "oil; belt"
    with pytest.raises(NotFound):
        shop_edits.downtime_change(engine, user=bob, downtime_id=back[0]["id"], new={"start": at, "end": at})
