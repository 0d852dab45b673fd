"""Readers for classic benchmark instances, mapped onto the shop model.

* Single-machine total weighted tardiness (OR-Library wt40/50/100 converted to CSV
  ``job,processing_time,weight,due_date``): one always-working work center ``M``, one work
  order per job (``rn`` = job id, explicit weight, due = origin + due_date minutes) with one
  operation of ``processing_time`` minutes.
* Job shop (OR-Library / Taillard text): ``n m`` then one line per job with ``m`` pairs
  ``machine time`` (machines from 0). Taillard's two-matrix layout (``n`` lines of times then
  ``n`` lines of 1-based machines) is recognised too. Work centers ``M0``…, orders ``J0``…,
  operation ``sequence`` = route index + 1.

Time unit: one minute = one time unit of the instance. Both are solved by the same
optimiser the app uses (``plan(problem, "optimise")``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from scheduler_core.cells import norm_header, to_int
from scheduler_core.errors import InputError, Problem
from scheduler_core.shop.model import Calendar, Operation, ShopProblem, WorkCenter, WorkOrder
from scheduler_core.tabular import Source, read_table, read_text

#: The moment that is time 0 of a benchmark instance (a Monday; naive local time).
ORIGIN = datetime(2024, 1, 1, 0, 0)
WT_COLUMNS = ("job", "processing_time", "weight", "due_date")


def read_wt(source: Source, filename: str | None = None) -> ShopProblem:
    """Read a single-machine weighted tardiness CSV (or sheet) with the columns
    ``WT_COLUMNS`` (headers matched by ``cells.norm_header``): whole numbers, processing
    time and weight >= 1, due date >= 0 (minutes from ``ORIGIN``). Raises ``InputError`` for
    an unreadable or empty file, missing columns, or every bad row at once."""
    table = read_table(source, filename, check_formulas=True)
    name = table.filename or "input"
    rows = table.sheets[0].rows
    if not rows:
        raise InputError(Problem("empty file"), source=name)
    header = [norm_header(c) for c in rows[0].cells]
    missing = [c for c in WT_COLUMNS if norm_header(c) not in header]
    if missing:
        raise InputError(
            [Problem(f"missing column '{c}'", column=c) for c in missing], source=name
        )
    col = {c: header.index(norm_header(c)) for c in WT_COLUMNS}
    minimum = {"job": None, "processing_time": 1, "weight": 1, "due_date": 0}
    problems: list[Problem] = []
    orders, ops = [], []
    seen: set[str] = set()
    for r, row in rows[1:]:
        vals: dict[str, int] = {}
        for c in WT_COLUMNS:
            raw = row[col[c]] if col[c] < len(row) else None
            try:
                vals[c] = to_int(raw, what=c, minimum=minimum[c])
            except ValueError as exc:
                problems.append(Problem(str(exc), r, c))
        if len(vals) < len(WT_COLUMNS):
            continue
        job = str(vals["job"])
        if job in seen:
            problems.append(Problem(f"duplicate job '{job}'", r, "job"))
            continue
        seen.add(job)
        orders.append(
            WorkOrder(
                rn=job,
                weight=vals["weight"],
                assembly_date=ORIGIN + timedelta(minutes=vals["due_date"]),
            )
        )
        ops.append(Operation(rn=job, sequence=1, work_center="M", norma=vals["processing_time"]))
    if not problems and not orders:
        problems.append(Problem("no jobs"))
    if problems:
        raise InputError(problems, source=name)
    return ShopProblem(
        work_centers=(WorkCenter("M", "machine", calendar=Calendar.always()),),
        work_orders=tuple(orders),
        operations=tuple(ops),
        start=ORIGIN,
        name=name,
    )


def read_jsp(source: Source, filename: str | None = None) -> ShopProblem:
    """Read a job-shop instance (OR-Library / Taillard text; ``#`` starts a comment).
    Raises ``InputError`` for an unreadable, binary or empty file, a bad first line, and
    every bad job line at once (row = line number)."""
    text, name = read_text(source, filename)
    name = name or "input"
    lines = []
    for k, line in enumerate(text.splitlines(), start=1):
        s = line.split("#", 1)[0].strip()
        if s:
            lines.append((k, s.split()))
    if not lines:
        raise InputError(Problem("empty file"), source=name)
    k0, head = lines[0]
    try:
        n, m = int(head[0]), int(head[1])
        if n <= 0 or m <= 0:
            raise ValueError
    except (ValueError, IndexError):
        raise InputError(
            Problem("first line must be 'jobs machines' (two positive integers)", k0),
            source=name,
        ) from None
    body = lines[1:]
    problems: list[Problem] = []

    def ints(k: int, toks: list[str]) -> list[int] | None:
        try:
            out = [int(t) for t in toks]
        except ValueError:
            problems.append(Problem("not all values are whole numbers", k))
            return None
        if any(v < 0 for v in out):
            problems.append(Problem("negative value", k))
            return None
        return out

    routes: list[list[tuple[int, int]]] = []
    if len(body) == 2 * n and all(len(t) == m for _, t in body):  # Taillard layout
        times = [ints(k, t) for k, t in body[:n]]
        machines = [ints(k, t) for k, t in body[n:]]
        for j in range(n):
            if times[j] is None or machines[j] is None:
                continue
            route = [(mc - 1, pt) for mc, pt in zip(machines[j], times[j], strict=True)]
            routes.append(route)
    else:
        if len(body) != n:
            problems.append(Problem(f"expected {n} job lines, found {len(body)}"))
        for k, toks in body[:n]:
            if len(toks) != 2 * m:
                problems.append(Problem(f"expected {2 * m} numbers (machine time pairs)", k))
                continue
            vals = ints(k, toks)
            if vals is None:
                continue
            routes.append([(vals[2 * q], vals[2 * q + 1]) for q in range(m)])
    for j, route in enumerate(routes):
        for mc, _ in route:
            if not 0 <= mc < m:
                problems.append(Problem(f"job {j}: machine {mc} outside 0..{m - 1}"))
    if problems:
        raise InputError(problems, source=name)
    wcs = tuple(WorkCenter(f"M{q}", f"machine {q}", calendar=Calendar.always()) for q in range(m))
    orders = tuple(WorkOrder(rn=f"J{j}") for j in range(n))
    ops = tuple(
        Operation(rn=f"J{j}", sequence=q + 1, work_center=f"M{mc}", norma=pt)
        for j, route in enumerate(routes)
        for q, (mc, pt) in enumerate(route)
    )
    return ShopProblem(wcs, orders, ops, start=ORIGIN, name=name)


def minutes(moment: datetime) -> int:
    """Benchmark time of a plan moment."""
    return int((moment - ORIGIN).total_seconds() // 60)
