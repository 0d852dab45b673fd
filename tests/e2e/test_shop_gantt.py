"""Browser test of the board's Gantt: the first week is shown with labelled bars, and a click
on a bar makes its operation the board's selected operation (work center and operation
select boxes); the Machines page shows the load heat map."""

from __future__ import annotations

import pytest

from .conftest import BROWSER_MARKS, _goto, _idle, _register_and_login, _set_number, _shot, serve_app

pytestmark = BROWSER_MARKS


@pytest.fixture(scope="module")
def gantt_app(tmp_path_factory):
    with serve_app(tmp_path_factory.mktemp("e2e-gantt")) as url:
        yield url


def test_click_on_a_gantt_bar_selects_its_operation(gantt_app, browser):
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    _register_and_login(page, gantt_app, "gina")
    _goto(page, "Scheduling board", "Scheduling board")
    _set_number(page, "Work orders", "20")
    _set_number(page, "Work centers", "4")
    page.get_by_role("button", name="Load demo shop", exact=True).click()
    _idle(page)
    _set_number(page, "Time limit (seconds)", "1")
    page.get_by_role("button", name="Re-plan", exact=True).click()
    _idle(page)
    page.get_by_role("button", name="Accept plan", exact=True).click()
    _idle(page)
    gantt = page.locator(".js-plotly-plot").first
    gantt.scroll_into_view_if_needed()
    expect(gantt).to_be_visible()
    labelled = gantt.locator("g.point").filter(has=page.locator("text"))
    expect(labelled.first).to_be_visible()
    before = page.get_by_role("combobox", name="Operation").input_value()
    for k in range(labelled.count()):
        op_id = labelled.nth(k).locator("text").text_content()
        if op_id and op_id != before:
            break
    bar = labelled.nth(k).locator("path")
    bar.click(force=True)
    _idle(page)
    expect(page.get_by_role("combobox", name="Operation")).to_have_value(op_id)
    _shot(page, "shop_gantt_click")
    _goto(page, "Machines", "Machines")
    expect(page.get_by_text("Load vs capacity", exact=True)).to_be_visible()
    expect(page.locator(".js-plotly-plot .heatmaplayer").first).to_be_attached()
    context.close()
