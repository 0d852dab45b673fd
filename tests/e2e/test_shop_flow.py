"""End-to-end: the shop flow in a real browser (Playwright + Debian Chromium).

demo shop → re-plan with optimise (2 s) → accept → reorder an operation → accept →
the lateness table shows the new current plan → export Excel.

The app runs with ``streamlit run`` on a free local port against a fresh SQLite database.
Screenshots of every page go to ``test-artifacts/`` (gitignored).
"""

from __future__ import annotations

import io
import re

from .conftest import BROWSER_MARKS, _goto, _idle, _register_and_login, _set_number, _shot

pytestmark = BROWSER_MARKS


def _select(page, label: str, option: str) -> None:
    from playwright.sync_api import expect

    box = page.get_by_test_id("stSelectbox").filter(has_text=label).first
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    expect(page.get_by_role("combobox", name=label)).to_have_value(option)
    _idle(page)


def _click(page, name: str, timeout: float = 60_000) -> None:
    page.get_by_role("button", name=name, exact=True).click()
    _idle(page, timeout)


def test_shop_flow(app_url, browser, tmp_path):
    from playwright.sync_api import expect

    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    _register_and_login(page, app_url, "sven")

    # demo shop in one click (small: 20 orders on 4 work centers)
    _goto(page, "Scheduling board", "Scheduling board")
    _set_number(page, "Work orders", "20")
    _set_number(page, "Work centers", "4")
    _click(page, "Load demo shop")
    expect(page.get_by_text("No plan yet")).to_be_visible()
    _shot(page, "shop_01_demo")

    # re-plan with optimise (2 s) and accept
    _select(page, "Strategy", "optimise")
    _set_number(page, "Time limit (seconds)", "2")
    _click(page, "Re-plan")
    expect(page.get_by_text("Proposed plan (not accepted yet)")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Proposed plan (no plan accepted yet)")).to_be_visible()
    _shot(page, "shop_02_proposed")
    _click(page, "Accept plan")
    expect(
        page.get_by_text(re.compile(r"Current plan #1 \(optimise\): \d+ late of 20 orders"))
    ).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()

    # reorder: move an operation down its work center's queue (re-planned at once), accept
    _click(page, "Move down")
    expect(page.get_by_text(re.compile(r"moved down on"))).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Proposed plan (not accepted yet)")).to_be_visible()
    _shot(page, "shop_03_reordered")
    _click(page, "Accept plan")
    expect(page.get_by_text("Plan #2 accepted.")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Current plan #2 \(optimise\): \d+ late of 20 orders"))
    ).to_be_visible()
    expect(page.get_by_text("Proposed plan (not accepted yet)")).to_have_count(0)
    _shot(page, "shop_04_accepted")

    # export the current plan to Excel
    import openpyxl

    with page.expect_download() as info:
        page.get_by_role("button", name="Excel").click()
    xlsx = tmp_path / "plan.xlsx"
    info.value.save_as(xlsx)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert {"kpis", "operations", "orders", "weekly_load"} <= set(wb.sheetnames)
    assert wb["orders"].max_row == 21
    context.close()
