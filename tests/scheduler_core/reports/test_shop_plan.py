import io
from dataclasses import replace

from openpyxl import load_workbook

from scheduler_core.reports.shop_plan import shop_plan_excel, shop_plan_pdf
from scheduler_core.shop import ShopOptions, plan
from tests.scheduler_core.shop.conftest import small_shop


def test_excel_export():
    shop = small_shop()
    result = plan(shop, ShopOptions("dispatch"))
    ops = [replace(p, name="=HYPERLINK(1)") if k == 0 else p
           for k, p in enumerate(result.operations)]
    wb = load_workbook(io.BytesIO(shop_plan_excel(replace(result, operations=ops))))
    assert wb.sheetnames[:4] == ["kpis", "operations", "orders", "weekly_load"]
    names = [r[3] for r in wb["operations"].iter_rows(min_row=2, values_only=True)]
    assert "'=HYPERLINK(1)" in names
    assert wb["operations"].max_row == len(result.operations) + 1


def test_pdf_export_spans_pages():
    from scheduler_core.shop.demo import demo_shop

    shop = demo_shop(3, work_centers=3, orders=60)
    result = plan(shop, ShopOptions("dispatch"))
    data = shop_plan_pdf(result)
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 3
    assert "Shop plan" in reader.pages[0].extract_text()


def test_exports_name_the_plant_time_zone():
    from datetime import datetime

    from pypdf import PdfReader

    shop = replace(small_shop(), start=datetime(2025, 3, 28, 7), time_zone="Europe/Zagreb")
    result = plan(shop, ShopOptions("dispatch"))
    wb = load_workbook(io.BytesIO(shop_plan_excel(result)))
    head = next(wb["operations"].iter_rows(max_row=1, values_only=True))
    assert head[9:13] == ("start (Europe/Zagreb)", "end (Europe/Zagreb)", "utc_offset", "setup_minutes")
    offsets = {r[11] for r in wb["operations"].iter_rows(min_row=2, values_only=True)}
    assert offsets == {"+0100", "+0200"}  # the plan runs over the spring switch of 2025-03-30
    kpis = dict(wb["kpis"].iter_rows(min_row=2, values_only=True))
    assert kpis["Time zone"] == "Europe/Zagreb" and kpis["Plan start"] == "2025-03-28 07:00 CET"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(shop_plan_pdf(result))).pages)
    assert "CET" in text and "CEST" in text


def test_excel_numbers_are_numbers_with_status_late_flag_and_product():
    from scheduler_core.shop.demo import demo_shop

    shop = demo_shop(1, work_centers=3, orders=30)
    result = plan(shop, ShopOptions("dispatch"))
    wb = load_workbook(io.BytesIO(shop_plan_excel(result)))
    kpis = {r[0].value: r[1] for r in wb["kpis"].iter_rows(min_row=2)}
    assert kpis["Makespan (h)"].value == round(result.kpis.makespan_hours, 1)
    assert kpis["Makespan (h)"].number_format == "0.0"
    assert isinstance(kpis["Late orders"].value, int) and kpis["Late orders"].number_format == "0"
    util = [c for name, c in kpis.items() if name.startswith("Utilisation")]
    assert util and all(isinstance(c.value, float) and c.number_format == "0%" for c in util)
    ops = wb["operations"]
    head = [c.value for c in ops[1]]
    rows = [dict(zip(head, r, strict=True)) for r in ops.iter_rows(min_row=2, values_only=True)]
    late = {o.rn for o in result.orders if o.late}
    products = {o.rn: o.kpl for o in shop.work_orders}
    assert all(r["late"] == ("yes" if r["rn"] in late else "no") for r in rows)
    assert all((r["product"] or "") == products[r["rn"]] for r in rows) and any(r["product"] for r in rows)
    assert {r["status"] for r in rows} <= {"planned", "in progress"}
    orders = wb["orders"]
    lateness = [r[7] for r in orders.iter_rows(min_row=2, values_only=True) if r[7] is not None]
    assert lateness and all(isinstance(v, (int, float)) for v in lateness)  # never text like "'-73.0"
    assert all(isinstance(c.value, (int, float)) for row in wb["weekly_load"].iter_rows(min_row=2, min_col=3)
               for c in row)


def test_orders_not_planned_are_in_both_exports():
    from pypdf import PdfReader

    from scheduler_core.shop import WorkOrder

    shop = small_shop()
    shop = replace(shop, work_orders=(*shop.work_orders, WorkOrder("NO-OPS-1")))
    result = plan(shop, ShopOptions("dispatch"))
    wb = load_workbook(io.BytesIO(shop_plan_excel(result)))
    assert list(wb["not_planned"].iter_rows(values_only=True)) == [("rn", "not planned"), ("NO-OPS-1", "no routing")]
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(shop_plan_pdf(result))).pages)
    assert "Not planned (1)" in text and "NO-OPS-1: not planned: no routing" in text
