"""Constructive strategies: each packing worked out by hand on a few lots, plus the invariants
every strategy keeps (each lot packed once, every block within the window).

Default config: 120 h window, changeovers 4 h (same type) and 8 h (different types); one
tick is one vial, ``H`` ticks one hour.
"""

from __future__ import annotations

import pytest

from scheduler_core.filling import greedy
from scheduler_core.filling.model import FillingConfig, Lot
from scheduler_core.filling.rules import Instance

H = 19_920


def instance(spec: list[tuple[str, float]], config: FillingConfig | None = None) -> Instance:
    """Lots ``L0, L1, ...`` of ``(type, fill hours)``."""
    lots = [Lot(f"L{k}", t, round(h * H)) for k, (t, h) in enumerate(spec)]
    return Instance.build(lots, config or FillingConfig())


def test_packer_increment_fits_and_first_fit():
    inst = instance([("A", 50), ("A", 60), ("B", 10)])
    p = greedy.Packer(inst)
    b = p.open()
    assert (b, p.blocks, p.loads) == (0, [[]], [0])
    assert p.increment(0, 0) == 50 * H  # an empty block: the fill alone
    p.add(0, 0)
    assert p.increment(0, 1) == (60 + 4) * H  # same type: 4 h changeover
    assert p.increment(0, 2) == (10 + 8) * H  # new type: 8 h changeover
    assert p.fits(0, 1)  # 50 + 64 = 114 <= 120
    p.add(0, 1)
    assert p.loads == [114 * H] and p.types == [{0: 2}]
    assert not p.fits(0, 2)  # 114 + 18 > 120
    assert p.first_fit(2) == 1 and p.blocks == [[0, 1], []]  # opened a new block
    assert p.first_fit(2, candidates=[0]) == 2  # no candidate fits: opens another


def test_first_fit_in_the_given_order():
    inst = instance([("A", 50), ("A", 60), ("B", 10), ("B", 100)])
    # L0 -> block 0 (50); L1 -> block 0 (114); L2 -> block 1 (10); L3 -> block 1 (10 + 104)
    assert greedy.first_fit(inst, [0, 1, 2, 3]) == [[0, 1], [2, 3]]
    # L3 first: block 0 (100); L2 -> block 0 (114); L1 -> block 1; L0 -> block 1 (60 + 54)
    assert greedy.first_fit(inst, [3, 2, 1, 0]) == [[3, 2], [1, 0]]


FIVE_A = [("A", 50), ("A", 30), ("A", 70), ("A", 40), ("A", 60)]


def test_lpt_pack_longest_first():
    # 70 | 60 ; 50 -> 60+54 ; 40 -> 70+44 ; 30 fits nowhere (114 + 34 > 120)
    assert greedy.lpt_pack(instance(FIVE_A)) == [[2, 3], [4, 0], [1]]


def test_spt_pack_shortest_first():
    # 30 ; 40 -> 30+44 ; 50 new ; 60 -> 50+64 ; 70 new
    assert greedy.spt_pack(instance(FIVE_A)) == [[1, 3], [0, 4], [2]]


def test_cfs_pack_one_campaign_per_type_next_fit():
    inst = instance([("B", 20), ("A", 40), ("B", 30), ("A", 50)])
    # A has the larger volume (90 h): A50, A40 (94 h); B30 would need 94 + 38 > 120: new block
    assert greedy.cfs_pack(inst) == [[3, 1], [2, 0]]


def test_cfs_pack_never_goes_back_to_an_earlier_block():
    inst = instance([("A", 100), ("A", 30), ("B", 5)])
    # A100 | A30 (100 + 34 > 120) ; B5 fits block 0 (100 + 13) but next-fit puts it in block 1
    assert greedy.cfs_pack(inst) == [[0], [1, 2]]


def test_hybrid_pack_prefers_the_smaller_increment():
    inst = instance([("B", 80), ("A", 70), ("A", 10)])
    # A10 adds 18 h to the B block (22 h left) but only 14 h to the A block (36 h left)
    assert greedy.hybrid_pack(inst) == [[0], [1, 2]]
    # first fit, by contrast, takes the first block with room
    assert greedy.lpt_pack(inst) == [[0, 2], [1]]


def test_hybrid_pack_then_least_room_left():
    inst = instance([("A", 80), ("A", 70), ("A", 30)])
    # A30 adds 34 h to either block; the fuller block (80 h) is left with less room
    assert greedy.hybrid_pack(inst) == [[0, 2], [1]]


def test_per_type_ffd_packs_each_type_apart():
    inst = instance([("B", 30), ("A", 60), ("A", 50), ("B", 10)])
    # A (110 h) first: 60 + 54 = 114 ; then B (40 h) in blocks of its own: 30 + 14 = 44
    assert greedy.per_type_ffd(inst) == [[1, 2], [0, 3]]


def test_merge_blocks_dissolves_a_block_when_that_saves_time():
    inst = instance([("A", 50), ("B", 30)])
    # moving B30 into the A block costs 38 h, dropping its block saves 24 h clean + 30 h
    assert greedy.merge_blocks(inst, [[0], [1]]) == [[0, 1]]
    assert greedy.smart_pack(inst) == [[0, 1]]


def test_merge_blocks_keeps_blocks_when_merging_costs_more():
    inst = instance([("A", 50), ("B", 30)], FillingConfig(clean_hours=0))
    # without cleans a block of its own costs 30 h, merging costs 38 h
    assert greedy.merge_blocks(inst, [[0], [1]]) == [[0], [1]]


def test_merge_blocks_only_when_every_lot_finds_room():
    inst = instance([("A", 100), ("A", 90), ("B", 20)])
    # B20 needs 28 h in another block; blocks have 20 h and 30 h left -> into the 90 h one
    assert greedy.merge_blocks(inst, [[0], [1], [2]]) == [[0], [1, 2]]
    inst = instance([("A", 100), ("A", 100), ("B", 20)])
    assert greedy.merge_blocks(inst, [[0], [1], [2]]) == [[0], [1], [2]]


def test_as_given_next_fit_in_the_file_order():
    inst = instance([("A", 60), ("B", 50), ("A", 40), ("A", 30)])
    # 60 + 8 + 50 = 118 ; A40 needs 8 + 40 more: new block ; 40 + 4 + 30 = 74
    assert greedy.as_given(inst) == [[0, 1], [2, 3]]


def test_as_given_uses_the_exact_matrix_changeover():
    config = FillingConfig(changeover_matrix={("A", "B"): 12})
    inst = instance([("A", 60), ("B", 50), ("A", 40), ("A", 30)], config)
    # 60 + 12 + 50 > 120 ; 50 + 8 (B->A, default) + 40 = 98 ; 98 + 4 + 30 > 120
    assert greedy.as_given(inst) == [[0], [1, 2], [3]]


PACKERS = [greedy.lpt_pack, greedy.spt_pack, greedy.cfs_pack, greedy.hybrid_pack, greedy.per_type_ffd, greedy.smart_pack]


def _mixed(config: FillingConfig | None = None) -> Instance:
    spec = [("ABCD"[k % 4], 5 + (37 * k) % 90) for k in range(30)]
    return instance(spec, config)


@pytest.mark.parametrize("pack", PACKERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(
    "config",
    [FillingConfig(), FillingConfig(changeover_same_hours=0, changeover_diff_hours=10.5, clean_hours=6)],
    ids=["default", "other-hours"],
)
def test_every_lot_once_and_every_block_within_the_window(pack, config):
    inst = _mixed(config)
    blocks = pack(inst)
    assert sorted(i for b in blocks for i in b) == list(range(inst.n))
    assert all(b for b in blocks)
    assert all(inst.grouped_load(b) <= inst.window for b in blocks)


@pytest.mark.parametrize("pack", PACKERS, ids=lambda f: f.__name__)
def test_grouped_load_stays_safe_with_a_changeover_matrix(pack):
    matrix = {("A", "B"): 1, ("B", "A"): 12, ("C", "D"): 0.5, ("D", "A"): 9, ("A", "A"): 6}
    inst = _mixed(FillingConfig(changeover_matrix=matrix))
    blocks = pack(inst)
    assert sorted(i for b in blocks for i in b) == list(range(inst.n))
    # the grouped load over-estimates, so the line order of each block fits the window
    assert all(inst.sequence_load(inst.finalize_block(b)) <= inst.window for b in blocks)


def test_as_given_keeps_order_and_window():
    inst = _mixed(FillingConfig(changeover_matrix={("A", "B"): 11}))
    blocks = greedy.as_given(inst)
    assert [i for b in blocks for i in b] == list(range(inst.n))
    assert all(inst.sequence_load(b) <= inst.window for b in blocks)
    # a new block only when the next lot would not fit the previous one
    for b, nxt in zip(blocks, blocks[1:], strict=False):
        assert inst.sequence_load([*b, nxt[0]]) > inst.window


def test_smart_pack_never_uses_more_time_than_per_type_ffd():
    inst = _mixed()
    cost = lambda blocks: sum(inst.clean + inst.grouped_load(b) for b in blocks)  # noqa: E731
    assert cost(greedy.smart_pack(inst)) <= cost(greedy.per_type_ffd(inst))
