"""Shared row building for every export format, plus text neutralisation helpers.

All three exports (CSV, Excel, PDF) read a schedule through :func:`activity_rows`,
:func:`lot_rows`, :func:`summary_items` and :func:`kpi_items`, so they never disagree on
what a column means. Text a user typed (lot ids, lot types, titles) is made safe for each
target by the helpers at the bottom: :func:`neutralise` (spreadsheet formula injection),
:func:`excel_text` (characters XML/Excel cannot store) and :func:`pdf_text` (the latin-1
core fonts of fpdf2).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from scheduler_core.filling.model import ActivityKind, ScheduleResult

#: Columns of :func:`activity_rows`, in order.
ACTIVITY_COLUMNS: tuple[str, ...] = (
    "block",
    "kind",
    "lot_id",
    "lot_type",
    "vials",
    "start",
    "end",
    "duration_h",
)

#: Leading characters that make a spreadsheet treat a cell as a formula (OWASP CSV injection).
FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def activity_rows(result: ScheduleResult) -> list[dict[str, Any]]:
    """One dict per activity, in line order, with the keys of :data:`ACTIVITY_COLUMNS`.

    ``start``/``end`` are ``datetime`` objects (each format renders them itself);
    ``lot_id``/``lot_type``/``vials`` are ``None`` for ``CLEAN``. Text is returned raw:
    each exporter neutralises it for its own target.
    """
    return [
        {
            "block": a.block,
            "kind": str(a.kind),
            "lot_id": a.lot_id,
            "lot_type": a.lot_type,
            "vials": a.vials,
            "start": a.start,
            "end": a.end,
            "duration_h": a.duration_h,
        }
        for a in result.activities
    ]


def lot_rows(result: ScheduleResult) -> list[dict[str, Any]]:
    """One dict per lot in fill order: lot_id, lot_type, vials, fill_h, block, fill
    start/end, priority, due. Lots without a FILL (never in a valid result) come last with
    empty schedule fields."""
    fills = {a.lot_id: a for a in result.activities if a.kind == ActivityKind.FILL}
    rate = float(result.config.fill_rate_vph)
    rows: list[dict[str, Any]] = []
    for lot in result.lots:
        fill = fills.get(lot.lot_id)
        rows.append(
            {
                "lot_id": lot.lot_id,
                "lot_type": lot.lot_type,
                "vials": lot.vials,
                "fill_h": fill.duration_h if fill is not None else lot.vials / rate,
                "block": fill.block if fill is not None else None,
                "start": fill.start if fill is not None else None,
                "end": fill.end if fill is not None else None,
                "priority": lot.priority,
                "due": lot.due,
            }
        )
    far = datetime.max
    rows.sort(key=lambda r: r["start"] or far)  # stable: unscheduled lots keep input order
    return rows


def kpi_items(result: ScheduleResult) -> list[tuple[str, float | int, str]]:
    """``(label, value, unit)`` for every KPI. Utilisation is a fraction with unit ``%``
    (formats multiply it by 100 for display)."""
    k = result.kpis
    return [
        ("Makespan", k.makespan_h, "h"),
        ("Lower bound", k.lower_bound_h, "h"),
        ("Gap to lower bound", k.gap_pct, "%"),
        ("Blocks (cleans)", k.blocks, "count"),
        ("Clean hours", k.clean_h, "h"),
        ("Changeovers", k.changeovers, "count"),
        ("Changeover hours", k.changeover_h, "h"),
        ("Fill hours", k.fill_h, "h"),
        ("Utilisation", k.utilisation, "%"),
        ("Lots", k.lots, "count"),
    ]


def config_items(result: ScheduleResult) -> list[tuple[str, str]]:
    """``(key, display value)`` for every config value the schedule was planned with."""
    c = result.config
    items = [
        ("fill_rate_vph", f"{_num(c.fill_rate_vph)} vials/h"),
        ("clean_hours", f"{_num(c.clean_hours)} h"),
        ("window_hours", f"{_num(c.window_hours)} h"),
        ("changeover_same_hours", f"{_num(c.changeover_same_hours)} h"),
        ("changeover_diff_hours", f"{_num(c.changeover_diff_hours)} h"),
    ]
    if c.changeover_matrix:
        pairs = "; ".join(
            f"{a} -> {b}: {_num(h)} h" for (a, b), h in sorted(c.changeover_matrix.items())
        )
        items.append(("changeover_matrix", pairs))
    else:
        items.append(("changeover_matrix", "none"))
    start = c.start_time.isoformat(sep=" ") if c.start_time else "now (at planning time)"
    items += [
        ("start_time", start),
        ("strategy", c.strategy),
        ("time_limit_s", f"{_num(c.time_limit_s)} s"),
    ]
    return items


def summary_items(result: ScheduleResult) -> list[tuple[str, Any]]:
    """Header facts of a schedule: strategy, status, proof, runtime, start and end."""
    start = result.start if result.activities else None
    end = result.end if result.activities else None
    return [
        ("Strategy", result.strategy),
        ("Solver status", result.solver_status),
        ("Proven optimal", "yes" if result.proven_optimal else "no"),
        ("Runtime (s)", round(result.runtime_s, 3)),
        ("Start", start),
        ("End", end),
    ]


def input_items(result: ScheduleResult) -> list[tuple[str, str]]:
    """Inputs summary: number of lots, types with their lot counts, total vials."""
    types = Counter(lot.lot_type for lot in result.lots)
    type_text = ", ".join(f"{t} ({n})" for t, n in sorted(types.items()))
    return [
        ("Lots", str(len(result.lots))),
        ("Lot types", f"{len(types)}: {type_text}" if types else "0"),
        ("Total vials", f"{sum(lot.vials for lot in result.lots):,}"),
    ]


def lot_types_in_order(result: ScheduleResult) -> list[str]:
    """Distinct lot types, in order of first appearance in the schedule (then the input)."""
    seen: dict[str, None] = {}
    for a in result.activities:
        if a.lot_type is not None:
            seen.setdefault(a.lot_type, None)
    for lot in result.lots:
        seen.setdefault(lot.lot_type, None)
    return list(seen)


def iso_seconds(value: datetime | None) -> str:
    """ISO-8601 to the nearest second (``2025-01-06T07:00:00``); ``""`` for ``None``.

    Rounding is consistent, so the end of one activity and the start of the next stay equal.
    """
    if value is None:
        return ""
    return round_seconds(value).isoformat(timespec="seconds")


def round_seconds(value: datetime) -> datetime:
    """``value`` rounded to the nearest whole second."""
    if value.microsecond >= 500_000:
        value += timedelta(seconds=1)
    return value.replace(microsecond=0)


def _num(value: float | int) -> str:
    """A config number without a useless ``.0``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------- text safety

def neutralise(text: str) -> str:
    """Prefix a single quote to text a spreadsheet would read as a formula.

    Only for *text* cells (lot ids, types, names): numbers are never passed here.
    """
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


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
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": "",
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
        result = result[: max(0, max_len - 3)] + "..."
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
