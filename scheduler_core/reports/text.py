"""Text a user typed, made safe for each export target: spreadsheets (no formula injection,
only characters XML can store) and PDF (fpdf2's latin-1 core fonts). Used by the exports of
both problems."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

#: Leading characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix a single quote to text a spreadsheet would read as a formula.

    Only for *text* cells (lot ids, types, names): numbers are never passed here.
    """
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def safe_cell(value: Any) -> Any:
    """A spreadsheet cell value: text through :func:`neutralise`, anything else unchanged."""
    return neutralise(value) if isinstance(value, str) else value


# Characters an XLSX (XML 1.0) cell cannot hold; openpyxl raises IllegalCharacterError.
_EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def excel_text(value: Any) -> str:
    """Text safe for an Excel cell: characters XML cannot store replaced by ``?``, then
    :func:`neutralise` d. Callers also force the cell's data type to string."""
    text = _EXCEL_ILLEGAL.sub("?", str(value))
    return neutralise(text)


# Common non-latin-1 punctuation with a readable ASCII stand-in.
_PDF_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',
    "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
    "\u2026": "...", "\u2022": "*", "\u2192": "->", "\u2190": "<-", "\u2194": "<->",
    "\u20ac": "EUR", "\u2122": "TM", "\u2264": "<=", "\u2265": ">=", "\u2260": "!=",
    "\u0111": "dj", "\u0110": "Dj",
    "\u2009": " ", "\u202f": " ", "\u200b": "",
    "\ufeff": "", "\u200d": "", "\u200e": "", "\u200f": "",
}


def pdf_text(value: Any, *, max_len: int | None = None) -> str:
    """Text safe for fpdf2's latin-1 core fonts; never raises on any input.

    Latin-1 printable characters are kept (``é`` stays ``é``); others are transliterated
    where Unicode allows (``č`` -> ``c``, ``ﬁ`` -> ``fi``) or become ``?`` (emoji, CJK,
    lone surrogates). Control characters become spaces. ``max_len`` truncates with ``...``.
    """
    text = str(value)
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if 0x20 <= code < 0x7F or 0xA0 <= code <= 0xFF:
            out.append(ch)
        elif code < 0x20 or 0x7F <= code < 0xA0:
            out.append(" ")  # C0/C1 controls, DEL
        elif ch in _PDF_REPLACEMENTS:
            out.append(_PDF_REPLACEMENTS[ch])
        else:
            out.append(_transliterate(ch))
    result = "".join(out)
    if max_len is not None and len(result) > max_len:
        result = result[: max_len - 3] + "..." if max_len >= 3 else result[:max(0, max_len)]
    return result


def _transliterate(ch: str) -> str:
    try:
        decomposed = unicodedata.normalize("NFKD", ch)
    except (ValueError, TypeError):  # pragma: no cover - defensive
        return "?"
    kept = [
        c for c in decomposed
        if (0x20 <= ord(c) < 0x7F or 0xA0 <= ord(c) <= 0xFF) and not unicodedata.combining(c)
    ]
    return "".join(kept) if kept else "?"
