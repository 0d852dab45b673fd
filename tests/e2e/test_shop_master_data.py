"""End-to-end: master data made in the UI is planned (Playwright + Debian Chromium).

Two work centers created on Machines → a work order created on Work orders, flagged "no
routing" → two operations added with "Add operation" and saved as its routing → re-plan and
accept on the board → the order and both operations are in the plan and on the Gantt.
"""

from __future__ import annotations

import json
import re
import sqlite3

from .conftest import BROWSER_MARKS, _goto, _idle, _input, _register_and_login, _shot

pytestmark = BROWSER_MARKS



def _wait_for(db, sql: str, expected: int, seconds: float = 30) -> None:
    """Poll the database until ``sql`` counts ``expected`` (a flash message can be gone by
    the time it is looked for; the stored rows cannot)."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        with sqlite3.connect(db) as conn:
            found = conn.execute(sql).fetchone()[0]
        if found == expected or time.monotonic() > deadline:
            assert found == expected, (sql, found)
            return
        time.sleep(0.2)


def _form(page, text: str):
    return page.get_by_test_id("stForm").filter(has_text=text).first


def _open(page, title: str) -> None:
    """Open expander ``title`` unless it is open (its content is inert while closed)."""
    details = page.locator("details").filter(has=page.get_by_text(title, exact=True)).first
    if details.get_attribute("open") is None:
        details.locator("summary").click()
        _idle(page)


def _choose(scope, page, label: str, option: str) -> None:
    """Pick ``option`` of select box ``label`` by typing it (a click alone can land while
    the list is re-rendered)."""
    from playwright.sync_api import expect

    box = scope.get_by_role("combobox", name=label)
    for attempt in range(3):
        box.click()
        page.keyboard.type(option)
        choice = page.get_by_role("option", name=option, exact=True)
        try:
            choice.click(timeout=5_000)
            expect(box).to_have_value(option, timeout=5_000)
            return
        except AssertionError:
            if attempt == 2:
                raise
        except Exception:  # noqa: BLE001 - the list closed under the click: try again
            if attempt == 2:
                raise
        page.keyboard.press("Escape")


def _add_operation(page, sequence: str, name: str, work_center: str, norma: str) -> None:
    """Fill the "Add operation" form once it shows the next sequence (the form is cleared
    by the rerun after the previous row), check every value, add the row."""
    from playwright.sync_api import expect

    form = _form(page, "Add operation")
    expect(_input(form, "Sequence")).to_have_value(sequence)
    _choose(form, page, "Work center", work_center)
    for label, value in (("Norma (min)", norma), ("Operation", name)):
        _input(form, label).fill(value)
        expect(_input(form, label)).to_have_value(value)
    form.get_by_role("button", name="Add to the table").click()
    _idle(page)


def test_a_work_order_made_in_the_ui_is_planned_and_on_the_gantt(own_app, browser):
    from playwright.sync_api import expect

    app_url, db = own_app
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    _register_and_login(page, app_url, "mia")

    # two work centers (master data, saved at once)
    _goto(page, "Machines", "Machines")
    for code in ("LATHE", "MILL"):
        _open(page, "New work center")
        form = _form(page, "New work center")
        _input(form, "Code").fill(code)
        form.get_by_role("button", name="Create work center").click()
        _idle(page)
        _wait_for(db, f"SELECT count(*) FROM work_centers WHERE code = '{code}'", 1)
    _shot(page, "master_01_work_centers")

    # a work order: flagged "no routing" until it has operations
    _goto(page, "Work orders", "Work orders")
    _open(page, "New work order")
    form = _form(page, "Create work order")
    _input(form, "Work order number (RN)").fill("E2E-1")
    _input(form, "Product code (KPL)").fill("K-1")
    form.get_by_role("button", name="Create work order").click()
    _idle(page)
    _wait_for(db, "SELECT count(*) FROM work_orders WHERE rn = 'E2E-1'", 1)  # stored before the reload
    page.reload()
    _idle(page)
    expect(page.get_by_text("1 open work orders have no routing and are not planned: E2E-1.")).to_be_visible()

    # its routing: two operations added, then saved as one table
    _add_operation(page, "10", "Turning", "LATHE", "90")
    _add_operation(page, "20", "Milling", "MILL", "60")
    page.get_by_role("button", name="Save routing").click()
    _idle(page)
    _wait_for(db, "SELECT count(*) FROM operations", 2)
    expect(page.get_by_text("have no routing")).to_have_count(0)
    _shot(page, "master_02_routing")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT o.sequence, o.name, c.code, o.norma FROM operations o "
                            "JOIN work_centers c ON c.id = o.work_center_id ORDER BY o.sequence").fetchall() == [
            (10, "Turning", "LATHE", 90.0), (20, "Milling", "MILL", 60.0)]

    # plan it on the board and see it on the Gantt
    _goto(page, "Scheduling board", "Scheduling board")
    page.get_by_role("button", name="Re-plan", exact=True).click()
    _idle(page)
    expect(page.get_by_text("Proposed plan (not accepted yet)")).to_be_visible(timeout=60_000)
    page.get_by_role("button", name="Accept plan", exact=True).click()
    _idle(page)
    _wait_for(db, "SELECT count(*) FROM shop_plans WHERE is_current", 1)
    # late or not depends on the time of day: the form's delivery date defaults to today
    expect(page.get_by_text(re.compile(r"Current plan #1 \(dispatch\): [01] late of 1 orders"))).to_be_visible(
        timeout=60_000)
    by_wc = page.locator(".js-plotly-plot").first
    expect(by_wc).to_contain_text("LATHE")
    expect(by_wc).to_contain_text("MILL")
    page.get_by_role("tab", name="By order").click()
    _idle(page)
    expect(page.locator(".js-plotly-plot:visible").filter(has_text="E2E-1").first).to_be_visible()
    _shot(page, "master_03_gantt")
    with sqlite3.connect(db) as conn:
        result = json.loads(conn.execute("SELECT result FROM shop_plans WHERE is_current").fetchone()[0])
    assert sorted(p["op_id"] for p in result["operations"]) == ["E2E-1/10", "E2E-1/20"]
    assert result["not_planned"] == []
    context.close()
