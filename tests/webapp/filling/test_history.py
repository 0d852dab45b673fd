"""Stored schedules and comparisons as read models: listing with KPIs, opening, deleting,
each user seeing only their own."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace

import pytest

from scheduler_core.filling.codec import lots_to_json
from tests.webapp.filling.conftest import CONFIG, LOTS
from webapp.db.engine import session_scope
from webapp.db.models import Comparison
from webapp.filling import history, runs
from webapp.views import ScheduleView


def _run(engine, user, strategy="smart-pack", name="plan"):
    return runs.run_filling_schedule(engine, user=user, name=name, lots=LOTS, config=replace(CONFIG, strategy=strategy))


def test_list_schedules_with_kpis_and_filters(engine, alice):
    first = _run(engine, alice, "smart-pack", "one")
    second = _run(engine, alice, "lpt-pack", "two")
    page, results = history.list_schedules(engine, user=alice)
    assert page.total == 2 and {s.id for s in page.items} == {first, second}
    assert all(isinstance(s, ScheduleView) for s in page.items)
    assert results[first].lots == len(LOTS) and results[first].schedule_id == first
    only, none = history.list_schedules(engine, user=alice, with_results=False, strategy=["lpt-pack"])
    assert [s.id for s in only.items] == [second] and none == {}


def test_views_are_read_only_and_hold_the_stored_input(engine, alice):
    sid = _run(engine, alice)
    stored = history.get_schedule(engine, user=alice, schedule_id=sid)
    with pytest.raises(FrozenInstanceError):
        stored.schedule.name = "renamed"  # type: ignore[misc]
    assert stored.schedule.input_data == lots_to_json(LOTS)
    assert history.schedule_lots(stored.schedule) == LOTS
    assert stored.result_row.makespan_h == stored.result.kpis.makespan_h


def test_other_users_see_nothing_and_delete_nothing(engine, alice, bob):
    sid = _run(engine, alice)
    assert history.get_schedule(engine, user=bob, schedule_id=sid) is None
    assert history.delete_schedules(engine, user=bob, schedule_ids=[sid]) == 0
    assert history.delete_schedules(engine, user=alice, schedule_ids=[sid]) == 1
    assert history.get_schedule(engine, user=alice, schedule_id=sid) is None


def test_comparison_with_a_deleted_schedule(engine, alice, bob):
    cid = runs.run_comparison(engine, user=alice, name="c", lots=LOTS, config=CONFIG,
                              strategies=["smart-pack", "as-given"])
    comparison, stored = history.get_comparison(engine, user=alice, comparison_id=cid)
    assert comparison.strategies == ["smart-pack", "as-given"]
    history.delete_schedules(engine, user=alice, schedule_ids=[stored["as-given"].schedule.id])
    _, stored = history.get_comparison(engine, user=alice, comparison_id=cid)
    assert stored["as-given"] is None and stored["smart-pack"].result is not None
    assert history.get_comparison(engine, user=bob, comparison_id=cid) is None
    assert history.list_comparisons(engine, user=alice).total == 1
    assert history.delete_comparison(engine, user=alice, comparison_id=cid, delete_schedules_too=True)
    assert history.list_schedules(engine, user=alice)[0].total == 0


def test_ids_no_schedule_can_have_name_none(engine, alice):
    for sid in (0, -1, 2**63, 10**23):
        assert history.get_schedule(engine, user=alice, schedule_id=sid) is None


def test_ids_are_never_reused_after_deleting_the_last_schedule(engine, alice):
    ids = [_run(engine, alice, name=f"s{i}") for i in range(3)]
    assert ids == [ids[0], ids[0] + 1, ids[0] + 2]
    assert history.delete_schedules(engine, user=alice, schedule_ids=[ids[-1]]) == 1
    assert _run(engine, alice, name="next") == ids[0] + 3  # 4 on a fresh database


def test_a_comparison_keeps_its_numbers_when_its_schedules_go(engine, alice):
    cid = runs.run_comparison(engine, user=alice, name="c", lots=LOTS, config=CONFIG,
                              strategies=["smart-pack", "as-given"])
    comparison, stored = history.get_comparison(engine, user=alice, comparison_id=cid)
    before = history.comparison_kpis(comparison, stored)
    assert before["as-given"] == stored["as-given"].result_row and before["smart-pack"].makespan_h > 0
    history.delete_schedules(engine, user=alice, schedule_ids=[s.schedule.id for s in stored.values()])
    after_cmp, after = history.get_comparison(engine, user=alice, comparison_id=cid)
    assert after == {"smart-pack": None, "as-given": None}
    assert history.comparison_kpis(after_cmp, after) == before
    _run(engine, alice, "lpt-pack")  # a new schedule never takes a compared run's id
    assert history.get_comparison(engine, user=alice, comparison_id=cid)[1]["as-given"] is None


def test_an_older_comparison_without_copies_shows_what_still_exists(engine, alice):
    cid = runs.run_comparison(engine, user=alice, name="old", lots=LOTS, config=CONFIG,
                              strategies=["smart-pack", "as-given"])
    with session_scope(engine) as s:  # as saved before comparisons kept copies
        row = s.get(Comparison, cid)
        row.runs = {k: {x: y for x, y in v.items() if x != "kpis"} for k, v in row.runs.items()}
    comparison, stored = history.get_comparison(engine, user=alice, comparison_id=cid)
    history.delete_schedules(engine, user=alice, schedule_ids=[stored["as-given"].schedule.id])
    comparison, stored = history.get_comparison(engine, user=alice, comparison_id=cid)
    kpis = history.comparison_kpis(comparison, stored)
    assert kpis["as-given"] is None and kpis["smart-pack"] == stored["smart-pack"].result_row


def test_hide_comparison_runs_and_what_a_deletion_takes(engine, alice, bob):
    alone = _run(engine, alice, name="alone")
    cid = runs.run_comparison(engine, user=alice, name="cmp", lots=LOTS, config=CONFIG,
                              strategies=["smart-pack", "as-given"])
    page, _ = history.list_schedules(engine, user=alice, hide_comparison_runs=True)
    assert [s.id for s in page.items] == [alone]
    assert history.list_schedules(engine, user=alice)[0].total == 3
    grouped = history.comparisons_of_schedules(engine, user=alice)
    assert len(grouped) == 2 and {c.id for c in grouped.values()} == {cid}
    assert history.comparisons_of_schedules(engine, user=bob) == {}
    run_ids = list(grouped)
    impact = history.deletion_impact(engine, user=alice, schedule_ids=[alone, *run_ids])
    assert impact.possible
    assert impact.text.startswith("3 schedules and their results go.")
    assert f"keep their copies of the numbers: #{cid} 'cmp' (smart-pack, as-given)" in impact.text
    one = history.deletion_impact(engine, user=alice, schedule_ids=[alone])
    assert one.text == "1 schedule and its results go."
    assert not history.deletion_impact(engine, user=bob, schedule_ids=[alone]).possible
