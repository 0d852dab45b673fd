"""End-to-end: the filling flow in a real browser (Playwright + Debian Chromium).

The app runs with ``streamlit run`` on a free local port against a fresh SQLite database.
Screenshots of every page go to ``test-artifacts/`` (gitignored).
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "Sunflower-2030"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("e2e-data")
    port = _free_port()
    env = {
        **os.environ,
        "PSS_DATA_DIR": str(data_dir),
        "PSS_COOKIE_KEY": "e2e-cookie-key-not-secret-0123456789abcdef",
    }
    env.pop("DATABASE_URL", None)
    log = (data_dir / "streamlit.log").open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "streamlit_app.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((data_dir / "streamlit.log").read_text()[-3000:])
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--headless",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


def _input(scope, label: str):
    """The <input>/<textarea> whose aria-label is ``label`` (not its help button)."""
    return scope.locator(f'input[aria-label="{label}"], textarea[aria-label="{label}"]').first


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def _idle(page, timeout: float = 60_000) -> None:
    """Wait until the script run has finished (Streamlit's running indicator gone)."""
    page.wait_for_timeout(300)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
        timeout=timeout,
    )


def _register_and_login(page, url: str, username: str) -> None:
    from playwright.sync_api import expect

    page.goto(url)
    expect(page.get_by_text("Production Scheduling Studio").first).to_be_visible(timeout=30_000)
    _idle(page)
    page.get_by_role("tab", name="Register").click()
    form = page.get_by_test_id("stForm").filter(has_text="Create account")
    _input(form, "Username").fill(username)
    _input(form, "Full name").fill(username.title())
    _input(form, "Email").fill(f"{username}@example.com")
    _input(form, "Password").fill(PASSWORD)
    _input(form, "Repeat password").fill(PASSWORD)
    form.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Account created")).to_be_attached(timeout=30_000)
    page.get_by_role("tab", name="Log in").click()
    login = page.get_by_test_id("stForm").filter(has_text="Log in")
    _input(login, "Username").fill(username)
    _input(login, "Password").fill(PASSWORD)
    login.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Filling dashboard").first).to_be_visible(timeout=30_000)
    _idle(page)


def _goto(page, title: str, heading: str) -> None:
    from playwright.sync_api import expect

    page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
    expect(page.get_by_role("heading", name=heading).first).to_be_visible(timeout=30_000)
    _idle(page)


def _set_number(page, label: str, value: str) -> None:
    box = _input(page, label)
    box.fill(value)
    box.press("Enter")
    _idle(page)


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
