"""The pattern model of one-type bin packing (``patterns``) on inputs whose answer is known."""

from __future__ import annotations

import threading

from scheduler_core import stopping
from scheduler_core.filling.patterns import pack_patterns, slack_patterns

from .conftest import check_packing, triplet_weights


def test_slack_patterns_lists_exactly_the_tight_multisets():
    # sizes 6, 5, 4 (one each) into 10 with slack <= 1: {6,4} = 10 and {5,4} = 9 only
    patterns = slack_patterns([6, 5, 4], 10, 1)
    assert sorted(patterns) == sorted([(1, 0, 1), (0, 1, 1)])


def test_slack_patterns_respects_multiplicity_and_gives_up_past_the_limit():
    assert slack_patterns([5, 5], 10, 0) == [(2,)]
    assert slack_patterns([5], 10, 0) == []
    assert slack_patterns(list(range(1, 30)), 60, 30, limit=10) is None


def test_pack_patterns_solves_triplets_to_the_optimum():
    for seed in (1, 2):
        sizes = triplet_weights(15, seed)
        packing, final = pack_patterns(sizes, 1000, 15, deadline_s=20)
        assert final and packing is not None
        check_packing(packing, sizes, 1000)
        assert len(packing) == 15


def test_pack_patterns_proves_that_no_packing_exists():
    # 6+6+6 = 18 <= 2 * 10, but no two sizes share a bin
    packing, final = pack_patterns([6, 6, 6], 10, 2, deadline_s=5)
    assert packing is None and final


def test_pack_patterns_refuses_what_cannot_fit_at_once():
    assert pack_patterns([11], 10, 3, deadline_s=5) == (None, True)
    assert pack_patterns([6, 6], 10, 1, deadline_s=5) == (None, True)
    assert pack_patterns([], 10, 0, deadline_s=5) == ([], True)


def test_a_stopped_run_gives_no_answer():
    flag = threading.Event()
    flag.set()
    with stopping.watching(flag):
        assert pack_patterns(triplet_weights(15, 3), 1000, 15, deadline_s=20) == (None, False)
