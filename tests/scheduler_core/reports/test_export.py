"""export() of the ``reports`` package: dispatch by suffix, unknown suffix is an InputError
naming the allowed ones; every format of a schedule produced by a real strategy."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import datetime

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from scheduler_core.errors import InputError
from scheduler_core.filling import FillingConfig, FillingProblem, Lot, plan
from scheduler_core.reports import FORMATS, export, export_bytes


def test_export_csv(tmp_path, small_result):
    path = export(small_result, tmp_path / "plan.csv")
    assert path.read_bytes().startswith(b"block,kind,")


def test_export_xlsx_uppercase_suffix(tmp_path, small_result):
    path = export(small_result, tmp_path / "PLAN.XLSX")
    assert load_workbook(path).sheetnames == ["Summary", "Activities", "Lots"]


def test_export_pdf_with_title(tmp_path, small_result):
    path = export(small_result, str(tmp_path / "plan.pdf"), title="My plan")
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert "My plan" in reader.pages[0].extract_text()


@pytest.mark.parametrize("name", ["plan.txt", "plan", "plan.xls", "plan.csv.gz"])
def test_unknown_suffix_is_input_error(tmp_path, small_result, name):
    with pytest.raises(InputError) as info:
        export(small_result, tmp_path / name)
    message = str(info.value)
    for fmt in (".csv", ".xlsx", ".pdf"):
        assert fmt in message
    assert not (tmp_path / name).exists()


def test_export_bytes_accepts_suffix_without_dot(small_result):
    assert FORMATS == (".csv", ".xlsx", ".pdf")
    assert export_bytes(small_result, "csv").startswith(b"block,")


def test_export_smart_pack_result(tmp_path):
    lots = [
        Lot(f"{i:03d}", ("Vaccine-A", "Vaccine-B", "=Evil")[i % 3], 40_000 + 7_919 * i)
        for i in range(30)
    ]
    config = FillingConfig(start_time=datetime(2025, 3, 3, 6, 0))
    result = plan(FillingProblem(lots), replace(config, strategy="smart-pack"))
    n = len(result.activities)

    rows = list(csv.DictReader(io.StringIO(
        export(result, tmp_path / "s.csv", time_zone="Europe/Zagreb").read_text(encoding="utf-8"))))
    assert len(rows) == n
    assert {r["lot_id"] for r in rows if r["kind"] == "FILL"} == {lot.lot_id for lot in lots}
    assert rows[0]["start (Europe/Zagreb)"] == "2025-03-03 06:00:00"

    wb = load_workbook(export(result, tmp_path / "s.xlsx"))
    assert wb["Activities"].max_row == n + 1
    assert wb["Lots"].max_row == len(lots) + 1
    types = {c.value for c in wb["Lots"]["B"][1:]}
    assert "'=Evil" in types and "=Evil" not in types

    reader = PdfReader(export(result, tmp_path / "s.pdf", title="Smart pack run", time_zone="Europe/Zagreb"))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Smart pack run" in text and "smart-pack" in text and "029" in text
    assert "Time zone: Europe/Zagreb" in text and "times in Europe/Zagreb" in text
    assert "2025-03-03 06:00:00" in text  # the one time format, to the second
