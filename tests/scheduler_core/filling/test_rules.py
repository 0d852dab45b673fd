"""The line's rules in ticks (``rules.Instance``) and the timeline of a packing, on instances
small enough to check by hand.

With the default config (19,920 vials/h, 24 h clean, 120 h window, 4 h / 8 h changeovers) one
tick is one vial: ``H`` ticks are one hour.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from scheduler_core.filling.model import ActivityKind, FillingConfig, Lot
from scheduler_core.filling.rules import Instance, build_activities

H = 19_920  # ticks per hour (and vials per hour) of the default config
START = datetime(2026, 12, 1, 6, 0)


def three_lots(config: FillingConfig | None = None) -> Instance:
    """a1: A 10 h, b1: B 20 h, a2: A 30 h."""
    lots = [Lot("a1", "A", 10 * H), Lot("b1", "B", 20 * H), Lot("a2", "A", 30 * H)]
    return Instance.build(lots, config or FillingConfig())


def test_default_instance_in_ticks():
    inst = three_lots()
    assert inst.scale.ticks_per_hour == H
    assert inst.n == 3
    assert inst.types == ["A", "B"] and inst.type_of == [0, 1, 0]
    assert inst.fill == [10 * H, 20 * H, 30 * H]
    assert inst.matrix == [[4 * H, 8 * H], [8 * H, 4 * H]]
    assert inst.same == [4 * H, 4 * H] and inst.cross == 8 * H
    assert inst.window == 120 * H and inst.clean == 24 * H
    assert inst.exact


def test_ticks_follow_the_config():
    # 1,000 vials/h and a half-hour changeover: 1,000 ticks per hour
    config = FillingConfig(fill_rate_vph=1000, changeover_same_hours=0.5, clean_hours=2, window_hours=10)
    inst = Instance.build([Lot("x", "A", 1500), Lot("y", "A", 250)], config)
    assert inst.scale.ticks_per_hour == 1000
    assert inst.fill == [1500, 250]
    assert inst.same == [500] and inst.window == 10_000 and inst.clean == 2000
    # one type only: the "largest cross-type changeover" is the configured different-type one
    assert inst.cross == 8000 and inst.exact


def test_item_sizes_type_extras_and_capacity():
    inst = three_lots()
    assert [inst.size(i) for i in range(3)] == [14 * H, 24 * H, 34 * H]  # fill + 4 h
    assert inst.type_extra(0) == inst.type_extra(1) == 4 * H  # 8 h - 4 h
    assert inst.capacity == 128 * H  # window + cross


def test_grouped_load_by_hand():
    inst = three_lots()
    # a2, a1 | b1: 60 h filling, 4 h (A->A) + 8 h (A->B)
    assert inst.grouped_load([0, 1, 2]) == 72 * H
    assert inst.grouped_load([0, 2]) == 44 * H  # 40 h + one same-type changeover
    assert inst.grouped_load([1]) == 20 * H
    assert inst.grouped_load([]) == 0


def test_sequence_load_measures_the_given_order():
    inst = three_lots()
    assert inst.sequence_load([0, 1, 2]) == 76 * H  # A->B->A: two 8 h changeovers
    assert inst.sequence_load([2, 0, 1]) == 72 * H  # grouped: equals the grouped load
    assert inst.sequence_load([1]) == 20 * H
    assert inst.sequence_load([]) == 0


def test_grouped_load_is_exact_for_the_grouped_order():
    inst = three_lots()
    for block in ([0, 1, 2], [0, 2], [1, 2], [2]):
        assert inst.grouped_load(block) == inst.sequence_load(inst.order_block(block))


def test_order_block_groups_types_largest_lot_first():
    inst = three_lots()
    assert inst.order_block([0, 1, 2]) == [2, 0, 1]  # A (a2 30 h, a1 10 h), then B
    assert inst.order_block([1, 0]) == [0, 1]  # types in name order
    assert inst.order_block([]) == []


def test_order_block_chooses_the_cheapest_type_order_with_a_matrix():
    inst = three_lots(FillingConfig(changeover_matrix={("A", "B"): 12, ("B", "A"): 1}))
    assert inst.cross == 12 * H and not inst.exact
    assert inst.order_block([0, 1, 2]) == [1, 2, 0]  # B first: B->A costs 1 h, A->B 12 h
    assert inst.sequence_load([1, 2, 0]) == (60 + 1 + 4) * H
    # the grouped load is then only an upper bound
    assert inst.grouped_load([0, 1, 2]) == 76 * H >= inst.sequence_load([1, 2, 0])


def test_best_type_order_over_three_types():
    lots = [Lot("a", "A", H), Lot("b", "B", H), Lot("c", "C", H)]
    matrix = {("A", "B"): 9, ("A", "C"): 9, ("B", "A"): 9, ("B", "C"): 9, ("C", "A"): 1, ("C", "B"): 9}
    inst = Instance.build(lots, FillingConfig(changeover_matrix=matrix))
    order = inst.order_block([0, 1, 2])
    # C->A is the one cheap step, so the best orders take it: C A B or B C A (10 h each)
    assert order in ([2, 0, 1], [1, 2, 0])
    assert inst.sequence_load(order) == (3 + 10) * H


def test_finalize_block_in_the_exact_case_is_the_grouped_order():
    inst = three_lots()
    assert inst.finalize_block([0, 1, 2]) == [2, 0, 1]


def test_finalize_block_keeps_a_cheaper_own_order():
    # two lots of type A cost 10 h to change between; A<->B only 1 h
    config = FillingConfig(changeover_matrix={("A", "A"): 10, ("A", "B"): 1, ("B", "A"): 1})
    inst = three_lots(config)
    assert not inst.exact
    assert inst.sequence_load([0, 1, 2]) == (60 + 2) * H  # A B A
    assert inst.sequence_load(inst.order_block([0, 1, 2])) == (60 + 11) * H  # A A B
    assert inst.finalize_block([0, 1, 2]) == [0, 1, 2]
    # a worse own order gets the grouped order
    assert inst.finalize_block([0, 2, 1]) == inst.order_block([0, 2, 1])


def test_makespan_counts_a_clean_per_non_empty_block():
    inst = three_lots()
    assert inst.makespan_ticks([[2, 0, 1]]) == (24 + 72) * H
    assert inst.makespan_ticks([[2], [], [0, 1]]) == (24 + 30 + 24 + 38) * H
    assert inst.makespan_ticks([]) == 0


def _at(hours: float) -> datetime:
    return START + timedelta(hours=hours)


def test_build_activities_by_hand():
    inst = three_lots()
    acts = build_activities(inst, [[2, 0, 1]], START)
    assert [(a.kind, a.block, a.start, a.end, a.lot_id) for a in acts] == [
        (ActivityKind.CLEAN, 1, _at(0), _at(24), None),
        (ActivityKind.FILL, 1, _at(24), _at(54), "a2"),
        (ActivityKind.CHANGEOVER, 1, _at(54), _at(58), "a1"),
        (ActivityKind.FILL, 1, _at(58), _at(68), "a1"),
        (ActivityKind.CHANGEOVER, 1, _at(68), _at(76), "b1"),
        (ActivityKind.FILL, 1, _at(76), _at(96), "b1"),
    ]
    fill = acts[1]
    assert (fill.lot_type, fill.vials) == ("A", 30 * H)
    change = acts[4]  # describes the lot the line is changed over to, without vials
    assert (change.lot_type, change.vials) == ("B", None)
    clean = acts[0]
    assert (clean.lot_type, clean.vials) == (None, None)


def test_build_activities_skips_empty_blocks_and_numbers_from_one():
    inst = three_lots()
    acts = build_activities(inst, [[], [2], [], [0, 1]], START)
    assert [(a.kind.value, a.block) for a in acts] == [
        ("CLEAN", 1), ("FILL", 1), ("CLEAN", 2), ("FILL", 2), ("CHANGEOVER", 2), ("FILL", 2),
    ]
    assert acts[2].start == _at(54) and acts[-1].end == _at(24 + 30 + 24 + 10 + 8 + 20)
    assert build_activities(inst, [], START) == ()


def test_activities_are_contiguous_from_the_start():
    lots = [Lot(f"L{k}", "ABC"[k % 3], (7 + 13 * k) * 1_000 + k) for k in range(12)]
    inst = Instance.build(lots, FillingConfig())
    blocks = [[0, 3, 6], [1, 4], [2, 5, 7, 8], [9, 10, 11]]
    acts = build_activities(inst, blocks, START)
    assert acts[0].start == START
    for before, after in zip(acts, acts[1:], strict=False):
        assert before.end == after.start
    total = sum(inst.clean + inst.sequence_load(b) for b in blocks)
    assert acts[-1].end == START + inst.scale.to_timedelta(total)
    assert [a.lot_id for a in acts if a.kind is ActivityKind.FILL] == [lots[i].lot_id for b in blocks for i in b]


def test_timeline_puts_off_a_clean_until_the_release_and_waits_inside_a_block():
    t0 = datetime(2026, 1, 5)
    h = timedelta(hours=1)
    lots = [Lot("A1", "A", 19920 * 10), Lot("A2", "A", 19920 * 10, release=t0 + 60 * h),
            Lot("B1", "B", 19920 * 5, release=t0 + 200 * h)]
    inst = Instance.build(lots, FillingConfig(start_time=t0), t0)
    tph = inst.scale.ticks_per_hour
    assert inst.timed and inst.release == [0, 60 * tph, 200 * tph]
    first, second = inst.timeline([[0, 1], [2]])
    # A1 24..34, changeover 34..38, waits until 60, fills 60..70
    assert (first.clean_start, first.fill_starts, first.end) == (0, [24 * tph, 60 * tph], 70 * tph)
    # the second clean ends when B1 is released
    assert (second.clean_start, second.fill_starts) == (176 * tph, [200 * tph])
    assert inst.span_fits(first) and inst.makespan_ticks([[0, 1], [2]]) == 205 * tph
    acts = build_activities(inst, [[0, 1], [2]], t0)
    assert [a.kind.value for a in acts] == ["CLEAN", "FILL", "CHANGEOVER", "FILL", "CLEAN", "FILL"]
    assert acts[4].start == t0 + 176 * h and acts[3].start == t0 + 60 * h


def test_due_dates_in_ticks_round_down_and_lateness_is_reported_per_fill():
    t0 = datetime(2026, 1, 5)
    lots = [Lot("A1", "A", 19920 * 10, due=t0 + timedelta(hours=30, seconds=1), priority=1)]
    inst = Instance.build(lots, FillingConfig(start_time=t0), t0)
    assert inst.due == [30 * inst.scale.ticks_per_hour + 5] and inst.weight == [3]  # 1 s = 5.53 ticks, down
    [_, fill] = build_activities(inst, [[0]], t0)
    assert fill.due == lots[0].due and fill.lateness_h == round(4 - 1 / 3600, 6)
