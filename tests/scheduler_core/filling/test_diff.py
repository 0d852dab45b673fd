"""How plans differ: lot by lot, KPI by KPI, and the ★ rule of a comparison."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from scheduler_core.filling import Activity, ActivityKind, FillingConfig, FillingProblem, Kpis, Lot, plan
from scheduler_core.filling.diff import (
    ADDED,
    DUE_CHANGED,
    MOVED,
    REMOVED,
    TIE_RULE,
    UNCHANGED,
    best_of,
    difference_to_best,
    kpi_deltas,
    lot_changes,
)

T0 = datetime(2030, 1, 7, 6, 0)


def fill(lot_id: str, block: int, start_h: float, end_h: float, lateness_h: float | None = None) -> Activity:
    return Activity(ActivityKind.FILL, block, T0 + timedelta(hours=start_h), T0 + timedelta(hours=end_h),
                    lot_id=lot_id, lot_type="A", vials=1000, lateness_h=lateness_h)


def clean(block: int, start_h: float) -> Activity:
    return Activity(ActivityKind.CLEAN, block, T0 + timedelta(hours=start_h), T0 + timedelta(hours=start_h + 24))


def test_moved_added_removed_and_unchanged_lots_with_lateness_before_and_after():
    before = [clean(1, 0), fill("L1", 1, 24, 30, 5.0), fill("L2", 1, 34, 40, None), fill("L3", 1, 44, 50, -2.0)]
    after = [clean(1, 0), fill("L3", 1, 24, 30, -22.0), fill("L1", 1, 34, 40, 15.0), fill("L4", 1, 44, 50)]
    changes = {c.lot_id: c for c in lot_changes(before, after)}
    assert {k: c.status for k, c in changes.items()} == {"L1": MOVED, "L2": REMOVED, "L3": MOVED, "L4": ADDED}
    l1 = changes["L1"]
    assert (l1.before.lateness_h, l1.after.lateness_h, l1.lateness_change_h) == (5.0, 15.0, 10.0)
    assert (l1.start_shift_h, l1.end_shift_h) == (10.0, 10.0)
    assert changes["L3"].end_shift_h == -20.0 and changes["L3"].lateness_change_h == -20.0
    assert changes["L2"].after is None and changes["L2"].lateness_change_h is None
    assert changes["L4"].before is None and changes["L4"].start_shift_h is None
    same = lot_changes(before, before)
    assert {c.status for c in same} == {UNCHANGED} and all(c.size_h == 0 for c in same)


def test_a_lot_moved_to_another_block_at_the_same_time_counts_as_moved():
    (change,) = lot_changes([fill("L1", 1, 24, 30)], [fill("L1", 2, 24, 30)])
    assert change.status == MOVED and change.size_h == 0


def test_sorted_by_the_size_of_the_change_added_and_removed_first():
    before = [fill("small", 1, 0, 1), fill("big", 1, 1, 2), fill("gone", 1, 2, 3), fill("same", 1, 3, 4, 1.0),
              fill("late", 1, 4, 5, 1.0)]
    after = [fill("small", 1, 0.5, 1.5), fill("big", 1, 9, 10), fill("same", 1, 3, 4, 1.0), fill("new", 1, 10, 11),
             fill("late", 1, 4, 5, 4.0)]  # 'late': same times, due moved 3 h earlier
    changes = lot_changes(before, after)
    assert [c.lot_id for c in changes] == ["new", "gone", "big", "late", "small", "same"]
    assert changes[3].status == DUE_CHANGED and changes[-1].status == UNCHANGED


def test_a_due_date_given_or_dropped_is_a_due_change():
    (change,) = lot_changes([fill("L1", 1, 0, 1, None)], [fill("L1", 1, 0, 1, 2.0)])
    assert change.status == DUE_CHANGED and change.lateness_change_h is None


def test_kpi_deltas_sign_and_verdict():
    base = dict(blocks=2, changeovers=1, changeover_h=8.0, fill_h=50.0, clean_h=48.0, lots=3, lower_bound_h=90.0)
    before = Kpis(makespan_h=106.0, utilisation=0.47, gap_pct=17.8, late_lots=1, weighted_tardiness_h=12.0,
                  **base)
    after = Kpis(makespan_h=110.0, utilisation=0.45, gap_pct=22.2, late_lots=0, weighted_tardiness_h=0.0, **base)
    deltas = {d.key: d for d in kpi_deltas(before, after)}
    assert list(deltas) == ["makespan_h", "blocks", "changeover_h", "utilisation_pct", "late_lots",
                            "weighted_tardiness_h", "gap_pct"]
    assert deltas["makespan_h"].change == pytest.approx(4.0) and deltas["makespan_h"].verdict == "worse"
    assert deltas["late_lots"].change == -1 and deltas["late_lots"].verdict == "better"
    assert deltas["weighted_tardiness_h"].verdict == "better"
    assert deltas["utilisation_pct"].change == pytest.approx(-2.0) and deltas["utilisation_pct"].verdict == "worse"
    assert deltas["blocks"].verdict == "same"


def test_the_tie_rule_makespan_then_weighted_tardiness_then_runtime():
    assert "weighted tardiness" in TIE_RULE
    runs = {"fast": (100.0, 40.0, 0.1), "on-time": (104.0, 24.0, 2.0)}
    assert best_of(runs) == "fast" and best_of(runs, "due") == "on-time"
    with pytest.raises(KeyError):
        best_of(runs, "lateness")
    assert best_of({"a": (100.0, 0.0, 1.0), "b": (99.0, 50.0, 9.0)}) == "b"  # makespan first
    assert best_of({"a": (100.0, 6.0, 1.0), "b": (100.0, 2.0, 9.0)}) == "b"  # then weighted tardiness
    assert best_of({"a": (100.0, 2.0, 3.0), "b": (100.0, 2.0, 0.5)}) == "b"  # then the fastest
    assert best_of({"a": (100.0, None, 3.0), "b": (100.0, 0.0, 0.5)}) == "b"  # no due dates = 0
    assert best_of({"a": (100.0, 2.0, 1.0), "b": (100.0, 2.0, 1.0)}) == "a"  # a full tie: the first
    assert best_of({}) is None


def test_difference_to_best_in_hours_and_percent():
    diff = difference_to_best({"best": 100.0, "x": 106.0}, "best")
    assert diff["best"] == (0.0, 0.0)
    assert diff["x"] == (pytest.approx(6.0), pytest.approx(6.0))
    with pytest.raises(KeyError):
        difference_to_best({"x": 1.0}, "y")


def test_a_real_replan_with_an_earlier_due_date_shows_the_lot_less_late():
    config = FillingConfig(start_time=T0, strategy="best", time_limit_s=1, objective="due")
    lots = [Lot("A1", "A", 996_000), Lot("A2", "A", 996_000), Lot("B1", "B", 199_200)]
    before = plan(FillingProblem(lots), config)
    lots[2] = Lot("B1", "B", 199_200, priority=1, due=T0 + timedelta(hours=40))
    after = plan(FillingProblem(lots), config)
    b1 = next(c for c in lot_changes(before.activities, after.activities) if c.lot_id == "B1")
    assert b1.before.lateness_h is None and b1.after.lateness_h is not None and b1.after.lateness_h <= 0
    assert b1.after.end <= T0 + timedelta(hours=40)
