"""Cell values: header names matched loosely, and cells turned into text, numbers, dates
and yes/no by one set of rules for every reader (``tabular`` gives the rows).

* Headers match case-, space-, punctuation- and diacritic-insensitively (``Lot ID``,
  ``lot_id``, ``Količina`` -> ``kolicina``).
* Numbers: Excel numbers as they are; text ``12.5``, ``1e6``, decimal comma ``12,5``, groups
  ``1 234,5`` / ``1,234.5``; a bare ``1.000`` or ``1,000`` that could be either is refused as
  ambiguous unless the reader says commas group thousands; never non-finite, never beyond a
  limit (default :data:`MAX_NUMBER`).
* Dates: Excel dates, ISO text, ``dd.mm.yyyy``, and slash dates whose order is clear
  (``13/06/2026``) or set by ``PSS_DATE_ORDER`` (``05/06/2026`` is refused as ambiguous
  without it); every date within 1990..2200 (:data:`EARLIEST`, :data:`LATEST`).

Converters raise ``ValueError`` whose message is the reason; the caller turns it into a
``Problem`` with row and column.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

#: Default largest magnitude a number converter accepts.
MAX_NUMBER = 10**12


def norm_header(value: Any) -> str:
    """A header (or a keyword such as yes/no) reduced for matching: lower case ASCII letters
    and digits only; diacritics are dropped, ``đ`` becomes ``dj``, spaces, ``_ - .`` and other
    punctuation vanish ("Lot ID", "lot_id", "LOT-ID" -> "lotid"; "Količina" -> "kolicina").
    ``None`` gives ``""``. Never raises."""
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFKD", text.replace("đ", "dj").replace("Đ", "Dj"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", text.lower())


def is_blank(value: Any) -> bool:
    """True for ``None`` and for text that is empty or only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def to_text(value: Any) -> str | None:
    """A cell as text, or ``None`` if nothing is left: control characters (except tab and
    newlines) removed, surrounding whitespace stripped, an integral float written as an
    integer (Excel's ``1001.0`` -> ``"1001"``), and the ``'`` that our exports put before
    ``= + - @`` (formula neutralising) removed again. Never raises."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _CONTROL.sub("", str(value)).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text or None


def _shown(value: Any) -> str:
    if isinstance(value, str):
        text = value.strip()
        return repr(text if len(text) <= 60 else text[:57] + "...")
    return repr(value)


# one separator repeated between groups of three digits, optionally a decimal part
_GROUPED = re.compile(
    r"(?P<int>[1-9][0-9]{0,2}(?P<sep>[,. _\u00a0\u202f])[0-9]{3}(?:(?P=sep)[0-9]{3})*)"
    r"(?:(?P<dec>[.,])(?P<frac>[0-9]+))?"
)
_DECIMAL_COMMA = re.compile(r"[0-9]+,[0-9]+")
_PLAIN = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|nan|inf|infinity", re.IGNORECASE)


def _real(value: Any, what: str, kind: str, comma_thousands: bool) -> int | float:
    """A cell as an int or float, before range checks (see ``to_number``)."""
    if is_blank(value):
        raise ValueError(f"{what} is blank")
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a {kind}, got {value!r}")
    if isinstance(value, int | float):
        return value
    text = str(value).strip()
    sign = -1 if text.startswith("-") else 1
    body = text[1:] if text[:1] in "+-" else text
    grouped = _GROUPED.fullmatch(body)
    if grouped and grouped["dec"] != grouped["sep"]:
        if grouped["dec"] is None and (grouped["sep"] == "." or (grouped["sep"] == "," and not comma_thousands)):
            raise ValueError(
                f"{what} {_shown(value)} is ambiguous (thousands separator or decimal point?); "
                "write the number without separators"
            )
        digits = re.sub(r"[^0-9]", "", grouped["int"])
        return sign * (float(f"{digits}.{grouped['frac']}") if grouped["dec"] else int(digits))
    if _DECIMAL_COMMA.fullmatch(body):
        return sign * float(body.replace(",", "."))
    if _PLAIN.fullmatch(body):
        if body.isdigit():
            try:
                return sign * int(body)
            except ValueError:  # more digits than Python converts: read as float (inf)
                pass
        return sign * float(body)
    raise ValueError(f"{what} must be a {kind}, got {_shown(value)} (not a number)")


def _in_range(number: int | float, value: Any, what: str, minimum: int | None, limit: float) -> None:
    if minimum is not None and number < minimum:
        rule = {0: "zero or positive", 1: "positive"}.get(minimum, f"at least {minimum}")
        got = f"{number:g}" if isinstance(number, float) else str(number)
        raise ValueError(f"{what} must be {rule}, got {got}")
    if abs(number) > limit:
        raise ValueError(f"{what} {_shown(value)} is larger than the limit {limit:g}")


def to_number(
    value: Any, *, what: str = "value", minimum: int | None = None, limit: float = MAX_NUMBER,
    comma_thousands: bool = False,
) -> float:
    """A cell as a finite float within ``[minimum, limit]`` (magnitude at most ``limit``).

    Excel numbers are taken as they are. Text: ``12.5``, ``1e6``, decimal comma ``12,5``;
    digit groups of three split by space, no-break space, ``_`` (``12 000``), or by ``.``/``,``
    with a decimal part of the other kind (``1.234,5``, ``1,234.5``). ``1.000`` (thousands
    separator or decimal point?) is refused as ambiguous, and so is ``1,000`` unless
    ``comma_thousands`` (then it is 1000). Raises ``ValueError`` whose message names ``what``
    and the value: blank, a bool, not a number, not finite, out of range, ambiguous.
    """
    number = _real(value, what, "number", comma_thousands)
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError(f"{what} must be a finite number, got {_shown(value)} (not a finite number)")
    _in_range(number, value, what, minimum, limit)
    return float(number)


def to_int(
    value: Any, *, what: str = "value", minimum: int | None = None, limit: float = MAX_NUMBER,
    comma_thousands: bool = False,
) -> int:
    """A cell as a whole number within ``[minimum, limit]``: the rules of ``to_number``, and
    an integral float (``2000.0``, ``1.5e6``) is accepted, a fraction never rounded. Raises
    ``ValueError`` (``minimum=1`` says "must be positive", ``0`` "zero or positive")."""
    number = _real(value, what, "whole number", comma_thousands)
    if isinstance(number, float):
        if not math.isfinite(number):
            raise ValueError(
                f"{what} must be a finite whole number, got {_shown(value)} (not a finite number)"
            )
        if not number.is_integer():
            raise ValueError(f"{what} must be a whole number, got {_shown(value)} (no rounding is done)")
        number = int(number)
    _in_range(number, value, what, minimum, limit)
    return number


_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y.", "%d.%m.%Y")
_SLASH = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2}))?")

#: The plausible range of every date the product accepts (a typo such as 0001-01-01 or
#: 9999-12-31 is refused, never planned).
EARLIEST = datetime(1990, 1, 1)
LATEST = datetime(2200, 12, 31, 23, 59, 59)
#: The environment variable that says how to read slash dates whose day and month are both ≤ 12.
DATE_ORDER_ENV = "PSS_DATE_ORDER"
DATE_ORDERS = ("DMY", "MDY")


def date_order(environ: Mapping[str, str] | None = None) -> str | None:
    """``DMY`` or ``MDY`` from ``PSS_DATE_ORDER``, or ``None`` when unset (then an ambiguous
    slash date is refused). Raises ``ValueError`` naming the variable for any other value."""
    raw = (environ if environ is not None else os.environ).get(DATE_ORDER_ENV, "").strip().upper()
    if raw and raw not in DATE_ORDERS:
        raise ValueError(f"{DATE_ORDER_ENV} must be DMY or MDY, got {raw!r}")
    return raw or None


def _slash_date(text: str, what: str) -> datetime | None:
    """``dd/mm/yyyy`` or ``mm/dd/yyyy`` (optionally with ``HH:MM``): the order is clear when one
    part is over 12 or both are equal, else it comes from ``PSS_DATE_ORDER``; ``None`` if
    ``text`` is not a slash date. Raises ``ValueError`` when the order cannot be told."""
    m = _SLASH.fullmatch(text)
    if m is None:
        return None
    a, b, year = int(m[1]), int(m[2]), int(m[3])
    hour, minute = (int(m[4]), int(m[5])) if m[4] else (0, 0)
    order = date_order()
    if a > 12 and b > 12:
        raise ValueError(f"{what} is not a date: {text!r} (neither {a} nor {b} is a month)")
    if order is None:
        if a > 12 >= b or a == b:
            order = "DMY"
        elif b > 12 >= a:
            order = "MDY"
        else:
            raise ValueError(
                f"{what} {text!r} is ambiguous (day {a} of month {b}, or month {a} day {b}?): write it as "
                f"{year}-{b:02d}-{a:02d} or {year}-{a:02d}-{b:02d}, or set {DATE_ORDER_ENV}=DMY or MDY"
            )
    day, month = (a, b) if order == "DMY" else (b, a)
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError as exc:
        raise ValueError(f"{what} is not a date: {text!r} ({exc}; read as {order})") from None


def _plausible(moment: datetime, value: Any, what: str) -> datetime:
    naive = moment.replace(tzinfo=None)
    if not EARLIEST <= naive <= LATEST:
        raise ValueError(f"{what} {_shown(value)} is outside the accepted range "
                         f"{EARLIEST:%Y-%m-%d} to {LATEST:%Y-%m-%d}")
    return moment


def range_problem(moment: date | datetime | None, what: str) -> str | None:
    """Why a date the value objects hold lies outside :data:`EARLIEST`..:data:`LATEST` (the
    reason text), or ``None`` when it is inside or missing."""
    if moment is None:
        return None
    at = moment if isinstance(moment, datetime) else datetime.combine(moment, time(0))
    shown = f"{moment:%Y-%m-%d %H:%M}" if isinstance(moment, datetime) else moment.isoformat()
    try:
        _plausible(at, shown, what)
    except ValueError as exc:
        return str(exc)
    return None


def to_datetime(value: Any, *, what: str = "value", keep_offset: bool = False) -> datetime:
    """A cell as a naive datetime (a time zone offset is dropped, unless ``keep_offset``:
    then text with an offset stays an aware datetime for the caller to convert). Accepts
    Excel dates/datetimes and text in ISO form (``2026-12-01``, ``2026-12-01T14:00``,
    ``2026-12-01 14:00``) or ``01.12.2026[.]``, ``01.12.2026 14:00``, and slash dates
    ``13/06/2026`` whose order is clear (or set by ``PSS_DATE_ORDER``). Every date lies in
    :data:`EARLIEST`..:data:`LATEST`. Raises ``ValueError`` for blank, numbers and bools, an
    ambiguous slash date, a date out of range, and any other text."""
    if isinstance(value, datetime):
        return _plausible(value if keep_offset else value.replace(tzinfo=None), value, what)
    if isinstance(value, date):
        return _plausible(datetime.combine(value, time(0)), value, what)
    if is_blank(value):
        raise ValueError(f"{what} is blank")
    text = str(value).strip()
    if not isinstance(value, bool | int | float):
        try:
            iso: datetime | None = datetime.fromisoformat(text)
        except ValueError:
            iso = None
        if iso is not None:
            return _plausible(iso if keep_offset else iso.replace(tzinfo=None), value, what)
        slashed = _slash_date(text, what)
        if slashed is not None:
            return _plausible(slashed, value, what)
        for fmt in _DATE_FORMATS:
            try:
                parsed = datetime.strptime(text, fmt)
            except ValueError:
                continue
            return _plausible(parsed, value, what)
    raise ValueError(
        f"{what} is not a date/time: {_shown(value)} (use e.g. 2026-12-01 or 2026-12-01 14:00)"
    )


def to_date(value: Any, *, what: str = "value") -> date:
    """A cell as a date: ``to_datetime`` at midnight. Raises ``ValueError`` as
    ``to_datetime`` does, or if the value has a time of day."""
    moment = to_datetime(value, what=what)
    if moment.time() != time(0):
        raise ValueError(f"{what} must be a date without a time, got {_shown(value)}")
    return moment.date()


_TRUE = {"1", "yes", "y", "true", "da", "x", "ja", "working"}
_FALSE = {"0", "no", "n", "false", "ne", "nein", ""}


def to_bool(value: Any, *, what: str = "value") -> bool:
    """A cell as yes/no: Excel booleans, the numbers 1/0, and (via ``norm_header``) yes/no,
    y/n, true/false, 1/0, x (yes), da/ne, ja/nein, working; text with no letters or digits is
    no. Raises ``ValueError`` for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = norm_header(value)
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(f"{what} must be yes or no, got {_shown(value)}")
