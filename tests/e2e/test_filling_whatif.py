"""End-to-end: a filling what-if in a real browser — from a stored schedule, give a lot a
due date it cannot meet, re-plan for due dates, read the KPI deltas and the lot table,
see both Gantts in one figure, keep the variant as a new schedule; a duplicate lot id typed
into the table is refused with its row and column."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from .conftest import BROWSER_MARKS, ROOT, _idle, _input, _register_and_login, _set_number, _shot

pytestmark = BROWSER_MARKS

#: Height of a data editor's header and of one of its rows (px, Streamlit's default).
HEADER_PX, ROW_PX = 35, 35


def _edit_cell(page, grid, *, x_px: float, row: int, text: str, editor: str = "textarea") -> None:
    """Type ``text`` into the cell at ``x_px`` from the grid's left edge in data row ``row``
    (1-based): select the cell, Enter opens its editor (``editor``: its CSS selector). A
    click that lands while the grid is still being drawn is lost, so it is retried (the
    grid measured again)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box_editor = page.locator(editor)
    for attempt in range(6):
        _idle(page)
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()  # measured each time: the page may still be moving
        page.mouse.click(box["x"] + x_px, box["y"] + HEADER_PX + ROW_PX * (row - 0.5))
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")
        try:
            box_editor.first.wait_for(timeout=3000)
            box_editor.first.fill(text)
            box_editor.first.press("Enter")
            break
        except PlaywrightTimeout:
            if attempt == 5:
                raise
    _idle(page)


def test_whatif_due_date_replan_deltas_lots_and_keep(app_url, browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    _register_and_login(page, app_url, "wanda")
    page.get_by_test_id("stSidebarNav").get_by_text("New schedule", exact=True).click()
    expect(page.get_by_role("heading", name="New schedule").first).to_be_visible()
    page.locator("input[type=file]").first.set_input_files(str(ROOT / "data" / "sample_lots.csv"))
    expect(page.get_by_text("40 lots · 4 types")).to_be_visible()
    _idle(page)
    _set_number(page, "Solver time limit (seconds)", "2")
    page.get_by_role("button", name="Run", exact=True).click()
    heading = page.get_by_role("heading", name=re.compile(r"Schedule #\d+"))
    expect(heading).to_be_visible(timeout=60_000)
    original = heading.inner_text()
    _idle(page)

    page.get_by_text("What-if: change lots").click()
    expect(page.get_by_role("heading", name="Filling what-if")).to_be_visible()
    _idle(page)
    _shot(page, "whatif_01_start")
    # L-010 (row 10) due one day after now: the first clean alone takes 24 h, so it is late
    due = (datetime.now() + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    lots = page.get_by_test_id("stDataFrame").first
    _edit_cell(page, lots, x_px=660, row=10, text=due.strftime("%Y-%m-%dT%H:%M"), editor="input[type='datetime-local']")
    _set_number(page, "Solver time limit (seconds)", "2")
    page.get_by_text("Due dates first").click()
    _idle(page)
    page.get_by_role("button", name="Re-plan").click()
    expect(page.get_by_role("heading", name="Before and after")).to_be_visible(timeout=60_000)
    _idle(page)

    late = page.get_by_test_id("stMetric").filter(has_text="Late lots")
    expect(late).to_contain_text("1")
    expect(late.get_by_test_id("stMetricDelta")).to_have_text("+1")
    tardy = page.get_by_test_id("stMetric").filter(has_text="Weighted tardiness")
    expect(tardy.get_by_test_id("stMetricDelta")).to_have_text(re.compile(r"^\+\d+\.\d h$"))
    expect(page.get_by_text(re.compile(r"Lots — \d+ of 40 changed, biggest change first"))).to_be_visible()
    table = page.get_by_test_id("stDataFrame").last
    expect(table).to_be_visible()
    # the grid's accessible cells: L-010 is in the table, late now (no due date before)
    l010 = table.locator("tr").filter(has=page.locator("td", has_text=re.compile("^L-010$")))
    expect(l010).to_have_count(1)
    page.get_by_test_id("stPlotlyChart").last.scroll_into_view_if_needed()
    expect(page.get_by_test_id("stPlotlyChart").last).to_contain_text("What-if")
    _shot(page, "whatif_02_result")

    _input(page, "Name of the kept variant").fill("E2E what-if")
    _input(page, "Name of the kept variant").press("Enter")
    _idle(page)
    page.get_by_role("button", name="Keep as new schedule").click()
    expect(page.get_by_role("heading", name=re.compile(r"Schedule #\d+"))).not_to_have_text(original, timeout=30_000)
    expect(page.get_by_text("E2E what-if", exact=True)).to_be_visible()
    _shot(page, "whatif_03_kept")

    # bad input: in a what-if of the kept schedule, L-002 renamed to L-001 is refused with
    # its row and column, and nothing runs
    page.get_by_text("What-if: change lots").click()
    expect(page.get_by_role("heading", name="Filling what-if")).to_be_visible()
    _idle(page)
    lots = page.get_by_test_id("stDataFrame").first
    _edit_cell(page, lots, x_px=60, row=2, text="L-001")
    page.get_by_role("button", name="Re-plan").click()
    _idle(page)
    expect(page.get_by_text("The lots have problems; nothing was planned")).to_be_visible()
    problems = page.get_by_test_id("stDataFrame").filter(has_text="duplicate Lot ID")
    expect(problems.locator("tr").filter(has_text="Lot ID").filter(has_text="2")).not_to_have_count(0)
    expect(page.get_by_role("heading", name="Before and after")).to_have_count(0)
    _shot(page, "whatif_04_refused")
    context.close()
