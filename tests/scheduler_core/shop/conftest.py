"""Small shops shared by the shop tests."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from scheduler_core.shop import Calendar, Operation, ShopProblem, WorkCenter, WorkOrder

DATA = Path(__file__).resolve().parents[2] / "data" / "shop"
#: Monday 2025-01-06 07:00 (start of shift S1).
MONDAY = datetime(2025, 1, 6, 7, 0)


def small_shop(**changes) -> ShopProblem:
    """Three work centers with different calendars, five orders, eleven operations."""
    wcs = (
        WorkCenter("TOK", "Lathe", calendar=Calendar()),
        WorkCenter("GLO", "Mill", calendar=Calendar(shift_names=frozenset({"S1", "S2"}))),
        WorkCenter("ZAV", "Welding", calendar=Calendar(shift_names=frozenset({"S1"}))),
    )
    orders = (
        WorkOrder("RN-1", 10, 3, assembly_date=date(2025, 1, 9), delivery_date=date(2025, 1, 6)),
        WorkOrder("RN-2", 5, 1, assembly_date=date(2025, 1, 8)),
        WorkOrder("RN-3", 5, 2, assembly_date=date(2025, 1, 7), urgency_rank=2),
        WorkOrder("RN-4", 1, 2, assembly_date=date(2025, 1, 10), urgency_rank=1),
        WorkOrder("RN-5", 8, 1, assembly_date=None, delivery_date=date(2025, 1, 7)),
    )
    ops = (
        Operation("RN-1", 1, "TOK", 300, "Tokarenje", 10),
        Operation("RN-1", 2, "GLO", 240, "Glodanje", 10),
        Operation("RN-1", 3, "ZAV", 200, "Zavarivanje", 10),
        Operation("RN-2", 1, "GLO", 500, "Glodanje", 5),
        Operation("RN-2", 2, "TOK", 120, "Tokarenje", 5),
        Operation("RN-3", 1, "TOK", 400, "Tokarenje", 5, quantity_completed=1),
        Operation("RN-3", 2, "ZAV", 300, "Zavarivanje", 5),
        Operation("RN-4", 1, "ZAV", 90, "Zavarivanje", 1),
        Operation("RN-4", 2, "TOK", 60, "Kontrola", 1),
        Operation("RN-5", 1, "GLO", 700, "Glodanje", 8, quantity_completed=2),
        Operation("RN-5", 2, "TOK", 45, "Tokarenje", 8),
    )
    base = {"work_centers": wcs, "work_orders": orders, "operations": ops, "start": MONDAY}
    base.update(changes)
    return ShopProblem(**base)


@pytest.fixture
def shop() -> ShopProblem:
    return small_shop()


@pytest.fixture
def make_shop():
    """``make_shop(**changes)`` builds the small shop with fields replaced."""
    return small_shop


@pytest.fixture
def monday() -> datetime:
    return MONDAY


@pytest.fixture
def data_dir() -> Path:
    return DATA
