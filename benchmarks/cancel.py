"""Cancel benchmark (issue 15, item 2): how soon a cancelled filling run ends and is stored.

    python benchmarks/cancel.py [--lots 600] [--repeat 3] [--after 2] [--database-url URL] [--write]

A ``--lots``-lot input (random, 4 types, as ``benchmarks/app.py`` draws them) is planned
through the service the web app uses (``webapp.filling.runs.run_filling_schedule``) with a
60 s time limit; a timer sets the run's cancel flag ``--after`` seconds after the start.
Measured: the time from ``cancel.set()`` until the call returns with the schedule stored
(the solver stopping, the best plan rebuilt, measured and written in one transaction), for
``best`` and ``milp-opt``, and the same for a comparison of every strategy cancelled while
``best`` searches. Every stored result is checked by the independent validator and must
read "cancelled (best found)". Target: under one second. SQLite in a temporary directory
(or a fresh database on the given Postgres server).

Prints a table; with --write it replaces the ``cancel`` section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_S = 1.0
START = datetime(2030, 1, 7, 6, 0)


def _timed_cancel(after_s: float) -> tuple[threading.Event, dict[str, float]]:
    """A cancel flag set ``after_s`` seconds from now; the moment it was set goes to ``at``."""
    flag, at = threading.Event(), {}

    def fire() -> None:
        at["set"] = time.monotonic()
        flag.set()

    threading.Timer(after_s, fire).start()
    return flag, at


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lots", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--after", type=float, default=2.0, help="seconds before the cancel")
    ap.add_argument("--database-url", help="a Postgres server; a fresh database is created on it")
    ap.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = ap.parse_args()

    from benchmarks.app import PASSWORD, configure, fresh_database, lots_csv
    from scheduler_core.filling import FillingConfig, parse_lots
    from scheduler_core.filling.validate import validate_schedule
    from scheduler_core.stopping import CANCELLED_STATUS
    from webapp import app_start, auth
    from webapp.filling import history, runs

    rows: list[tuple[str, int, float, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp, fresh_database(args.database_url, Path(tmp)) as url:
        configure(Path(tmp), url)
        engine = app_start.init_app()
        user = auth.SessionUser.of(
            auth.create_account(engine, username="bench", email="bench@example.com", password=PASSWORD))
        config = FillingConfig(start_time=START, time_limit_s=60)
        for seed_no in range(1, args.repeat + 1):
            lots = parse_lots(lots_csv(args.lots, seed_no), filename="lots.csv")
            for strategy in ("best", "milp-opt"):
                flag, at = _timed_cancel(args.after)
                sid = runs.run_filling_schedule(engine, user=user, name=f"{strategy} {seed_no}", lots=lots,
                                                config=replace(config, strategy=strategy), cancel=flag)
                latency = time.monotonic() - at["set"]
                stored = history.get_schedule(engine, user=user, schedule_id=sid)
                ok = stored.result.solver_status == CANCELLED_STATUS and not validate_schedule(stored.result)
                rows.append((strategy, seed_no, latency, stored.result.kpis.makespan_h, "yes" if ok else "NO"))
            flag, at = _timed_cancel(args.after)
            cid = runs.run_comparison(engine, user=user, name=f"all {seed_no}", lots=lots, config=config,
                                      cancel=flag)
            latency = time.monotonic() - at["set"]
            comparison, stored_runs = history.get_comparison(engine, user=user, comparison_id=cid)
            cancelled = [s for s, i in comparison.runs.items() if i["status"] == CANCELLED_STATUS]
            ok = cancelled == ["best"] and not validate_schedule(stored_runs["best"].result)
            rows.append(("comparison (all)", seed_no, latency, stored_runs["best"].result.kpis.makespan_h,
                         "yes" if ok else "NO"))
        app_start.reset_process_state()

    backend = "Postgres" if args.database_url else "SQLite"
    lines = [
        f"Run on {date.today().isoformat()}, Python {platform.python_version()}, {backend}: "
        f"{args.lots} random lots of 4 types, 60 s time limit, cancelled {args.after:g} s after the start, "
        "through `run_filling_schedule` / `run_comparison` (latency: `cancel.set()` until the "
        "call returns with the best plan stored).",
        "",
        "| run | lots seed | cancel → stored s | makespan h kept | cancelled (best found), valid | target |",
        "|---|---|---|---|---|---|",
    ]
    for what, seed_no, latency, makespan, ok in rows:
        lines.append(f"| {what} | {seed_no} | {latency:.2f} | {makespan:,.1f} | {ok} | "
                     f"{'OK' if latency < TARGET_S else 'over'} (< {TARGET_S:.0f} s) |")
    latencies = [r[2] for r in rows]
    lines += ["", f"Median {statistics.median(latencies):.2f} s, max {max(latencies):.2f} s "
              f"({sum(x < TARGET_S for x in latencies)}/{len(latencies)} within {TARGET_S:.0f} s)."]
    text = "\n".join(lines)
    print(text)
    if args.write:
        from benchmarks._report import write_section

        write_section("cancel", "## Cancelling a filling run\n\n" + text)
        print("\nwritten to docs/benchmarks.md")
    return 0 if all(r[4] == "yes" for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
