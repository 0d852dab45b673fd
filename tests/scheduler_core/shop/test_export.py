from dataclasses import replace

from openpyxl import load_workbook

from scheduler_core.shop import plan
from scheduler_core.shop.export import safe_cell, write_excel, write_pdf


def test_safe_cell_neutralises_formulas():
    assert safe_cell("=SUM(A1)") == "'=SUM(A1)"
    assert safe_cell("+1") == "'+1" and safe_cell("-x") == "'-x" and safe_cell("@a") == "'@a"
    assert safe_cell("RN-1") == "RN-1" and safe_cell(5) == 5


def test_excel_export(shop, tmp_path):
    result = plan(shop, "dispatch")
    ops = [replace(p, name="=HYPERLINK(1)") if k == 0 else p
           for k, p in enumerate(result.operations)]
    path = write_excel(replace(result, operations=ops), tmp_path / "plan.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[:4] == ["kpis", "operations", "orders", "weekly_load"]
    names = [r[3] for r in wb["operations"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(1)" in names
    assert wb["operations"].max_row == len(result.operations) + 1


def test_pdf_export_spans_pages(tmp_path):
    from scheduler_core.shop.demo import demo_shop

    shop = demo_shop(3, work_centers=3, orders=60)
    result = plan(shop, "dispatch")
    path = write_pdf(result, tmp_path / "plan.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    assert len(reader.pages) >= 3
    assert "Shop plan" in reader.pages[0].extract_text()
