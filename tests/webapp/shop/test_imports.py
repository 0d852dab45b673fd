"""Workbook preview and import (all or nothing), the demo shop, viewers refused."""

from __future__ import annotations

import io

import openpyxl
import pytest

from scheduler_core.errors import InputError
from tests.webapp.shop.conftest import START, row_counts, workbook
from webapp.errors import PermissionDenied
from webapp.shop import imports as shop_imports
from webapp.shop import planning as shop_planning


def test_demo_fills_empty_org_once(engine, demo):
    c = row_counts(engine)
    assert c["work_centers"] == 3 and c["work_orders"] == 12 and c["operations"] > 12
    with pytest.raises(InputError):
        shop_imports.load_demo(engine, user=demo, orders=5, start=START)
    assert row_counts(engine) == c


def test_import_preview_and_commit(engine, bob, tmp_path):
    data = workbook(tmp_path)
    problem = shop_imports.preview_workbook(data, "shop.xlsx")
    assert row_counts(engine)["work_orders"] == 0  # preview stores nothing
    counts = shop_imports.import_workbook(engine, user=bob, data=data, filename="shop.xlsx")
    assert counts == {"work_centers": 3, "work_orders": 8, "operations": len(problem.operations)}
    rebuilt = shop_planning.build_problem(engine, user=bob, start=START)
    assert {o.op_id for o in rebuilt.operations} == {o.op_id for o in problem.operations}
    assert rebuilt.problems() == []


def test_broken_workbook_changes_nothing(engine, demo, tmp_path):
    before = row_counts(engine)
    wb = openpyxl.load_workbook(io.BytesIO(workbook(tmp_path)))
    ws = wb["work_orders"]
    ws.cell(row=2, column=5).value = 7  # priority_level out of 1..3
    ws.cell(row=3, column=4).value = "many"  # quantity not a number
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(InputError) as info:
        shop_imports.import_workbook(engine, user=demo, data=buf.getvalue(), filename="broken.xlsx")
    assert {p.row for p in info.value.problems} >= {2, 3}
    assert row_counts(engine) == before


def test_failure_while_storing_rolls_back(engine, demo, monkeypatch, tmp_path):
    before = row_counts(engine)
    from webapp.db.repos import work_orders as work_order_repo

    calls = {"n": 0}
    real = work_order_repo.create_work_order

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(work_order_repo, "create_work_order", flaky)
    with pytest.raises(RuntimeError):
        shop_imports.import_workbook(engine, user=demo, data=workbook(tmp_path), filename="shop.xlsx")
    assert row_counts(engine) == before


def test_viewer_cannot_write(engine, demo, make_user):
    viewer = make_user("victor", "viewer")
    shop_planning.summary(engine, user=viewer)
    with pytest.raises(PermissionDenied):
        shop_imports.load_demo(engine, user=viewer, orders=3)
