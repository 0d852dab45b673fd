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


def test_time_axis_spans_exactly_the_plan_so_week_and_month_count_back_from_its_end():
    lots = [Lot(f"L{i}", "ABCD"[i % 4], 19920 * (5 + i % 7)) for i in range(300)]
    big = plan(FillingProblem(lots), FillingConfig(start_time=datetime(2026, 7, 1, 6), strategy="lpt-pack"))
    for result in (RESULT, big):
        axis = gantt(result).layout.xaxis
        span = (result.start.isoformat(), result.end.isoformat())
        assert tuple(axis.range) == span  # not plotly's padded autorange: "week" ends at the plan's end
        assert tuple(axis.rangeslider.range) == span
        assert (axis.autorangeoptions.clipmin, axis.autorangeoptions.clipmax) == span  # the "all" preset
    # a late lot due before the first clean: its due mark is on screen
    early = plan(FillingProblem([Lot("L1", "A", 19920 * 30, due=datetime(2026, 11, 30))]),
                 FillingConfig(start_time=datetime(2026, 12, 1, 6), strategy="lpt-pack"))
    assert gantt(early).layout.xaxis.range[0] == datetime(2026, 11, 30).isoformat()


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


#: The trade-off example of issue 15 by smart-pack: [B1], [A1, A2]; A1 is 40 h late.
DUE_LOTS = [
    Lot("A1", "A", 996_000, due=datetime(2026, 1, 7, 20)),
    Lot("A2", "A", 996_000),
    Lot("B1", "B", 199_200, priority=1, due=datetime(2026, 1, 6, 12)),
]
DUE_RESULT = plan(FillingProblem(DUE_LOTS), FillingConfig(start_time=datetime(2026, 1, 5), strategy="smart-pack"))


def test_late_lots_outlined_red_with_due_and_lateness_in_the_hover_in_every_view():
    from scheduler_core.reports.palette import LATE_COLOUR

    for view in ("line", "type", "block"):
        fig = gantt(DUE_RESULT, view=view)
        assert [t.name for t in fig.data] == ["CLEAN", "CHANGEOVER", "FILL A", "FILL B", "late lot (1)",
                                              "due date of a late lot"]
        fill_a, outline = fig.data[2], fig.data[4]
        a1 = next(c for c in fill_a.customdata if c[1] == "A1")
        assert a1[7:] == ["2026-01-07 20:00", "+40.0 h (late)"]
        assert "due: %{customdata[7]}" in fill_a.hovertemplate
        assert next(c for c in fig.data[3].customdata)[8] == "-2.0 h (on time)"  # B1, 2 h early
        # the outline: exactly A1's bar, transparent, a thick red line
        assert [c[1] for c in outline.customdata] == ["A1"]
        assert list(outline.base) == [list(fill_a.base)[[c[1] for c in fill_a.customdata].index("A1")]]
        assert outline.marker.line.color == LATE_COLOUR and outline.marker.line.width >= 2
        assert outline.marker.color == "rgba(0,0,0,0)" and "lateness" in outline.hovertemplate
        lane = {"line": "Line", "type": "A", "block": "Block 2"}[view]
        marks = fig.data[5]
        assert list(marks.x) == ["2026-01-07T20:00:00"] and marks.marker.color == LATE_COLOUR
        assert list(outline.y) == list(marks.y) == [lane]


def test_no_due_dates_no_markers_and_the_plain_hover():
    fig = gantt(RESULT)
    assert [t.name for t in fig.data] == ["CLEAN", "CHANGEOVER", "FILL A", "FILL B"]
    assert all("due:" not in t.hovertemplate for t in fig.data)


def test_many_late_lots_get_thinner_outlines_and_smaller_marks():
    from webapp.charts.filling import DENSE_LATE

    lots = [Lot(f"L{i}", "AB"[i % 2], 19920 * 10, due=datetime(2026, 1, 5)) for i in range(DENSE_LATE + 1)]
    dense = gantt(plan(FillingProblem(lots), FillingConfig(start_time=datetime(2026, 1, 5), strategy="lpt-pack")))
    outline, marks = dense.data[-2], dense.data[-1]
    assert outline.name == f"late lot ({DENSE_LATE + 1})" and len(marks.x) == DENSE_LATE + 1
    single = gantt(DUE_RESULT)
    assert outline.marker.line.width < single.data[-2].marker.line.width
    assert marks.marker.size < single.data[-1].marker.size
