"""The validator catches every rule violation (one test per rule) and passes valid plans."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from scheduler_core.filling import ActivityKind, FillingProblem, Lot, plan, validate_schedule
from scheduler_core.filling.validate import RULES, validate_activities

H = timedelta(hours=1)


@pytest.fixture
def result(small_lots, config):
    r = plan(FillingProblem(small_lots), replace(config, strategy="smart-pack"))
    assert validate_schedule(r) == []
    assert r.kpis.blocks >= 2
    return r


def rules_broken(result, activities, lots=None):
    return {v.rule for v in validate_activities(activities, lots or result.lots, result.config)}


def shifted(acts, k, delta):
    """Shift activity k and every later one by delta."""
    return [a if j < k else replace(a, start=a.start + delta, end=a.end + delta) for j, a in enumerate(acts)]


def index_of(acts, kind, nth=0):
    return [j for j, a in enumerate(acts) if a.kind is kind][nth]


def test_valid_plan_has_no_violations(result):
    assert validate_schedule(result) == []


def test_gap(result):
    acts = list(result.activities)
    assert "gap" in rules_broken(result, shifted(acts, 3, H))


def test_overlap(result):
    acts = list(result.activities)
    assert "overlap" in rules_broken(result, shifted(acts, 3, -H))


def test_missing_lot(result):
    acts = list(result.activities)
    extra = Lot("GHOST", "A", 100)
    assert "missing-lot" in rules_broken(result, acts, [*result.lots, extra])


def test_duplicate_lot(result):
    acts = list(result.activities)
    fills = [a for a in acts if a.kind is ActivityKind.FILL]
    k = index_of(acts, ActivityKind.FILL, 1)
    acts[k] = replace(acts[k], lot_id=fills[0].lot_id, lot_type=fills[0].lot_type, vials=fills[0].vials)
    assert "duplicate-lot" in rules_broken(result, acts)


def test_unknown_lot(result):
    acts = list(result.activities)
    k = index_of(acts, ActivityKind.FILL, 0)
    acts[k] = replace(acts[k], lot_id="NOPE")
    assert "unknown-lot" in rules_broken(result, acts)


def test_lot_mismatch(result):
    acts = list(result.activities)
    k = index_of(acts, ActivityKind.FILL, 0)
    acts[k] = replace(acts[k], lot_type="Z")
    assert "lot-mismatch" in rules_broken(result, acts)


def test_window_overflow(result):
    tight = replace(result.config, window_hours=50)
    assert "window" in {v.rule for v in validate_activities(result.activities, result.lots, tight)}


def test_wrong_changeover_duration(result):
    acts = list(result.activities)
    k = index_of(acts, ActivityKind.CHANGEOVER, 0)
    acts[k] = replace(acts[k], end=acts[k].end + H)
    assert "changeover-duration" in rules_broken(result, shifted(acts, k + 1, H))


def test_wrong_fill_duration(result):
    acts = list(result.activities)
    k = index_of(acts, ActivityKind.FILL, 0)
    acts[k] = replace(acts[k], end=acts[k].end - H)
    assert "fill-duration" in rules_broken(result, shifted(acts, k + 1, -H))


def test_wrong_clean_duration(result):
    acts = list(result.activities)
    acts[0] = replace(acts[0], end=acts[0].end - H)
    assert "clean-duration" in rules_broken(result, shifted(acts, 1, -H))


def test_block_not_opened_by_clean(result):
    acts = list(result.activities)[1:]
    assert "block-not-opened-by-clean" in rules_broken(result, acts)


def test_second_block_without_clean(result):
    acts = list(result.activities)
    k = index_of(acts, ActivityKind.CLEAN, 1)
    assert "block-not-opened-by-clean" in rules_broken(
        result, acts[:k] + shifted(acts[k + 1 :], 0, -result.config.clean_hours * H)
    )


def test_missing_changeover(result):
    acts = list(result.activities)
    k = index_of(acts, ActivityKind.CHANGEOVER, 0)
    dur = acts[k].end - acts[k].start
    assert "missing-changeover" in rules_broken(result, acts[:k] + shifted(acts[k + 1 :], 0, -dur))


def test_unexpected_changeover_after_clean(result):
    acts = list(result.activities)
    k = index_of(acts, ActivityKind.CHANGEOVER, 0)
    co = acts[k]
    moved = replace(co, block=1, start=acts[0].end, end=acts[0].end + (co.end - co.start))
    rest = [a for j, a in enumerate(acts) if j not in (0, k)]
    new = [acts[0], moved, *shifted(rest[: k - 1], 0, co.end - co.start), *rest[k - 1 :]]
    assert "unexpected-changeover" in rules_broken(result, new)


def test_empty_block_and_trailing_clean(result):
    acts = list(result.activities)
    last = acts[-1]
    clean = replace(acts[0], block=acts[-1].block + 1, start=last.end, end=last.end + 24 * H)
    assert "empty-block" in rules_broken(result, [*acts, clean])


def test_block_numbering(result):
    acts = [replace(a, block=a.block + 1) for a in result.activities]
    assert "block-numbering" in rules_broken(result, acts)


def test_kpi_mismatch(result):
    bad = replace(result, kpis=replace(result.kpis, makespan_h=result.kpis.makespan_h - 5))
    assert "kpi-mismatch" in {v.rule for v in validate_schedule(bad)}


def test_every_rule_has_a_test():
    tested = {name[len("test_") :] for name in globals() if name.startswith("test_")}
    words = " ".join(tested)
    for rule in RULES:
        assert rule.split("-")[0] in words, rule


def _schedule(result, activities):
    from scheduler_core.filling.validate import Schedule

    return Schedule.of(activities, result.lots, result.config)


def test_changeover_followed_by_fill(result):
    from scheduler_core.filling.validate import changeover_followed_by_fill

    acts = list(result.activities)
    k = index_of(acts, ActivityKind.CHANGEOVER, 0)
    dangling = [*acts[: k + 1]]  # the schedule stops right after a changeover
    assert [v.rule for v in changeover_followed_by_fill(_schedule(result, dangling))] == ["unexpected-changeover"]
    assert list(changeover_followed_by_fill(_schedule(result, acts))) == []


def test_changeover_names_next_lot(result):
    from scheduler_core.filling.validate import changeover_names_next_lot

    acts = list(result.activities)
    k = index_of(acts, ActivityKind.CHANGEOVER, 0)
    acts[k] = replace(acts[k], lot_id="SOMEONE-ELSE")
    assert [v.rule for v in changeover_names_next_lot(_schedule(result, acts))] == ["unexpected-changeover"]


def test_every_rule_function_has_a_test():
    from scheduler_core.filling.validate import SCHEDULE_RULES

    names = {fn.__name__ for fn in SCHEDULE_RULES}
    violation_of = {
        "no_overlap": "overlap", "no_gap": "gap", "blocks_opened_by_clean": "block_not_opened_by_clean",
        "blocks_numbered_in_order": "block_numbering", "no_empty_block": "empty_block_and_trailing_clean",
        "clean_duration": "wrong_clean_duration", "within_window": "window_overflow",
        "changeover_follows_fill": "unexpected_changeover_after_clean",
        "changeover_followed_by_fill": "changeover_followed_by_fill",
        "changeover_names_next_lot": "changeover_names_next_lot", "changeover_between_lots": "missing_changeover",
        "changeover_duration": "wrong_changeover_duration", "only_known_lots": "unknown_lot",
        "lots_filled_once": "duplicate_lot", "every_lot_filled": "missing_lot", "fill_matches_lot": "lot_mismatch",
        "fill_duration": "wrong_fill_duration", "after_release": "release_broken_when_a_fill_starts_before_it",
    }
    assert names == set(violation_of)
    for test in violation_of.values():
        assert f"test_{test}" in globals(), test


# ----------------------------------------------------------------- releases and due dates


@pytest.fixture
def released(small_lots, config):
    """A plan where lot C2 (last, 25 h) is released 600 h after the start: it waits."""
    lots = [replace(lot, release=config.start_time + 600 * H) if lot.lot_id == "C2" else lot for lot in small_lots]
    r = plan(FillingProblem(lots), replace(config, strategy="as-given"))
    fill = next(a for a in r.activities if a.lot_id == "C2" and a.kind is ActivityKind.FILL)
    assert fill.start == config.start_time + 600 * H
    assert validate_schedule(r) == []
    return r


def test_release_broken_when_a_fill_starts_before_it(released):
    lots = [replace(lot, release=lot.release + H) if lot.release else lot for lot in released.lots]
    broken = rules_broken(released, list(released.activities), lots)
    assert "release" in broken and "gap" in broken  # the wait is no longer a wait for a release


def test_a_wait_for_a_release_counts_inside_the_window(released):
    config = replace(released.config, window_hours=released.config.window_hours)
    acts = list(released.activities)
    k = next(j for j, a in enumerate(acts) if a.lot_id == "C2" and a.kind is ActivityKind.FILL)
    block = acts[k].block
    clean = next(a for a in acts if a.kind is ActivityKind.CLEAN and a.block == block)
    span_h = (acts[k].end - clean.end).total_seconds() / 3600
    tight = replace(config, window_hours=span_h - 0.5)
    assert "window" in {v.rule for v in validate_activities(acts, released.lots, tight)}


def test_due_kpis_and_lateness_are_checked(small_lots, config):
    lots = [replace(lot, due=config.start_time + 10 * H, priority=1) for lot in small_lots]
    r = plan(FillingProblem(lots), replace(config, strategy="smart-pack"))
    assert validate_schedule(r) == [] and r.kpis.late_lots == len(lots)
    wrong_kpis = replace(r, kpis=replace(r.kpis, weighted_tardiness_h=r.kpis.weighted_tardiness_h / 3))
    assert {v.rule for v in validate_schedule(wrong_kpis)} == {"kpi-mismatch"}
    acts = [replace(a, lateness_h=0.0) if a.kind is ActivityKind.FILL else a for a in r.activities]
    assert "kpi-mismatch" in {v.rule for v in validate_schedule(replace(r, activities=tuple(acts)))}
