"""KPIs measured on activities and the assembly of a ``ScheduleResult``, on a three-lot plan
worked out by hand (default config: one tick is one vial, ``H`` ticks one hour)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from scheduler_core.filling.bounds import LowerBound
from scheduler_core.filling.kpis import kpis_from_activities, make_result, shared_bound
from scheduler_core.filling.model import Activity, ActivityKind, FillingConfig, Kpis, Lot
from scheduler_core.filling.rules import Instance, build_activities

H = 19_920
START = datetime(2026, 12, 1, 6, 0)


@pytest.fixture
def inst() -> Instance:
    """a1: A 10 h, b1: B 20 h, a2: A 30 h."""
    lots = [Lot("a1", "A", 10 * H), Lot("b1", "B", 20 * H), Lot("a2", "A", 30 * H)]
    return Instance.build(lots, FillingConfig(start_time=START))


def test_kpis_of_one_block_by_hand(inst):
    # clean 24 h, a2 30 h, 4 h, a1 10 h, 8 h, b1 20 h: 96 h
    acts = build_activities(inst, [[2, 0, 1]], START)
    assert kpis_from_activities(acts, 80.0) == Kpis(
        makespan_h=96.0,
        blocks=1,
        changeovers=2,
        changeover_h=12.0,
        fill_h=60.0,
        clean_h=24.0,
        utilisation=0.625,  # 60 / 96
        lots=3,
        lower_bound_h=80.0,
        gap_pct=20.0,  # (96 - 80) / 80
    )


def test_kpis_of_two_blocks_by_hand(inst):
    # clean 24, a2 30 | clean 24, a1 10, 8, b1 20: 116 h
    k = kpis_from_activities(build_activities(inst, [[2], [0, 1]], START), 116.0)
    assert (k.makespan_h, k.blocks, k.changeovers, k.changeover_h) == (116.0, 2, 1, 8.0)
    assert (k.fill_h, k.clean_h, k.lots) == (60.0, 48.0, 3)
    assert k.utilisation == round(60 / 116, 6)
    assert k.gap_pct == 0.0


def test_gap_is_never_negative_and_zero_without_a_bound(inst):
    acts = build_activities(inst, [[2, 0, 1]], START)
    assert kpis_from_activities(acts, 100.0).gap_pct == 0.0  # bound above the makespan
    assert kpis_from_activities(acts, 0.0).gap_pct == 0.0


def test_kpis_are_rounded_to_six_decimals():
    third = timedelta(hours=1) / 3  # 20 minutes
    acts = (
        Activity(ActivityKind.CLEAN, 1, START, START + third),
        Activity(ActivityKind.FILL, 1, START + third, START + 3 * third, "x", "A", 10),
    )
    k = kpis_from_activities(acts, 0.9)
    assert k.makespan_h == 1.0 and k.clean_h == 0.333333 and k.fill_h == 0.666667
    assert k.utilisation == 0.666667
    assert k.gap_pct == round(100 * (1 - 0.9) / 0.9, 6)


def test_no_activities_no_kpis():
    assert kpis_from_activities((), 5.0) == Kpis(0.0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0, 5.0, 0.0)


def test_makespan_ends_with_the_last_fill(inst):
    acts = build_activities(inst, [[2, 0, 1]], START)
    trailing = Activity(ActivityKind.CLEAN, 2, acts[-1].end, acts[-1].end + timedelta(hours=24))
    k = kpis_from_activities((*acts, trailing), 96.0)
    assert k.makespan_h == 96.0 and k.blocks == 2 and k.clean_h == 48.0


def test_make_result_by_hand(inst):
    bound = LowerBound(ticks=90 * H, blocks=1, hours=90.0)
    result = make_result(
        inst, [[2, 0, 1], []], strategy="lpt-pack", bound=bound, runtime_s=1.234567,
        solver_status="heuristic", start=START,
    )
    assert result.strategy == "lpt-pack" and result.solver_status == "heuristic"
    assert result.runtime_s == 1.2346
    assert result.blocks == (("a2", "a1", "b1"),)  # the empty block is dropped
    assert result.lots == tuple(inst.lots) and result.config == replace(inst.config, start_time=START)
    assert result.activities == build_activities(inst, [[2, 0, 1]], START)
    assert result.kpis == kpis_from_activities(result.activities, 90.0)
    assert result.kpis.makespan_h == 96.0 and result.kpis.lower_bound_h == 90.0
    assert not result.proven_optimal  # 96 h > 90 h
    assert result.start == START and result.end == START + timedelta(hours=96)


def test_make_result_optimal_when_the_bound_is_met_or_a_solver_says_so(inst):
    def proven(bound_hours: int, claim: bool | None) -> bool:
        bound = LowerBound(bound_hours * H, 1, float(bound_hours))
        return make_result(
            inst, [[2, 0, 1]], strategy="best", bound=bound, runtime_s=0.0,
            solver_status="s", start=START, proven_optimal=claim,
        ).proven_optimal

    assert proven(96, None) and proven(97, None)
    assert not proven(95, None) and not proven(95, False)
    assert proven(95, True)
    assert proven(96, False)  # meeting the bound is a proof whatever the caller says


def test_shared_bound_measures_every_result_against_the_strongest_one(inst):
    def result(blocks, bound_hours: int, strategy: str):
        return make_result(inst, blocks, strategy=strategy, bound=LowerBound(bound_hours * H, 1, float(bound_hours)),
                           runtime_s=0.0, solver_status="s", start=START)

    one_block, two_blocks = result([[2, 0, 1]], 80, "lpt-pack"), result([[2, 0], [1]], 96, "best")
    assert not one_block.proven_optimal
    shared = shared_bound([one_block, two_blocks])
    assert [r.strategy for r in shared] == ["lpt-pack", "best"]
    assert [r.kpis.lower_bound_h for r in shared] == [96.0, 96.0]
    assert shared[0].proven_optimal and shared[0].kpis.gap_pct == 0
    assert not shared[1].proven_optimal
    assert shared[1].kpis.gap_pct == pytest.approx(100 * (two_blocks.kpis.makespan_h - 96) / 96)
    assert shared_bound([]) == []


def test_make_result_blocks_are_taken_in_the_given_line_order(inst):
    bound = LowerBound(0, 0, 0.0)
    result = make_result(
        inst, [[1], [0, 2]], strategy="as-given", bound=bound, runtime_s=0.0,
        solver_status="heuristic", start=START,
    )
    assert result.blocks == (("b1",), ("a1", "a2"))
    fills = [a.lot_id for a in result.activities if a.kind is ActivityKind.FILL]
    assert fills == ["b1", "a1", "a2"]


def test_due_kpis_count_late_lots_and_weigh_them_by_priority():
    from scheduler_core.filling.kpis import due_kpis

    def fill(lot_id, lateness):
        return Activity(ActivityKind.FILL, 1, START, START, lot_id, "A", 1, lateness_h=lateness)

    fills = [fill("L1", 2.0), fill("L2", -3.0), fill("L3", 1.5), fill("L4", None)]
    assert due_kpis(fills, {"L1": 3, "L3": 1}) == {
        "late_lots": 2, "tardiness_h": 3.5, "weighted_tardiness_h": 7.5, "max_lateness_h": 2.0}
    assert due_kpis([fill("L4", None)], {})["max_lateness_h"] is None
