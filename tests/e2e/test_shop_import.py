"""End-to-end: a partial shop import in a real browser (Playwright + Debian Chromium).

Upload a workbook with one bad operation row on the Work orders page → the problem is listed
(row, sheet!column, reason) with the work order it skips → "Import the valid rows, skip the
invalid ones" → the summary names the skipped order → the imported orders are on the page
and in the database, the skipped one is not.
"""

from __future__ import annotations

import sqlite3

import openpyxl

from .conftest import BROWSER_MARKS, _goto, _idle, _register_and_login, _shot

pytestmark = BROWSER_MARKS



def _workbook(path):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in {
        "work_centers": [["code", "name"], ["TOK", "Lathe"], ["GLO", "Mill"]],
        "work_orders": [["rn", "quantity", "kpl", "product_name"], ["IMP-1", 4, "K-1", "Vratilo"],
                        ["IMP-2", 2, "K-2", "Prirubnica"], ["IMP-3", 1, "K-1", "Vratilo"]],
        "operations": [["rn", "sequence", "name", "work_center", "norma"],
                       ["IMP-1", 1, "Tokarenje", "TOK", 30], ["IMP-1", 2, "Glodanje", "GLO", 20],
                       ["IMP-2", 1, "Tokarenje", "TOK", "pola sata"], ["IMP-2", 2, "Glodanje", "GLO", 5],
                       ["IMP-3", 1, "Glodanje", "GLO", 9]],
    }.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_partial_import(own_app, browser, tmp_path):
    from playwright.sync_api import expect

    app_url, db = own_app
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    _register_and_login(page, app_url, "ivana")

    _goto(page, "Work orders", "Work orders")
    page.get_by_text("Import a workbook · clear the shop").click()
    page.locator("input[type=file]").first.set_input_files(str(_workbook(tmp_path / "shop.xlsx")))
    _idle(page)
    expect(page.get_by_text("The workbook has 1 problem(s).")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("skip 1 work order(s)", exact=False)).to_be_visible()
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid.get_by_text("operations!norma")).to_be_attached()
    expect(page.get_by_test_id("stDataFrame").nth(1).get_by_text("IMP-2")).to_be_attached()
    expect(page.get_by_role("button", name="Fix and upload again")).to_be_visible()
    _shot(page, "import_01_preview")

    page.get_by_role("button", name="Import the valid rows, skip the invalid ones").click()
    _idle(page)
    expect(page.get_by_text("Imported: 2 work orders added", exact=False)).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Skipped 1 work order(s)", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first.get_by_text("IMP-2")).to_be_attached()
    expect(page.get_by_text("2 work orders match")).to_be_visible()
    orders = page.get_by_test_id("stDataFrame").filter(has_text="IMP-1")
    expect(orders.last.get_by_text("IMP-3")).to_be_attached()
    _shot(page, "import_02_summary")

    with sqlite3.connect(db) as conn:
        rns = {r for (r,) in conn.execute("SELECT rn FROM work_orders")}
        names = {r for (r,) in conn.execute("SELECT name FROM products")}
        ops = conn.execute("SELECT count(*) FROM operations").fetchone()[0]
    assert rns == {"IMP-1", "IMP-3"} and names == {"Vratilo"} and ops == 3
    context.close()
