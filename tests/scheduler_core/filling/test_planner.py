"""The filling front door (``planner.plan`` / ``compare``): every strategy returns a valid
schedule; the special behaviours of each are pinned; the strategy table is the catalog."""

from __future__ import annotations

import csv
from dataclasses import replace

import pytest

from scheduler_core.errors import InputError
from scheduler_core.filling import (
    STRATEGIES,
    ActivityKind,
    FillingConfig,
    FillingProblem,
    Lot,
    compare,
    parse_lots,
    plan,
    planner,
    validate_schedule,
)

from .conftest import START, data_file

GREEDY = ["smart-pack", "hybrid-pack", "lpt-pack", "spt-pack", "cfs-pack", "as-given"]


@pytest.mark.parametrize("strategy", list(STRATEGIES))
def test_every_strategy_valid_on_random_instance(strategy):
    lots = parse_lots(data_file("r50_s1.csv"))
    result = plan(FillingProblem(lots), FillingConfig(start_time=START, time_limit_s=2, strategy=strategy))
    assert validate_schedule(result) == []
    assert result.strategy == strategy
    assert result.kpis.lots == 50
    assert result.kpis.makespan_h >= result.kpis.lower_bound_h - 1e-6
    assert result.start == START


@pytest.mark.parametrize("strategy", list(STRATEGIES))
def test_every_strategy_honours_a_changeover_matrix(strategy, small_lots):
    matrix = {
        ("A", "B"): 1,
        ("B", "A"): 12,
        ("B", "C"): 2,
        ("C", "A"): 3,
        ("A", "C"): 9,
        ("C", "B"): 10,
        ("A", "A"): 0.5,
    }
    config = FillingConfig(start_time=START, changeover_matrix=matrix, time_limit_s=1)
    result = plan(FillingProblem(small_lots), replace(config, strategy=strategy))
    assert validate_schedule(result) == []
    assert not result.proven_optimal or result.kpis.makespan_h <= result.kpis.lower_bound_h + 1e-6


def test_matrix_changeovers_appear_in_activities(small_lots):
    config = FillingConfig(start_time=START, changeover_matrix={("A", "B"): 1.5}, window_hours=200)
    lots = [Lot("x", "A", 19920), Lot("y", "B", 19920)]
    result = plan(FillingProblem(lots), replace(config, strategy="as-given"))
    co = [a for a in result.activities if a.kind is ActivityKind.CHANGEOVER]
    assert len(co) == 1 and co[0].duration_h == pytest.approx(1.5)


def test_unknown_strategy_lists_valid_names(small_lots):
    with pytest.raises(InputError) as info:
        plan(FillingProblem(small_lots), FillingConfig(strategy="fastest"))
    for name in STRATEGIES:
        assert name in str(info.value)


def test_no_lots_and_too_long_lot_are_input_errors():
    with pytest.raises(InputError):
        plan(FillingProblem([]))
    with pytest.raises(InputError, match="window"):
        plan(FillingProblem([Lot("L", "A", 200 * 19920)]))


def test_as_given_keeps_the_file_order(small_lots, config):
    result = plan(FillingProblem(small_lots), replace(config, strategy="as-given"))
    order = [a.lot_id for a in result.activities if a.kind is ActivityKind.FILL]
    assert order == [lot.lot_id for lot in small_lots]


def test_default_strategy_is_best(small_lots, config):
    assert plan(FillingProblem(small_lots), config).strategy == "best"
    assert plan(FillingProblem(small_lots), replace(config, strategy="lpt-pack")).strategy == "lpt-pack"


def test_lots_grouped_by_type_inside_blocks(config):
    lots = parse_lots(data_file("r50_s1.csv"))
    result = plan(FillingProblem(lots), replace(config, strategy="smart-pack"))
    for block in result.blocks:
        types = [next(lot.lot_type for lot in lots if lot.lot_id == i) for i in block]
        changes = sum(1 for a, b in zip(types, types[1:], strict=False) if a != b)
        assert changes == len(set(types)) - 1


@pytest.mark.parametrize("name", ["r15_s1.csv", "r50_s1.csv"])
def test_best_never_worse_than_any_other_strategy(name):
    lots = parse_lots(data_file(name))
    results = compare(FillingProblem(lots), FillingConfig(start_time=START, time_limit_s=2))
    best = next(r for r in results if r.strategy == "best")
    for r in results:
        assert best.kpis.makespan_h <= r.kpis.makespan_h + 1e-6, r.strategy


def test_compare_returns_requested_order_and_one_start(small_lots):
    results = compare(FillingProblem(small_lots), FillingConfig(time_limit_s=1), ["lpt-pack", "as-given"])
    assert [r.strategy for r in results] == ["lpt-pack", "as-given"]
    assert results[0].start == results[1].start


def test_compare_reports_every_strategy_against_the_strongest_bound():
    lots = parse_lots(data_file("r50_s1.csv"))
    quick = plan(FillingProblem(lots), FillingConfig(start_time=START, strategy="smart-pack"))
    results = compare(FillingProblem(lots), FillingConfig(start_time=START, time_limit_s=2), ["smart-pack", "best"])
    bounds = {r.strategy: r.kpis.lower_bound_h for r in results}
    assert bounds["smart-pack"] == bounds["best"] > quick.kpis.lower_bound_h  # best proved the pattern LP bound


def _falkenauer():
    path = data_file("falkenauer_index.csv")
    return list(csv.DictReader(open(path))) if path.exists() else []


@pytest.mark.slow
@pytest.mark.parametrize("row", _falkenauer(), ids=lambda r: r["file"])
def test_best_reaches_known_optimum_with_proof(row):
    lots = parse_lots(data_file(row["file"]))
    result = plan(FillingProblem(lots), FillingConfig(start_time=START, time_limit_s=10, strategy="best"))
    assert validate_schedule(result) == []
    assert result.kpis.blocks == int(row["opt_blocks"])
    assert result.kpis.makespan_h == pytest.approx(float(row["opt_makespan_h"]), abs=1e-3)
    assert result.proven_optimal


def test_milp_opt_proves_small_optimum(small_lots, config):
    result = plan(FillingProblem(small_lots), replace(config, time_limit_s=5, strategy="milp-opt"))
    assert validate_schedule(result) == []
    assert result.proven_optimal
    assert result.solver_status == "OPTIMAL"
    greedy = min(plan(FillingProblem(small_lots), replace(config, strategy=s)).kpis.makespan_h for s in GREEDY)
    assert result.kpis.makespan_h <= greedy + 1e-6


def test_progress_reports_steps_and_fractions(small_lots, config):
    calls: list[tuple[float, str]] = []
    plan(
        FillingProblem(small_lots),
        replace(config, time_limit_s=1, strategy="best"),
        progress=lambda f, m: calls.append((f, m)),
    )
    fractions = [f for f, _ in calls]
    assert all(0 <= f <= 1 for f in fractions)
    assert fractions[0] == 0 and fractions[-1] == 1
    text = " ".join(m for _, m in calls)
    for step in ("loading", "validating", "planning", "writing", "done"):
        assert step in text


def test_time_limit_argument_must_be_positive(small_lots):
    with pytest.raises(InputError):
        plan(FillingProblem(small_lots), FillingConfig(time_limit_s=0))


@pytest.mark.slow
def test_best_finds_triplet_optimum_without_the_file_order():
    """t60 files list lots triplet by triplet (so as-given is optimal); shuffled, the search
    itself must find the 20 perfectly filled blocks."""
    import random

    lots = parse_lots(data_file("t60_00.csv"))
    random.Random(3).shuffle(lots)
    result = plan(FillingProblem(lots), FillingConfig(start_time=START, time_limit_s=10, strategy="best"))
    assert validate_schedule(result) == []
    assert result.kpis.blocks == 20 and result.proven_optimal
    assert plan(FillingProblem(lots), FillingConfig(start_time=START, strategy="as-given")).kpis.blocks > 20


def test_lots_and_config_built_in_code_are_validated(small_lots):
    bad_lots = [Lot("A", "X", 10), Lot("A", "X", 0), Lot("", " ", 5)]
    with pytest.raises(InputError) as info:
        plan(FillingProblem(bad_lots), FillingConfig(strategy="lpt-pack"))
    reasons = " ".join(p.reason for p in info.value.problems)
    assert "duplicate" in reasons and "positive" in reasons and "blank" in reasons
    with pytest.raises(InputError, match="fill_rate_vph"):
        plan(FillingProblem(small_lots), FillingConfig(fill_rate_vph=0))
    with pytest.raises(InputError, match="window_hours"):
        plan(FillingProblem(small_lots), FillingConfig(window_hours=-5))


def test_runners_are_exactly_the_catalog():
    assert set(planner.RUNNERS) == set(STRATEGIES)
    assert len(planner.RUNNERS) == len(STRATEGIES) == 8
    assert set(planner.GREEDY) == set(GREEDY) - {"as-given"}


def test_greedy_runner_result_is_that_packing_in_line_order(small_lots, config):
    from scheduler_core.filling.greedy import lpt_pack
    from scheduler_core.filling.rules import Instance

    inst = Instance.build(list(small_lots), config)
    expected = [tuple(small_lots[i].lot_id for i in inst.finalize_block(b)) for b in lpt_pack(inst)]
    result = plan(FillingProblem(small_lots), replace(config, strategy="lpt-pack"))
    assert list(result.blocks) == expected
    assert result.solver_status == "heuristic"


def test_compare_refuses_an_unknown_name_before_planning(small_lots):
    calls = []
    with pytest.raises(InputError, match="fastest"):
        compare(FillingProblem(small_lots), FillingConfig(), ["lpt-pack", "fastest"], progress=lambda f, m: calls.append(m))
    assert calls == []


def test_compare_progress_is_split_between_strategies(small_lots, config):
    calls: list[tuple[float, str]] = []
    compare(FillingProblem(small_lots), config, ["lpt-pack", "spt-pack"], progress=lambda f, m: calls.append((f, m)))
    first = [f for f, m in calls if m.startswith("lpt-pack: ")]
    second = [f for f, m in calls if m.startswith("spt-pack: ")]
    assert len(first) + len(second) == len(calls)
    assert min(first) == 0 and max(first) == 0.5 == min(second) and max(second) == 1
    assert [f for f, _ in calls] == sorted(f for f, _ in calls)


@pytest.mark.parametrize("dated", [False, True], ids=["packing", "due-dates"])
@pytest.mark.parametrize("strategy", ["milp-opt", "best"])
def test_a_cancelled_run_ends_within_a_second_and_keeps_its_best_plan(strategy, dated):
    import threading
    import time
    from datetime import timedelta

    from scheduler_core.filling.validate import validate_schedule
    from scheduler_core.stopping import CANCELLED_STATUS

    from .conftest import random_lots

    lots = random_lots(3, n=600)
    if dated:  # the sequencing search and the CP-SAT sequencing model
        lots = [replace(lot, due=START + timedelta(hours=7 * k), priority=1 + k % 3) for k, lot in enumerate(lots)]
    flag = threading.Event()
    timer = threading.Timer(1.0, flag.set)
    timer.start()
    began = time.monotonic()
    result = plan(FillingProblem(lots), FillingConfig(strategy=strategy, time_limit_s=60), cancel=flag)
    stopped_after = time.monotonic() - began - 1.0
    assert result.solver_status == CANCELLED_STATUS
    assert stopped_after < 1.0, f"ran {stopped_after:.2f} s after the cancel"
    assert validate_schedule(result) == []
    assert not result.proven_optimal or result.kpis.gap_pct == 0


# ------------------------------------------------------------- due dates and releases


def _tradeoff(a1_due):
    from datetime import datetime

    return FillingProblem([Lot("A1", "A", 996_000, due=a1_due), Lot("A2", "A", 996_000),
                           Lot("B1", "B", 199_200, due=datetime(2026, 1, 6, 12))])


@pytest.mark.parametrize("strategy", ["best", "milp-opt"])
def test_the_objective_trades_makespan_for_lateness(strategy):
    """Issue 15's example: `makespan` gives 162 h with a late lot, `due` 166 h with blocks
    [B1, A1], [A2]. With A1 due 2026-01-07 20:00 (68 h after the start) A1 cannot be on time
    at all (a clean and its 50 h fill end at 74 h), so the `due` plan still has A1 24 h late
    (the least possible); due a day later, the `due` plan has no late lot."""
    from datetime import datetime

    from scheduler_core.filling.validate import validate_schedule

    start = datetime(2026, 1, 5)
    for a1_due, due_late in ((datetime(2026, 1, 7, 20), (1, 24.0)), (datetime(2026, 1, 8, 20), (0, 0.0))):
        problem = _tradeoff(a1_due)
        fast = plan(problem, FillingConfig(start_time=start, strategy=strategy, objective="makespan", time_limit_s=5))
        due = plan(problem, FillingConfig(start_time=start, strategy=strategy, objective="due", time_limit_s=5))
        assert validate_schedule(fast) == [] and validate_schedule(due) == []
        assert fast.kpis.makespan_h == 162.0 and fast.kpis.late_lots == 1
        assert fast.blocks == (("B1",), ("A1", "A2"))  # of the 162 h plans, the least late
        assert due.kpis.makespan_h == 166.0 and due.blocks == (("B1", "A1"), ("A2",))
        assert (due.kpis.late_lots, due.kpis.weighted_tardiness_h) == due_late
        assert fast.kpis.weighted_tardiness_h > due.kpis.weighted_tardiness_h


@pytest.mark.parametrize("strategy", list(STRATEGIES))
def test_every_strategy_respects_releases(strategy):
    import random
    from datetime import datetime, timedelta

    from scheduler_core.filling.validate import validate_schedule

    rng = random.Random(11)
    start = datetime(2026, 3, 2, 6)
    lots = [Lot(f"L{k}", rng.choice("ABC"), rng.randint(3, 40) * 19920,
                release=start + timedelta(hours=rng.randint(0, 500)) if k % 3 == 0 else None,
                due=start + timedelta(hours=rng.randint(100, 900)) if k % 2 else None) for k in range(24)]
    lots[5] = replace(lots[5], release=start + timedelta(hours=3000))  # after every plan's end: the line waits
    result = plan(FillingProblem(lots), FillingConfig(start_time=start, strategy=strategy, time_limit_s=1))
    assert validate_schedule(result) == []
    released = {lot.lot_id: lot.release for lot in lots if lot.release}
    fills = [a for a in result.activities if a.kind is ActivityKind.FILL]
    assert all(a.start >= released[a.lot_id] for a in fills if a.lot_id in released)
    assert next(a.start for a in fills if a.lot_id == "L5") == released["L5"]
    assert all((a.lateness_h is None) == (a.due is None) for a in fills)


def test_with_releases_the_makespan_counts_from_the_plan_start_and_the_bound_knows_releases():
    """Every lot released late: the first clean is put off, but the makespan still counts
    from the plan's start, and the lower bound is at least the release plus the fills."""
    from datetime import datetime, timedelta

    from scheduler_core.filling.validate import validate_schedule

    start = datetime(2026, 1, 5)
    late = start + timedelta(hours=100)
    lots = [Lot("A1", "A", 10 * 19920, release=late), Lot("A2", "A", 5 * 19920, release=late)]
    for strategy in ("milp-opt", "best", "smart-pack", "as-given"):
        result = plan(FillingProblem(lots), FillingConfig(start_time=start, strategy=strategy, time_limit_s=2))
        assert validate_schedule(result) == []
        assert result.config.start_time == start and result.activities[0].start == late - timedelta(hours=24)
        fills = [a for a in result.activities if a.kind is ActivityKind.FILL]
        assert result.kpis.makespan_h == (fills[-1].end - start).total_seconds() / 3600 == 119.0
        assert 115.0 <= result.kpis.lower_bound_h <= result.kpis.makespan_h  # release + both fills
    # one lot free at the start: it fills first, the other joins its block after a wait; the bound is met
    lots[1] = Lot("A2", "A", 5 * 19920)
    result = plan(FillingProblem(lots), FillingConfig(start_time=start, strategy="milp-opt", time_limit_s=5))
    assert validate_schedule(result) == [] and result.blocks == (("A2", "A1"),)
    assert result.kpis.makespan_h == 110.0 and result.kpis.gap_pct == 0.0 and result.proven_optimal
