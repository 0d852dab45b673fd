"""Hostile user text (lot ids, types, schedule names) through plan -> every output.

CSV: no cell a spreadsheet would run as a formula. Excel: no cell stored as a formula
(``data_type != "f"``), no ``=`` text. PDF: renders, the text is present or safely
replaced. Gantt: every user string in hovers, legend and title HTML-escaped. Upload size
limit: configurable through ``PSS_MAX_UPLOAD_MB`` and enforced by the parsers' own limit.
"""

from __future__ import annotations

import csv
import html
import io
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler_core.filling import FillingConfig, FillingProblem, Lot, parse_lots, plan
from scheduler_core.reports import to_csv, to_excel, to_pdf
from scheduler_core.reports.text import FORMULA_PREFIXES

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:  # the webapp package (see tests/webapp/conftest.py)
    sys.path.insert(0, _ROOT)

from webapp.charts import filling as charts  # noqa: E402
from webapp.settings import load_settings  # noqa: E402

pytestmark = pytest.mark.timeout(60)

HOSTILE = [
    "<script>alert(1)</script>",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tTAB=1+1",
    "\rCR=1+1",
    "ctl\x00\x01\x07\x1b\x7fchars",
    "emoji \U0001f489\U0001f9ea \u202eRTL",
    "<img src=x onerror=alert(1)>",
    "x" * 10_000,
]
TITLE = "<script>alert('t')</script> =HYPERLINK(\"x\") \U0001f489"


@pytest.fixture(scope="module")
def result():
    lots = [
        Lot(f"{text}#{i}", HOSTILE[(i + 3) % len(HOSTILE)], 1000 + 10 * i)
        for i, text in enumerate(HOSTILE)
    ]
    cfg = FillingConfig(start_time=datetime(2026, 12, 1, 6), strategy="smart-pack")
    return plan(FillingProblem(lots), replace(cfg, strategy="smart-pack"))


def test_csv_has_no_formula_cells(result):
    rows = list(csv.reader(io.StringIO(to_csv(result).decode("utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    assert body
    text_cols = [header.index("lot_id"), header.index("lot_type")]
    seen_ids = set()
    for row in body:
        for k in text_cols:
            assert not row[k].startswith(FORMULA_PREFIXES), row[k][:40]
        seen_ids.add(row[text_cols[0]])
    # the payload is kept (as text, prefixed with a quote), not dropped
    assert "'=cmd|' /C calc'!A0#2" in seen_ids
    assert "<script>alert(1)</script>#0" in seen_ids


def test_csv_export_of_parsed_payload_file():
    """The corpus file with ``=cmd|...`` ids: accepted, and neutralised in CSV and Excel."""
    bad = Path(__file__).resolve().parents[1] / "data" / "bad" / "formula_payloads.csv"
    lots = parse_lots(bad)
    res = plan(FillingProblem(lots), FillingConfig(start_time=datetime(2026, 12, 1), strategy="smart-pack"))
    cells = [c for row in csv.reader(io.StringIO(to_csv(res).decode())) for c in row]
    assert "'=cmd|' /C calc'!A0" in cells and "'@SUM(A1)" in cells and "'+SUM(1;2)" in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    wb = load_workbook(io.BytesIO(to_excel(res)))
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_excel_has_no_formula_cells(result):
    wb = load_workbook(io.BytesIO(to_excel(result, title=TITLE)))  # formulas kept as formulas
    texts = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_PREFIXES), cell.value[:40]
                    assert not any(ord(c) < 0x20 and c not in "\t\r\n" for c in cell.value), repr(cell.value[:40])
                    texts.append(cell.value)
    joined = "\n".join(texts)
    assert "'=HYPERLINK(" in joined and "<script>alert(1)</script>#0" in joined
    assert "\U0001f489" in joined  # emoji are legal in XLSX: kept


def test_pdf_renders_hostile_text(result):
    from pypdf import PdfReader

    data = to_pdf(result, title=TITLE)
    assert data.startswith(b"%PDF")
    text = "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)
    assert "<script>alert('t')</script>" in text  # plain text in a PDF: nothing executes
    assert "=HYPERLINK" in text
    assert "\U0001f489" not in text  # not in the latin-1 fonts: replaced, never a crash


def test_gantt_hover_legend_and_title_escaped(result):
    fig = charts.gantt(result, title=TITLE)
    user_strings = []
    for trace in fig.data:
        user_strings.append(trace.name or "")
        for row in trace.customdata:
            user_strings.extend(str(v) for v in row[1:3])
    user_strings.append(fig.layout.title.text or "")
    for s in user_strings:
        assert "<" not in s and ">" not in s, s[:60]
    flat = "\n".join(user_strings)
    assert html.escape("<script>alert(1)</script>#0") in flat
    assert html.escape("<img src=x onerror=alert(1)>", quote=True).split("#")[0] in flat
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt;" in fig.layout.title.text
    # the figure serialises (what Streamlit sends to the browser)
    assert "<script>alert(1)" not in fig.to_json()


def test_upload_limit_is_configurable():
    assert load_settings({}).max_upload_bytes == 20 * 1024 * 1024
    five = load_settings({"PSS_MAX_UPLOAD_MB": "5"})
    assert five.max_upload_mb == 5 and five.max_upload_bytes == 5 * 1024 * 1024
    with pytest.raises(ValueError):
        load_settings({"PSS_MAX_UPLOAD_MB": "lots"})


def test_streamlit_server_limits_configured():
    import tomllib

    config = Path(_ROOT) / ".streamlit" / "config.toml"
    server = tomllib.loads(config.read_text(encoding="utf-8"))["server"]
    assert server["enableXsrfProtection"] is True
    assert 0 < server["maxUploadSize"] <= 20  # MB; the parsers refuse more anyway


class _Upload:
    """Stands in for Streamlit's UploadedFile (name + getvalue)."""

    def __init__(self, name: str, data: bytes):
        self.name, self._data = name, data

    def getvalue(self) -> bytes:
        return self._data


def test_uploads_above_the_configured_limit_are_refused_before_parsing(monkeypatch):
    from scheduler_core.errors import InputError
    from webapp import settings, ui

    monkeypatch.setenv("PSS_MAX_UPLOAD_MB", "1")
    settings.get_settings.cache_clear()
    try:
        big = _Upload("lots.csv", b"Lot ID,Type,Vials\n" + b"L,A,1\n" * 200_000)
        lots, error = ui.parse_upload(big)
        assert lots is None and "limited to" in str(error)
        with pytest.raises(InputError, match="limited to"):
            ui.upload_bytes(big)
        small = _Upload("lots.csv", b"Lot ID,Type,Vials\nL1,A,5\n")
        lots, error = ui.parse_upload(small)
        assert error is None and lots[0].lot_id == "L1"
    finally:
        settings.get_settings.cache_clear()
