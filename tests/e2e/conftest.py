"""Shared harness of the browser tests: the app under ``streamlit run`` on a free local
port with a fresh SQLite database, Debian Chromium through Playwright, and page helpers.

Screenshots go to ``test-artifacts/`` (gitignored).
"""

from __future__ import annotations

import contextlib
import os
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

#: Marks for every browser test module: mandatory in CI (REQUIRE_BROWSER=1), skipped elsewhere
#: when Chromium is missing.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(data_dir: Path, database_url: str | None = None) -> Iterator[str]:
    """``streamlit run streamlit_app.py`` on a free port; SQLite in ``data_dir`` unless a
    ``database_url`` is given. Yields the base URL once the health endpoint answers."""
    port = _free_port()
    env = {
        **os.environ,
        "PSS_DATA_DIR": str(data_dir),
        "PSS_COOKIE_KEY": "e2e-cookie-key-not-secret-0123456789abcdef",
        # the browser flows register their own users, on Postgres too (default: approval)
        "PSS_REGISTRATION": "open",
    }
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
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
def app_url(tmp_path_factory) -> Iterator[str]:
    with serve_app(tmp_path_factory.mktemp("e2e-data")) as url:
        yield url


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
    """Open a page from the sidebar. A click that lands while the app is rerunning (e.g. the
    rerun after the login cookie is written) can be swallowed, so it is retried."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    target = page.get_by_role("heading", name=heading).first
    for attempt in range(3):
        _idle(page)
        page.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()
        try:
            expect(target).to_be_visible(timeout=30_000 if attempt == 2 else 10_000)
            break
        except (AssertionError, PlaywrightTimeout):
            if attempt == 2:
                raise
    _idle(page)


def _set_number(page, label: str, value: str) -> None:
    box = _input(page, label)
    box.fill(value)
    box.press("Enter")
    _idle(page)


def _new_schedule_ready(page, lots_file, caption: str, *, time_limit_s: str, name: str) -> None:
    """On the New schedule page: upload ``lots_file`` (its preview caption ``caption``), set
    the solver time limit and the schedule name; the Run button is next."""
    from playwright.sync_api import expect

    page.locator("input[type=file]").first.set_input_files(str(lots_file))
    expect(page.get_by_text(caption)).to_be_visible()
    _idle(page)
    _set_number(page, "Solver time limit (seconds)", time_limit_s)
    box = _input(page, "Schedule name")
    box.fill(name)
    box.press("Enter")
    _idle(page)


@pytest.fixture(scope="module")
def own_app(tmp_path_factory, request):
    """The app on its own SQLite database, one per test module: (url, path of the database file)."""
    data_dir = tmp_path_factory.mktemp(f"e2e-{request.module.__name__.rsplit('.', 1)[-1]}")
    with serve_app(data_dir) as url:
        yield url, data_dir / "studio.sqlite3"
