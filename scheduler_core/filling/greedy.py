"""Constructive strategies: each returns a packing (blocks of lot indices, unordered inside).

They all use the grouped load of ``rules.Instance`` (exact for the default rules, a safe
over-estimate otherwise), so every packing they return is feasible. ``as-given`` is the
exception: it keeps the user's order and measures the exact sequence.
"""

from __future__ import annotations

from scheduler_core.filling.rules import Instance


class Packer:
    """Open blocks with their grouped loads and present types."""

    def __init__(self, inst: Instance):
        self.inst = inst
        self.blocks: list[list[int]] = []
        self.loads: list[int] = []
        self.types: list[dict[int, int]] = []  # type -> count in block

    def increment(self, b: int, i: int) -> int:
        """Extra grouped load if lot ``i`` joins block ``b``."""
        inst = self.inst
        if not self.blocks[b]:
            return inst.fill[i]
        t = inst.type_of[i]
        return inst.fill[i] + (inst.same[t] if t in self.types[b] else inst.cross)

    def fits(self, b: int, i: int) -> bool:
        """Whether lot ``i`` fits block ``b``'s window (grouped load in ticks)."""
        return self.loads[b] + self.increment(b, i) <= self.inst.window

    def add(self, b: int, i: int) -> None:
        """Put lot ``i`` into block ``b``."""
        self.loads[b] += self.increment(b, i)
        self.blocks[b].append(i)
        t = self.inst.type_of[i]
        self.types[b][t] = self.types[b].get(t, 0) + 1

    def open(self) -> int:
        """Open an empty block; returns its index."""
        self.blocks.append([])
        self.loads.append(0)
        self.types.append({})
        return len(self.blocks) - 1

    def first_fit(self, i: int, candidates: list[int] | None = None) -> int:
        """The first block (of ``candidates``, default all) lot ``i`` fits, or a new one."""
        for b in candidates if candidates is not None else range(len(self.blocks)):
            if self.fits(b, i):
                return b
        return self.open()


def _by_fill(inst: Instance, items: list[int], descending: bool = True) -> list[int]:
    sign = -1 if descending else 1
    return sorted(items, key=lambda i: (sign * inst.fill[i], i))


def first_fit(inst: Instance, order: list[int]) -> list[list[int]]:
    """Lots in ``order``, each into the first block with room (a packing of lot indices)."""
    p = Packer(inst)
    for i in order:
        p.add(p.first_fit(i), i)
    return p.blocks


def lpt_pack(inst: Instance) -> list[list[int]]:
    """``lpt-pack``: longest fill first, first fit."""
    return first_fit(inst, _by_fill(inst, list(range(inst.n)), descending=True))


def spt_pack(inst: Instance) -> list[list[int]]:
    """``spt-pack``: shortest fill first, first fit."""
    return first_fit(inst, _by_fill(inst, list(range(inst.n)), descending=False))


def _types_by_volume(inst: Instance) -> list[int]:
    volume: dict[int, int] = {}
    for i, t in enumerate(inst.type_of):
        volume[t] = volume.get(t, 0) + inst.fill[i]
    return sorted(volume, key=lambda t: (-volume[t], inst.types[t]))


def cfs_pack(inst: Instance) -> list[list[int]]:
    """Campaigns: types by total volume, lots largest first, next-fit."""
    p = Packer(inst)
    current = p.open()
    for t in _types_by_volume(inst):
        for i in _by_fill(inst, [i for i in range(inst.n) if inst.type_of[i] == t]):
            if not p.fits(current, i):
                current = p.open()
            p.add(current, i)
    return p.blocks


def hybrid_pack(inst: Instance) -> list[list[int]]:
    """Largest first; the feasible block with the smallest increment, then least room left."""
    p = Packer(inst)
    for i in _by_fill(inst, list(range(inst.n))):
        best, best_key = None, None
        for b in range(len(p.blocks)):
            inc = p.increment(b, i)
            room = inst.window - p.loads[b] - inc
            if room < 0:
                continue
            key = (inc, room)
            if best_key is None or key < best_key:
                best, best_key = b, key
        if best is None:
            best = p.open()
        p.add(best, i)
    return p.blocks


def per_type_ffd(inst: Instance) -> list[list[int]]:
    """Every type packed on its own, first-fit decreasing."""
    blocks: list[list[int]] = []
    for t in _types_by_volume(inst):
        items = _by_fill(inst, [i for i in range(inst.n) if inst.type_of[i] == t])
        blocks.extend(first_fit(inst, items))
    return blocks


def merge_blocks(inst: Instance, blocks: list[list[int]]) -> list[list[int]]:
    """Repeatedly dissolve the lightest block into the others (best fit) while that lowers
    the total cost sum(clean + grouped load)."""
    p = Packer(inst)
    for blk in blocks:
        b = p.open()
        for i in blk:
            p.add(b, i)
    improved = True
    while improved:
        improved = False
        for victim in sorted(range(len(p.blocks)), key=lambda b: p.loads[b]):
            if not p.blocks[victim]:
                continue
            trial = _try_dissolve(inst, p, victim)
            if trial is not None:
                p = trial
                improved = True
                break
    return [b for b in p.blocks if b]


def _try_dissolve(inst: Instance, p: Packer, victim: int) -> Packer | None:
    """Move every lot of ``victim`` into other blocks (best fit by increment); commit and
    return the packer if that lowers the total cost, else leave ``p`` untouched."""
    extra_load: dict[int, int] = {}
    extra_types: dict[int, set[int]] = {}
    moves: list[tuple[int, int]] = []
    added = 0
    for i in _by_fill(inst, p.blocks[victim]):
        t = inst.type_of[i]
        best, best_key = None, None
        for b in range(len(p.blocks)):
            if b == victim or not p.blocks[b]:
                continue
            present = t in p.types[b] or t in extra_types.get(b, ())
            inc = inst.fill[i] + (inst.same[t] if present else inst.cross)
            room = inst.window - p.loads[b] - extra_load.get(b, 0) - inc
            if room >= 0 and (best_key is None or (inc, room) < best_key):
                best, best_key = b, (inc, room)
        if best is None or best_key is None:
            return None
        added += best_key[0]
        extra_load[best] = extra_load.get(best, 0) + best_key[0]
        extra_types.setdefault(best, set()).add(t)
        moves.append((best, i))
    if added >= inst.clean + p.loads[victim]:
        return None
    for b, i in moves:
        p.add(b, i)
    p.blocks[victim], p.loads[victim], p.types[victim] = [], 0, {}
    return p


def smart_pack(inst: Instance) -> list[list[int]]:
    """``smart-pack``: each type packed first-fit decreasing, then the emptiest blocks of
    different types merged where that shortens the plan.
    """
    return merge_blocks(inst, per_type_ffd(inst))


def as_given(inst: Instance) -> list[list[int]]:
    """The user's order, next-fit with the exact changeover of each consecutive pair."""
    blocks: list[list[int]] = []
    load = 0
    for i in range(inst.n):
        if blocks and blocks[-1]:
            last = blocks[-1][-1]
            add = inst.matrix[inst.type_of[last]][inst.type_of[i]] + inst.fill[i]
            if load + add <= inst.window:
                blocks[-1].append(i)
                load += add
                continue
        blocks.append([i])
        load = inst.fill[i]
    return blocks
