"""Lots input (``io_lots``): every accepted form and every rejected one, all problems at once."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import pytest

from scheduler_core.errors import InputError
from scheduler_core.filling import Lot
from scheduler_core.filling.io_lots import parse_lots


def lots_of(text: str, name: str = "lots.csv") -> list[Lot]:
    return parse_lots(text.encode("utf-8"), filename=name)


def problems_of(text: str | bytes, name: str = "lots.csv") -> list:
    data = text.encode("utf-8") if isinstance(text, str) else text
    with pytest.raises(InputError) as info:
        parse_lots(data, filename=name)
    return info.value.problems


def test_plain_csv_keeps_ids_as_text():
    lots = lots_of("Lot ID,Type,Vials\n001,A,1000\n0x1,B,2000\n")
    assert [lot.lot_id for lot in lots] == ["001", "0x1"]
    assert lots[0] == Lot("001", "A", 1000, row=2)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters(delimiter):
    text = delimiter.join(["Lot ID", "Type", "Vials"]) + "\n" + delimiter.join(["L1", "A", "5"]) + "\n"
    assert lots_of(text)[0].vials == 5


def test_utf8_bom_and_utf16():
    text = "Lot ID,Type,Vials\nL1,Ä,5\n"
    assert parse_lots(b"\xef\xbb\xbf" + text.encode(), filename="x.csv")[0].lot_type == "Ä"
    assert parse_lots(text.encode("utf-16"), filename="x.csv")[0].lot_id == "L1"


@pytest.mark.parametrize("header", ["lot_id,type,vials", "LotID,TYPE,Vials", "lot id , Type , VIALS"])
def test_header_matching_is_lenient(header):
    assert lots_of(f"{header}\nL1,A,7\n")[0].vials == 7


def test_integral_floats_and_thousands_separators_accepted():
    lots = lots_of('Lot ID,Type,Vials\nL1,A,1.5e6\nL2,A,"12,000"\nL3,A,2000.0\n')
    assert [lot.vials for lot in lots] == [1_500_000, 12_000, 2000]


def test_optional_priority_and_due_kept():
    lots = lots_of("Lot ID,Type,Vials,Priority,Due\nL1,A,5,2,2026-12-03\nL2,A,6,,\n")
    assert lots[0].priority == 2 and lots[0].due == datetime(2026, 12, 3)
    assert lots[1].priority is None and lots[1].due is None


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (",A,5", "Lot ID is blank"),
        ("L2,,5", "Type is blank"),
        ("L2,A,12000.7", "whole number"),
        ('L2,A,"12,000.7"', "whole number"),
        ("L2,A,0", "positive"),
        ("L2,A,-5", "positive"),
        ("L2,A,abc", "whole number"),
        ("L2,A,", "blank"),
        ("L2,A,inf", "finite"),
        ("L2,A,nan", "finite"),
        ("L1,A,5", "duplicate Lot ID"),
    ],
)
def test_each_bad_row_is_named(row, reason):
    problems = problems_of(f"Lot ID,Type,Vials\nL1,A,5\n{row}\n")
    assert len(problems) == 1
    assert problems[0].row == 3
    assert reason in problems[0].reason


def test_all_problems_reported_at_once_with_columns():
    problems = problems_of("Lot ID,Type,Vials\nL1,A,x\n,B,5\nL3,,-1\n")
    where = {(p.row, p.column) for p in problems}
    assert where == {(2, "Vials"), (3, "Lot ID"), (4, "Type"), (4, "Vials")}


def test_missing_column_empty_file_header_only():
    assert "missing required column" in problems_of("Lot ID,Vials\nL1,5\n")[0].reason
    assert "Type" in problems_of("Lot ID,Vials\nL1,5\n")[0].reason
    assert "empty" in problems_of("")[0].reason
    assert "empty" in problems_of("\n \n")[0].reason
    assert "no lots" in problems_of("Lot ID,Type,Vials\n")[0].reason


def test_duplicate_header_rejected():
    problems = problems_of("Lot ID,Type,Vials,vials\nL1,A,5,6\n")
    assert "duplicate column" in problems[0].reason


def test_binary_and_non_utf8_rejected():
    assert "binary" in problems_of(b"\x00\x01\x02garbage", name="x.csv")[0].reason
    assert "UTF-8" in problems_of("Lot ID,Type,Vials\nL1,é,5\n".encode("latin-1"))[0].reason
    assert "Excel" in problems_of(b"PK\x03\x04 not really a zip", name="x.xlsx")[0].reason


def test_row_numbers_follow_quoted_newlines():
    problems = problems_of('Lot ID,Type,Vials\n"L\n1",A,5\nL2,A,bad\n')
    assert problems[0].row == 4


def excel_bytes(rows: list[list]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_excel_lots():
    data = excel_bytes([["Lot ID", "Type", "Vials"], ["001", "A", 1000], [7, "B", 2000.0]])
    lots = parse_lots(data, filename="lots.xlsx")
    assert [(lot.lot_id, lot.vials) for lot in lots] == [("001", 1000), ("7", 2000)]


def test_excel_errors_have_rows():
    data = excel_bytes([["Lot ID", "Type", "Vials"], ["L1", "A", 1.5], ["L2", None, 5]])
    with pytest.raises(InputError) as info:
        parse_lots(data, filename="lots.xlsx")
    assert {(p.row, p.column) for p in info.value.problems} == {(2, "Vials"), (3, "Type")}


def test_due_with_an_offset_becomes_plant_time_and_dates_stay_plausible(monkeypatch):
    monkeypatch.setenv("PSS_TIMEZONE", "Europe/Zagreb")
    lots = parse_lots(b"lot_id,lot_type,vials,Due\nL1,A,1000,2026-03-02T06:00Z\nL2,A,1000,2026-07-01T07:00+02:00\n",
                      filename="l.csv")
    assert [lot.due for lot in lots] == [datetime(2026, 3, 2, 7), datetime(2026, 7, 1, 7)]
    with pytest.raises(InputError) as info:
        parse_lots(b"lot_id,lot_type,vials,Due\nL1,A,1000,9999-12-31\nL2,A,1000,05/06/2026\n", filename="l.csv")
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "Due"), (3, "Due")]
    assert "outside the accepted range" in info.value.problems[0].reason
    assert "ambiguous" in info.value.problems[1].reason


def test_release_column_and_its_aliases_are_read():
    lots = lots_of("Lot ID,Type,Vials,Priority,Due,Release date\nL1,A,5,1,2026-12-03 18:00,2026-12-02 06:00\nL2,A,6,,,\n")
    assert lots[0].release == datetime(2026, 12, 2, 6) and lots[0].priority == 1
    assert lots[1].release is None and lots[1].weight == 1 and lots[0].weight == 3


def test_bad_priority_due_and_release_are_named_with_row_and_column():
    text = "Lot ID,Type,Vials,Priority,Due,Release\nL1,A,5,4,2026-12-03,soon\nL2,A,6,0,tomorrow,\nL3,A,6,1.5,,\n"
    with pytest.raises(InputError) as err:
        lots_of(text)
    got = [(p.row, p.column) for p in err.value.problems]
    assert got == [(2, "Priority"), (2, "Release"), (3, "Priority"), (3, "Due"), (4, "Priority")]
    assert "1 high, 2, 3 low" in err.value.problems[0].reason


def test_a_typed_table_is_read_like_a_file_with_rows_from_one():
    from scheduler_core.filling.io_lots import COLUMNS, lots_from_table

    assert COLUMNS == ("Lot ID", "Type", "Vials", "Priority", "Due", "Release")
    lots = lots_from_table([["001", "A", 1000.0, None, datetime(2030, 1, 2, 8), None], ["2", "B", "12,000", 1, None, None]])
    assert lots == [Lot("001", "A", 1000, due=datetime(2030, 1, 2, 8), row=1), Lot("2", "B", 12000, priority=1, row=2)]
    with pytest.raises(InputError) as info:
        lots_from_table([["1", "A", 0, None, None, None], ["1", "", 5, 4, "soon", None]])
    assert {(p.row, p.column) for p in info.value.problems} == {
        (1, "Vials"), (2, "Lot ID"), (2, "Type"), (2, "Priority"), (2, "Due")}
    with pytest.raises(InputError, match="no lots"):
        lots_from_table([])
