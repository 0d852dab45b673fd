"""End-to-end: the filling flow in a real browser (Playwright + Debian Chromium).

The app runs with ``streamlit run`` on a free local port against a fresh SQLite database.
Screenshots of every page go to ``test-artifacts/`` (gitignored).
"""

from __future__ import annotations

import io
import re

from .conftest import BROWSER_MARKS, ROOT, _goto, _idle, _input, _register_and_login, _set_number, _shot

pytestmark = BROWSER_MARKS


def test_filling_flow(app_url, browser, tmp_path):
    from playwright.sync_api import expect

    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    _register_and_login(page, app_url, "anna")
    _shot(page, "01_dashboard")

    # New schedule: upload the sample lots, strategy best, 2 s time limit, run
    _goto(page, "New schedule", "New schedule")
    page.locator("input[type=file]").first.set_input_files(str(ROOT / "data" / "sample_lots.csv"))
    expect(page.get_by_text("40 lots · 4 types")).to_be_visible()
    _idle(page)
    _set_number(page, "Solver time limit (seconds)", "2")
    name = _input(page, "Schedule name")
    name.fill("E2E best plan")
    name.press("Enter")
    _idle(page)
    _shot(page, "02_new_schedule")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"Schedule #\d+"))).to_be_visible(timeout=60_000)
    _idle(page)
    for label in ("Makespan", "Lower bound", "Proven optimal", "Utilisation", "Blocks"):
        expect(page.get_by_test_id("stMetricLabel").filter(has_text=label).first).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    _shot(page, "03_detail")

    # downloads open
    import openpyxl

    with page.expect_download() as info:
        page.get_by_role("button", name="Excel").click()
    xlsx = tmp_path / "s.xlsx"
    info.value.save_as(xlsx)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert "Activities" in wb.sheetnames
    with page.expect_download() as info:
        page.get_by_role("button", name="PDF").click()
    pdf = tmp_path / "s.pdf"
    info.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # history
    _goto(page, "History", "History")
    expect(page.get_by_text("1 schedules match")).to_be_visible()
    _shot(page, "04_history")

    # compare all strategies (demo data, 1 s time limit)
    _goto(page, "Compare", "Compare strategies")
    _set_number(page, "Solver time limit (seconds)", "1")
    page.get_by_role("button", name="Run comparison").click()
    expect(page.get_by_text(re.compile(r"Comparison #\d+ saved"))).to_be_visible(timeout=120_000)
    _idle(page)
    expect(page.get_by_text(re.compile("^Best: "))).to_be_visible()
    _shot(page, "05_compare")

    # save a template
    _goto(page, "Config templates", "Config templates")
    _input(page, "Name").fill("E2E template")
    _input(page, "Name").press("Enter")
    _idle(page)
    page.get_by_role("button", name="Create template").click()
    _idle(page)
    expect(page.get_by_text("E2E template").first).to_be_attached()
    _shot(page, "06_templates")

    _goto(page, "Profile", "Profile")
    _shot(page, "07_profile")

    # log out
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("tab", name="Register")).to_be_visible()
    _shot(page, "08_logged_out")
    context.close()

    # a second user does not see the first user's schedules
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    _register_and_login(page, app_url, "bert")
    expect(page.get_by_text("No schedules yet")).to_be_visible()
    _goto(page, "History", "History")
    expect(page.get_by_text("0 schedules match")).to_be_visible()
    expect(page.get_by_text("E2E best plan")).to_have_count(0)
    _shot(page, "09_second_user_history")
    context.close()
