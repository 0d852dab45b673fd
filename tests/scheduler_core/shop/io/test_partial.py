"""``read_shop``: the valid part and what a bad row skips (its whole work order, a work center
and its orders, one calendar/downtime row); the strict reader raises the same problems."""

from datetime import date, datetime

import pytest

from scheduler_core.errors import InputError
from scheduler_core.shop.io import read_shop, read_workbook
from scheduler_core.shop.io.partial import ROW
from scheduler_core.shop.io.sheet import ORDER, WORK_CENTER
from tests.scheduler_core.shop.io.test_read import _book


def _normalised(tmp_path, ops, orders=None, wcs=None, downtime=None):
    sheets = {
        "work_centers": wcs or [["code", "active"], ["TOK", "yes"], ["GLO", "yes"]],
        "work_orders": orders or [["rn", "quantity"], ["A", 2], ["B", 3], ["C", 1]],
        "operations": [["rn", "sequence", "work_center", "norma"], *ops],
    }
    if downtime:
        sheets["downtime"] = downtime
    return _book(tmp_path / "wb.xlsx", sheets)


def test_a_bad_operation_row_skips_its_whole_order(tmp_path):
    path = _normalised(tmp_path, [["A", 1, "TOK", 10], ["A", 2, "GLO", 20],
                                  ["B", 1, "TOK", 5], ["B", 2, "GLO", "abc"], ["B", 3, "TOK", 5],
                                  ["C", 1, "TOK", 7]])
    read = read_shop(path)
    assert not read.complete
    assert [o.rn for o in read.problem.work_orders] == ["A", "C"]
    assert {op.op_id for op in read.problem.operations} == {"A/1", "A/2", "C/1"}
    (skip,) = read.skipped
    assert (skip.kind, skip.key) == (ORDER, "B")
    assert [(p.row, p.column) for p in skip.problems] == [(5, "operations!norma")]
    assert skip.rows == (("operations", 4), ("operations", 5), ("operations", 6), ("work_orders", 3))
    assert read.skipped_orders() == ["B"]
    # the strict reader raises exactly the problems the partial read lists
    with pytest.raises(InputError) as err:
        read_workbook(path)
    assert err.value.problems == list(read.problems)


def test_unknown_or_rejected_references_skip_the_order(tmp_path):
    path = _normalised(
        tmp_path,
        [["A", 1, "TOK", 10], ["B", 1, "XXX", 5], ["C", 1, "TOK", 7], ["D", 1, "TOK", 3], ["A", 1, "GLO", 1],
         ["E", 1, "GLO", 4]],
        orders=[["rn", "quantity"], ["A", 2], ["B", 3], ["C", "many"], ["E", 1]],
    )
    read = read_shop(path)
    assert [o.rn for o in read.problem.work_orders] == ["E"]
    by_key = {s.key: s for s in read.skipped}
    assert set(by_key) == {"A", "B", "C", "D"}  # A: duplicate 1, B: unknown wc, C: bad row, D: unknown
    assert "duplicate operation A/1" in by_key["A"].problems[0].reason
    assert "unknown work center 'XXX'" in by_key["B"].problems[0].reason
    assert by_key["C"].problems[0].column == "work_orders!quantity"
    assert ("operations", 4) in by_key["C"].rows  # its operation row goes with it
    assert "unknown work order 'D'" in by_key["D"].problems[0].reason


def test_nothing_left_raises(tmp_path):
    path = _normalised(tmp_path, [["A", 1, "TOK", "x"]], orders=[["rn"], ["A"]])
    with pytest.raises(InputError) as err:
        read_shop(path)
    assert [(p.row, p.column) for p in err.value.problems] == [(2, "operations!norma")]


def test_a_bad_work_center_skips_it_its_orders_and_its_downtime(tmp_path):
    path = _normalised(
        tmp_path, [["A", 1, "TOK", 10], ["B", 1, "GLO", 5], ["C", 1, "TOK", 7]],
        wcs=[["code", "capacity_hours_per_day"], ["TOK", 8], ["GLO", 30]],
        downtime=[["work_center", "start", "end"], ["GLO", datetime(2026, 1, 5, 8), datetime(2026, 1, 5, 9)],
                  ["TOK", datetime(2026, 1, 5, 9), datetime(2026, 1, 5, 8)]],
    )
    read = read_shop(path)
    assert [w.code for w in read.problem.work_centers] == ["TOK"]
    assert [o.rn for o in read.problem.work_orders] == ["A", "C"]
    kinds = {(s.kind, s.key): s for s in read.skipped}
    assert (WORK_CENTER, "GLO") in kinds and (ORDER, "B") in kinds
    assert kinds[(ORDER, "B")].problems[0].reason == "work center 'GLO' is skipped"
    assert (ROW, "downtime row 2") in kinds and (ROW, "downtime row 3") in kinds
    assert read.problem.downtime == ()


def test_open_operation_on_inactive_work_center_skips_its_order_with_its_row(tmp_path):
    path = _normalised(tmp_path, [["A", 1, "TOK", 10], ["B", 1, "GLO", 5]],
                       wcs=[["code", "active"], ["TOK", "yes"], ["GLO", "no"]],
                       orders=[["rn"], ["A"], ["B"]])
    read = read_shop(path)
    assert [o.rn for o in read.problem.work_orders] == ["A"]
    (p,) = read.problems
    assert (p.row, p.column) == (3, "operations!work_center") and "inactive" in p.reason
    with pytest.raises(InputError, match="inactive"):
        read_workbook(path)


def test_calendar_row_skipped_alone(tmp_path):
    path = _book(tmp_path / "c.xlsx", {
        "work_centers": [["code"], ["TOK"]], "work_orders": [["rn"], ["A"]],
        "operations": [["rn", "sequence", "work_center", "norma"], ["A", 1, "TOK", 10]],
        "calendar": [["work_center", "date", "working"], ["TOK", date(2026, 1, 6), "maybe"],
                     ["TOK", date(2026, 1, 7), "no"]],
    })
    read = read_shop(path)
    assert [(s.kind, s.key) for s in read.skipped] == [(ROW, "calendar row 2")]
    assert not read.problem.wc("TOK").calendar.is_working(date(2026, 1, 7), "S1")


def test_flat_sheet_bad_row_skips_order_and_names_product_and_operation(tmp_path):
    path = tmp_path / "flat.csv"
    path.write_text(
        "RN;KPL;naziv;operacija;norma;radni_centar\n"
        "100;K-1;Vratilo;Tokarenje;30;TOK\n"
        "100;K-1;Vratilo;Glodanje;20;GLO\n"
        "200;K-2;Prirubnica;Tokarenje;x;TOK\n"
        "200;K-2;Prirubnica;Bušenje;15;BUS\n",
        encoding="utf-8",
    )
    read = read_shop(path)
    (order,) = read.problem.work_orders
    assert (order.rn, order.kpl, order.product_name) == ("100", "K-1", "Vratilo")
    assert [op.name for op in read.problem.operations] == ["Tokarenje", "Glodanje"]
    assert read.skipped_orders() == ["200"]
    assert read.implied_work_centers == {"TOK", "GLO"}  # BUS only served the skipped order
    assert [w.code for w in read.problem.work_centers] == ["TOK", "GLO"]


def test_flat_naziv_read_from_the_values_and_said(tmp_path):
    same = tmp_path / "same.csv"
    same.write_text("RN;KPL;naziv;norma;radni_centar\n1;K;Osovina;30;TOK\n1;K;Osovina;20;GLO\n", encoding="utf-8")
    read = read_shop(same)
    assert read.problem.order("1").product_name == "Osovina"
    assert {op.name for op in read.problem.operations} == {""}
    assert "read as the product name" in read.notes[0]
    varying = tmp_path / "varying.csv"
    varying.write_text("RN;KPL;naziv;norma;radni_centar\n1;K;Rezanje;30;TOK\n1;K;Savijanje;20;GLO\n",
                       encoding="utf-8")
    read = read_shop(varying)
    assert read.problem.order("1").product_name == ""
    assert [op.name for op in read.problem.operations] == ["Rezanje", "Savijanje"]
    assert "read as the operation name" in read.notes[0]
    explicit = tmp_path / "explicit.csv"
    explicit.write_text("RN;KPL;naziv_proizvoda;naziv;norma;radni_centar\n1;K;Osovina;Rezanje;30;TOK\n",
                        encoding="utf-8")
    read = read_shop(explicit)
    assert (read.problem.order("1").product_name, read.problem.operations[0].name) == ("Osovina", "Rezanje")


def test_flat_product_must_not_change_within_an_order(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("RN;KPL;norma;radni_centar\n1;K-1;30;TOK\n1;K-2;20;GLO\n2;K-3;5;TOK\n", encoding="utf-8")
    read = read_shop(path)
    assert read.skipped_orders() == ["1"]
    assert "differs from 'K-1' in row 2" in read.skipped[0].problems[0].reason
