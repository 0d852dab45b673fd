from __future__ import annotations

import random

from scheduler_core.filling import FillingConfig, FillingProblem, Lot, plan
from scheduler_core.filling.planner import GREEDY
from scheduler_core.filling.rules import Instance
from scheduler_core.filling.search import NEIGHBOURHOOD_BLOCKS, _pair_neighbourhood, _type_pairs

from .conftest import random_lots


def _instance(types: str) -> Instance:
    return Instance.build([Lot(f"L{k}", t, 19920) for k, t in enumerate(types)], FillingConfig())


def test_type_pairs_sharing_a_block_come_first():
    inst = _instance("ABCD")
    blocks = [[0], [1], [2, 3]]  # C and D share a block
    pairs = _type_pairs(inst, blocks)
    assert pairs[0] == (2, 3)
    assert sorted(pairs) == [(a, b) for a in range(4) for b in range(a + 1, 4)]


def test_pair_neighbourhood_takes_blocks_holding_either_type_mixed_first():
    inst = _instance("AABBCC")
    blocks = [[0], [1, 2], [3], [4], [5]]  # block 1 mixes A and B
    group = _pair_neighbourhood(inst, blocks, (0, 1), random.Random(1))
    assert group[0] == 1 and sorted(group) == [0, 1, 2]


def test_pair_neighbourhood_is_capped():
    inst = _instance("AB" * 20)
    blocks = [[k] for k in range(40)]
    group = _pair_neighbourhood(inst, blocks, (0, 1), random.Random(1))
    assert len(group) == NEIGHBOURHOOD_BLOCKS == len(set(group))


def test_best_ends_when_nothing_better_is_found_for_a_fifth_of_the_limit():
    """A 100-lot input whose plan stays 16 h above the bound: best stops after 0.6 s
    without progress (time limit 3 s), not at the time limit, and is no worse than greedy."""
    lots = random_lots(9)
    result = plan(FillingProblem(lots), FillingConfig(time_limit_s=3, strategy="best"))
    assert result.proven_optimal or result.solver_status == "search ended: no better plan for 0.6 s"
    for name in GREEDY:
        assert result.kpis.makespan_h <= plan(FillingProblem(lots), FillingConfig(strategy=name)).kpis.makespan_h + 1e-6
