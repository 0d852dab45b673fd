"""End-to-end: the shop flow in a real browser (Playwright + Debian Chromium).

demo shop → re-plan with optimise (2 s) → accept → move an operation up (proposed with the
current plan's strategy) → discard: nothing written → move it up again → accept: exactly one
pin stored and shown → undo → export Excel.

The app runs with ``streamlit run`` on a free local port against a fresh SQLite database.
Screenshots of every page go to ``test-artifacts/`` (gitignored).
"""

from __future__ import annotations

import io
import re
import sqlite3

from .conftest import BROWSER_MARKS, _goto, _idle, _register_and_login, _set_number, _shot

pytestmark = BROWSER_MARKS



def _count(db, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def _movable(db) -> str:
    """An operation of the board's first queue that can move up in the current plan: not
    behind a step of its own order, running work or an operation planned there as an
    alternative (read from the stored plan)."""
    import json

    with sqlite3.connect(db) as conn:
        result = json.loads(conn.execute("SELECT result FROM shop_plans WHERE is_current").fetchone()[0])
        own = {f"{rn}/{seq}": code for rn, seq, code in conn.execute(
            "SELECT w.rn, o.sequence, c.code FROM operations o JOIN work_orders w ON w.id = o.work_order_id "
            "JOIN work_centers c ON c.id = o.work_center_id")}
    first = min(p["work_center"] for p in result["operations"])
    queue = sorted((p for p in result["operations"] if p["work_center"] == first),
                   key=lambda p: (p["start"], p["end"], p["op_id"]))
    for k in range(len(queue) - 1, 0, -1):
        a, b = queue[k - 1], queue[k]
        if a["rn"] != b["rn"] and not a["in_progress"] and own[a["op_id"]] == own[b["op_id"]] == first:
            return b["op_id"]
    raise AssertionError("no operation of the first queue can move up")


def _select_typed(page, label: str, option: str) -> None:
    """Choose ``option`` of a long select box by typing it (the list shows only a window)."""
    page.get_by_test_id("stSelectbox").filter(has_text=label).first.click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=True).click()
    _idle(page)


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


def test_shop_flow(own_app, browser, tmp_path):
    from playwright.sync_api import expect

    app_url, db = own_app
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
    shop_before = _count(db, "SELECT count(*) FROM operations WHERE planned_start IS NOT NULL")
    movable = _movable(db)

    # move up -> a proposal planned like the current plan -> discard: nothing written
    _select_typed(page, "Operation", movable)
    _click(page, "Move up")
    _shot(page, "shop_03_move_up")
    expect(page.get_by_text(re.compile(r"moved up \(before .*pending, not written"))).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Proposed plan (not accepted yet)")).to_be_visible()
    expect(page.get_by_text(re.compile(r"with optimise, due basis assembly, 2 s"))).to_be_visible()
    _shot(page, "shop_03_move_up_proposed")
    _click(page, "Discard")
    expect(page.get_by_text("Discarded: nothing was written.")).to_be_visible()
    assert _count(db, "SELECT count(*) FROM shop_pins") == 0
    assert _count(db, "SELECT count(*) FROM shop_plans") == 1
    assert _count(db, "SELECT count(*) FROM shop_change_sets") == 1
    assert _count(db, "SELECT count(*) FROM operations WHERE planned_start IS NOT NULL") == shop_before

    # move up -> accept: one pin, shown in the queue
    _select_typed(page, "Operation", movable)
    _click(page, "Move up")
    expect(page.get_by_text("Proposed plan (not accepted yet)")).to_be_visible(timeout=60_000)
    _click(page, "Accept plan")
    expect(page.get_by_text("Plan #2 accepted with 1 change(s).")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Current plan #2 \(optimise\): \d+ late of 20 orders"))
    ).to_be_visible()
    expect(page.get_by_text("Proposed plan (not accepted yet)")).to_have_count(0)
    assert _count(db, "SELECT count(*) FROM shop_pins") == 1
    expect(page.get_by_text(re.compile(r"Pins \(1 on"))).to_be_visible()
    _shot(page, "shop_04_accepted_one_pin")

    # undo: the pin and plan #1 come back
    _click(page, "Undo")
    expect(page.get_by_text(re.compile(r"Undone: .*moved up.*Plan #1 is current again"))).to_be_visible()
    assert _count(db, "SELECT count(*) FROM shop_pins") == 0
    assert _count(db, "SELECT id FROM shop_plans WHERE is_current") == 1
    _shot(page, "shop_05_undone")

    # export the current plan to Excel
    import openpyxl

    with page.expect_download() as info:
        page.get_by_role("button", name="Excel").click()
    xlsx = tmp_path / "plan.xlsx"
    info.value.save_as(xlsx)
    wb = openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert {"kpis", "operations", "orders", "weekly_load"} <= set(wb.sheetnames)
    assert wb["orders"].max_row == 21
    head = [c.value for c in wb["operations"][1]]
    assert "start (UTC)" in head and {"product", "status", "late"} <= set(head)
    context.close()
