"""Downloads as bytes: a filling schedule as CSV, Excel, PDF; a shop plan as Excel, PDF."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl

from scheduler_core.filling import FillingConfig, FillingProblem, Lot, plan
from scheduler_core.shop import ShopOptions, demo_shop
from scheduler_core.shop import plan as plan_shop
from webapp import exports

RESULT = plan(
    FillingProblem([Lot("=1+1", "A", 19920 * 5), Lot("L2", "B", 19920 * 7)]),
    FillingConfig(start_time=datetime(2026, 12, 1, 6), strategy="smart-pack"),
)


def test_schedule_downloads():
    rows = exports.schedule_activity_rows(RESULT)
    assert [r["kind"] for r in rows][:2] == ["CLEAN", "FILL"]
    csv = exports.schedule_csv(RESULT, time_zone="Europe/Zagreb").decode("utf-8")
    assert csv.splitlines()[0].startswith("block,kind,lot_id") and "'=1+1" in csv
    assert "start (Europe/Zagreb)" in csv.splitlines()[0] and "2026-12-01 06:00:00" in csv
    book = openpyxl.load_workbook(io.BytesIO(exports.schedule_excel(RESULT, title="t", time_zone="Europe/Zagreb")))
    assert "Activities" in book.sheetnames and book["Activities"]["F1"].value == "Start (Europe/Zagreb)"
    assert exports.schedule_pdf(RESULT, title="<b>t</b>", time_zone="Europe/Zagreb").startswith(b"%PDF")


def test_shop_plan_downloads():
    result = plan_shop(demo_shop(1, work_centers=2, orders=5), ShopOptions("dispatch"))
    book = openpyxl.load_workbook(io.BytesIO(exports.shop_plan_excel(result)))
    assert book.sheetnames[:2] == ["kpis", "operations"]
    assert exports.shop_plan_pdf(result).startswith(b"%PDF")
