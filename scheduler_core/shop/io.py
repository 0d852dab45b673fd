"""Import a shop from an Excel workbook (or one flat CSV sheet).

Two layouts are accepted:

1. Normalised workbook with sheets ``work_centers``, ``work_orders``, ``operations`` and the
   optional ``calendar`` (work_center (blank/* = all), date, shift (blank/all = every shift),
   working yes/no) and ``downtime`` (work_center, start, end, reason).
2. One flat operations sheet like the shop's spreadsheet: one row per operation with the
   order columns repeated (``RN``, ``KPL``, ``naziv``, ``norma``, ``kolicina``,
   ``datum_isporuke``, ``datum_sastavljanja``, ``datum_treci``, ``hitno``, ``radni_centar``
   …). Work centers are created from the codes used (default calendar).

Headers match case-, space-, underscore- and diacritic-insensitively; the original
Serbian/Croatian names are aliases. Every bad row is reported at once (row number as the user
sees it, header = row 1, column as ``sheet!header``) in one ``InputError``.

Work center calendar columns: ``shifts`` ("S1,S2"; blank = derived from
``capacity_hours_per_day``: ≤ 8 h one shift, ≤ 16 h two, else three) and ``working_days``
("Mon-Fri", "Mon,Tue,Sat", "0-4"; blank = Monday–Friday).
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from scheduler_core.errors import InputError, Problem
from scheduler_core.shop.model import (
    DEFAULT_SHIFTS,
    OPERATION_STATUSES,
    ORDER_STATUSES,
    Calendar,
    Downtime,
    Operation,
    ShopProblem,
    WorkCenter,
    WorkOrder,
)


def norm_header(text: Any) -> str:
    s = str(text or "").replace("đ", "dj").replace("Đ", "Dj")
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", s.lower())


_ORDER_ALIASES = {
    "rn": ["rn", "radninalog", "workorder", "order", "wo", "brojnaloga", "nalog"],
    "kpl": ["kpl", "productcode", "product", "sifra"],
    "product_name": ["productname", "nazivproizvoda", "proizvod"],
    "quantity": ["quantity", "kolicina", "qty", "kom", "komada"],
    "priority_level": ["prioritylevel", "priority", "prioritet"],
    "delivery_date": ["deliverydate", "datumisporuke", "isporuka"],
    "assembly_date": ["assemblydate", "datumsastavljanja", "sastavljanje"],
    "third_date": ["thirddate", "datumtreci", "treci"],
    "status": ["status", "statusnaloga"],
    "urgency_rank": ["urgencyrank", "urgency", "hitno", "hitnost", "rank"],
}
_OP_ALIASES = {
    "rn": _ORDER_ALIASES["rn"],
    "sequence": ["sequence", "operationsequence", "seq", "rednibroj", "rb", "opseq"],
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
_FLAT_ALIASES = {
    **{k: v for k, v in _ORDER_ALIASES.items() if k != "status"},
    **{k: v for k, v in _OP_ALIASES.items() if k not in ("quantity",)},
    "order_status": ["orderstatus", "statusnaloga"],
    "status": ["status", "statusoperacije", "operationstatus"],
}
_WC_ALIASES = {
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
_CAL_ALIASES = {
    "work_center": _WC_ALIASES["code"],
    "date": ["date", "datum"],
    "shift": ["shift", "smjena", "smena"],
    "working": ["working", "radi", "radni"],
}
_DOWN_ALIASES = {
    "work_center": _WC_ALIASES["code"],
    "start": ["start", "from", "pocetak", "od"],
    "end": ["end", "to", "kraj", "do"],
    "reason": ["reason", "razlog", "opis"],
}
#: Files larger than this are refused before parsing (bytes).
MAX_FILE_BYTES = 20 * 1024 * 1024
#: Largest accepted magnitude of any number (quantities, minutes, hours, costs).
MAX_NUMBER = 1e12

_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_TRUE = {"1", "yes", "y", "true", "da", "x", "ja", "working"}
_FALSE = {"0", "no", "n", "false", "ne", "nein", ""}


class _Sheet:
    """Rows of one sheet as dicts of canonical column → raw value, with error collection."""

    def __init__(self, name: str, rows: list[list[Any]], aliases: dict[str, list[str]],
                 problems: list[Problem], required: tuple[str, ...]):
        self.name = name
        self.problems = problems
        self.cols: dict[str, int] = {}
        self.headers: dict[str, str] = {}
        header = rows[0] if rows else []
        lookup = {a: canon for canon, al in aliases.items() for a in al}
        for k, h in enumerate(header):
            canon = lookup.get(norm_header(h))
            if canon and canon not in self.cols:
                self.cols[canon] = k
                self.headers[canon] = str(h).strip()
        for c in required:
            if c not in self.cols:
                problems.append(Problem(f"sheet '{name}': missing column '{c}'", column=c))
        self.rows = [
            (r, row) for r, row in enumerate(rows[1:], start=2)
            if any(v is not None and str(v).strip() != "" for v in row)
        ]
        self.ok = all(c in self.cols for c in required)
        self.failed = False

    def raw(self, row: list[Any], col: str) -> Any:
        k = self.cols.get(col)
        if k is None or k >= len(row):
            return None
        v = row[k]
        if isinstance(v, str):
            v = v.strip()
            if v == "":
                return None
        return v

    def bad(self, r: int, col: str, reason: str) -> None:
        p = Problem(reason, r, f"{self.name}!{self.headers.get(col, col)}")
        if p not in self.problems:
            self.problems.append(p)

    def get(self, r: int, row: list[Any], col: str, conv: Callable[[Any], Any],
            default: Any = None, required: bool = False) -> Any:
        """The converted value; on a problem it is recorded, the row is marked failed and
        ``None`` returned, so every problem of a row is collected (``done`` raises)."""
        v = self.raw(row, col)
        if v is None:
            if required:
                self.bad(r, col, "is blank")
                self.failed = True
            return default
        try:
            return conv(v)
        except (ValueError, TypeError) as exc:
            self.bad(r, col, str(exc) or f"invalid value '{v}'")
            self.failed = True
            return default

    def done(self) -> None:
        """Raise ``_Bad`` if a value of the current row was bad (and reset)."""
        if self.failed:
            self.failed = False
            raise _Bad


class _Bad(Exception):
    pass


# -- converters ---------------------------------------------------------------------------
def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    s = str(v).strip()
    if len(s) > 1 and s[0] == "'" and s[1] in "=+-@":  # neutralised by our own export
        s = s[1:]
    return s


def _number(v: Any) -> float:
    if isinstance(v, bool):
        raise ValueError(f"'{v}' is not a number")
    if isinstance(v, int | float):
        try:
            x = float(v)
        except OverflowError:
            raise ValueError(f"'{str(v)[:60]}' is too large") from None
    else:
        s = str(v).strip().replace(" ", "")
        if re.fullmatch(r"-?\d+,\d+", s):
            s = s.replace(",", ".")
        try:
            x = float(s)
        except ValueError:
            raise ValueError(f"'{str(v)[:60]}' is not a number") from None
    if not math.isfinite(x) or abs(x) > MAX_NUMBER:
        raise ValueError(f"'{str(v)[:60]}' is not a finite number up to {MAX_NUMBER:.0e}")
    return x


def _whole(v: Any) -> int:
    x = _number(v)
    if not x.is_integer():
        raise ValueError(f"'{v}' is not a whole number")
    return int(x)


def _positive_int(v: Any) -> int:
    x = _whole(v)
    if x <= 0:
        raise ValueError(f"must be a positive whole number, got {v}")
    return x


def _non_negative(v: Any) -> float:
    x = _number(v)
    if x < 0:
        raise ValueError(f"must not be negative, got {v}")
    return x


def _priority(v: Any) -> int:
    x = _whole(v)
    if x not in (1, 2, 3):
        raise ValueError(f"priority must be 1, 2 or 3, got {v}")
    return x


def _datetime(v: Any) -> datetime:
    # plant-local naive times throughout: an offset in the file is dropped (as in filling)
    if isinstance(v, datetime):
        return v.replace(tzinfo=None)
    if isinstance(v, date):
        return datetime.combine(v, time(0))
    s = str(v).strip()
    for fmt in ("%d.%m.%Y %H:%M", "%d.%m.%Y.", "%d.%m.%Y"):
        try:
            return datetime.strptime(s, fmt)
        except ValueError:
            pass
    try:
        return datetime.fromisoformat(s).replace(tzinfo=None)
    except ValueError:
        raise ValueError(f"'{v}' is not a date/time (use YYYY-MM-DD HH:MM)") from None


def _date(v: Any) -> date:
    d = _datetime(v)
    if d.time() != time(0):
        raise ValueError(f"'{v}' must be a date without time")
    return d.date()


def _bool(v: Any) -> bool:
    s = norm_header(v)
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(f"'{v}' is not yes/no")


def _status(allowed: tuple[str, ...]) -> Callable[[Any], str]:
    def conv(v: Any) -> str:
        s = str(v).strip().lower().replace(" ", "_")
        if s not in allowed:
            raise ValueError(f"unknown status '{v}' (valid: {', '.join(allowed)})")
        return s

    return conv


def _days(v: Any) -> frozenset[int]:
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


def _shift_names(v: Any) -> frozenset[str]:
    known = {s.name for s in DEFAULT_SHIFTS}
    names = {p.strip().upper() for p in re.split(r"[,;\s]+", str(v)) if p.strip()}
    bad = names - known
    if bad:
        raise ValueError(f"unknown shift(s) {', '.join(sorted(bad))} (valid: S1, S2, S3)")
    return frozenset(names)


def _hours(v: Any) -> float:
    x = _non_negative(v)
    if x > 24:
        raise ValueError(f"{v} hours is more than a day")
    return x


def shifts_for_capacity(hours: float) -> frozenset[str]:
    """Shifts worked for a daily capacity: up to 8 h one shift, up to 16 h two, else three."""
    if hours <= 8:
        return frozenset({"S1"})
    if hours <= 16:
        return frozenset({"S1", "S2"})
    return frozenset({"S1", "S2", "S3"})


# -- reading ------------------------------------------------------------------------------
def _load(source: str | Path | bytes, filename: str | None) -> tuple[dict[str, list], str]:
    name = filename or (Path(source).name if not isinstance(source, bytes) else "input.xlsx")
    size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(
            Problem(f"file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB"),
            source=name,
        )
    if name.lower().endswith(".csv"):
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        if data[:4] == b"PK\x03\x04" or b"\x00" in data[:4096]:
            raise InputError(Problem("file is binary, not a CSV text file"), source=name)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(
                Problem(
                    f"file is not UTF-8 text (byte 0x{data[exc.start]:02x} at position "
                    f"{exc.start}); save it as CSV UTF-8 or upload the Excel file",
                    row=line,
                ),
                source=name,
            ) from None
        sample = text[:2048]
        delim = ";" if sample.count(";") > sample.count(",") else ","
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
        except csv.Error as exc:
            raise InputError(Problem(f"unreadable CSV: {exc}"), source=name) from None
        return {"operations_flat": rows}, name
    from openpyxl import load_workbook

    try:
        wb = load_workbook(
            io.BytesIO(source) if isinstance(source, bytes) else source,
            read_only=True,
            data_only=True,
        )
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise InputError(Problem(f"not a readable Excel workbook ({exc})"), source=name) from None
    sheets = {}
    try:
        for ws in wb.worksheets:
            sheets[ws.title] = [list(r) for r in ws.iter_rows(values_only=True)]
    except Exception as exc:  # noqa: BLE001 - a corrupt sheet fails while iterating
        raise InputError(Problem(f"not a readable Excel workbook ({exc})"), source=name) from None
    finally:
        wb.close()
    return sheets, name


def read_workbook(source: str | Path | bytes, filename: str | None = None) -> ShopProblem:
    """Read a shop workbook (either layout); raises ``InputError`` with every problem."""
    sheets, name = _load(source, filename)
    by_norm = {norm_header(k): v for k, v in sheets.items()}
    problems: list[Problem] = []
    if "operations" in by_norm and ("workorders" in by_norm or "workcenters" in by_norm):
        result = _read_normalised(by_norm, problems)
    else:
        flat_rows = by_norm.get("operations") or next(
            (rows for rows in sheets.values() if rows), []
        )
        if not flat_rows:
            raise InputError(Problem("the workbook has no data"), source=name)
        result = _read_flat(flat_rows, problems)
    if problems:
        raise InputError(problems, source=name)
    result = ShopProblem(
        result.work_centers, result.work_orders, result.operations, result.downtime,
        name=name,
    )
    consistency = result.problems()
    if consistency:
        raise InputError(consistency, source=name)
    return result


def _work_centers(sh: _Sheet) -> list[WorkCenter]:
    out = []
    seen: set[str] = set()
    for r, row in sh.rows:
        try:
            code = sh.get(r, row, "code", _text, required=True)
            cap = sh.get(r, row, "capacity_hours_per_day", _hours, 22.5)
            shifts = sh.get(r, row, "shifts", _shift_names, None) or shifts_for_capacity(cap)
            days = sh.get(r, row, "working_days", _days, frozenset(range(5)))
            name = sh.get(r, row, "name", _text, code)
            category = sh.get(r, row, "category", _text, "")
            setup = sh.get(r, row, "setup_time_minutes", _non_negative, 0)
            cost = sh.get(r, row, "cost_per_hour", _non_negative, None)
            active = sh.get(r, row, "active", _bool, True)
            sh.done()
            wc = WorkCenter(code, name, category, cap, int(setup), cost, active,
                            Calendar(weekdays=days, shift_names=shifts))
        except _Bad:
            continue
        if code in seen:
            sh.bad(r, "code", f"duplicate work center '{code}'")
            continue
        seen.add(code)
        out.append(wc)
    return out


def _order_from_row(sh: _Sheet, r: int, row: list[Any], status_col: str) -> WorkOrder:
    """A work order from a row (problems recorded; ``sh.done()`` is left to the caller)."""
    return WorkOrder(
        rn=sh.get(r, row, "rn", _text, "", required=True),
        quantity=sh.get(r, row, "quantity", _positive_int, 1),
        priority_level=sh.get(r, row, "priority_level", _priority, 3),
        kpl=sh.get(r, row, "kpl", _text, ""),
        product_name=sh.get(r, row, "product_name", _text, ""),
        delivery_date=sh.get(r, row, "delivery_date", _date, None),
        assembly_date=sh.get(r, row, "assembly_date", _date, None),
        third_date=sh.get(r, row, "third_date", _date, None),
        status=sh.get(r, row, status_col, _status(ORDER_STATUSES), "pending"),
        urgency_rank=sh.get(r, row, "urgency_rank", _positive_int, None),
    )


def _operation_from_row(sh: _Sheet, r: int, row: list[Any], rn: str, seq: int | None,
                        default_qty: int) -> Operation:
    """An operation from a row; raises ``_Bad`` after recording every problem of the row."""
    sequence = seq if seq is not None else sh.get(r, row, "sequence", _whole, 0, required=True)
    qty = sh.get(r, row, "quantity", _positive_int, default_qty)
    done = sh.get(r, row, "quantity_completed", _non_negative, 0)
    if done > qty:
        sh.bad(r, "quantity_completed", f"{done:g} completed is more than quantity {qty}")
        sh.failed = True
    alts = sh.get(r, row, "alternatives", _text, "")
    values = {
        "work_center": sh.get(r, row, "work_center", _text, "", required=True),
        "norma": sh.get(r, row, "norma", _non_negative, 0, required=True),
        "name": sh.get(r, row, "name", _text, ""),
        "status": sh.get(r, row, "status", _status(OPERATION_STATUSES), "pending"),
        "pinned_start": sh.get(r, row, "pinned_start", _datetime, None),
        "actual_start": sh.get(r, row, "actual_start", _datetime, None),
    }
    sh.done()
    return Operation(rn=rn, sequence=sequence, quantity=qty, quantity_completed=done,
                     alternatives=tuple(a for a in re.split(r"[,;\s]+", alts) if a), **values)


def _read_normalised(by_norm: dict[str, list], problems: list[Problem]) -> ShopProblem:
    wc_sh = _Sheet("work_centers", by_norm.get("workcenters", []), _WC_ALIASES, problems,
                   ("code",))
    wo_sh = _Sheet("work_orders", by_norm.get("workorders", []), _ORDER_ALIASES, problems,
                   ("rn",))
    op_sh = _Sheet("operations", by_norm["operations"], _OP_ALIASES, problems,
                   ("rn", "sequence", "work_center", "norma"))
    wcs = _work_centers(wc_sh) if wc_sh.ok else []
    orders: dict[str, WorkOrder] = {}
    if wo_sh.ok:
        for r, row in wo_sh.rows:
            try:
                o = _order_from_row(wo_sh, r, row, "status")
                wo_sh.done()
            except _Bad:
                continue
            if o.rn in orders:
                wo_sh.bad(r, "rn", f"duplicate work order '{o.rn}'")
                continue
            orders[o.rn] = o
    ops: list[Operation] = []
    seen: set[tuple[str, int]] = set()
    codes = {w.code for w in wcs}
    if op_sh.ok:
        for r, row in op_sh.rows:
            try:
                rn = op_sh.get(r, row, "rn", _text, "", required=True)
                o = orders.get(rn)
                op = _operation_from_row(op_sh, r, row, rn, None, o.quantity if o else 1)
            except _Bad:
                continue
            if wo_sh.ok and rn not in orders:
                op_sh.bad(r, "rn", f"unknown work order '{rn}'")
                continue
            if wc_sh.ok and op.work_center not in codes:
                op_sh.bad(r, "work_center", f"unknown work center '{op.work_center}'")
                continue
            if (rn, op.sequence) in seen:
                op_sh.bad(r, "sequence", f"duplicate operation {rn}/{op.sequence}")
                continue
            seen.add((rn, op.sequence))
            ops.append(op)
    if wc_sh.ok and "calendar" in by_norm:
        wcs = _apply_calendar(wcs, by_norm["calendar"], problems)
    downtime = _downtime(by_norm["downtime"], codes, problems) if "downtime" in by_norm else []
    if not ops and not problems:
        problems.append(Problem("sheet 'operations' has no rows"))
    return ShopProblem(tuple(wcs), tuple(orders.values()), tuple(ops), tuple(downtime))


def _apply_calendar(wcs: list[WorkCenter], rows: list, problems: list[Problem]):
    sh = _Sheet("calendar", rows, _CAL_ALIASES, problems, ("date", "working"))
    if not sh.ok:
        return wcs
    cal = {w.code: w.calendar for w in wcs}
    names = [s.name for s in DEFAULT_SHIFTS]
    for r, row in sh.rows:
        try:
            code = sh.get(r, row, "work_center", _text, "*")
            day = sh.get(r, row, "date", _date, required=True)
            shift = sh.get(r, row, "shift", lambda v: str(v).strip().upper(), "ALL")
            working = sh.get(r, row, "working", _bool, required=True)
            sh.done()
        except _Bad:
            continue
        targets = list(cal) if code in ("*", "ALL", "all") else [code]
        if targets and targets[0] not in cal:
            sh.bad(r, "work_center", f"unknown work center '{code}'")
            continue
        shifts = names if shift in ("ALL", "*") else [shift]
        if shift not in ("ALL", "*") and shift not in names:
            sh.bad(r, "shift", f"unknown shift '{shift}' (valid: {', '.join(names)}, all)")
            continue
        for t in targets:
            for s in shifts:
                cal[t] = cal[t].with_override(day, s, working)
    return [
        WorkCenter(w.code, w.name, w.category, w.capacity_hours_per_day, w.setup_time_minutes,
                   w.cost_per_hour, w.active, cal[w.code])
        for w in wcs
    ]


def _downtime(rows: list, codes: set[str], problems: list[Problem]) -> list[Downtime]:
    sh = _Sheet("downtime", rows, _DOWN_ALIASES, problems, ("work_center", "start", "end"))
    out: list[Downtime] = []
    if not sh.ok:
        return out
    for r, row in sh.rows:
        try:
            code = sh.get(r, row, "work_center", _text, required=True)
            s = sh.get(r, row, "start", _datetime, required=True)
            e = sh.get(r, row, "end", _datetime, required=True)
            reason = sh.get(r, row, "reason", _text, "")
            sh.done()
        except _Bad:
            continue
        if code not in codes:
            sh.bad(r, "work_center", f"unknown work center '{code}'")
            continue
        if e <= s:
            sh.bad(r, "end", "end must be after start")
            continue
        out.append(Downtime(code, s, e, reason))
    return out


def _read_flat(rows: list, problems: list[Problem]) -> ShopProblem:
    sh = _Sheet("operations", rows, _FLAT_ALIASES, problems, ("rn", "work_center", "norma"))
    if not sh.ok:
        return ShopProblem((), (), ())
    orders: dict[str, WorkOrder] = {}
    ops: list[Operation] = []
    next_seq: dict[str, int] = {}
    seen: set[tuple[str, int]] = set()
    codes: list[str] = []
    for r, row in sh.rows:
        try:
            o = _order_from_row(sh, r, row, "order_status")
            explicit = sh.get(r, row, "sequence", _whole, None)
            seq = explicit if explicit is not None else next_seq.get(o.rn, 0) + 1
            op = _operation_from_row(sh, r, row, o.rn, seq, o.quantity)
        except _Bad:
            continue
        next_seq[o.rn] = max(next_seq.get(o.rn, 0), seq)
        if (o.rn, seq) in seen:
            sh.bad(r, "sequence", f"duplicate operation {o.rn}/{seq}")
            continue
        seen.add((o.rn, seq))
        orders.setdefault(o.rn, o)
        ops.append(op)
        if op.work_center not in codes:
            codes.append(op.work_center)
    wcs = tuple(WorkCenter(code=c, name=c, calendar=Calendar()) for c in codes)
    if not ops and not problems:
        problems.append(Problem("no operations"))
    return ShopProblem(wcs, tuple(orders.values()), tuple(ops))


# -- writing ------------------------------------------------------------------------------
_DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def write_workbook(problem: ShopProblem, path: str | Path) -> Path:
    """Write ``problem`` as a normalised workbook that ``read_workbook`` reads back."""
    from openpyxl import Workbook

    from scheduler_core.shop.export import safe_cell

    wb = Workbook()
    ws = wb.active
    ws.title = "work_centers"
    ws.append(["code", "name", "category", "capacity_hours_per_day", "setup_time_minutes",
               "cost_per_hour", "active", "shifts", "working_days"])
    cal_rows = []
    for w in problem.work_centers:
        c = w.calendar
        shifts = ",".join(sorted(c.shift_names)) if c.shift_names else "S1,S2,S3"
        ws.append([safe_cell(w.code), safe_cell(w.name), safe_cell(w.category),
                   w.capacity_hours_per_day, w.setup_time_minutes, w.cost_per_hour,
                   "yes" if w.active else "no", shifts,
                   ",".join(_DAY_NAMES[d] for d in sorted(c.weekdays))])
        for day, shift, flag in c.overrides:
            cal_rows.append([safe_cell(w.code), day, shift, "yes" if flag else "no"])
    ws = wb.create_sheet("work_orders")
    ws.append(["rn", "kpl", "product_name", "quantity", "priority_level", "delivery_date",
               "assembly_date", "third_date", "status", "urgency_rank"])
    for o in problem.work_orders:
        ws.append([safe_cell(o.rn), safe_cell(o.kpl), safe_cell(o.product_name), o.quantity,
                   o.priority_level, o.delivery_date, o.assembly_date, o.third_date,
                   o.status, o.urgency_rank])
    ws = wb.create_sheet("operations")
    ws.append(["rn", "sequence", "name", "work_center", "norma", "quantity",
               "quantity_completed", "status", "pinned_start", "actual_start",
               "alternatives"])
    for op in problem.operations:
        ws.append([safe_cell(op.rn), op.sequence, safe_cell(op.name), safe_cell(op.work_center),
                   op.norma, op.quantity, op.quantity_completed, op.status, op.pinned_start,
                   op.actual_start, safe_cell(",".join(op.alternatives))])
    ws = wb.create_sheet("calendar")
    ws.append(["work_center", "date", "shift", "working"])
    for row in cal_rows:
        ws.append(row)
    ws = wb.create_sheet("downtime")
    ws.append(["work_center", "start", "end", "reason"])
    for d in problem.downtime:
        ws.append([safe_cell(d.work_center), d.start, d.end, safe_cell(d.reason)])
    path = Path(path)
    wb.save(path)
    return path
