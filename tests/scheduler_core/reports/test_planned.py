"""Exports of a schedule produced by a real strategy (not hand-built)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import datetime

from openpyxl import load_workbook
from pypdf import PdfReader

from scheduler_core.filling import FillingConfig, FillingProblem, Lot, plan
from scheduler_core.reports import export


def test_export_smart_pack_result(tmp_path):
    lots = [
        Lot(f"{i:03d}", ("Vaccine-A", "Vaccine-B", "=Evil")[i % 3], 40_000 + 7_919 * i)
        for i in range(30)
    ]
    config = FillingConfig(start_time=datetime(2025, 3, 3, 6, 0))
    result = plan(FillingProblem(lots), replace(config, strategy="smart-pack"))
    n = len(result.activities)

    rows = list(csv.DictReader(io.StringIO(
        export(result, tmp_path / "s.csv").read_text(encoding="utf-8"))))
    assert len(rows) == n
    assert {r["lot_id"] for r in rows if r["kind"] == "FILL"} == {lot.lot_id for lot in lots}
    assert rows[0]["start"] == "2025-03-03T06:00:00"

    wb = load_workbook(export(result, tmp_path / "s.xlsx"))
    assert wb["Activities"].max_row == n + 1
    assert wb["Lots"].max_row == len(lots) + 1
    types = {c.value for c in wb["Lots"]["B"][1:]}
    assert "'=Evil" in types and "=Evil" not in types

    reader = PdfReader(export(result, tmp_path / "s.pdf", title="Smart pack run"))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Smart pack run" in text and "smart-pack" in text and "029" in text
