"""One palette for the filling views (web Gantt, compare, PDF, Excel): each lot type gets its
colour from its name, so a type keeps its colour in every view of a schedule and, in
general, across schedules. CLEAN and CHANGEOVER have their own colours.

A type's colour is the palette entry at ``crc32(name) % len(PALETTE)``; when a type sorted
before it in the same schedule already has that entry, the next free one is taken (so two
types of one schedule never share a colour while there are colours left)."""

from __future__ import annotations

import zlib
from collections.abc import Iterable

#: Lot type colours (hex), none near the CLEAN grey, the CHANGEOVER amber or the red that
#: outlines a late lot.
PALETTE: tuple[str, ...] = (
    "#1f77b4", "#2ca02c", "#9467bd", "#17becf", "#e377c2", "#8c564b", "#393b79", "#637939",
    "#3182bd", "#31a354", "#756bb1", "#bcbd22", "#636363", "#7b4173", "#843c39", "#0f8b8d",
)
CLEAN_COLOUR = "#9e9e9e"
CHANGEOVER_COLOUR = "#f2b134"
#: Outline of a late lot's fill and its due-date marker (web Gantt and PDF alike).
LATE_COLOUR = "#e00000"


def type_colours(types: Iterable[str]) -> dict[str, str]:
    """``{lot type: hex colour}`` for the types of one schedule (see the module docstring)."""
    taken: set[str] = set()
    colours: dict[str, str] = {}
    for name in sorted(set(types)):
        k = zlib.crc32(name.encode("utf-8")) % len(PALETTE)
        for step in range(len(PALETTE)):
            colour = PALETTE[(k + step) % len(PALETTE)]
            if colour not in taken or len(taken) >= len(PALETTE):
                break
        colours[name] = colour
        taken.add(colour)
    return colours


def rgb(colour: str) -> tuple[int, int, int]:
    """``#1f77b4`` as ``(31, 119, 180)`` (for the PDF)."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)
