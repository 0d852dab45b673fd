"""The filling figures: a Gantt of a handful of traces with escaped hovers, and the
comparison bars with the best strategy highlighted."""

from __future__ import annotations

from datetime import datetime

from scheduler_core.filling import FillingConfig, FillingProblem, Lot, plan
from webapp.charts.filling import gantt, type_colours

LOTS = [Lot("<b>L1</b>", "A", 19920 * 30), Lot("L2", "B", 19920 * 40), Lot("L3", "A", 19920 * 90)]
RESULT = plan(FillingProblem(LOTS), FillingConfig(start_time=datetime(2026, 12, 1, 6), strategy="lpt-pack"))


def test_gantt_has_one_trace_per_group_and_one_lane_for_the_line_by_default():
    fig = gantt(RESULT, title="<i>plan</i>")
    assert [t.name for t in fig.data] == ["CLEAN", "CHANGEOVER", "FILL A", "FILL B"]
    bars = sum(len(t.y) for t in fig.data)
    assert bars == len(RESULT.activities)
    assert fig.layout.yaxis.categoryarray == ("Line",) and {y for t in fig.data for y in t.y} == {"Line"}
    hovers = [c[1] for t in fig.data for c in t.customdata]
    assert "&lt;b&gt;L1&lt;/b&gt;" in hovers and "<b>L1</b>" not in hovers
    assert fig.layout.title.text == "&lt;i&gt;plan&lt;/i&gt;"
    assert fig.layout.xaxis.rangeslider.visible
    assert [b.label for b in fig.layout.xaxis.rangeselector.buttons] == ["week", "month", "all"]


def test_gantt_views_per_block_and_per_type_and_unknown_refused():
    import pytest

    by_block = gantt(RESULT, view="block")
    assert by_block.layout.yaxis.categoryarray == tuple(f"Block {b}" for b in range(1, RESULT.kpis.blocks + 1))
    by_type = gantt(RESULT, view="type")
    assert by_type.layout.yaxis.categoryarray == ("CLEAN", "CHANGEOVER", "A", "B")
    assert set(next(t for t in by_type.data if t.name == "FILL B").y) == {"B"}
    with pytest.raises(ValueError, match="unknown Gantt view 'x'"):
        gantt(RESULT, view="x")


def test_300_lots_read_in_one_bounded_screen():
    lots = [Lot(f"L{i}", "ABCD"[i % 4], 19920 * (5 + i % 7)) for i in range(300)]
    big = plan(FillingProblem(lots), FillingConfig(start_time=datetime(2026, 12, 1, 6), strategy="lpt-pack"))
    for view in ("line", "type", "block"):
        assert gantt(big, view=view).layout.height <= 640


def test_web_and_pdf_colour_a_type_alike():
    from scheduler_core.reports.palette import rgb
    from scheduler_core.reports.pdf_layout import type_colours as pdf_colours

    web = type_colours([a.lot_type for a in RESULT.activities if a.lot_type])
    assert {t: rgb(c) for t, c in web.items()} == pdf_colours(RESULT)
    fill_a = next(t for t in gantt(RESULT).data if t.name == "FILL A")
    assert fill_a.marker.color == web["A"]


def test_type_colours_are_stable_by_name():
    assert type_colours(["B", "A", "B"]) == type_colours(["A", "B"])
    assert len(set(type_colours(["A", "B", "C"]).values())) == 3
