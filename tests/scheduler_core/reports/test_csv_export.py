"""CSV export (``csv_export.to_csv``): header naming the plant zone, times to the second,
formula neutralisation of text cells only."""

from __future__ import annotations

import csv
import io
from datetime import datetime

from scheduler_core.filling.model import Lot
from scheduler_core.reports.csv_export import to_csv


def _read(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def _times(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows with the zone-named time headings of the default zone (UTC) as start/end."""
    names = {"start (UTC)": "start", "end (UTC)": "end", "due (UTC)": "due"}
    return [{names.get(k, k): v for k, v in r.items()} for r in rows]


def test_csv_header_rows_and_times_to_the_second(small_result):
    data = to_csv(small_result)
    assert data.startswith(
        b"block,kind,lot_id,lot_type,vials,start (UTC),end (UTC),duration_h,due (UTC),lateness_h\r\n")
    rows = _times(_read(data))
    assert len(rows) == 6
    assert rows[0] == {
        "block": "1", "kind": "CLEAN", "lot_id": "", "lot_type": "", "vials": "",
        "start": "2025-01-06 06:00:00", "end": "2025-01-07 06:00:00", "duration_h": "24.0",
        "due": "", "lateness_h": "",
    }
    fill = rows[1]
    assert fill["lot_id"] == "001"  # kept as text, leading zeros intact
    assert fill["vials"] == "120000"
    for row in rows:  # every time parses as ISO-8601
        assert datetime.fromisoformat(row["start"]) < datetime.fromisoformat(row["end"])
    # Consecutive activities touch exactly after rounding.
    assert all(a["end"] == b["start"] for a, b in zip(rows[:3], rows[1:4], strict=True))


def test_csv_neutralises_text_cells_only(small_result, builder):
    rows = _read(to_csv(small_result))
    hostile = [r for r in rows if r["kind"] == "FILL"][1]
    assert hostile["lot_id"] == "'" + builder.injection_id
    assert hostile["lot_type"] == "'+Insulin"
    assert not hostile["vials"].startswith("'") and not hostile["duration_h"].startswith("'")


def test_csv_unicode_and_bom(builder):
    result = builder.build([[Lot("Lót-ü-😀", "Type ñ", 19_920)]])
    data = to_csv(result)
    assert "Lót-ü-😀" in data.decode("utf-8")
    assert to_csv(result, bom=True).startswith(b"\xef\xbb\xbf")


def test_csv_large_schedule(large_result):
    rows = _read(to_csv(large_result))
    assert len(rows) == len(large_result.activities)


def test_csv_times_round_to_the_second_and_durations_to_six_decimals(small_result):
    rows = _times(_read(to_csv(small_result)))
    # 120,000 vials at 19,920 vials/h: 6.024096385... h = 6 h 1 min 26.747 s
    fill = rows[1]
    assert fill["start"] == "2025-01-07 06:00:00"
    assert fill["end"] == "2025-01-07 12:01:27"
    assert fill["duration_h"] == "6.024096"
    change = rows[2]
    assert change["start"] == fill["end"]
    assert (change["kind"], change["duration_h"]) == ("CHANGEOVER", "8.0")


def test_csv_crlf_and_quoting(builder):
    result = builder.build([[Lot('a,"b"', "T\nU", 19_920)]])
    data = to_csv(result)
    assert data.count(b"\r\n") == 3  # header + CLEAN + FILL, quoted newline kept apart
    rows = _read(data)
    assert rows[1]["lot_id"] == 'a,"b"' and rows[1]["lot_type"] == "T\nU"
    assert to_csv(result, bom=False) == data


def test_csv_names_the_plant_zone_and_writes_times_as_every_format_does(small_result):
    from scheduler_core.reports.rows import time_text

    rows = _read(to_csv(small_result, time_zone="Europe/Zagreb"))
    assert list(rows[0])[5:7] == ["start (Europe/Zagreb)", "end (Europe/Zagreb)"]
    fill = small_result.activities[1]
    assert rows[1]["end (Europe/Zagreb)"] == time_text(fill.end) == "2025-01-07 12:01:27"


def test_csv_due_and_lateness_of_fills(due_result):
    fills = {r["lot_id"]: r for r in _times(_read(to_csv(due_result))) if r["kind"] == "FILL"}
    assert (fills["A1"]["due"], fills["A1"]["lateness_h"]) == ("2026-01-07 20:00:00", "40.0")
    assert fills["B1"]["lateness_h"] == "-2.0"
    assert (fills["A2"]["due"], fills["A2"]["lateness_h"]) == ("", "")
