"""The rows every filling export is built from: activities, lots, KPIs, config, summary,
inputs, lot types, and the rounding of times to whole seconds.

``small_result`` (conftest): block 1 = CLEAN 24 h, FILL ``001`` (Vaccine-A, 120,000 vials =
120,000 / 19,920 h), CHANGEOVER 8 h, FILL the injection id (+Insulin, 5 h); block 2 = CLEAN
24 h, FILL ``L-3`` (Vaccine-A, 2 h); from Monday 2025-01-06 06:00.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from scheduler_core.filling.model import FillingConfig, Kpis, Lot
from scheduler_core.reports import ACTIVITY_COLUMNS, activity_rows
from scheduler_core.reports.rows import (
    config_items,
    input_items,
    kpi_items,
    lot_rows,
    lot_types_in_order,
    round_seconds,
    summary_items,
)

START = datetime(2025, 1, 6, 6, 0)
FILL_001_H = 120_000 / 19_920


def test_activity_rows_columns_and_order(small_result):
    rows = activity_rows(small_result)
    assert [r["kind"] for r in rows] == ["CLEAN", "FILL", "CHANGEOVER", "FILL", "CLEAN", "FILL"]
    assert all(tuple(r) == ACTIVITY_COLUMNS for r in rows)
    assert rows[0]["lot_id"] is None and rows[0]["duration_h"] == 24
    assert isinstance(rows[1]["start"], datetime)


def test_activity_rows_values_by_hand(small_result, builder):
    rows = activity_rows(small_result)
    clean, fill, change = rows[0], rows[1], rows[2]
    assert clean == {
        "block": 1, "kind": "CLEAN", "lot_id": None, "lot_type": None, "vials": None,
        "start": START, "end": START + timedelta(hours=24), "duration_h": 24.0,
        "due": None, "lateness_h": None,
    }
    assert (fill["block"], fill["lot_id"], fill["lot_type"], fill["vials"]) == (1, "001", "Vaccine-A", 120_000)
    assert fill["start"] == datetime(2025, 1, 7, 6, 0)
    assert fill["duration_h"] == pytest.approx(FILL_001_H)
    # a changeover names the lot changed over to; text is returned raw (not neutralised)
    assert (change["lot_id"], change["lot_type"], change["duration_h"]) == (builder.injection_id, "+Insulin", 8.0)
    assert [r["block"] for r in rows] == [1, 1, 1, 1, 2, 2]


def test_lot_rows_by_hand(small_result, builder):
    rows = lot_rows(small_result)
    assert [r["lot_id"] for r in rows] == ["001", builder.injection_id, "L-3"]
    first = rows[0]
    assert set(first) == {"lot_id", "lot_type", "vials", "fill_h", "block", "start", "end", "priority", "due",
                          "release", "lateness_h"}
    assert (first["lot_type"], first["vials"], first["block"], first["priority"]) == ("Vaccine-A", 120_000, 1, 1)
    assert first["fill_h"] == pytest.approx(FILL_001_H)
    assert first["start"] == datetime(2025, 1, 7, 6, 0)
    assert first["due"] == datetime(2025, 1, 10, 12, 0)
    # the second lot starts after the first fill and the 8 h changeover
    assert rows[1]["start"] == first["end"] + timedelta(hours=8)
    assert rows[1]["fill_h"] == pytest.approx(5.0) and rows[1]["priority"] is None
    assert (rows[2]["block"], rows[2]["fill_h"]) == (2, pytest.approx(2.0))


def test_lot_rows_follow_the_fill_order_not_the_input_order(small_result):
    shuffled = replace(small_result, lots=tuple(reversed(small_result.lots)))
    assert [r["lot_id"] for r in lot_rows(shuffled)] == [r["lot_id"] for r in lot_rows(small_result)]


def test_lots_without_a_fill_come_last_in_input_order(small_result):
    extra = (Lot("X2", "T", 3 * 19_920), Lot("X1", "T", 19_920))
    result = replace(small_result, lots=extra + small_result.lots)
    rows = lot_rows(result)
    assert [r["lot_id"] for r in rows[-2:]] == ["X2", "X1"]
    assert rows[-2] == {
        "lot_id": "X2", "lot_type": "T", "vials": 3 * 19_920, "fill_h": 3.0, "block": None,
        "start": None, "end": None, "priority": None, "due": None, "release": None, "lateness_h": None,
    }


def _kpis() -> Kpis:
    return Kpis(
        makespan_h=1.5, blocks=2, changeovers=3, changeover_h=4.5, fill_h=6.5, clean_h=7.5,
        utilisation=0.8, lots=9, lower_bound_h=10.5, gap_pct=11.5,
    )


def test_kpi_items_labels_values_and_units(small_result):
    items = kpi_items(replace(small_result, kpis=_kpis()))
    assert items == [
        ("Makespan", 1.5, "h"),
        ("Lower bound", 10.5, "h"),
        ("Gap to lower bound", 11.5, "%"),
        ("Blocks (cleans)", 2, "count"),
        ("Clean hours", 7.5, "h"),
        ("Changeovers", 3, "count"),
        ("Changeover hours", 4.5, "h"),
        ("Fill hours", 6.5, "h"),
        ("Utilisation", 0.8, "%"),  # a fraction: formats show it as 80 %
        ("Lots", 9, "count"),
    ]


def test_config_items_of_the_default_config(small_result):
    assert config_items(small_result) == [
        ("fill_rate_vph", "19920 vials/h"),
        ("clean_hours", "24 h"),
        ("window_hours", "120 h"),
        ("changeover_same_hours", "4 h"),
        ("changeover_diff_hours", "8 h"),
        ("changeover_matrix", "none"),
        ("start_time", "2025-01-06 06:00:00"),
        ("strategy", "best"),
        ("objective", "makespan"),
        ("time_limit_s", "10 s"),
    ]


def test_config_items_numbers_matrix_and_no_start(small_result):
    config = FillingConfig(
        fill_rate_vph=19920.0, clean_hours=0.5, window_hours=96.0, time_limit_s=2.5,
        changeover_matrix={("B", "A"): 6.5, ("A", "B"): 2.0}, strategy="lpt-pack",
    )
    items = dict(config_items(replace(small_result, config=config)))
    assert items["fill_rate_vph"] == "19920 vials/h"  # a whole float loses its ".0"
    assert items["clean_hours"] == "0.5 h" and items["window_hours"] == "96 h"
    assert items["changeover_matrix"] == "A -> B: 2 h; B -> A: 6.5 h"  # sorted pairs
    assert items["start_time"] == "now (at planning time)"
    assert items["strategy"] == "lpt-pack" and items["time_limit_s"] == "2.5 s"


def test_summary_items(small_result):
    items = summary_items(small_result)
    assert items == [
        ("Strategy", "hand-built"),
        ("Solver status", "heuristic"),
        ("Proven optimal", "no"),
        ("Runtime (s)", 0.012),  # 0.0123 s to the millisecond
        ("Start", START),
        ("End", small_result.activities[-1].end),
    ]
    # 24 + 120000/19920 + 8 + 5 + 24 + 2 hours after the start
    end = dict(items)["End"]
    assert (end - START).total_seconds() / 3600 == pytest.approx(63 + FILL_001_H, abs=1e-6)
    assert dict(summary_items(replace(small_result, proven_optimal=True)))["Proven optimal"] == "yes"


def test_summary_items_without_activities(small_result):
    items = dict(summary_items(replace(small_result, activities=())))
    assert items["Start"] is None and items["End"] is None


def test_input_items(small_result):
    assert input_items(small_result) == [
        ("Lots", "3"),
        ("Lot types", "2: +Insulin (1), Vaccine-A (2)"),  # sorted by name
        ("Total vials", "259,440"),  # 120,000 + 99,600 + 39,840
    ]
    assert input_items(replace(small_result, lots=())) == [("Lots", "0"), ("Lot types", "0"), ("Total vials", "0")]


def test_lot_types_in_order_of_the_schedule_then_the_input(small_result):
    assert lot_types_in_order(small_result) == ["Vaccine-A", "+Insulin"]
    extra = replace(small_result, lots=(Lot("z", "Zeta", 1), *small_result.lots, Lot("y", "Ypsilon", 1)))
    assert lot_types_in_order(extra) == ["Vaccine-A", "+Insulin", "Zeta", "Ypsilon"]


def test_round_seconds_to_the_nearest_second():
    assert round_seconds(datetime(2025, 1, 6, 7, 0, 0, 499_999)) == datetime(2025, 1, 6, 7, 0, 0)
    assert round_seconds(datetime(2025, 1, 6, 7, 0, 0, 500_000)) == datetime(2025, 1, 6, 7, 0, 1)
    assert round_seconds(datetime(2025, 1, 6, 23, 59, 59, 600_000)) == datetime(2025, 1, 7, 0, 0, 0)
    assert round_seconds(datetime(2025, 1, 6, 7, 0, 5)) == datetime(2025, 1, 6, 7, 0, 5)


def test_time_text_is_the_one_format_to_the_second():
    from scheduler_core.reports.rows import TIME_FORMAT, time_text, zone_heading

    assert TIME_FORMAT == "%Y-%m-%d %H:%M:%S"
    assert time_text(None) == ""
    assert time_text(datetime(2025, 1, 6, 7, 0)) == "2025-01-06 07:00:00"
    assert time_text(datetime(2025, 1, 6, 7, 0, 26, 746_988)) == "2025-01-06 07:00:27"
    assert time_text(datetime(2024, 12, 31, 23, 59, 59, 999_999)) == "2025-01-01 00:00:00"
    assert datetime.fromisoformat(time_text(datetime(2025, 1, 6, 7, 0))) == datetime(2025, 1, 6, 7, 0)
    assert zone_heading("start", "Europe/Zagreb") == "start (Europe/Zagreb)"


def test_due_rows_and_kpis(due_result):
    rows = {r["lot_id"]: r for r in activity_rows(due_result) if r["kind"] == "FILL"}
    assert (rows["A1"]["due"], rows["A1"]["lateness_h"]) == (datetime(2026, 1, 7, 20), 40.0)
    assert rows["B1"]["lateness_h"] == -2.0 and rows["A2"]["lateness_h"] is None
    changeover = next(r for r in activity_rows(due_result) if r["kind"] == "CHANGEOVER")
    assert changeover["due"] is None and changeover["lateness_h"] is None
    lots = {r["lot_id"]: r for r in lot_rows(due_result)}
    assert lots["A1"]["lateness_h"] == 40.0 and lots["A2"]["release"] == datetime(2026, 1, 5, 6)
    assert kpi_items(due_result)[-4:] == [
        ("Late lots", 1, "count"), ("Tardiness", 40.0, "h"), ("Weighted tardiness", 40.0, "h"),
        ("Max lateness", 40.0, "h"),
    ]


def test_no_due_kpis_without_due_dates(small_result):
    assert [label for label, _, _ in kpi_items(small_result)][-1] == "Lots"
