"""What a filling strategy receives and returns: ``Context`` in, ``Outcome`` out.

Every strategy is a function ``Context -> Outcome`` that only decides which lots share a
block (and, for ``as-given``, their order); ``planner.plan`` orders each block, builds the
activities and measures the result, so all strategies share one result type. The table of
strategies is ``planner.RUNNERS``; their names and descriptions are in ``catalog``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from scheduler_core.filling.bounds import LowerBound
from scheduler_core.filling.rules import Instance
from scheduler_core.progress import ProgressCallback


@dataclass
class Context:
    """The input of one strategy run: the instance in ticks, its lower bound, the time
    budget in seconds and a progress callback (``fraction`` 0..1, message)."""

    inst: Instance
    bound: LowerBound
    time_limit_s: float
    progress: ProgressCallback


@dataclass
class Outcome:
    """A strategy's packing: ``blocks`` of lot indices; ``status`` in the user's words;
    ``proven`` when a solver proved optimality (meeting the bound is checked separately);
    ``ordered`` when the blocks are already in line order (``as-given``)."""

    blocks: list[list[int]]
    status: str
    proven: bool = False
    ordered: bool = False


#: A strategy: one function from the run's context to its packing.
Runner = Callable[[Context], Outcome]
