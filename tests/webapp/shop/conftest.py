"""A Monday start, a demo shop fixture, workbook makers and a row counter shared by the shop
service tests."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from scheduler_core.shop import demo_shop, write_workbook
from webapp.shop import imports as shop_imports

START = datetime(2026, 1, 5, 7)  # a Monday


def row_counts(engine) -> dict[str, int]:
    """Rows per shop table."""
    with engine.connect() as conn:
        return {
            t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608
            for t in ("work_centers", "work_orders", "operations", "calendar_exceptions", "downtimes",
                      "shop_plans")
        }


def workbook(tmp_path, **kwargs) -> bytes:
    """A demo shop of 3 work centers and 8 orders as workbook bytes."""
    path = write_workbook(demo_shop(3, work_centers=3, orders=8, start=START, **kwargs), tmp_path / "shop.xlsx")
    return path.read_bytes()


@pytest.fixture
def demo(engine, alice):
    """``alice`` with a demo shop of 12 orders on 3 work centers."""
    shop_imports.load_demo(engine, user=alice, orders=12, work_centers=3, start=START)
    return alice
