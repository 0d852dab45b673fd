"""What-if Gantt pair on one time axis; a comparison's difference to the best."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from scheduler_core.filling import FillingConfig, FillingProblem, Lot, plan
from webapp.charts.filling_compare import BEST_COLOUR, difference_bars, whatif_gantt

START = datetime(2030, 1, 7, 6, 0)
LOTS = [Lot("L1", "A", 19920 * 10), Lot("L2", "B", 19920 * 20), Lot("L3", "A", 19920 * 90)]


def _plans():
    config = FillingConfig(start_time=START, strategy="smart-pack")
    before = plan(FillingProblem(LOTS), config)
    after = plan(FillingProblem(LOTS[:2]), replace(config, start_time=datetime(2030, 1, 6)))
    return before, after


def test_both_plans_share_one_x_axis_spanning_both():
    before, after = _plans()
    fig = whatif_gantt(before, after, titles=("Before <b>", "What-if"))
    assert {t.xaxis for t in fig.data} == {"x", "x2"} and {t.yaxis for t in fig.data} == {"y", "y2"}
    assert fig.layout.xaxis.matches == "x2" or fig.layout.xaxis2.matches == "x"
    span = (datetime(2030, 1, 6).isoformat(), before.end.isoformat())
    assert tuple(fig.layout.xaxis.range) == span and tuple(fig.layout.xaxis2.range) == span
    assert tuple(fig.layout.xaxis2.rangeslider.range) == span  # the slider (bottom row) and "all" too
    assert (fig.layout.xaxis.autorangeoptions.clipmin, fig.layout.xaxis.autorangeoptions.clipmax) == span
    assert fig.layout.xaxis.rangeslider.range is None  # no second slider on the top row
    names = [t.name for t in fig.data if t.showlegend]
    assert len(names) == len(set(names))  # one legend entry per group, toggling both rows
    assert "Before &lt;b&gt;" in [a.text for a in fig.layout.annotations]


def test_views_pass_through_and_an_unknown_view_is_refused():
    before, after = _plans()
    fig = whatif_gantt(before, after, view="block")
    assert list(fig.layout.yaxis.categoryarray) == ["Block 1", "Block 2"][: before.kpis.blocks]
    with pytest.raises(ValueError):
        whatif_gantt(before, after, view="diagonal")


def test_difference_bars_start_at_the_best_not_at_zero_hours():
    rows = [{"strategy": "best", "behind_h": 0.0, "behind_pct": 0.0},
            {"strategy": "lpt-pack", "behind_h": 6.0, "behind_pct": 5.7},
            {"strategy": "failed", "behind_h": None, "behind_pct": None},
            {"strategy": "slower", "behind_h": 0.0, "behind_pct": 0.0}]
    (bar,) = difference_bars(rows, best="best").data
    assert list(bar.x) == [0.0, 6.0, 0.0] and list(bar.y) == ["best ★", "lpt-pack", "slower"]
    assert list(bar.text) == ["best", "+6.0 h (+5.7 %)", "tied on makespan"]
    assert bar.marker.color[0] == BEST_COLOUR
