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
    budget in seconds and a progress callback (``fraction`` 0..1, message). A strategy that
    proves a stronger bound (the pattern LP, ``lpbound``) raises ``bound`` with
    :meth:`raise_bound`; the run's result reports the bound as it is at the end."""

    inst: Instance
    bound: LowerBound
    time_limit_s: float
    progress: ProgressCallback

    def raise_bound(self, ticks: int | None) -> None:
        """Take ``ticks`` (a makespan lower bound, ``None``: none) as the bound if it is higher."""
        if ticks is not None and ticks > self.bound.ticks:
            self.bound = LowerBound(ticks, self.bound.blocks, self.inst.scale.to_hours(ticks))

    def plan_text(self, phase: str, makespan_ticks: int) -> str:
        """Progress text of a plan found: "<phase>: plan 162.0 h · lower bound 158.0 h ·
        gap 2.5 %" (hours; gap = 100 * (plan - bound) / bound)."""
        hours = self.inst.scale.to_hours(makespan_ticks)
        bound = self.bound.hours
        gap = 100.0 * (hours - bound) / bound if bound > 0 else 0.0
        return f"{phase}: plan {hours:.1f} h · lower bound {bound:.1f} h · gap {max(gap, 0.0):.1f} %"


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
