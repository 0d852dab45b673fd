"""Shop page benchmark (DESIGN.md §4, issues 7 and 14): render time of every shop page with a
stored shop of about 2,000 operations (target < 1.5 s per page since issue 14; 3 s before).

    python benchmarks/shop_app.py [--orders 600] [--repeat 3] [--write]

A fresh SQLite database in a temporary directory gets the demo shop (``--orders`` work
orders on 6 work centers, ~3.5 operations each) and an accepted ``dispatch`` plan. Each page
is rendered with ``streamlit.testing.v1.AppTest``: a logged-in session runs the app, switches
to the page and ``at.run()`` is timed; the median of ``--repeat`` fresh sessions counts.
With --write the ``shop-app`` section of docs/benchmarks.md is replaced.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

APP = str(ROOT / "streamlit_app.py")
PASSWORD = "Bench-Password-2030"  # noqa: S105 - a throwaway benchmark account
TARGET_S = 1.5
PAGES = (
    ("Shop dashboard", "pages/shop_dashboard.py"),
    ("Work orders", "pages/shop_work_orders.py"),
    ("Scheduling board", "pages/shop_board.py"),
    ("Machines", "pages/shop_machines.py"),
    ("Products & plants", "pages/shop_products.py"),
    ("What-if", "pages/shop_whatif.py"),
)


def _reset() -> None:
    import streamlit as st

    from webapp import app_start

    app_start.reset_process_state()
    st.cache_resource.clear()


def render(user_id: int, username: str, page: str | None) -> float:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["pss_user_id"] = user_id
    at.session_state["username"] = username
    at.run()
    if page is None:
        t = time.perf_counter()
        at.run()
    else:
        at.switch_page(page)
        t = time.perf_counter()
        at.run()
    elapsed = time.perf_counter() - t
    if at.exception:
        raise RuntimeError(f"{page}: {[e.value for e in at.exception]}")
    return elapsed


def previous_medians() -> dict[str, str]:
    """Page -> median render seconds of the run now in docs/benchmarks.md (side by side)."""
    from benchmarks._report import DOC

    text = DOC.read_text() if DOC.exists() else ""
    if "<!-- shop-app:start -->" not in text:
        return {}
    section = text.split("<!-- shop-app:start -->", 1)[1].split("<!-- shop-app:end -->", 1)[0]
    rows = [line.strip("|").split("|") for line in section.splitlines() if line.startswith("| ")]
    return {cells[0].strip(): cells[1].strip() for cells in rows[1:] if len(cells) > 2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=600)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PSS_DATA_DIR"] = tmp
        os.environ.pop("DATABASE_URL", None)
        os.environ.setdefault("PSS_COOKIE_KEY", "bench-cookie-key-not-secret-0123456789abcdef")
        _reset()
        from scheduler_core.shop import ShopOptions
        from webapp import app_start, auth
        from webapp.shop import edits as shop_edits
        from webapp.shop import imports as shop_imports
        from webapp.shop import scenarios as shop_scenarios

        engine = app_start.init_app()
        user = auth.register_user(engine, username="bench", email="bench@example.com", password=PASSWORD)
        t = time.perf_counter()
        counts = shop_imports.load_demo(engine, user=user, orders=args.orders, work_centers=6)
        load_s = time.perf_counter() - t
        t = time.perf_counter()
        proposal = shop_edits.propose(engine, user=user, options=ShopOptions("dispatch"))
        plan_s = time.perf_counter() - t
        t = time.perf_counter()
        shop_edits.accept(engine, user=user, proposal=proposal)
        accept_s = time.perf_counter() - t
        shop_scenarios.create_scenario(engine, user=user, name="bench scenario")
        rows = []
        for title, page in PAGES:
            times = [render(user.id, user.username, page) for _ in range(args.repeat)]
            rows.append((title, statistics.median(times), max(times)))
        _reset()

    lines = [
        "## Shop app",
        "",
        f"`python benchmarks/shop_app.py --orders {args.orders} --repeat {args.repeat}` "
        f"(SQLite; Python {platform.python_version()}, {date.today()}).",
        "",
        f"Demo shop: {counts['work_orders']} work orders, {counts['operations']} operations on "
        f"{counts['work_centers']} work centers; loaded in {load_s:.2f} s, planned with dispatch in "
        f"{plan_s:.2f} s, plan accepted (stored + planned times written) in {accept_s:.2f} s; one what-if scenario.",
        "",
        f"| page | median render s | max s | previous median s | target < {TARGET_S:g} s |",
        "|---|---|---|---|---|",
    ]
    before = previous_medians()
    lines += [f"| {t} | {m:.2f} | {x:.2f} | {before.get(t, '–')} | {'yes' if m < TARGET_S else 'NO'} |"
              for t, m, x in rows]
    text = "\n".join(lines)
    print(text)
    if args.write:
        from benchmarks._report import write_section

        write_section("shop-app", text)


if __name__ == "__main__":
    main()
