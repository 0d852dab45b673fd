"""The shop workbook's columns: accepted header names and the shop-specific cell converters.

Headers are matched after ``cells.norm_header`` (case-, space-, punctuation- and
diacritic-insensitive); the original Serbian/Croatian names are aliases. A converter takes
``(value, what)`` (``what`` = the header as written, for messages) and raises ``ValueError``
with the reason; generic values (text, numbers, dates, yes/no) come from
``scheduler_core.tabular``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from scheduler_core.cells import norm_header, to_bool, to_date, to_datetime, to_int, to_number, to_text
from scheduler_core.shop.model import DEFAULT_SHIFTS

#: One converter: ``(cell value, header as written) -> value``; raises ``ValueError``.
Converter = Callable[[Any, str], Any]

#: Headers that name the product (the KPL's name) wherever they appear.
PRODUCT_NAME = ["productname", "nazivproizvoda", "proizvod", "nazivkpl"]
#: Headers that name the operation in the flat sheet (besides ``naziv``, see :func:`flat_aliases`).
OPERATION_NAME = ["name", "operationname", "nazivoperacije", "operacija", "opis"]

ORDER_ALIASES = {
    "rn": ["rn", "radninalog", "workorder", "order", "wo", "brojnaloga", "nalog"],
    "kpl": ["kpl", "productcode", "product", "sifra"],
    "product_name": PRODUCT_NAME,
    "quantity": ["quantity", "kolicina", "qty", "kom", "komada"],
    "priority_level": ["prioritylevel", "priority", "prioritet"],
    "delivery_date": ["deliverydate", "datumisporuke", "isporuka"],
    "assembly_date": ["assemblydate", "datumsastavljanja", "sastavljanje"],
    "third_date": ["thirddate", "datumtreci", "treci"],
    "status": ["status", "statusnaloga"],
    "urgency_rank": ["urgencyrank", "urgency", "hitno", "hitnost", "rank"],
}
OP_ALIASES = {
    "rn": ORDER_ALIASES["rn"],
    "sequence": ["sequence", "operationsequence", "seq", "rednibroj", "rb", "opseq"],
    # seed 002: ``operations.naziv`` is the operation's name
    "name": ["name", "naziv", "operationname", "nazivoperacije", "operacija", "opis"],
    "work_center": [
        "workcenter", "workcentre", "wc", "radnicentar", "masina", "stroj", "rc", "machine",
    ],
    "norma": ["norma", "normaminutes", "norm", "minutes"],
    "quantity": ["quantity", "kolicina", "qty", "kom", "komada"],
    "quantity_completed": [
        "quantitycompleted", "qtycompleted", "completed", "izradjeno", "zavrseno", "gotovo",
    ],
    "status": ["status", "statusoperacije", "operationstatus"],
    "pinned_start": ["pinnedstart", "fiksnipocetak", "pinned"],
    "actual_start": ["actualstart", "stvarnipocetak"],
    "alternatives": ["alternatives", "alternativnicentri", "alternativeworkcenters"],
}
FLAT_ALIASES = {
    **{k: v for k, v in ORDER_ALIASES.items() if k != "status"},
    **{k: v for k, v in OP_ALIASES.items() if k not in ("quantity",)},
    "order_status": ["orderstatus", "statusnaloga"],
    "status": ["status", "statusoperacije", "operationstatus"],
}


def naziv_role(headers: Iterable[Any]) -> str | None:
    """What a bare ``naziv`` column of the flat sheet names, as far as its ``headers`` tell:
    ``"operation"`` beside a product-name column (``naziv_proizvoda``, ``proizvod``,
    ``product_name``) or without a product code (``RN;naziv;norma;radni_centar``: seed 002's
    ``operations.naziv``); ``"product"`` beside an operation-name column (``operacija``,
    ``naziv_operacije``, ``opis``, ``operation_name``: the KPL's name, seed 002's
    ``products.name``); ``None`` (no ``naziv``, or a KPL and neither) when the values decide
    (the reader: the product's name when it is the same on every row of each work order)."""
    normed = {norm_header(h) for h in headers}
    if "naziv" not in normed:
        return None
    if normed & set(PRODUCT_NAME) or not normed & set(ORDER_ALIASES["kpl"]):
        return "operation"
    if normed & (set(OPERATION_NAME) - {"name"}):
        return "product"
    return None


def flat_aliases(naziv_names_product: bool) -> dict[str, list[str]]:
    """The flat sheet's aliases, with a bare ``naziv`` naming the product or the operation
    (:func:`naziv_role`); the flat sheet repeats the order and its product on every row."""
    if naziv_names_product:
        return {**FLAT_ALIASES, "product_name": [*PRODUCT_NAME, "naziv"], "name": OPERATION_NAME}
    return {**FLAT_ALIASES, "name": [*OPERATION_NAME, "naziv"]}


WC_ALIASES = {
    "code": ["code", "workcenter", "sifra", "radnicentar", "wc", "kod"],
    "name": ["name", "naziv"],
    "category": ["category", "kategorija"],
    "capacity_hours_per_day": ["capacityhoursperday", "capacity", "kapacitet"],
    "setup_time_minutes": ["setuptimeminutes", "setup", "pripremno"],
    "cost_per_hour": ["costperhour", "cijena", "cena"],
    "active": ["active", "isactive", "aktivan"],
    "shifts": ["shifts", "smjene", "smene"],
    "working_days": ["workingdays", "radnidani", "days"],
}
CAL_ALIASES = {
    "work_center": WC_ALIASES["code"],
    "date": ["date", "datum"],
    "shift": ["shift", "smjena", "smena"],
    "working": ["working", "radi", "radni"],
}
DOWN_ALIASES = {
    "work_center": WC_ALIASES["code"],
    "start": ["start", "from", "pocetak", "od"],
    "end": ["end", "to", "kraj", "do"],
    "reason": ["reason", "razlog", "opis"],
}

_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def text(v: Any, what: str) -> str | None:
    """Text (``cells.to_text``); ``None`` if nothing is left."""
    return to_text(v)


def whole(v: Any, what: str) -> int:
    """Any whole number."""
    return to_int(v, what=what)


def positive_int(v: Any, what: str) -> int:
    """A whole number > 0."""
    return to_int(v, what=what, minimum=1)


def non_negative(v: Any, what: str) -> float:
    """A number >= 0 (decimal comma accepted; ``1.000``/``1,000`` refused as ambiguous)."""
    return to_number(v, what=what, minimum=0)


def norma(v: Any, what: str) -> float:
    """An operation's norma: minutes > 0 (the routing editor's rule, ``webapp.shop.routings``)."""
    x = to_number(v, what=what)
    if x <= 0:
        raise ValueError("the norma must be more than 0 minutes")
    return x


def moment(v: Any, what: str) -> datetime:
    """A date/time (``cells.to_datetime``); one written with an offset (``+01:00``, ``Z``)
    stays aware and becomes plant time when the problem is built."""
    return to_datetime(v, what=what, keep_offset=True)


def day(v: Any, what: str) -> date:
    """A date without time (``cells.to_date``)."""
    return to_date(v, what=what)


def yes_no(v: Any, what: str) -> bool:
    """Yes/no (``cells.to_bool``)."""
    return to_bool(v, what=what)


def priority(v: Any, what: str) -> int:
    """A priority level 1 (high), 2 or 3 (low)."""
    x = to_int(v, what=what)
    if x not in (1, 2, 3):
        raise ValueError(f"priority must be 1, 2 or 3, got {v}")
    return x


def status(allowed: tuple[str, ...]) -> Converter:
    """A converter to one of ``allowed`` (case-insensitive; spaces read as ``_``)."""

    def conv(v: Any, what: str) -> str:
        s = str(v).strip().lower().replace(" ", "_")
        if s not in allowed:
            raise ValueError(f"unknown status '{v}' (valid: {', '.join(allowed)})")
        return s

    return conv


def weekdays(v: Any, what: str) -> frozenset[int]:
    """Working days as weekday numbers (0 = Monday): "Mon-Fri", "Mon,Tue,Sat", "0-4", and
    wrapping ranges ("Sat-Mon")."""
    out: set[int] = set()
    for part in re.split(r"[,;\s]+", str(v).strip().lower()):
        if not part:
            continue
        ends = part.split("-")
        if len(ends) > 2:
            raise ValueError(f"'{v}' is not a list of days")
        idx = []
        for e in ends:
            if e.isdigit() and 0 <= int(e) <= 6:
                idx.append(int(e))
            elif e[:3] in _DAYS:
                idx.append(_DAYS[e[:3]])
            else:
                raise ValueError(f"'{e}' is not a weekday (Mon..Sun or 0..6)")
        if len(idx) == 2:
            a, b = idx
            out.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(0, b + 1)])
        else:
            out.add(idx[0])
    return frozenset(out)


def shift_names(v: Any, what: str) -> frozenset[str]:
    """Shift names such as "S1,S2" (each one of ``DEFAULT_SHIFTS``)."""
    known = {s.name for s in DEFAULT_SHIFTS}
    names = {p.strip().upper() for p in re.split(r"[,;\s]+", str(v)) if p.strip()}
    bad = names - known
    if bad:
        raise ValueError(f"unknown shift(s) {', '.join(sorted(bad))} (valid: S1, S2, S3)")
    return frozenset(names)


def hours(v: Any, what: str) -> float:
    """Hours per day: a number from 0 to 24."""
    x = non_negative(v, what)
    if x > 24:
        raise ValueError(f"{v} hours is more than a day")
    return x


def shifts_for_capacity(capacity_hours: float) -> frozenset[str]:
    """Shifts worked for a daily capacity: up to 8 h one shift, up to 16 h two, else three."""
    if capacity_hours <= 8:
        return frozenset({"S1"})
    if capacity_hours <= 16:
        return frozenset({"S1", "S2"})
    return frozenset({"S1", "S2", "S3"})
