"""End-to-end: due dates in a real browser. A lots file with Due, Priority and Release
columns is uploaded (the preview shows them and warns about a lot released after its due
date), planned, and the detail page shows the due-date KPIs, the lateness column with the
late lot and the Gantt's late-lot marker. Screenshots go to ``test-artifacts/``."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta
from pathlib import Path

from .conftest import BROWSER_MARKS, _goto, _idle, _register_and_login, _set_number, _shot

pytestmark = BROWSER_MARKS


def _lots_file(tmp_path) -> str:
    """Four lots: L-LATE is due before the line can start, L-WAIT is released after its due
    date, L-OK and L-FREE are due in a month / have no due date."""
    now = datetime.now().replace(minute=0, second=0, microsecond=0)
    fmt = "%Y-%m-%d %H:%M"
    rows = [
        "Lot ID,Type,Vials,Due,Priority,Release",
        f"L-LATE,VAX,199200,{(now - timedelta(days=1)):{fmt}},1,",
        f"L-OK,VAX,99600,{(now + timedelta(days=30)):{fmt}},2,",
        f"L-WAIT,INS,99600,{(now + timedelta(days=3)):{fmt}},3,{(now + timedelta(days=4)):{fmt}}",
        "L-FREE,INS,99600,,,",
    ]
    path = tmp_path / "due_lots.csv"
    path.write_text("\n".join(rows) + "\n")
    return str(path)


def test_due_dates_from_upload_to_late_lot(own_app, browser, tmp_path):
    from playwright.sync_api import expect

    url, _ = own_app
    context = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.add_init_script("delete window.showSaveFilePicker")  # a plain download, not a save dialog
    page.set_default_timeout(30_000)
    _register_and_login(page, url, "dora")

    _goto(page, "New schedule", "New schedule")
    page.locator("input[type=file]").first.set_input_files(_lots_file(tmp_path))
    expect(page.get_by_text("4 lots · 2 types")).to_be_visible()
    expect(page.get_by_text("3 with a due date · 1 with a release")).to_be_visible()
    expect(page.get_by_text(re.compile(r"row 4: lot 'L-WAIT' is released .* after it is due"))).to_be_visible()
    _idle(page)
    _shot(page, "due_00_preview")
    page.get_by_text("Objective").first.scroll_into_view_if_needed()
    expect(page.get_by_text(re.compile("^Makespan: finish all lots"))).to_be_visible()
    _set_number(page, "Solver time limit (seconds)", "2")
    _shot(page, "due_01_new_schedule")
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile(r"Schedule #\d+"))).to_be_visible(timeout=60_000)
    _idle(page)

    late_card = page.get_by_test_id("stMetric").filter(has_text="Late lots")
    expect(late_card.get_by_test_id("stMetricValue")).to_have_text("2")  # L-LATE and L-WAIT
    for label in ("Tardiness", "Weighted tardiness", "Max lateness"):
        expect(page.get_by_test_id("stMetricLabel").filter(has_text=label).first).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    expect(page.locator(".js-plotly-plot .legendtext").filter(has_text="due date of a late lot")).to_have_count(1)
    _shot(page, "due_02_detail")

    page.get_by_text("Late lots only (2)").click()
    _idle(page)
    expect(page.get_by_text("2 of 8 activities")).to_be_visible()
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    _shot(page, "due_03_late_lots")
    grid.hover()  # the table is drawn on a canvas: read what it shows through its own CSV download
    with page.expect_download() as info:
        grid.get_by_role("button", name="Download as CSV").dispatch_event("click")
    shown = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8-sig"))))
    assert sorted(r["lot_id"] for r in shown) == ["L-LATE", "L-WAIT"]
    assert all(float(r["lateness_h"]) > 0 for r in shown)  # the column headed "lateness (h)"
    context.close()
