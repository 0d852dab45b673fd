"""Reliability at full size (issue 8): the whole bad-input corpus plus the huge generated
files, and N users creating schedules and comparisons at the same time.

    python benchmarks/reliability.py [--users 10] [--runs 5] [--lots 100]
                                     [--database-url postgresql://...] [--write]

CI runs the same checks at quick sizes (tests/reliability); this script prints the figures
and with --write replaces the "reliability-bench" section of docs/reliability.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._report import write_section  # noqa: E402
from benchmarks.app import fresh_database  # noqa: E402
from scheduler_core.errors import InputError  # noqa: E402
from scheduler_core.filling import FillingConfig, Lot, parse_config, parse_lots  # noqa: E402
from scheduler_core.shop import read_workbook  # noqa: E402
from webapp.filling import history as fill_history  # noqa: E402
from webapp.filling import runs as fill_runs  # noqa: E402

BAD = ROOT / "tests" / "data" / "bad"
PARSERS = {
    "lots": lambda p: parse_lots(p),
    "config": lambda p: parse_config(p),
    "shop": lambda p: read_workbook(p),
}


def corpus() -> list[str]:
    expected = yaml.safe_load((BAD / "expected.yaml").read_text())
    outcomes = {"refused as expected": 0, "accepted as expected": 0, "UNEXPECTED": 0}
    times = []
    for name, spec in expected.items():
        t0 = time.perf_counter()
        try:
            PARSERS[spec["parser"]](BAD / name)
            ok = "accept" in spec
            outcomes["accepted as expected" if ok else "UNEXPECTED"] += 1
        except InputError as exc:
            ok = "error" in spec and spec["error"] in str(exc)
            outcomes["refused as expected" if ok else "UNEXPECTED"] += 1
        except Exception:  # noqa: BLE001 - counted: the target is that none happen
            outcomes["UNEXPECTED"] += 1
        times.append(time.perf_counter() - t0)
    lines = [
        f"* corpus: {len(expected)} files; "
        + ", ".join(f"{k} {v}" for k, v in outcomes.items())
        + f"; slowest {max(times):.3f} s, median {statistics.median(times) * 1000:.1f} ms"
    ]
    with tempfile.TemporaryDirectory() as tmp:
        rows = Path(tmp) / "million.csv"
        rows.write_text("Lot ID,Type,Vials\n" + "".join(f"L{i},A,{1000 + i % 7}\n" for i in range(1_000_000)))
        big = Path(tmp) / "sixty.csv"
        with big.open("w") as f:
            f.write("Lot ID,Type,Vials\n")
            line = "L" + "x" * 90 + ",A,1000\n"
            f.write(line * (60 * 1024 * 1024 // len(line)))
        for label, path in (("1,000,000 rows", rows), ("60 MB", big)):
            t0 = time.perf_counter()
            try:
                parse_lots(path)
                verdict = "ACCEPTED"
            except InputError as exc:
                verdict = f"refused: {exc.problems[0].reason[:70]}"
            lines.append(
                f"* {label} ({path.stat().st_size / 1e6:.0f} MB): {verdict} in {time.perf_counter() - t0:.2f} s"
            )
    return lines


def concurrency(users: int, runs: int, n_lots: int, database_url: str | None) -> list[str]:
    import sqlalchemy as sa

    from webapp.db.engine import create_engine_from_url, init_db, session_scope
    from webapp.db.repos import users as user_repo

    with tempfile.TemporaryDirectory() as tmp, fresh_database(database_url, Path(tmp)) as url:
        engine = create_engine_from_url(url)
        init_db(engine)
        with session_scope(engine) as s:
            ids = []
            for i in range(users):
                u = user_repo.create_user(s, username=f"bench{i}", password_hash=uuid.uuid4().hex, role="planner")
                s.flush()
                ids.append(u.id)
        config = FillingConfig(start_time=datetime(2026, 12, 1, 6), time_limit_s=2)
        barrier = threading.Barrier(users)
        errors: list[BaseException] = []
        durations: list[float] = []
        made: dict[int, list[int]] = {i: [] for i in range(users)}

        def work(i: int) -> None:
            rng = random.Random(i)
            try:
                barrier.wait(timeout=60)
                for r in range(runs):
                    lots = [
                        Lot(f"U{i}R{r}L{k}", f"T{rng.randint(1, 4)}", rng.randint(20_000, 2_300_000))
                        for k in range(n_lots)
                    ]
                    t0 = time.perf_counter()
                    made[i].append(
                        fill_runs.run_filling_schedule(engine, user=ids[i], name=f"u{i} r{r}", lots=lots, config=replace(config, strategy="best"))
                    )
                    fill_runs.run_comparison(
                        engine,
                        user=ids[i],
                        name=f"u{i} c{r}",
                        lots=lots,
                        config=config,
                        strategies=["smart-pack", "hybrid-pack", "lpt-pack"],
                    )
                    durations.append(time.perf_counter() - t0)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        t0 = time.perf_counter()
        threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(users)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=3600)
        wall = time.perf_counter() - t0
        stuck = sum(t.is_alive() for t in threads)
        cross = 0
        for i, uid in enumerate(ids):
            for sid in made[i]:
                stored = fill_history.get_schedule(engine, user=uid, schedule_id=sid)
                if stored is None or not all(lot.lot_id.startswith(f"U{i}R") for lot in stored.result.lots):
                    cross += 1
                other = ids[(i + 1) % users]
                if other != uid and fill_history.get_schedule(engine, user=other, schedule_id=sid) is not None:
                    cross += 1
        with engine.connect() as c:
            n_sched = c.execute(sa.text("SELECT count(*) FROM schedules")).scalar_one()
            n_res = c.execute(sa.text("SELECT count(*) FROM schedule_results")).scalar_one()
            statuses = dict(
                c.execute(sa.text("SELECT status, count(*) FROM schedules GROUP BY status")).all()
            )
        engine.dispose()
    kind = "Postgres" if database_url else "SQLite (WAL)"
    return [
        f"* {kind}: {users} users × {runs} runs, each run = `best` on {n_lots} lots (2 s limit) + a "
        f"comparison of 3 strategies: {n_sched} schedules, {n_res} results, statuses {statuses}, "
        f"errors {len(errors)}, threads stuck {stuck}, cross-talk findings {cross}; wall {wall:.1f} s, "
        f"run + comparison median {statistics.median(durations):.2f} s, max {max(durations):.2f} s"
        + (f"; first error: {errors[0]!r}"[:300] if errors else "")
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", type=int, default=10)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--lots", type=int, default=100)
    ap.add_argument("--database-url")
    ap.add_argument("--write", action="store_true")
    args = ap.parse_args()
    lines = [
        f"## Full-size run, {'Postgres' if args.database_url else 'SQLite'} (benchmarks/reliability.py)",
        "",
        f"`python benchmarks/reliability.py --users {args.users} --runs {args.runs} --lots {args.lots}"
        f"{' --database-url …' if args.database_url else ''}` ({time.strftime('%Y-%m-%d')}, 2 cores).",
        "",
    ]
    lines += corpus()
    lines += concurrency(args.users, args.runs, args.lots, args.database_url)
    text = "\n".join(lines)
    print(text)
    if args.write:
        section = "reliability-bench-pg" if args.database_url else "reliability-bench"
        write_section(section, text, doc=ROOT / "docs" / "reliability.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
