"""Hand-built schedule results for the report tests (no strategy needed).

``build_result(blocks)`` lays out blocks of lots by the rules of DESIGN.md §1 (a CLEAN opens
every block, a CHANGEOVER between consecutive lots, FILL = vials / rate) and computes KPIs,
so tests can make any schedule shape, including hostile lot ids and large schedules.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from scheduler_core.filling.model import (
    Activity,
    ActivityKind,
    FillingConfig,
    Kpis,
    Lot,
    ScheduleResult,
)

START = datetime(2025, 1, 6, 6, 0)
INJECTION_ID = "=cmd|' /C calc'!A0"


def build_result(
    blocks: list[list[Lot]],
    config: FillingConfig | None = None,
    *,
    strategy: str = "hand-built",
) -> ScheduleResult:
    config = config or FillingConfig(start_time=START)
    t = config.resolved_start()
    acts: list[Activity] = []
    changeovers = 0
    co_h = fill_h = clean_h = 0.0
    for b, lots in enumerate(blocks, start=1):
        end = t + timedelta(hours=config.clean_hours)
        acts.append(Activity(ActivityKind.CLEAN, b, t, end))
        clean_h += config.clean_hours
        t = end
        prev: Lot | None = None
        for lot in lots:
            if prev is not None:
                h = config.changeover_hours(prev.lot_type, lot.lot_type)
                end = t + timedelta(hours=h)
                acts.append(
                    Activity(ActivityKind.CHANGEOVER, b, t, end, lot.lot_id, lot.lot_type,
                             lot.vials)
                )
                changeovers += 1
                co_h += h
                t = end
            h = lot.vials / config.fill_rate_vph
            end = t + timedelta(hours=h)
            acts.append(Activity(ActivityKind.FILL, b, t, end, lot.lot_id, lot.lot_type,
                                 lot.vials))
            fill_h += h
            t = end
            prev = lot
    makespan = (acts[-1].end - acts[0].start).total_seconds() / 3600
    lb = makespan * 0.99
    kpis = Kpis(
        makespan_h=makespan,
        blocks=len(blocks),
        changeovers=changeovers,
        changeover_h=co_h,
        fill_h=fill_h,
        clean_h=clean_h,
        utilisation=fill_h / makespan,
        lots=sum(len(lots) for lots in blocks),
        lower_bound_h=lb,
        gap_pct=100 * (makespan - lb) / lb,
    )
    return ScheduleResult(
        strategy=strategy,
        activities=tuple(acts),
        kpis=kpis,
        proven_optimal=False,
        runtime_s=0.0123,
        solver_status="heuristic",
        config=config,
        lots=tuple(lot for lots in blocks for lot in lots),
        blocks=tuple(tuple(lot.lot_id for lot in lots) for lots in blocks),
    )


def pack_lots(lots: list[Lot], config: FillingConfig | None = None) -> ScheduleResult:
    """First-fit by type order into blocks that respect the window (for big schedules)."""
    config = config or FillingConfig(start_time=START)
    blocks: list[list[Lot]] = []
    used: list[float] = []
    for lot in sorted(lots, key=lambda x: x.lot_type):
        need = lot.vials / config.fill_rate_vph
        for i, block in enumerate(blocks):
            extra = config.changeover_hours(block[-1].lot_type, lot.lot_type)
            if used[i] + extra + need <= config.window_hours:
                block.append(lot)
                used[i] += extra + need
                break
        else:
            blocks.append([lot])
            used.append(need)
    return build_result(blocks, config)


def random_lots(n: int, *, types: int = 4, seed: int = 7) -> list[Lot]:
    import random

    rng = random.Random(seed)
    names = [f"TYPE-{chr(65 + i)}" for i in range(types)]
    return [
        Lot(f"L{i:04d}", rng.choice(names), rng.randint(5_000, 200_000)) for i in range(n)
    ]


@pytest.fixture
def small_result() -> ScheduleResult:
    """Two blocks: CLEAN, FILL, CHANGEOVER, FILL | CLEAN, FILL. Ids include ``001`` and a
    formula-injection attempt; one lot has priority and due date."""
    a = Lot("001", "Vaccine-A", 120_000, priority=1, due=datetime(2025, 1, 10, 12, 0))
    b = Lot(INJECTION_ID, "+Insulin", 99_600)
    c = Lot("L-3", "Vaccine-A", 39_840)
    return build_result([[a, b], [c]])


@pytest.fixture(scope="session")
def large_result() -> ScheduleResult:
    """About 1,000 lots / 2,300 activities."""
    return pack_lots(random_lots(1000))


@pytest.fixture
def builder():
    """The builders as a fixture, so test modules never import conftest:
    ``builder.build([[lot, ...], ...])``, ``builder.pack(lots)``, ``builder.lots(n)``."""

    class _Builder:
        build = staticmethod(build_result)
        pack = staticmethod(pack_lots)
        lots = staticmethod(random_lots)
        start = START
        injection_id = INJECTION_ID

    return _Builder


@pytest.fixture(scope="session")
def due_result() -> ScheduleResult:
    """The trade-off example of issue 15 planned by ``smart-pack`` (start 2026-01-05 00:00):
    blocks [B1], [A1, A2]; A1 ends 2026-01-09 12:00, 40 h after its due date; B1 2 h early;
    A2 (released 2026-01-05 06:00) has no due date."""
    from scheduler_core.filling import FillingProblem, plan

    lots = [
        Lot("A1", "A", 996_000, due=datetime(2026, 1, 7, 20)),
        Lot("A2", "A", 996_000, release=datetime(2026, 1, 5, 6)),
        Lot("B1", "B", 199_200, priority=1, due=datetime(2026, 1, 6, 12)),
    ]
    return plan(FillingProblem(lots), FillingConfig(start_time=datetime(2026, 1, 5), strategy="smart-pack"))
