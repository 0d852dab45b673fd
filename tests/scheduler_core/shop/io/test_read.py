"""``read_workbook``: both layouts, original column names, every bad row at once."""

from dataclasses import replace
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from scheduler_core.errors import InputError
from scheduler_core.shop import ShopOptions, plan
from scheduler_core.shop.io import read_shop, read_workbook
from tests.conftest import xlsx


def _book(path, sheets: dict[str, list[list]]):
    path.write_bytes(xlsx(sheets))
    return path


FLAT_HEADER = ["RN", "KPL", "Naziv", "Norma", "Količina", "Izrađeno", "Radni centar",
               "Datum isporuke", "Datum_sastavljanja", "datum_treci", "Prioritet", "Hitno"]


def test_flat_sheet_with_original_column_names(tmp_path):
    rows = [
        FLAT_HEADER,
        ["1001", "K-1", "Tokarenje", 120, 10, 5, "TOK", date(2025, 1, 20), date(2025, 1, 15),
         None, 1, None],
        ["1001", "K-1", "Glodanje", 60, 10, 0, "GLO", date(2025, 1, 20), date(2025, 1, 15),
         None, 1, None],
        [1002, "K-2", "Brušenje", "45,5", 2, None, "TOK", "20.01.2025", None, None, 3, 1],
    ]
    problem = read_workbook(_book(tmp_path / "flat.xlsx", {"Plan": rows}))
    assert [w.code for w in problem.work_centers] == ["TOK", "GLO"]
    assert [o.rn for o in problem.work_orders] == ["1001", "1002"]
    o2 = problem.order("1002")
    assert o2.urgency_rank == 1 and o2.delivery_date == date(2025, 1, 20)
    assert o2.priority_level == 3
    ops = {o.op_id: o for o in problem.operations}
    assert ops["1001/1"].quantity_completed == 5 and ops["1001/2"].work_center == "GLO"
    assert ops["1002/1"].norma == 45.5 and ops["1002/1"].name == "Brušenje"
    result = plan(replace(problem, start=datetime(2025, 1, 6, 7)), ShopOptions("dispatch"))
    assert {p.op_id: p.duration_minutes for p in result.operations}["1001/1"] == 60


def test_flat_csv(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("RN;naziv;norma;radni_centar\nA;op;30;X\nA;op2;20;Y\n", encoding="utf-8")
    problem = read_workbook(path)
    assert [o.op_id for o in problem.operations] == ["A/1", "A/2"]


def test_every_bad_row_is_reported_at_once(tmp_path):
    rows = [
        FLAT_HEADER,
        ["1", "K", "op", "abc", 10, 0, "TOK", None, None, None, 1, None],
        ["2", "K", "op", 10, 0, 0, "TOK", None, None, None, 1, None],
        ["3", "K", "op", 10, 5, 7, "TOK", None, "32.13.2025", None, 5, None],
        [None, "K", "op", 10, 5, 0, "TOK", None, None, None, 1, None],
        ["4", "K", "op", 10, 5, 0, None, None, None, None, 1, 0],
    ]
    with pytest.raises(InputError) as err:
        read_workbook(_book(tmp_path / "bad.xlsx", {"ops": rows}))
    got = {(p.row, p.column) for p in err.value.problems}
    assert got == {
        (2, "operations!Norma"),
        (3, "operations!Količina"),
        (4, "operations!Datum_sastavljanja"),
        (4, "operations!Prioritet"),
        (4, "operations!Izrađeno"),  # 7 completed of 5
        (5, "operations!RN"),
        (6, "operations!Hitno"),
        (6, "operations!Radni centar"),  # blank
    }
    assert len(err.value.lines()) == len(got)
    text = " ".join(err.value.lines())
    assert "not a number" in text and "priority must be 1, 2 or 3" in text


def test_normalised_workbook_errors_and_missing_columns(tmp_path):
    path = _book(tmp_path / "wb.xlsx", {
        "work_centers": [["code", "shifts"], ["TOK", "S1,S4"], ["GLO", None], ["GLO", None]],
        "work_orders": [["rn", "priority_level", "status"], ["A", 1, "pending"],
                        ["B", 2, "weird"]],
        "operations": [["rn", "sequence", "work_center", "norma"],
                       ["A", 1, "GLO", 10], ["A", 1, "GLO", 10], ["C", 1, "GLO", 5],
                       ["A", 2, "XXX", 5]],
        "downtime": [["work_center", "start", "end"],
                     ["GLO", datetime(2025, 1, 6, 8), datetime(2025, 1, 6, 7)]],
        "calendar": [["work_center", "date", "shift", "working"],
                     ["GLO", date(2025, 1, 7), "S9", "no"], ["*", date(2025, 1, 8), "", "maybe"]],
    })
    with pytest.raises(InputError) as err:
        read_workbook(path)
    got = {(p.row, p.column) for p in err.value.problems}
    assert got == {
        (2, "work_centers!shifts"),
        (4, "work_centers!code"),
        (3, "work_orders!status"),
        (3, "operations!sequence"),
        (4, "operations!rn"),
        (5, "operations!work_center"),
        (2, "downtime!end"),
        (2, "calendar!shift"),
        (3, "calendar!working"),
    }
    path2 = _book(tmp_path / "wb2.xlsx", {
        "work_centers": [["name"]], "work_orders": [["rn"]], "operations": [["rn", "norma"]],
    })
    with pytest.raises(InputError) as err:
        read_workbook(path2)
    assert {p.column for p in err.value.problems} == {"code", "sequence", "work_center"}


def test_calendar_and_downtime_sheets_apply(tmp_path):
    path = _book(tmp_path / "wb.xlsx", {
        "work_centers": [["code", "capacity_hours_per_day", "working_days"],
                         ["TOK", 8, "Mon-Fri"], ["GLO", 16, "Mon,Tue,Sat"]],
        "work_orders": [["rn"], ["A"]],
        "operations": [["rn", "sequence", "work_center", "norma"], ["A", 1, "TOK", 10]],
        "calendar": [["work_center", "date", "shift", "working"],
                     [None, date(2025, 1, 6), "all", "no"], ["GLO", date(2025, 1, 8), "S3", "yes"]],
        "downtime": [["work_center", "start", "end", "reason"],
                     ["TOK", datetime(2025, 1, 7, 7), datetime(2025, 1, 7, 9), "service"]],
    })
    problem = read_workbook(path)
    tok, glo = problem.work_centers
    assert tok.calendar.shift_names == frozenset({"S1"})
    assert glo.calendar.shift_names == frozenset({"S1", "S2"})
    assert glo.calendar.weekdays == frozenset({0, 1, 5})
    assert not tok.calendar.is_working(date(2025, 1, 6), "S1")
    assert glo.calendar.is_working(date(2025, 1, 8), "S3")
    result = plan(replace(problem, start=datetime(2025, 1, 6, 7)), ShopOptions("dispatch"))
    assert result.operations[0].start == datetime(2025, 1, 7, 9)


def test_not_a_workbook_and_empty(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(b"garbage")
    with pytest.raises(InputError, match="not a readable Excel workbook"):
        read_workbook(bad)
    with pytest.raises(InputError, match="no data"):
        read_workbook(_book(tmp_path / "e.xlsx", {"Sheet": []}))


def test_times_with_an_offset_become_plant_time(tmp_path):
    """A downtime and a fixed start written with offsets are read as plant wall-clock time."""
    from datetime import datetime

    from scheduler_core.shop.io import read_workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "work_centers"
    ws.append(["code", "name"])
    ws.append(["TOK", "Lathe"])
    ws = wb.create_sheet("work_orders")
    ws.append(["rn", "quantity"])
    ws.append(["RN-1", 1])
    ws = wb.create_sheet("operations")
    ws.append(["rn", "sequence", "work_center", "norma", "pinned_start"])
    ws.append(["RN-1", 1, "TOK", 60, "2026-03-02T06:00Z"])
    ws = wb.create_sheet("downtime")
    ws.append(["work_center", "start", "end", "reason"])
    ws.append(["TOK", "2026-03-02T07:00+01:00", "2026-03-02 09:00", "mixed: offset, then plant time"])
    path = tmp_path / "offsets.xlsx"
    wb.save(path)
    problem = read_workbook(path, time_zone="Europe/Zagreb")
    assert problem.operations[0].pinned_start == datetime(2026, 3, 2, 7)
    (down,) = problem.downtime
    assert (down.start, down.end) == (datetime(2026, 3, 2, 7), datetime(2026, 3, 2, 9))
    in_utc = read_workbook(path)
    assert in_utc.downtime[0].start == datetime(2026, 3, 2, 6) and in_utc.time_zone == "UTC"


def test_a_formula_without_its_value_is_named_as_a_formula_not_as_blank(tmp_path):
    rows = [["RN", "naziv", "norma", "radni_centar"], ["A", "op", "=10*3", "X"]]
    with pytest.raises(InputError) as info:
        read_workbook(_book(tmp_path / "f.xlsx", {"Plan": rows}))
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (2, "C")
    assert "holds the formula '=10*3' without a saved value" in problem.reason and "blank" not in problem.reason


def test_flat_csv_with_semicolons_and_commas_in_names_reads_every_column(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("RN;naziv;norma;radni_centar\nWO-7;Plate, bent, 1,5 mm, galv.;12,5;RC1\n"
                    "WO-8;Pin, short, 2,0 mm, zinc;2,5;RC1\n", encoding="utf-8")
    problem = read_workbook(path)
    assert [(o.rn, o.norma) for o in problem.operations] == [("WO-7", 12.5), ("WO-8", 2.5)]


def test_the_read_says_which_fields_each_row_gives(tmp_path):
    flat = read_shop(_book(tmp_path / "f.xlsx", {"operations": [
        ["RN", "KPL", "naziv", "norma", "radni_centar", "datum_isporuke", "hitno"],
        ["A", "K", "Osovina", 10, "TOK", None, None]]}))
    assert flat.given.orders == {"A": frozenset({"kpl", "product_name", "urgency_rank"})}
    assert flat.given.op_quantities == frozenset()
    book = read_shop(_book(tmp_path / "n.xlsx", {
        "work_centers": [["code", "name", "capacity", "setup", "shifts"], ["TOK", None, 8, None, None]],
        "work_orders": [["rn", "quantity"], ["A", 3]],
        "operations": [["rn", "sequence", "work_center", "norma"], ["A", 1, "TOK", 5]]}))
    assert book.given.work_centers == {"TOK": frozenset({"capacity_hours_per_day", "shift_names"})}
    assert book.given.op_quantities == frozenset({"A/1"})


def test_a_flat_sheet_checked_against_known_work_centers_names_the_nearest(tmp_path):
    path = _book(tmp_path / "f.xlsx", {"operations": [["RN", "norma", "radni_centar"], ["A", 10, "XYZ-9"],
                                                      ["B", 10, "XYZ-1"], ["C", 5, "QQQ"]]})
    read = read_shop(path, known_work_centers=frozenset({"XYZ-1", "TOK"}))
    assert [(p.row, p.column, p.reason) for p in read.problems] == [
        (2, "operations!radni_centar", "unknown work center 'XYZ-9' — did you mean 'XYZ-1'?"),
        (4, "operations!radni_centar", "unknown work center 'QQQ' (not in the shop; add it first)")]
    assert [o.rn for o in read.problem.work_orders] == ["B"] and read.implied_work_centers == {"XYZ-1"}
    assert {w.code for w in read_shop(path).problem.work_centers} == {"XYZ-9", "XYZ-1", "QQQ"}
