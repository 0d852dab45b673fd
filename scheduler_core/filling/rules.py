"""The line's rules in integer ticks: block durations, lot order inside a block, timeline.

A *packing* is a list of blocks, each a list of lot indices in line order. Every strategy
produces a packing; ``build_activities`` turns it into the schedule's activities.

Releases and due dates (DESIGN.md §1): an instance built with the plan's ``start`` knows each
lot's release and due moment in ticks from that start. Release is a hard rule: a fill never
starts before its lot's release. The line then waits: after a changeover, just before the
fill (the wait counts inside the block's window), or, for a block's first lot, before the
block's CLEAN, which is put off so that it ends when the lot is released (a wait at the
start of a block would only use up its window); a CLEAN is also put off when that is what
makes the waits of its block fit the window (``Instance.block_times``). ``Instance.timeline``
is the one place that times a packing; ``build_activities``, the KPIs and the sequencing
search all use it.

Changeover structure. Let ``s_t`` be the changeover between two lots of type ``t`` and ``c``
the largest changeover between two different types present. Running a block's lots grouped
by type costs at most ``sum(f_i + s_t(i)) + sum_{t in block}(c - s_t) - c`` ticks. When every
cross-type changeover equals ``c`` and every ``s_t <= c`` (the default config: 4 h / 8 h),
grouping by type is optimal and that figure is exact (``Instance.exact``); otherwise it is
an upper bound and strategies stay feasible by using it, while proofs of optimality are off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from fractions import Fraction
from itertools import permutations

from scheduler_core.filling.model import Activity, ActivityKind, FillingConfig, Lot, TimeScale

#: Above this many types in one block the type order is chosen greedily, not exhaustively.
_EXACT_ORDER_TYPES = 7


@dataclass
class Instance:
    """Lots and a config in ticks: fill ticks per lot, the changeover matrix per type pair,
    the window and clean, and whether the grouped cost formula is exact (module docstring).
    """
    lots: list[Lot]
    config: FillingConfig
    scale: TimeScale
    types: list[str]  # distinct lot types, in order of first appearance
    type_of: list[int]  # lot index -> type index
    fill: list[int]  # lot index -> fill ticks
    matrix: list[list[int]]  # [from type][to type] -> changeover ticks
    same: list[int]  # type index -> changeover ticks between two lots of that type
    cross: int  # largest changeover ticks between two different present types
    window: int
    clean: int
    exact: bool  # grouped-by-type cost formula is exact and optimal (see module doc)
    #: lot index -> earliest fill start in ticks from the start (0: none, or before the start)
    release: list[int] = field(default_factory=list)
    #: lot index -> due moment in ticks from the start, rounded down (``None``: no due date)
    due: list[int | None] = field(default_factory=list)
    #: lot index -> tardiness weight (4 - priority)
    weight: list[int] = field(default_factory=list)

    @property
    def timed(self) -> bool:
        """True when some lot has a release after the start or a due date: block order and
        lot order then matter, and the sequencing search runs (``sequencing``)."""
        return any(self.release) or any(d is not None for d in self.due)

    @classmethod
    def build(cls, lots: list[Lot], config: FillingConfig, start: datetime | None = None) -> Instance:
        """The instance of ``lots`` under ``config`` (types in order of first appearance);
        with ``start`` (the first clean's start), releases and due dates in ticks from it."""
        scale = TimeScale.for_config(config)
        types: list[str] = []
        index: dict[str, int] = {}
        type_of = []
        for lot in lots:
            if lot.lot_type not in index:
                index[lot.lot_type] = len(types)
                types.append(lot.lot_type)
            type_of.append(index[lot.lot_type])
        matrix = [[scale.hours_to_ticks(config.changeover_hours(a, b)) for b in types] for a in types]
        same = [matrix[t][t] for t in range(len(types))]
        off = [matrix[a][b] for a in range(len(types)) for b in range(len(types)) if a != b]
        cross = max(off) if off else scale.hours_to_ticks(config.changeover_diff_hours)
        exact = all(v == cross for v in off) and all(s <= cross for s in same)
        return cls(
            lots=lots,
            config=config,
            scale=scale,
            types=types,
            type_of=type_of,
            fill=[scale.fill_ticks(lot.vials) for lot in lots],
            matrix=matrix,
            same=same,
            cross=cross,
            window=scale.hours_to_ticks(config.window_hours),
            clean=scale.hours_to_ticks(config.clean_hours),
            exact=exact,
            release=[max(0, math.ceil(_ticks(scale.ticks_per_hour, start, lot.release))) if start else 0
                     for lot in lots],
            due=[math.floor(_ticks(scale.ticks_per_hour, start, lot.due)) if start and lot.due else None
                 for lot in lots],
            weight=[lot.weight for lot in lots],
        )

    @property
    def n(self) -> int:
        """Number of lots."""
        return len(self.lots)

    def size(self, i: int) -> int:
        """Item size ``a_i = f_i + s_t`` of the grouped cost formula."""
        return self.fill[i] + self.same[self.type_of[i]]

    def type_extra(self, t: int) -> int:
        """Ticks a block pays for holding type ``t`` at all: ``c - s_t``."""
        return self.cross - self.same[t]

    @property
    def capacity(self) -> int:
        """Right-hand side of the grouped block constraint: ``window + c``."""
        return self.window + self.cross

    def grouped_load(self, block: list[int]) -> int:
        """Upper bound (exact when ``self.exact``) of a block's fill + changeover ticks when
        its lots run grouped by type; 0 for an empty block."""
        if not block:
            return 0
        present = {self.type_of[i] for i in block}
        return sum(self.size(i) for i in block) + sum(self.type_extra(t) for t in present) - self.cross

    def sequence_load(self, sequence: list[int]) -> int:
        """Exact fill + changeover ticks of lots run in this order."""
        total = sum(self.fill[i] for i in sequence)
        for a, b in zip(sequence, sequence[1:], strict=False):
            total += self.matrix[self.type_of[a]][self.type_of[b]]
        return total

    def order_block(self, block: list[int]) -> list[int]:
        """Line order for a block: lots grouped by type (largest first within a type), the
        type order minimising the changeovers between groups."""
        groups: dict[int, list[int]] = {}
        for i in block:
            groups.setdefault(self.type_of[i], []).append(i)
        for members in groups.values():
            members.sort(key=lambda i: (-self.fill[i], i))
        keys = sorted(groups, key=lambda t: self.types[t])
        if len(keys) > 1 and not self.exact:
            keys = self._best_type_order(keys)
        return [i for t in keys for i in groups[t]]

    def finalize_block(self, block: list[int]) -> list[int]:
        """Line order of a block: the grouped order, or the block's own order when that has
        fewer changeover hours (possible only with a general changeover matrix)."""
        grouped = self.order_block(block)
        if self.exact or self.sequence_load(block) >= self.sequence_load(grouped):
            return grouped
        return list(block)

    def _best_type_order(self, keys: list[int]) -> list[int]:
        m = self.matrix

        def cost(order: tuple[int, ...] | list[int]) -> int:
            return sum(m[a][b] for a, b in zip(order, order[1:], strict=False))

        if len(keys) <= _EXACT_ORDER_TYPES:
            return list(min(permutations(keys), key=cost))
        best: list[int] | None = None
        for first in keys:  # nearest neighbour from every start
            order, rest = [first], set(keys) - {first}
            while rest:
                nxt = min(rest, key=lambda t, last=order[-1]: (m[last][t], self.types[t]))
                order.append(nxt)
                rest.remove(nxt)
            if best is None or cost(order) < cost(best):
                best = order
        assert best is not None
        return best

    def makespan_ticks(self, blocks: list[list[int]]) -> int:
        """Makespan of a packing whose blocks are already in line order: from the plan's
        start to the last fill's end (no releases: the sum of the blocks' durations)."""
        if not any(self.release):
            return sum(self.clean + self.sequence_load(b) for b in blocks if b)
        times = self.timeline(blocks)
        return times[-1].end if times else 0

    def timeline(self, blocks: list[list[int]]) -> list[BlockTimes]:
        """Ticks of each (non-empty) block of a packing in line order: the line is free at
        tick 0; see :meth:`block_times` for one block."""
        out: list[BlockTimes] = []
        free = 0
        for block in blocks:
            if block:
                out.append(self.block_times(free, block))
                free = out[-1].end
        return out

    def block_times(self, free: int, block: list[int]) -> BlockTimes:
        """Ticks of one block when the line is free at ``free``: its CLEAN starts then, or
        later so that it ends at the first lot's release; each later fill waits for its
        release. When those waits make the block overrun its window, the CLEAN is put off
        further, by the overrun, as long as that only shortens the waits (the block's end
        stays the same); a block that still overruns does not fit (:meth:`span_fits`)."""
        release = self.release
        times = self._times_from(max(free, release[block[0]] - self.clean), block)
        overrun = times.end - times.clean_start - self.clean - self.window
        if overrun > 0:
            later = self._times_from(times.clean_start + overrun, block)
            if later.end == times.end:
                return later
        return times

    def _times_from(self, clean_start: int, block: list[int]) -> BlockTimes:
        release, fill, m, type_of = self.release, self.fill, self.matrix, self.type_of
        ready = clean_start + self.clean
        starts: list[int] = []
        previous = -1
        for i in block:
            if previous >= 0:
                ready += m[type_of[previous]][type_of[i]]
            begin = max(ready, release[i])
            starts.append(begin)
            ready = begin + fill[i]
            previous = i
        return BlockTimes(clean_start, starts, ready)

    def span_fits(self, times: BlockTimes) -> bool:
        """The block's fills, changeovers and waits after its CLEAN fit in the window."""
        return times.end - times.clean_start - self.clean <= self.window


@dataclass(frozen=True)
class BlockTimes:
    """Ticks of one block: its CLEAN's start, each lot's fill start (line order) and the end
    of its last fill."""

    clean_start: int
    fill_starts: list[int]
    end: int


def _ticks(ticks_per_hour: int, start: datetime | None, moment: datetime | None) -> Fraction:
    """``moment - start`` in ticks (exact; 0 when either is missing)."""
    if start is None or moment is None:
        return Fraction(0)
    micro = (moment - start) // timedelta(microseconds=1)
    return Fraction(micro * ticks_per_hour, 3_600_000_000)


def build_activities(inst: Instance, blocks: list[list[int]], start: datetime) -> tuple[Activity, ...]:
    """Activities of a packing (blocks in line order, lots in line order), timed from ``start``
    by :meth:`Instance.timeline`; a FILL carries its lot's due moment and lateness (hours,
    negative when early).

    Timestamps are computed from exact cumulative ticks, so rounding never accumulates.
    """
    out: list[Activity] = []
    scale = inst.scale

    def at(t: int) -> datetime:
        return start + scale.to_timedelta(t)

    for block_no, (block, times) in enumerate(zip([b for b in blocks if b], inst.timeline(blocks), strict=True), 1):
        out.append(Activity(ActivityKind.CLEAN, block_no, at(times.clean_start), at(times.clean_start + inst.clean)))
        previous: int | None = None
        free = times.clean_start + inst.clean
        for i, begin in zip(block, times.fill_starts, strict=True):
            lot = inst.lots[i]
            if previous is not None:
                co = inst.matrix[inst.type_of[previous]][inst.type_of[i]]
                out.append(Activity(ActivityKind.CHANGEOVER, block_no, at(free), at(free + co), lot.lot_id, lot.lot_type))
            end = at(begin + inst.fill[i])
            lateness = (end - lot.due).total_seconds() / 3600 if lot.due is not None else None
            out.append(Activity(ActivityKind.FILL, block_no, at(begin), end, lot.lot_id, lot.lot_type, lot.vials,
                                due=lot.due, lateness_h=None if lateness is None else round(lateness, 6)))
            free = begin + inst.fill[i]
            previous = i
    return tuple(out)
