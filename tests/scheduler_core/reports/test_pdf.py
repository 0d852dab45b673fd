"""PDF export: opens with pypdf, several pages, title and ids in the text, hostile text."""

from __future__ import annotations

import io
import time

import pytest
from pypdf import PdfReader

from scheduler_core.filling.model import FillingConfig, Lot
from scheduler_core.reports import to_pdf


def _text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_small_pdf_has_title_ids_and_sections(small_result):
    reader, text = _text(to_pdf(small_result, title="Line 3 - week 2"))
    assert "Line 3 - week 2" in text
    assert "001" in text and "Vaccine-A" in text
    for heading in ("Inputs", "Configuration", "Key figures", "Gantt", "Activities"):
        assert heading in text
    assert f"Page 1 of {len(reader.pages)}" in text


def test_default_title_names_strategy(small_result):
    _, text = _text(to_pdf(small_result))
    assert "Filling schedule - hand-built" in text


def test_large_pdf_spans_pages_with_repeated_header(large_result):
    reader, text = _text(to_pdf(large_result, title="Big run"))
    assert len(reader.pages) > 10
    last = reader.pages[-1].extract_text()
    assert "Lot ID" in last and "Duration (h)" in last  # header repeated on the last page
    assert large_result.activities[-1].lot_id in last
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last


@pytest.mark.parametrize(
    "title",
    [
        "<script>alert('x')</script> & <b>bold</b>",
        "Plan 😀🚀 für Ünïcödé — “quotes” € 漢字",
        "ctrl\x00\x01\x1b[31m\r\n\ttabs\x7f\x85",
        "lone surrogate \ud800 here",
        "(unbalanced \\ parens ) (",
        "x" * 5000,
        "",
        "   ",
    ],
)
def test_hostile_titles_do_not_crash(small_result, title):
    reader, text = _text(to_pdf(small_result, title=title))
    assert len(reader.pages) >= 3
    if title.startswith("<script>"):
        assert "<script>alert('x')</script>" in text  # shown literally, not interpreted


def test_hostile_lot_ids_and_types_do_not_crash(builder):
    lots = [
        Lot("😀-1", "漢字", 19_920),
        Lot("ctrl\x00id", "<b>T</b>", 39_840),
        Lot("Lót-č", "Type\u2014A", 19_920),
    ]
    _, text = _text(to_pdf(builder.build([lots])))
    assert "Lót-c" in text


def test_many_lot_types_group_into_other_lane(builder):
    lots = [Lot(f"L{i}", f"T{i % 30}", 19_920 * 5) for i in range(120)]
    reader, text = _text(to_pdf(builder.pack(lots)))
    assert "Other types" in text


def test_changeover_matrix_in_summary(builder):
    config = FillingConfig(start_time=builder.start, changeover_matrix={("A", "B"): 6.5})
    result = builder.build([[Lot("1", "A", 19_920), Lot("2", "B", 19_920)]], config)
    _, text = _text(to_pdf(result))
    assert "A -> B: 6.5 h" in text


def test_thousand_lots_export_quickly(builder):
    result = builder.pack(builder.lots(1000, types=6, seed=3))
    t0 = time.perf_counter()
    data = to_pdf(result)
    elapsed = time.perf_counter() - t0
    assert len(PdfReader(io.BytesIO(data)).pages) > 40
    assert elapsed < 10  # generous for slow CI; measured well under 1 s locally


def _red_outlines(reader: PdfReader) -> int:
    from scheduler_core.reports import palette

    r, g, b = (round(c / 255, 4) for c in palette.rgb(palette.LATE_COLOUR))
    mark = f"{r:g} {g:g} {b:g} RG".encode()
    return sum(page.get_contents().get_data().count(mark) for page in reader.pages)


def test_late_lots_outlined_and_lateness_listed(due_result, small_result):
    reader, text = _text(to_pdf(due_result, title="due"))
    assert _red_outlines(reader) == 2  # A1 in the overview and in the chart by block
    assert "Late lot, red outline (1)" in text and "Late lots" in text and "Max lateness" in text
    assert "Lateness (h)" in text and "40.00" in text and "-2.00" in text
    assert _red_outlines(PdfReader(io.BytesIO(to_pdf(small_result)))) == 0
