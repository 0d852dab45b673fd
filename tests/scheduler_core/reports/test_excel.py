"""Excel export: sheets, header, real datetimes, ids kept as text, no formulas."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook

from scheduler_core.filling.model import Lot
from scheduler_core.reports import to_excel


def _load(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_sheets_and_activity_header(small_result):
    wb = _load(to_excel(small_result))
    assert wb.sheetnames == ["Summary", "Activities", "Lots"]
    ws = wb["Activities"]
    header = [c.value for c in ws[1]]
    assert header == ["Block", "Kind", "Lot ID", "Lot type", "Vials", "Start (UTC)", "End (UTC)",
                      "Duration (h)"]
    assert ws.max_row == 1 + len(small_result.activities)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:H7"


def test_datetime_and_number_cells(small_result):
    ws = _load(to_excel(small_result))["Activities"]
    start = ws["F2"]
    assert isinstance(start.value, datetime)
    assert start.value == datetime(2025, 1, 6, 6, 0)
    assert start.is_date and start.number_format == "yyyy-mm-dd hh:mm:ss"
    end = ws["G3"]  # 6.024... h after 06:00: 12:01:26.747, stored as the second every format shows
    assert end.value == datetime(2025, 1, 7, 12, 1, 27)
    assert isinstance(ws["H2"].value, float | int) and ws["H2"].value == 24
    assert ws["E3"].value == 120_000 and ws["E3"].data_type == "n"


def test_ids_stay_text_and_injection_is_neutralised(small_result, builder):
    wb = _load(to_excel(small_result))
    ws = wb["Activities"]
    assert ws["C3"].value == "001" and ws["C3"].data_type == "s"
    hostile = ws["C5"]  # second FILL of block 1
    assert hostile.value == "'" + builder.injection_id
    assert hostile.data_type == "s"
    assert ws["D5"].value == "'+Insulin"
    lots = wb["Lots"]
    ids = [c.value for c in lots["A"][1:]]
    assert "001" in ids and "'" + builder.injection_id in ids
    for sheet in wb.worksheets:  # nothing anywhere is stored as a formula
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value


def test_summary_has_kpis_units_and_config(small_result):
    ws = _load(to_excel(small_result, title="=HYPERLINK(\"x\")"))["Summary"]
    values = {row[0].value: row[1:] for row in ws.iter_rows() if row[0].value}
    assert ws["A1"].value.startswith("'=")
    assert values["Strategy"][0].value == "hand-built"
    assert values["Proven optimal"][0].value == "no"
    assert isinstance(values["Start"][0].value, datetime)
    assert values["Makespan"][1].value == "h"
    assert values["Utilisation"][0].number_format == "0.00%"
    gap = values["Gap to lower bound"][0]  # both percentages the same way: a fraction shown as %
    assert gap.number_format == "0.00%" and abs(gap.value - small_result.kpis.gap_pct / 100) < 1e-12
    assert values["Lots"][0].value == len(small_result.lots)
    assert values["Total vials"][0].value == sum(lot.vials for lot in small_result.lots)
    assert values["Total vials"][0].number_format == "#,##0"
    assert values["Blocks (cleans)"][0].value == 2
    assert values["window_hours"][0].value == "120 h"
    assert "fill_rate_vph" in values and "changeover_matrix" in values


def test_lots_sheet_with_priority_and_due(small_result):
    ws = _load(to_excel(small_result))["Lots"]
    header = [c.value for c in ws[1]]
    assert header == ["Lot ID", "Lot type", "Vials", "Fill (h)", "Block", "Fill start (UTC)",
                      "Fill end (UTC)", "Priority", "Due (UTC)", "Lateness (h)"]
    first = [c.value for c in ws[2]]
    assert first[0] == "001" and first[4] == 1 and first[7] == 1
    assert first[8] == datetime(2025, 1, 10, 12, 0)
    assert abs(first[3] - 120_000 / 19_920) < 1e-9
    assert first[9] is None  # a hand-built plan measured no lateness


def test_due_kpis_columns_and_late_lots_in_red(due_result):
    wb = _load(to_excel(due_result))
    kpis = {row[0]: (row[1], row[2]) for row in wb["Summary"].iter_rows(values_only=True) if row[0]}
    assert kpis["Late lots"] == (1, "count")
    assert kpis["Tardiness"] == (40.0, "h") and kpis["Weighted tardiness"] == (40.0, "h")
    assert kpis["Max lateness"] == (40.0, "h")
    acts = wb["Activities"]
    assert [c.value for c in acts[1]][-2:] == ["Due (UTC)", "Lateness (h)"]
    by_lot = {row[2].value: row for row in acts.iter_rows(min_row=2) if row[1].value == "FILL"}
    a1, b1, a2 = by_lot["A1"], by_lot["B1"], by_lot["A2"]
    assert (a1[8].value, a1[9].value) == (datetime(2026, 1, 7, 20), 40.0)
    assert a1[9].font.color.rgb.endswith("C00000") and a1[9].number_format == "0.00"
    assert b1[9].value == -2.0 and not b1[9].font.bold  # early: a number, not marked
    assert a2[8].value is None and a2[9].value is None
    lots = wb["Lots"]
    header = [c.value for c in lots[1]]
    assert header[-3:] == ["Due (UTC)", "Lateness (h)", "Release (UTC)"]
    rows = {r[0]: r for r in lots.iter_rows(min_row=2, values_only=True)}
    assert rows["A1"][-2] == 40.0 and rows["A2"][-1] == datetime(2026, 1, 5, 6)


def test_no_due_columns_without_due_dates(small_result):
    wb = _load(to_excel(small_result))
    assert "Due" not in [c.value for c in wb["Activities"][1]]
    assert "Late lots" not in [r[0] for r in wb["Summary"].iter_rows(values_only=True)]


def test_control_characters_and_emoji_do_not_crash(builder):
    result = builder.build([[Lot("bad\x00\x07id", "T\x1b😀", 19_920)]])
    ws = _load(to_excel(result))["Activities"]
    assert ws["C3"].value == "bad??id"
    assert ws["D3"].value == "T?😀"


def test_large_schedule(large_result):
    ws = _load(to_excel(large_result))["Activities"]
    assert ws.max_row == 1 + len(large_result.activities)


def test_every_time_heading_and_the_summary_name_the_plant_zone(small_result):
    wb = _load(to_excel(small_result, time_zone="Europe/Zagreb"))
    assert [c.value for c in wb["Activities"][1]][5:7] == ["Start (Europe/Zagreb)", "End (Europe/Zagreb)"]
    lots = [c.value for c in wb["Lots"][1]]
    assert {"Fill start (Europe/Zagreb)", "Fill end (Europe/Zagreb)", "Due (Europe/Zagreb)"} <= set(lots)
    summary = {row[0].value: row[1].value for row in wb["Summary"].iter_rows() if row[0].value}
    assert summary["Time zone"].startswith("Europe/Zagreb")
    stamps = [c for row in wb["Summary"].iter_rows() for c in row if isinstance(c.value, datetime)]
    assert stamps and {c.number_format for c in stamps} == {"yyyy-mm-dd hh:mm:ss"}
