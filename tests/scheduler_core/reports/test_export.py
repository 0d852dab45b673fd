"""export(): dispatch by suffix, unknown suffix is an InputError naming the allowed ones."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from scheduler_core.errors import InputError
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
