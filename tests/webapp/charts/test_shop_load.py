"""Load vs capacity figures: the heat map has one row per work center (never a sum), red
overload cells with the hours over capacity, a click target per cell naming its work center;
the machine chart shows one work center's load beside its capacity."""

from __future__ import annotations

from datetime import date

from scheduler_core.shop.load import PeriodLoad
from webapp.charts.shop_load import OVERLOAD, load_heatmap, machine_load, work_center_at

MON, TUE = date(2026, 1, 5), date(2026, 1, 6)
LOADS = (
    PeriodLoad("TOK", MON, 1, 7.5, 9.0, 2.0),   # planned 1.5 h over
    PeriodLoad("TOK", TUE, 1, 7.5, 3.75, 12.0),
    PeriodLoad("<GLO>", MON, 1, 15.0, 7.5, 0.0),
    PeriodLoad("<GLO>", TUE, 1, 0.0, 0.0, 0.0),  # no working time, nothing planned
)


def test_heat_map_rows_are_work_centers_and_overloads_are_red_with_hours():
    fig = load_heatmap(LOADS)
    within, over, cells = fig.data
    assert list(within.y) == ["TOK", "&lt;GLO&gt;"] and len(within.x) == 2  # one row each, nothing summed
    assert over.name == "overload" and {c for _, c in over.colorscale} == {OVERLOAD}
    assert over.z[0][0] == 120.0 and over.text[0][0] == "+1.5 h"  # TOK Monday: 9 of 7.5 h
    assert over.z[0][1] is None and within.z[0][1] == 50.0 and within.text[0][1] == "50%"
    assert within.z[1][1] is None and over.z[1][1] is None  # no working time: blank
    assert "planned load" in fig.layout.title.text


def test_work_due_is_its_own_figure():
    fig = load_heatmap(LOADS, "due")
    over = fig.data[1]
    assert over.text[0][1] == "+4.5 h" and over.z[0][0] is None
    assert "work due" in fig.layout.title.text


def test_a_selected_cell_names_its_work_center():
    cells = load_heatmap(LOADS).data[2]
    point = {"customdata": list(cells.customdata[2])}
    assert work_center_at({"selection": {"points": [point]}}) == "<GLO>"
    assert work_center_at({"selection": {"points": []}}) is None


def test_machine_chart_is_one_work_center_load_beside_capacity():
    fig = machine_load(LOADS, "TOK")
    capacity, load = fig.data
    assert list(capacity.y) == [7.5, 7.5] and list(load.y) == [9.0, 3.75]  # TOK only, never a sum
    assert list(load.marker.color)[0] == OVERLOAD and list(load.text) == ["+1.5 h", ""]
    assert fig.layout.legend.y > 1


def test_period_labels_keep_clear_of_the_title_and_crowded_days_keep_only_overload_labels():
    from datetime import timedelta

    from webapp.charts.shop_load import CROWDED_COLUMNS

    fig = load_heatmap(LOADS)
    assert fig.layout.xaxis.side == "bottom" and fig.layout.xaxis.tickangle == 0
    days = [PeriodLoad("TOK", MON + timedelta(days=k), 1, 7.5, 9.0 if k == 3 else 3.0, 0.0)
            for k in range(CROWDED_COLUMNS + 5)]
    within, over, _ = load_heatmap(days).data
    assert all(t == "" for row in within.text for t in row)  # no % labels in a crowded view
    assert over.text[0][3] == "+1.5 h" and over.textfont.size == 9
    assert load_heatmap(days).layout.xaxis.tickangle == -45
