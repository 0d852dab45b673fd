"""User text made safe per target: spreadsheets (formula prefixes neutralised, characters XML
cannot hold replaced) and PDF (latin-1 only: kept, transliterated, or ``?``)."""

from __future__ import annotations

import pytest

from scheduler_core.reports.text import FORMULA_PREFIXES, excel_text, neutralise, pdf_text, safe_cell


def test_neutralise_every_prefix():
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(prefix + "x") == "'" + prefix + "x"
    assert neutralise("A-1") == "A-1"
    assert neutralise("") == ""


def test_neutralise_only_the_start_and_only_once():
    assert FORMULA_PREFIXES == ("=", "+", "-", "@", "\t", "\r")
    assert neutralise("=") == "'="
    assert neutralise("a=b+c") == "a=b+c"
    assert neutralise(" =1") == " =1"
    assert neutralise("'=1") == "'=1"  # already quoted: starts with a quote, left alone
    assert neutralise("\n=1") == "\n=1"


def test_safe_cell_neutralises_formulas():
    assert safe_cell("=SUM(A1)") == "'=SUM(A1)"
    assert safe_cell("+1") == "'+1" and safe_cell("-x") == "'-x" and safe_cell("@a") == "'@a"
    assert safe_cell("RN-1") == "RN-1" and safe_cell(5) == 5


def test_safe_cell_leaves_non_text_values_alone():
    assert safe_cell(-5) == -5 and safe_cell(-2.5) == -2.5
    assert safe_cell(None) is None
    assert safe_cell(True) is True


@pytest.mark.parametrize(
    "value, expected",
    [
        ("plain", "plain"),
        ("bad\x00\x07id", "bad??id"),
        ("T\x1b😀", "T?😀"),  # emoji are kept: XML can hold them
        ("tab\tnew\nline\rend", "tab\tnew\nline\rend"),  # the three allowed controls
        ("\x0b\x0c\x0e\x1f", "????"),
        ("lone \ud800 surrogate", "lone ? surrogate"),
        ("\ufffe\uffff", "??"),
        ("=1+1", "'=1+1"),
        ("\x01=1", "?=1"),  # replaced first: no longer a formula prefix
        ("-5", "'-5"),
        ("é ñ 漢字", "é ñ 漢字"),
    ],
)
def test_excel_text(value, expected):
    assert excel_text(value) == expected


def test_excel_text_of_other_values_is_their_text():
    assert excel_text(5) == "5" and excel_text(-5) == "'-5"
    assert excel_text(None) == "None"


def test_pdf_text_sanitiser():
    assert pdf_text("Ünïcödé é") == "Ünïcödé é"
    assert pdf_text("čćž") == "ccz"
    assert pdf_text("a😀b") == "a?b"
    assert pdf_text("a\x00b\nc") == "a b c"
    assert pdf_text("“x” — y…") == '"x" - y...'
    assert pdf_text("\ud800") == "?"
    assert pdf_text("abcdefgh", max_len=5) == "ab..."
    for text in ("漢字", "\U0010ffff", "\ufffe", "ﬁ"):
        pdf_text(text).encode("latin-1")


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Đorđe Đoković", "Djordje Djokovic"),  # đ/Đ have no decomposition: dj/Dj
        ("Šibenik – Čakovec", "Sibenik - Cakovec"),
        ("ﬁle", "file"),  # compatibility decomposition
        ("5 € → 3 ≤ 4", "5 EUR -> 3 <= 4"),
        ("thin\u2009narrow\u202fzero\u200bwidth\ufeff", "thin narrow zerowidth"),
        ("no\u00a0break", "no\u00a0break"),  # a latin-1 character: kept as it is
        ("Ωmega 漢", "?mega ?"),
        ("naïve ß ÿ", "naïve ß ÿ"),  # latin-1 letters are kept
        ("", ""),
    ],
)
def test_pdf_text_transliterates(value, expected):
    assert pdf_text(value) == expected


def test_pdf_text_control_characters_become_spaces():
    assert pdf_text("a\tb\rc\x1bd\x7fe\x85f\x9fg") == "a b c d e f g"
    assert pdf_text("\x00" * 3) == "   "


def test_pdf_text_of_other_values():
    assert pdf_text(12.5) == "12.5"
    assert pdf_text(None) == "None"


def test_pdf_text_max_len():
    assert pdf_text("abcdefgh", max_len=8) == "abcdefgh"  # fits: unchanged
    assert pdf_text("abcdefgh", max_len=7) == "abcd..."
    assert pdf_text("abcd", max_len=3) == "..."
    assert pdf_text("abcd", max_len=2) == "ab" and pdf_text("abcd", max_len=0) == ""  # never longer
    assert len(pdf_text("x" * 5000, max_len=80)) == 80
    # the limit applies to the sanitised text: "…" becomes three characters
    assert pdf_text("ab…", max_len=5) == "ab..."
    assert pdf_text("abc…", max_len=5) == "ab..."


@pytest.mark.parametrize("value", ["😀", "\ud83d", "\U0010ffff", "\uffff", "Ǆ", "㎏", "\u0301"])
def test_pdf_text_is_always_latin_1(value):
    pdf_text(value).encode("latin-1")
    pdf_text(value, max_len=4).encode("latin-1")
