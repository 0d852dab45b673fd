"""Seeded generator of realistic metal-working shops (the app's demo data).

``demo_shop(seed)`` builds 2–8 work centers with different calendars (three shifts, two
shifts, one shift, a Saturday shift, holidays, a breakdown), hundreds of work orders with
1–6 operations routed over the work centers, assembly dates spread over weeks (delivery a
few days later), urgency ranks on a few orders, some partially completed or running
operations; operations on one CNC lathe may run on the other (alternatives). Work content
is scaled so each work center is loaded to ``load`` of its
capacity until the last due date: tight but plannable.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from pathlib import Path

from scheduler_core.shop.calendar import Timeline
from scheduler_core.shop.model import (
    Calendar,
    Downtime,
    Operation,
    ShopProblem,
    WorkCenter,
    WorkOrder,
)

_CENTERS = [
    ("TOK-1", "Lathe CNC 1", "turning", "S1,S2,S3"),
    ("GLO-1", "Milling center 1", "milling", "S1,S2,S3"),
    ("BUS-1", "Drilling", "drilling", "S1,S2"),
    ("BRU-1", "Grinding", "grinding", "S1,S2"),
    ("ZAV-1", "Welding", "welding", "S1"),
    ("TOK-2", "Lathe CNC 2", "turning", "S1,S2"),
    ("FAR-1", "Paint shop", "painting", "S1"),
    ("KON-1", "Quality control", "inspection", "S1,S2"),
]
_OPS = {
    "turning": ["Tokarenje grubo", "Tokarenje fino", "Turning"],
    "milling": ["Glodanje", "Milling pocket", "Glodanje utora"],
    "drilling": ["Busenje", "Drilling holes", "Urezivanje navoja"],
    "grinding": ["Brusenje", "Grinding"],
    "welding": ["Zavarivanje", "Welding frame"],
    "painting": ["Farbanje", "Painting"],
    "inspection": ["Kontrola", "Final inspection"],
}
_PRODUCTS = ["Vratilo", "Prirubnica", "Kuciste", "Nosac", "Osovina", "Zupcanik", "Ploca",
             "Cahura", "Poklopac", "Okvir"]


def demo_shop(
    seed: int = 1,
    *,
    work_centers: int = 6,
    orders: int = 300,
    start: datetime | None = None,
    weeks: int = 6,
    load: float = 0.85,
) -> ShopProblem:
    """A seeded random shop; same arguments → same shop."""
    rng = random.Random(seed)
    start = start or datetime(2025, 1, 6, 7, 0)
    k = max(2, min(8, work_centers))
    holiday = start.date() + timedelta(days=rng.randint(10, 20))
    wcs = []
    for i, (code, name, cat, shifts) in enumerate(_CENTERS[:k]):
        days = frozenset(range(6)) if i == 1 else frozenset(range(5))
        names = frozenset(shifts.split(","))
        if i == 1:  # Saturday only the first shift
            overrides = tuple(
                (start.date() + timedelta(days=d), s, False)
                for d in range(weeks * 7 + 28)
                if (start.date() + timedelta(days=d)).weekday() == 5
                for s in ("S2", "S3")
            )
        else:
            overrides = ()
        overrides += tuple((holiday, s, False) for s in ("S1", "S2", "S3"))
        cal = Calendar(weekdays=days, shift_names=names, overrides=overrides)
        wcs.append(
            WorkCenter(code, name, cat, cal.hours_per_working_day, rng.choice([0, 15, 30]),
                       float(rng.choice([35, 45, 60, 80])), True, cal)
        )
    downtime = (
        Downtime(wcs[0].code, start + timedelta(days=2, hours=1),
                 start + timedelta(days=2, hours=7), "breakdown: spindle"),
        Downtime(wcs[-1].code, start + timedelta(days=8), start + timedelta(days=8, hours=8),
                 "planned maintenance"),
    )
    raw: list[tuple[str, int, str, str, float, int]] = []
    wos = []
    for n in range(orders):
        rn = f"RN-{start.year % 100:02d}-{n + 1:04d}"
        qty = rng.choice([1, 2, 5, 10, 20, 25, 50, 100])
        prio = rng.choices([1, 2, 3], weights=[2, 5, 3])[0]
        asm = start.date() + timedelta(days=rng.randint(3, weeks * 7))
        delivery = asm + timedelta(days=rng.randint(2, 10))
        prod = rng.choice(_PRODUCTS)
        wos.append(
            WorkOrder(
                rn=rn,
                quantity=qty,
                priority_level=prio,
                kpl=f"KPL-{rng.randint(1000, 9999)}",
                product_name=f"{prod} {rng.randint(10, 99)}",
                delivery_date=delivery,
                assembly_date=asm,
                third_date=delivery + timedelta(days=rng.randint(1, 7)),
            )
        )
        n_ops = rng.randint(1, 6)
        prev = None
        for s in range(1, n_ops + 1):
            choices = [w for w in wcs if w is not prev] or wcs
            wc = rng.choice(choices)
            prev = wc
            per_piece = rng.uniform(2, 30)
            raw.append((rn, s, wc.code, rng.choice(_OPS[wc.category]),
                        per_piece * qty ** 0.8 + rng.uniform(20, 90), qty))
    # scale work content to the capacity of each work center until the last due date
    horizon_end = start + timedelta(days=weeks * 7)
    cap = {}
    for w in wcs:
        tl = Timeline(w.calendar, start, [d for d in downtime if d.work_center == w.code])
        cap[w.code] = tl.working_between(0, tl.to_minute(horizon_end))
    total: dict[str, float] = {}
    for r in raw:
        total[r[2]] = total.get(r[2], 0.0) + r[4]
    ops = []
    urgent = rng.sample(range(orders), k=min(orders, 5))
    wos = [
        WorkOrder(**{**o.__dict__, "urgency_rank": urgent.index(i) + 1})
        if i in urgent else o
        for i, o in enumerate(wos)
    ]
    # the two CNC lathes can stand in for each other
    codes = {w.code for w in wcs}
    twins = {"TOK-1": ("TOK-2",), "TOK-2": ("TOK-1",)} if {"TOK-1", "TOK-2"} <= codes else {}
    for rn, s, code, name, norma, qty in raw:
        scale = load * cap[code] / total[code] if total[code] else 1.0
        norma = round(max(5.0, norma * scale), 1)
        done, status, actual = 0, "pending", None
        roll = rng.random()
        if s == 1 and roll < 0.05:
            done, status, actual = qty, "completed", start - timedelta(days=1)
        elif s == 1 and roll < 0.12:
            done = rng.randint(0, max(0, qty - 1))
            status = "in_progress"
            actual = start - timedelta(hours=rng.randint(1, 20))
        ops.append(
            Operation(rn=rn, sequence=s, work_center=code, norma=norma, name=name,
                      quantity=qty, quantity_completed=done, status=status,
                      actual_start=actual, alternatives=twins.get(code, ()))
        )
    # one running operation per work center at most (the others become pending again)
    running: set[str] = set()
    fixed = []
    for op in ops:
        if op.status == "in_progress":
            if op.work_center in running:
                op = Operation(**{**op.__dict__, "status": "pending", "actual_start": None})
            running.add(op.work_center)
        fixed.append(op)
    return ShopProblem(tuple(wcs), tuple(wos), tuple(fixed), downtime, start=start,
                       name=f"demo shop (seed {seed})")


def write_demo_workbook(path: str | Path, seed: int = 1, **kwargs) -> Path:
    """Generate a demo shop and write it as a workbook ``read_workbook`` reads back."""
    from scheduler_core.shop.io import write_workbook

    return write_workbook(demo_shop(seed, **kwargs), path)
