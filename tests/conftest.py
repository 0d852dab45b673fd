"""Suite-wide pytest configuration.

Tests that need PostgreSQL are marked ``postgres`` and tests that need a browser are marked
``browser``. On a laptop they skip when the service is missing; in CI (``.ci/run`` sets
``REQUIRE_POSTGRES=1`` / ``REQUIRE_BROWSER=1``) a skip of such a test is turned into a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"

_REQUIRED = {"postgres": "REQUIRE_POSTGRES", "browser": "REQUIRE_BROWSER"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.skipped:
        return
    for marker, env in _REQUIRED.items():
        if item.get_closest_marker(marker) and os.environ.get(env) == "1":
            report.outcome = "failed"
            report.longrepr = f"{marker} test skipped but {env}=1 makes it mandatory"
            return


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The project's shared benchmark data (../shared/data); skips if it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


def xlsx(sheets: dict[str, list[list]]) -> bytes:
    """A workbook of ``sheets`` (name -> rows, the header first) as .xlsx bytes (openpyxl)."""
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
