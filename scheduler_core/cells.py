"""Cell values: header names matched loosely, and cells turned into text, numbers, dates
and yes/no by one set of rules for every reader (``tabular`` gives the rows).

* Headers match case-, space-, punctuation- and diacritic-insensitively (``Lot ID``,
  ``lot_id``, ``Količina`` -> ``kolicina``).
* Numbers: Excel numbers as they are; text ``12.5``, ``1e6``, decimal comma ``12,5``, groups
  ``1 234,5`` / ``1,234.5``; a bare ``1.000`` or ``1,000`` that could be either is refused as
  ambiguous unless the reader says commas group thousands; never non-finite, never beyond a
  limit (default :data:`MAX_NUMBER`).
* Dates: Excel dates, ISO text, ``dd.mm.yyyy`` and ``dd/mm/yyyy``, naive plant-local time.

Converters raise ``ValueError`` whose message is the reason; the caller turns it into a
``Problem`` with row and column.
"""

from __future__ import annotations

import math
import re
import unicodedata
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


_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d.%m.%Y.", "%d.%m.%Y", "%d/%m/%Y")


def to_datetime(value: Any, *, what: str = "value", keep_offset: bool = False) -> datetime:
    """A cell as a naive datetime (a time zone offset is dropped, unless ``keep_offset``:
    then text with an offset stays an aware datetime for the caller to convert). Accepts
    Excel dates/datetimes and text in ISO form (``2026-12-01``, ``2026-12-01T14:00``,
    ``2026-12-01 14:00``) or ``01.12.2026[.]``, ``01.12.2026 14:00``, ``01/12/2026`` (day
    first). Raises ``ValueError`` for blank, numbers and bools, and any other text."""
    if isinstance(value, datetime):
        return value if keep_offset else value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime.combine(value, time(0))
    if is_blank(value):
        raise ValueError(f"{what} is blank")
    text = str(value).strip()
    if not isinstance(value, bool | int | float):
        try:
            parsed = datetime.fromisoformat(text)
            return parsed if keep_offset else parsed.replace(tzinfo=None)
        except ValueError:
            pass
        for fmt in _DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt)
            except ValueError:
                continue
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
