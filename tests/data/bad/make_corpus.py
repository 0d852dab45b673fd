"""Regenerate the bad-input corpus in this folder (``python tests/data/bad/make_corpus.py``).

The files are committed; this script documents how each one was made. The expected outcome
of every file is in ``expected.yaml``. The 1,000,000-row and 60 MB cases are not stored:
``tests/reliability/test_bad_inputs.py`` generates them at test time.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
HEADER = "Lot ID,Type,Vials\n"


def text(name: str, content: str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(content.encode(encoding))


def raw(name: str, content: bytes) -> None:
    (HERE / name).write_bytes(content)


def xlsx_bytes(sheets: dict[str, list[list]], *, merge: str | None = None) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        if merge and title == next(iter(sheets)):
            ws.merge_cells(merge)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx(name: str, sheets: dict[str, list[list]], **kw) -> None:
    raw(name, xlsx_bytes(sheets, **kw))


def with_cached_value(data: bytes, formula: str, value: str) -> bytes:
    """The workbook with ``<v>value</v>`` saved for ``formula`` (as Excel would)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                body = re.sub(
                    rb"<f>" + re.escape(formula.encode()) + rb"</f>(<v\s*/>|<v>\s*</v>)?",
                    b"<f>" + formula.encode() + b"</f><v>" + value.encode() + b"</v>",
                    body,
                )
            dst.writestr(item, body)
    return out.getvalue()


def zip_of(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n, b in files.items():
            z.writestr(n, b)
    return buf.getvalue()


def main() -> None:
    good = HEADER + "L1,A,5000\nL2,B,7000\n"
    # ---- encodings / BOM / delimiters
    raw("utf16_le_bom.csv", good.encode("utf-16"))  # BOM + little endian
    raw("utf16_be_bom.csv", b"\xfe\xff" + good.encode("utf-16-be"))
    raw("utf16_no_bom.csv", good.encode("utf-16-le"))
    raw("utf16_odd_length.csv", good.encode("utf-16") + b"\x00")
    raw("latin1.csv", (HEADER + "L1,A,5000\nL\xe92,B,7000\n").encode("latin-1"))
    raw("cp1252_quotes.csv", (HEADER + "\u201cL1\u201d,A,5000\n").encode("cp1252"))
    raw("utf8_bom.csv", b"\xef\xbb\xbf" + good.encode())
    raw("bom_only.csv", b"\xef\xbb\xbf")
    text("semicolon.csv", good.replace(",", ";"))
    text("tab.tsv", good.replace(",", "\t"))
    text("tab_in_csv_name.csv", good.replace(",", "\t"))
    text("crlf.csv", good.replace("\n", "\r\n"))
    text("quoted_newline.csv", HEADER + '"L1\nsecond line",A,5000\nL2,B,lots\n')
    text("unterminated_quote.csv", HEADER + '"L1,A,5000\nL2,B,7000\n')
    text("long_field.csv", HEADER + '"' + "x" * 200_000 + '",A,5\n')
    # ---- structure
    text("duplicate_header.csv", "Lot ID,Type,Vials,Quantity\nL1,A,5,6\n")
    text("duplicate_lot_ids.csv", HEADER + "L1,A,5000\nL1,B,7000\n")
    text("missing_column.csv", "Lot ID,Type\nL1,A\n")
    text("no_known_header.csv", "foo,bar,baz\n1,2,3\n")
    raw("empty.csv", b"")
    text("whitespace_only.csv", " \n\t\n\r\n")
    text("header_only.csv", HEADER)
    text("blank_rows_between.csv", HEADER + "\n,,\nL1,A,5000\n\n\nL2,B,7000\n")
    text("many_errors.csv", HEADER + "".join(f"L{i},A,x{i}\n" for i in range(300)))
    # ---- binary posing as text or Excel
    raw("zip_as_csv.csv", zip_of({"a.txt": b"hello"}))
    raw("png_as_csv.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    raw("nul_byte.csv", (HEADER + "L1,A,5000\n").encode() + b"L\x002,B,7000\n")
    raw("zip_as_xlsx.xlsx", zip_of({"a.txt": b"hello"}))
    raw("text_as_xlsx.xlsx", good.encode())
    raw("broken_xml.xlsx", zip_of({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<"}))
    raw("truncated.xlsx", xlsx_bytes({"Lots": [["Lot ID", "Type", "Vials"], ["L1", "A", 5]]})[:900])
    raw("random_bytes.xlsx", bytes((i * 7919) % 256 for i in range(4096)))
    # ---- Excel specifics
    xlsx("formula_no_cache.xlsx", {"Lots": [["Lot ID", "Type", "Vials"], ["L1", "A", "=10*10"]]})
    raw(
        "formula_cached.xlsx",
        with_cached_value(
            xlsx_bytes({"Lots": [["Lot ID", "Type", "Vials"], ["L1", "A", "=10*10"]]}),
            "10*10",
            "100",
        ),
    )
    xlsx(
        "merged_cells.xlsx",
        {"Lots": [["Lot ID", "Type", "Vials"], ["L1", "A", 5], ["L2", None, 6]]},
        merge="B2:B3",
    )
    xlsx(
        "several_sheets.xlsx",
        {"Notes": [["read me"]], "lots": [["Lot ID", "Type", "Vials"], ["L1", "A", 5]]},
    )
    xlsx("first_sheet_empty.xlsx", {"Sheet1": [], "Data": [["Lot ID", "Type", "Vials"]]})
    xlsx("excel_bool_vials.xlsx", {"Lots": [["Lot ID", "Type", "Vials"], ["L1", "A", True]]})
    xlsx("excel_error_value.xlsx", {"Lots": [["Lot ID", "Type", "Vials"], ["L1", "A", "#DIV/0!"]]})
    xlsx(
        "excel_native_dates.xlsx",
        {"Lots": [["Lot ID", "Type", "Vials", "Due"], ["L1", "A", 5, datetime(2026, 12, 1, 14)]]},
    )
    xlsx(
        "excel_numeric_ids.xlsx",
        {"Lots": [["Lot ID", "Type", "Vials"], [1001, 7, 5.0], [1002, 7, 6]]},
    )
    # ---- values
    text("dates_as_text.csv", "Lot ID,Type,Vials,Due\nL1,A,5,01.12.2026\nL2,A,6,2026-12-01T14:00\n")
    text("bad_date_text.csv", "Lot ID,Type,Vials,Due\nL1,A,5,31/13/2026\n")
    text("ambiguous_slash_date.csv", "Lot ID,Type,Vials,Due\nL1,A,5,05/06/2026\n")
    text("date_out_of_range.csv", "Lot ID,Type,Vials,Due\nL1,A,5,9999-12-31\n")
    text("thousands_ok.csv", HEADER + 'L1,A,"12,000"\nL2,A,12 000\nL3,A,12_000\n')
    text("thousands_dot_ambiguous.csv", "Lot ID;Type;Vials\nL1;A;1.000\n")
    text("decimal_comma.csv", "Lot ID;Type;Vials\nL1;A;12,5\n")
    text("huge_number.csv", HEADER + "L1,A,1e30\n")
    text("huge_digits.csv", HEADER + "L1,A," + "9" * 5000 + "\n")
    text("negative.csv", HEADER + "L1,A,-5\n")
    text("zero.csv", HEADER + "L1,A,0\n")
    text("nan.csv", HEADER + "L1,A,NaN\n")
    text("inf.csv", HEADER + "L1,A,inf\n")
    text("fractional.csv", HEADER + "L1,A,12.5\n")
    text("bad_priority.csv", "Lot ID,Type,Vials,Priority\nL1,A,5,high\n")
    # ---- hostile text (accepted as ids, neutralised on output)
    text("html_ids.csv", HEADER + '"<script>alert(1)</script>","<b>A</b>",5000\n<img src=x onerror=alert(1)>,B,7000\n')
    text(
        "formula_payloads.csv",
        HEADER + "\"=cmd|' /C calc'!A0\",+SUM(1;2),5000\n@SUM(A1),-2+3,7000\n\"=HYPERLINK(\"\"http://x\"\")\",A,100\n",
    )
    text("control_chars.csv", HEADER + "L\x011\x07,A\x1b,5000\nL2\x7f,B,7000\n")
    text("emoji.csv", HEADER + "\U0001f489-001,\U0001f9ea,5000\n\u6f22\u5b57,\u0416,7000\n")
    # ---- configs (YAML / JSON)
    text("alias_bomb.yaml", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
         "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n")
    text("merge_key.yaml", "base: &base {clean_hours: 2}\nother:\n  <<: *base\n")
    text("unknown_key.yaml", "fill_rate_vph: 1000\nfill_rat_vph: 1000\n")
    text("wrong_type.yaml", "fill_rate_vph: fast\n")
    text("bool_number.yaml", "window_hours: yes\n")
    text("wrong_strategy.yaml", "strategy: quantum\n")
    text("list_top.yaml", "- fill_rate_vph: 1000\n")
    text("python_tag.yaml", "strategy: !!python/object/apply:os.system ['echo pwned']\n")
    text("syntax_error.yaml", "fill_rate_vph: 1000\nclean_hours: [1, 2\nwindow_hours: 3\n")
    text("deep_nesting.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n")
    text("deep_nesting.json", '{"a": ' + "[" * 5000 + "]" * 5000 + "}")
    text("nan.json", '{"fill_rate_vph": NaN}')
    text("huge_int.yaml", "fill_rate_vph: " + "9" * 400 + "\n")
    text("huge_literal.json", '{"fill_rate_vph": ' + "9" * 5000 + "}")
    raw("latin1.yaml", "strategy: b\xe9st\n".encode("latin-1"))
    text("matrix_wrong.yaml", "changeover_matrix: [1, 2]\n")
    text("negative.yaml", "clean_hours: -1\n")
    text("start_time_bad.yaml", "start_time: next tuesday\n")
    text("start_time_feb30.yaml", "start_time: 2026-02-30\n")
    text("tz_start_time.yaml", "start_time: 2026-12-01T06:00:00+02:00\nstrategy: smart-pack\n")
    # ---- shop workbook reader
    raw("shop_latin1.csv", "rn;work_center;norma\nR\xe9;A;5\n".encode("latin-1"))
    text("shop_nan_norma.csv", "rn,work_center,norma\nR1,A,nan\n")
    text("shop_inf_quantity.csv", "rn,work_center,norma,quantity\nR1,A,5,1e400\n")
    raw("shop_garbage.xlsx", bytes((i * 31) % 256 for i in range(2048)))
    raw("shop_broken_xml.xlsx", zip_of({"[Content_Types].xml": b"<Types"}))
    text("shop_missing_columns.csv", "foo,bar\n1,2\n")
    text("shop_due_9999.csv", "RN;naziv;norma;radni_centar;datum_isporuke\nWO-7;Plate;12;RC1;9999-12-31\n")
    text("shop_ambiguous_date.csv", "RN;naziv;norma;radni_centar;datum_isporuke\nWO-7;Plate;12;RC1;05/06/2026\n")
    text("shop_dot_thousands.csv", "RN;naziv;norma;radni_centar\nWO-7;Plate;1.200;RC1\n")
    text("shop_semicolon_commas.csv", "RN;naziv;norma;radni_centar\nWO-7;Plate, bent, 1,5 mm, galv.;12,5;RC1\n"
         "WO-8;Pin, short, 2,0 mm, zinc;2,5;RC1\n")
    xlsx("shop_formula_norma.xlsx", {"Plan": [["RN", "naziv", "norma", "radni_centar"], ["A", "op", "=10*3", "X"]]})


if __name__ == "__main__":
    main()
