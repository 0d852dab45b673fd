"""Fuzz the input parsers: whatever the bytes, the outcome is a value or ``InputError``.

Any other exception (``UnicodeDecodeError``, ``RecursionError``, ``OverflowError``, an XML
parse error, ...) fails the test. ``max_examples`` is modest so the module stays quick.
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from scheduler_core.errors import InputError
from scheduler_core.filling.io_config import parse_config
from scheduler_core.filling.io_lots import parse_lots
from scheduler_core.shop.io import read_workbook

pytestmark = pytest.mark.timeout(120)

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


def only_input_errors(parse, *args, **kwargs):
    try:
        return parse(*args, **kwargs)
    except InputError as exc:
        assert exc.problems, "an InputError always names at least one problem"
        for problem in exc.problems:
            assert isinstance(problem.reason, str) and problem.reason
        return None


# ---- building blocks of "almost valid" inputs
HEADERS = st.sampled_from(
    ["Lot ID", "Type", "Vials", "Priority", "Due", "lot", "quantity", "vial count", "", "x", "Vials"]
)
CELL = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["5", "-5", "0", "1e400", "nan", "inf", "1.000", "12,000", "2026-12-01", "31.12.2026",
         "=1+1", "<b>", "\x00", "\u202e", "\U0001f489", '"', "'", ";", "\t", "\r\n", "9" * 5000]
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
ROWS = st.lists(st.lists(CELL, min_size=0, max_size=6), min_size=0, max_size=8)


def to_csv(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


@FUZZ
@given(data=st.binary(max_size=2048), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", None]))
def test_parse_lots_arbitrary_bytes(data, name):
    only_input_errors(parse_lots, data, filename=name)


@FUZZ
@given(
    header=st.lists(HEADERS, min_size=0, max_size=6),
    rows=ROWS,
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]),
)
def test_parse_lots_csv_like(header, rows, delimiter, encoding):
    text = to_csv(header, rows, delimiter)
    data = text.encode(encoding, errors="replace")
    lots = only_input_errors(parse_lots, data, filename="fuzz.csv")
    if lots is not None:
        assert lots, "success always means at least one lot"
        ids = [lot.lot_id for lot in lots]
        assert len(ids) == len(set(ids))
        assert all(lot.vials > 0 for lot in lots)


@FUZZ
@given(text=st.text(max_size=400))
def test_parse_lots_arbitrary_text(text):
    only_input_errors(parse_lots, text.encode("utf-8", errors="surrogatepass"), filename="t.csv")


def _xlsx(rows: list[list]) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


EXCEL_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=10),
    st.sampled_from(["=1/0", "=A1", "#N/A", "2026-12-01"]),
)


@settings(max_examples=40, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(
    header=st.lists(HEADERS, min_size=0, max_size=5),
    rows=st.lists(st.lists(EXCEL_CELL, max_size=5), max_size=5),
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=5000)),
)
def test_parse_lots_excel_like(header, rows, cut):
    data = _xlsx([header, *rows])
    if cut is not None:
        data = data[:cut]  # truncated workbooks
    only_input_errors(parse_lots, data, filename="fuzz.xlsx")


YAML_SCALAR = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=10),
    st.sampled_from(["best", "smart-pack", "2026-12-01", "2026-02-30", "&a x", "*a", "!!binary AA=="]),
)
YAML_VALUE = st.recursive(
    YAML_SCALAR,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
CONFIG_KEYS = st.sampled_from(
    ["fill_rate_vph", "clean_hours", "window_hours", "changeover_same_hours",
     "changeover_diff_hours", "time_limit_s", "changeover_matrix", "start_time", "strategy", "other"]
)


@FUZZ
@given(mapping=st.dictionaries(CONFIG_KEYS, YAML_VALUE, max_size=5))
def test_parse_config_mappings(mapping):
    only_input_errors(parse_config, mapping)


@FUZZ
@given(
    lines=st.lists(
        st.tuples(CONFIG_KEYS, st.one_of(st.text(max_size=20), YAML_SCALAR.map(str))), max_size=6
    ),
    suffix=st.sampled_from(["c.yaml", "c.json", "c.yml"]),
)
def test_parse_config_yaml_text(lines, suffix):
    text = "\n".join(f"{k}: {v}" for k, v in lines)
    only_input_errors(parse_config, text.encode("utf-8", errors="replace"), filename=suffix)


@FUZZ
@given(data=st.binary(max_size=1024), suffix=st.sampled_from(["c.yaml", "c.json"]))
def test_parse_config_arbitrary_bytes(data, suffix):
    only_input_errors(parse_config, data, filename=suffix)


SHOP_HEADERS = st.sampled_from(
    ["rn", "work_center", "norma", "quantity", "sequence", "status", "priority", "pinned_start",
     "datum_isporuke", "alternatives", "kolicina", "radni_centar", "x", ""]
)


@FUZZ
@given(header=st.lists(SHOP_HEADERS, max_size=7), rows=ROWS,
       delimiter=st.sampled_from([",", ";"]))
def test_shop_reader_csv_like(header, rows, delimiter):
    data = to_csv(header, rows, delimiter).encode("utf-8", errors="replace")
    only_input_errors(read_workbook, data, filename="shop.csv")


@FUZZ
@given(data=st.binary(max_size=2048), name=st.sampled_from(["s.csv", "s.xlsx"]))
def test_shop_reader_arbitrary_bytes(data, name):
    only_input_errors(read_workbook, data, filename=name)


@settings(max_examples=30, deadline=None, database=None)
@given(members=st.dictionaries(
    st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                     "xl/_rels/workbook.xml.rels", "_rels/.rels"]),
    st.binary(max_size=200), max_size=5))
def test_zip_posing_as_workbook(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in members.items():
            z.writestr(name, body)
    only_input_errors(parse_lots, buf.getvalue(), filename="z.xlsx")
    only_input_errors(read_workbook, buf.getvalue(), filename="z.xlsx")
