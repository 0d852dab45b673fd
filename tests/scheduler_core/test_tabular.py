"""The one tabular reader: every reader rule (sources, text, CSV, Excel, problem lists)."""

from __future__ import annotations

import io
from datetime import datetime

import openpyxl
import openpyxl.worksheet._read_only
import pytest

from scheduler_core import tabular
from scheduler_core.errors import InputError, Problem
from scheduler_core.tabular import (
    Row,
    Sheet,
    capped,
    csv_delimiter,
    decode_text,
    is_excel,
    read_csv,
    read_excel,
    read_source,
    read_table,
    read_text,
)
from tests.conftest import xlsx


def refused(call, *args, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    return info.value


# ---------------------------------------------------------------- size and source


def test_size_limit_for_bytes_paths_and_streams(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 10)
    assert read_source(b"x" * 10) == (b"x" * 10, None)
    assert "the limit is" in str(refused(read_source, b"x" * 11, "a.csv"))
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 11)
    assert refused(read_source, path).source == "big.csv"
    stream = io.BytesIO(b"x" * 1000)
    refused(read_source, stream, "up.csv")
    assert stream.tell() == 11  # read stops one byte past the limit


def test_source_names_and_text_streams(tmp_path):
    path = tmp_path / "lots.csv"
    path.write_bytes(b"a,b\n")
    assert read_source(path) == (b"a,b\n", "lots.csv")
    assert read_source(str(path), "other.csv")[1] == "other.csv"
    assert read_source(io.StringIO("é")) == ("é".encode(), None)


# ---------------------------------------------------------------- text


def test_utf8_with_and_without_bom():
    assert decode_text("Ä,b".encode()) == "Ä,b"
    assert decode_text(b"\xef\xbb\xbf" + "Ä,b".encode()) == "Ä,b"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_needs_a_bom(encoding):
    text = "Lot ID;Type\nL1;Ä\n"
    data = text.encode(encoding)
    if encoding != "utf-16":
        bom = b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff"
        assert "binary" in str(refused(read_table, data, "x.csv"))  # no BOM: refused
        data = bom + data
    rows = read_table(data, "x.csv").sheets[0].rows
    assert rows == [Row(1, ["Lot ID", "Type"]), Row(2, ["L1", "Ä"])]


def test_invalid_utf16_and_non_utf8_name_the_place():
    assert "not valid UTF-16" in str(refused(decode_text, "ab".encode("utf-16") + b"\x00"))
    error = refused(decode_text, b"a,b\nc,\xe9\n", "x.csv", hint="do this")
    assert error.problems[0].row == 2 and error.source == "x.csv"
    assert "byte 0xe9 at position 6" in error.problems[0].reason
    assert error.problems[0].reason.endswith("do this")


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01\x02garbage", b"a,b\nc\x00d,e\n", b"PK\x03\x04 zip", b"\x89PNG\r\n\x1a\n\x00\x00"],
)
def test_binary_refused_as_text(data):
    assert "file is binary" in str(refused(read_table, data, "x.csv"))
    assert "file is binary" in str(refused(read_text, data, "x.txt"))


def test_old_excel_refused_by_name_and_by_signature():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    assert ".xls" in str(refused(read_table, ole, "plan.xls"))
    assert ".xls" in str(refused(read_table, ole, "plan.csv"))
    assert ".xls" in str(refused(read_table, b"a,b\n", "plan.xls"))


def test_empty_file():
    assert "file is empty" in str(refused(read_table, b" \n\t\r\n", "x.csv"))
    assert "file is empty" in str(refused(read_table, b"", "x.xlsx"))
    assert read_table(b"\xef\xbb\xbf", "x.csv").sheets == [Sheet(None, [])]  # BOM only


@pytest.mark.parametrize(
    ("name", "data", "excel"),
    [
        ("a.xlsx", b"", True),
        ("a.XLSM", b"", True),
        ("a.csv", b"PK\x03\x04", False),
        ("a.tsv", b"", False),
        ("a.txt", b"", False),
        ("upload", b"PK\x03\x04...", True),
        (None, b"a,b", False),
    ],
)
def test_is_excel(name, data, excel):
    assert is_excel(data, name) is excel


# ---------------------------------------------------------------- CSV


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("single\n1\n", ","),
        ("a;b,c;d\n", ";"),
        ('"name, full";"city, country";x\n', ";"),  # commas inside quotes do not count
        ("\n\n,,\na;b\n", ";"),  # the header line is the first line with content
        ("", ","),
    ],
)
def test_delimiter_is_decided_on_the_header_line(text, delimiter):
    assert csv_delimiter(text) == delimiter


def test_semicolon_file_whose_values_contain_commas():
    """Data lines full of commas do not outvote the header's semicolons (they did when the
    shop counted ``;`` against ``,`` over the first 2 KB)."""
    text = "Lot ID;Type;Vials\n" + "".join(f"L{i};Type A, B, C, D, E;{i + 1}\n" for i in range(50))
    rows = read_csv(text)
    assert rows[0].cells == ["Lot ID", "Type", "Vials"]
    assert rows[1] == Row(2, ["L0", "Type A, B, C, D, E", "1"])
    assert len(rows) == 51


def test_row_numbers_are_record_start_lines():
    text = 'a,b\n"x\ny\nz",1\n\n  \n,\nq,2\r\nr,"3\r\n4"\ns,5\n'
    rows = read_csv(text)
    assert [r.number for r in rows] == [1, 2, 8, 9, 11]
    assert rows[1].cells == ["x\ny\nz", "1"]


def test_csv_syntax_error_names_the_record():
    text = "a,b\nok,1\n" + '"' + "x" * 200_000 + '",2\n'
    error = refused(read_csv, text, "f.csv")
    assert "field larger than field limit" in error.problems[0].reason
    assert error.problems[0].row == 3 and error.source == "f.csv"


def test_csv_row_cap_counts_non_blank_rows_below_the_header():
    body = "h\n" + "\n" * 100 + "".join(f"{i}\n" for i in range(5))
    assert len(read_csv(body, max_rows=5)) == 6
    error = refused(read_csv, body + "5\n", "f.csv", max_rows=5, what="lots")
    assert "more than 5 lots; at most 5 are accepted" in str(error)


def test_csv_row_cap_stops_reading_early():
    text = "h\n" + "x\n" * 10 + '"' + "x" * 200_000 + '"\n'  # that field would fail the csv module
    with pytest.raises(InputError, match="more than 3 rows"):
        read_csv(text, max_rows=3)


def test_read_table_gives_one_unnamed_sheet_for_csv():
    table = read_table(b"a,b\n1,2\n", "x.csv")
    assert table == tabular.Table("x.csv", [Sheet(None, [Row(1, ["a", "b"]), Row(2, ["1", "2"])])])


# ---------------------------------------------------------------- Excel


def test_excel_sheet_choice():
    data = xlsx({"Notes": [["n"]], "LOTS": [["l"]], "Other": [["o"]]})
    assert [s.name for s in read_table(data, "x.xlsx", sheet="lots").sheets] == ["LOTS"]
    assert [s.name for s in read_table(data, "x.xlsx", sheet="missing").sheets] == ["Notes"]
    assert [s.name for s in read_table(data, "x.xlsx").sheets] == ["Notes"]
    assert [s.name for s in read_table(data, "x.xlsx", all_sheets=True).sheets] == ["Notes", "LOTS", "Other"]


def test_excel_rows_are_sheet_rows_and_blank_rows_are_dropped():
    data = xlsx({"S": [["h1", "h2"], [None, None], ["  ", None], ["a", 1.5], [None, datetime(2026, 1, 2)]]})
    rows = read_excel(data)[0].rows
    assert rows == [Row(1, ["h1", "h2"]), Row(4, ["a", 1.5]), Row(5, [None, datetime(2026, 1, 2)])]


def test_excel_row_cap_stops_reading_early(monkeypatch):
    data = xlsx({"S": [["h"]] + [[i] for i in range(50)]})
    assert len(read_excel(data, max_rows=50)[0].rows) == 51
    seen = []
    real = openpyxl.worksheet._read_only.ReadOnlyWorksheet.iter_rows

    def counting(self, *args, **kwargs):
        for row in real(self, *args, **kwargs):
            seen.append(row)
            yield row

    monkeypatch.setattr(openpyxl.worksheet._read_only.ReadOnlyWorksheet, "iter_rows", counting)
    error = refused(read_excel, data, "x.xlsx", max_rows=5, what="lots")
    assert "sheet 'S' has more than 5 lots; at most 5 are accepted" in str(error)
    assert len(seen) == 7  # header + 6 rows, not all 51


def test_unreadable_workbook():
    for data in (b"PK\x03\x04 not really a zip", b"garbage"):
        error = refused(read_table, data, "x.xlsx")
        assert "not a readable Excel workbook" in error.problems[0].reason


def uncached_formula_book() -> bytes:
    # openpyxl writes "=..." text as a formula without a cached value (as scripts do)
    return xlsx({"Lots": [["Lot ID", "Type", "Vials"], ["L1", "A", "=10*10"], ["=B2", "=C2", "=1"]]})


def test_formulas_without_saved_value_are_named():
    error = refused(read_table, uncached_formula_book(), "f.xlsx", check_formulas=True)
    where = [(p.row, p.column) for p in error.problems]
    assert where == [(2, "C"), (3, "A"), (3, "B"), (3, "C")]
    assert "cell C2 holds the formula '=10*10' without a saved value" in error.problems[0].reason
    # without the check such a cell reads as blank (row 3 is all formulas: a blank row)
    rows = read_table(uncached_formula_book(), "f.xlsx").sheets[0].rows
    assert rows == [Row(1, ["Lot ID", "Type", "Vials"]), Row(2, ["L1", "A", None])]


def test_capped():
    problems = [Problem(str(i), i) for i in range(5)]
    assert capped(problems) is problems
    short = capped(problems, 3)
    assert short[:3] == problems[:3] and short[3] == Problem("... and 2 more problems")
    assert len(capped([Problem("x")] * 250)) == tabular.MAX_PROBLEMS + 1



def test_zip_bomb_refused_by_declared_sizes_before_parsing(monkeypatch):
    import zipfile

    book = io.BytesIO()
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (4 * 1024 * 1024))  # 24 MB of one pattern
    monkeypatch.setattr(tabular, "MAX_UNZIPPED_BYTES", 20 * 1024 * 1024)
    error = refused(read_table, book.getvalue(), "bomb.xlsx")
    assert "the workbook unpacks to 25 MB, more than the 21 MB accepted" in str(error)
    monkeypatch.setattr(tabular, "MAX_UNZIPPED_BYTES", 150 * 1024 * 1024)
    error = refused(read_table, book.getvalue(), "bomb.xlsx")
    assert "times larger than it is packed (at most 200 accepted)" in str(error)
    assert xlsx({"S": [["h"], [1]]})  # a normal workbook passes the check
    tabular.check_unpacked_size(xlsx({"S": [["h"], [1]]}), "ok.xlsx")


def test_trailing_formatted_rows_neither_count_nor_cost(monkeypatch):
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["Lot ID", "Vials"], ["L1", 5], ["L2", 6]):
        ws.append(row)
    ws.cell(row=40_000, column=1).font = Font(bold=True)  # formatted, empty, far below
    ws.cell(row=40_000, column=1).value = " "
    out = io.BytesIO()
    wb.save(out)
    rows = read_excel(out.getvalue(), max_rows=5, check_formulas=True)[0].rows
    assert [r.number for r in rows] == [1, 2, 3]
    monkeypatch.setattr(tabular, "MAX_BLANK_RUN", 10)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["h"])
    ws.cell(row=30, column=1).value = "far below a long blank run"
    out = io.BytesIO()
    wb.save(out)
    assert [r.number for r in read_excel(out.getvalue())[0].rows] == [1]  # reading stopped at the run


def _with_dimension(data: bytes, ref: str | None) -> bytes:
    """``data`` (one-sheet .xlsx) with its sheet's ``<dimension ref>`` set to ``ref`` or removed."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in src.namelist():
            part = src.read(name)
            if name.startswith("xl/worksheets/sheet"):
                new = b"" if ref is None else f'<dimension ref="{ref}"/>'.encode()
                part = re.sub(rb"<dimension[^>]*/>", new, part)
            archive.writestr(name, part)
    return out.getvalue()


def test_a_wrong_dimension_hides_no_row_and_a_missing_one_costs_no_scan(monkeypatch):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    data = xlsx({"S": [["h", "v"], ["a", 1], ["b", 2], ["c", 3], ["d", 4]]})
    assert [r.number for r in read_excel(_with_dimension(data, "A1:B2"))[0].rows] == [1, 2, 3, 4, 5]
    sized = []
    monkeypatch.setattr(ReadOnlyWorksheet, "_get_size", lambda self: sized.append(self.title))
    big = _with_dimension(xlsx({"S": [["h", "v"]] + [[f"r{i}", i] for i in range(300)]}), None)
    error = refused(read_excel, big, "big.xlsx", max_rows=10, what="lots")
    assert "more than 10 lots" in str(error) and sized == []  # never sized by a scan of the sheet
    short = xlsx({"S": [["h1", "h2", "h3"], ["x"]]})  # a row ending at its last cell is padded
    assert read_excel(_with_dimension(short, None))[0].rows[1] == Row(2, ["x", None, None])
