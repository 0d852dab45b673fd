"""Import a shop from an Excel workbook (or one flat CSV sheet).

Two layouts are accepted:

1. Normalised workbook with sheets ``work_centers``, ``work_orders``, ``operations`` and the
   optional ``calendar`` (work_center (blank/* = all), date, shift (blank/all = every shift),
   working yes/no) and ``downtime`` (work_center, start, end, reason).
2. One flat operations sheet like the shop's spreadsheet: one row per operation with the
   order columns repeated (``RN``, ``KPL``, ``naziv``, ``norma``, ``kolicina``,
   ``datum_isporuke``, ``datum_sastavljanja``, ``datum_treci``, ``hitno``, ``radni_centar``
   …). Work centers are created from the codes used (default calendar).

Files, rows and cell values are read by ``scheduler_core.tabular`` (size limit, encodings,
delimiter, row numbers, numbers and dates); this module maps columns (``columns.py``) and
builds the ``ShopProblem``. Every bad row is reported at once (row number as the user sees
it, header = row 1, column as ``sheet!header``) in one ``InputError``.

Work center calendar columns: ``shifts`` ("S1,S2"; blank = derived from
``capacity_hours_per_day``: ≤ 8 h one shift, ≤ 16 h two, else three) and ``working_days``
("Mon-Fri", "Mon,Tue,Sat", "0-4"; blank = Monday–Friday).
"""

from __future__ import annotations

import re
from typing import Any

from scheduler_core.cells import norm_header
from scheduler_core.errors import InputError, Problem, check, raise_problems
from scheduler_core.shop.clock import DEFAULT_ZONE, to_plant
from scheduler_core.shop.io import columns as c
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
from scheduler_core.shop.prepared import PLAN_RULES
from scheduler_core.tabular import Row, Source, capped, is_excel, read_table

__all__ = ["MAX_ROWS", "read_workbook"]

#: More non-blank rows than this below a sheet's header are refused.
MAX_ROWS = 100_000

_Parts = tuple[list[WorkCenter], list[WorkOrder], list[Operation], list[Downtime]]


class _Sheet:
    """Rows of one sheet as canonical column → raw value, with error collection."""

    def __init__(self, name: str, rows: list[Row], aliases: dict[str, list[str]],
                 problems: list[Problem], required: tuple[str, ...]):
        self.name = name
        self.problems = problems
        self._seen: set[Problem] = set()
        self.cols: dict[str, int] = {}
        self.headers: dict[str, str] = {}
        lookup = {a: canon for canon, al in aliases.items() for a in al}
        for k, h in enumerate(rows[0].cells if rows else []):
            canon = lookup.get(norm_header(h))
            if canon and canon not in self.cols:
                self.cols[canon] = k
                self.headers[canon] = str(h).strip()
        for col in required:
            if col not in self.cols:
                problems.append(Problem(f"sheet '{name}': missing column '{col}'", column=col))
        self.rows = rows[1:]
        self.ok = all(col in self.cols for col in required)
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
        if p not in self._seen:
            self._seen.add(p)
            self.problems.append(p)

    def get(self, r: int, row: list[Any], col: str, conv: c.Converter,
            default: Any = None, required: bool = False) -> Any:
        """The converted value; on a problem it is recorded, the row is marked failed and
        ``default`` returned, so every problem of a row is collected (``done`` raises). A
        value that converts to ``None`` (e.g. only control characters) counts as blank."""
        v = self.raw(row, col)
        if v is not None:
            try:
                v = conv(v, self.headers.get(col, col))
            except (ValueError, TypeError) as exc:
                self.bad(r, col, str(exc) or f"invalid value '{v}'")
                self.failed = True
                return default
        if v is None:
            if required:
                self.bad(r, col, "is blank")
                self.failed = True
            return default
        return v

    def done(self) -> None:
        """Raise ``_Bad`` if a value of the current row was bad (and reset)."""
        if self.failed:
            self.failed = False
            raise _Bad


class _Bad(Exception):
    pass


def read_workbook(source: Source, filename: str | None = None, time_zone: str = DEFAULT_ZONE) -> ShopProblem:
    """Read a shop workbook (either layout) or flat CSV sheet into a ``ShopProblem`` of a
    plant in ``time_zone`` (times written with an offset are converted to its wall clock).

    ``source`` is a path, bytes or a file object; ``filename`` names it in messages and,
    for bytes, tells CSV from Excel (unnamed bytes are ``input.xlsx`` or ``input.csv``).
    Raises ``InputError`` (``source`` = the file name) for a file that cannot be read (see
    ``tabular.read_table``; more than ``MAX_ROWS`` rows in a sheet), or with every bad row
    (at most ``tabular.MAX_PROBLEMS`` listed) every consistency problem of the result, and open
    operations on inactive work centers (``prepared.PLAN_RULES``).
    """
    if filename is None and isinstance(source, bytes):
        filename = "input.xlsx" if is_excel(source, None) else "input.csv"
    table = read_table(source, filename, all_sheets=True, max_rows=MAX_ROWS, what="rows")
    name = table.filename or "input"
    by_norm = {norm_header(s.name): s.rows for s in table.sheets}
    problems: list[Problem] = []
    if "operations" in by_norm and ("workorders" in by_norm or "workcenters" in by_norm):
        parts = _read_normalised(by_norm, problems, time_zone)
    else:
        flat_rows = by_norm.get("operations") or next((s.rows for s in table.sheets if s.rows), [])
        if not flat_rows:
            raise InputError(Problem("the workbook has no data"), source=name)
        parts = _read_flat(flat_rows, problems)
    if problems:
        raise InputError(capped(problems), source=name)
    wcs, orders, ops, downtime = parts
    try:
        result = ShopProblem(tuple(wcs), tuple(orders), tuple(ops), tuple(downtime), name=name, time_zone=time_zone)
    except InputError as exc:  # the model's own consistency rules
        raise InputError(capped(exc.problems), source=name) from None
    # a shop whose open work sits on an inactive work center could never be planned
    raise_problems(capped(check(PLAN_RULES, result)), source=name)
    return result


def _work_centers(sh: _Sheet) -> list[WorkCenter]:
    out = []
    seen: set[str] = set()
    for r, row in sh.rows:
        try:
            code = sh.get(r, row, "code", c.text, required=True)
            cap = sh.get(r, row, "capacity_hours_per_day", c.hours, 22.5)
            shifts = sh.get(r, row, "shifts", c.shift_names, None) or c.shifts_for_capacity(cap)
            days = sh.get(r, row, "working_days", c.weekdays, frozenset(range(5)))
            name = sh.get(r, row, "name", c.text, code)
            category = sh.get(r, row, "category", c.text, "")
            setup = sh.get(r, row, "setup_time_minutes", c.non_negative, 0)
            cost = sh.get(r, row, "cost_per_hour", c.non_negative, None)
            active = sh.get(r, row, "active", c.yes_no, True)
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
        rn=sh.get(r, row, "rn", c.text, "", required=True),
        quantity=sh.get(r, row, "quantity", c.positive_int, 1),
        priority_level=sh.get(r, row, "priority_level", c.priority, 3),
        kpl=sh.get(r, row, "kpl", c.text, ""),
        product_name=sh.get(r, row, "product_name", c.text, ""),
        delivery_date=sh.get(r, row, "delivery_date", c.day, None),
        assembly_date=sh.get(r, row, "assembly_date", c.day, None),
        third_date=sh.get(r, row, "third_date", c.day, None),
        status=sh.get(r, row, status_col, c.status(ORDER_STATUSES), "pending"),
        urgency_rank=sh.get(r, row, "urgency_rank", c.positive_int, None),
    )


def _operation_from_row(sh: _Sheet, r: int, row: list[Any], rn: str, seq: int | None,
                        default_qty: int) -> Operation:
    """An operation from a row; raises ``_Bad`` after recording every problem of the row."""
    sequence = seq if seq is not None else sh.get(r, row, "sequence", c.whole, 0, required=True)
    qty = sh.get(r, row, "quantity", c.positive_int, default_qty)
    done = sh.get(r, row, "quantity_completed", c.non_negative, 0)
    if done > qty:
        sh.bad(r, "quantity_completed", f"{done:g} completed is more than quantity {qty}")
        sh.failed = True
    alts = sh.get(r, row, "alternatives", c.text, "")
    values = {
        "work_center": sh.get(r, row, "work_center", c.text, "", required=True),
        "norma": sh.get(r, row, "norma", c.non_negative, 0, required=True),
        "name": sh.get(r, row, "name", c.text, ""),
        "status": sh.get(r, row, "status", c.status(OPERATION_STATUSES), "pending"),
        "pinned_start": sh.get(r, row, "pinned_start", c.moment, None),
        "actual_start": sh.get(r, row, "actual_start", c.moment, None),
    }
    sh.done()
    return Operation(rn=rn, sequence=sequence, quantity=qty, quantity_completed=done,
                     alternatives=tuple(a for a in re.split(r"[,;\s]+", alts) if a), **values)


def _read_normalised(by_norm: dict[str, list[Row]], problems: list[Problem], time_zone: str) -> _Parts:
    wc_sh = _Sheet("work_centers", by_norm.get("workcenters", []), c.WC_ALIASES, problems,
                   ("code",))
    wo_sh = _Sheet("work_orders", by_norm.get("workorders", []), c.ORDER_ALIASES, problems,
                   ("rn",))
    op_sh = _Sheet("operations", by_norm["operations"], c.OP_ALIASES, problems,
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
                rn = op_sh.get(r, row, "rn", c.text, "", required=True)
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
    downtime = _downtime(by_norm["downtime"], codes, problems, time_zone) if "downtime" in by_norm else []
    if not ops and not problems:
        problems.append(Problem("sheet 'operations' has no rows"))
    return wcs, list(orders.values()), ops, downtime


def _apply_calendar(wcs: list[WorkCenter], rows: list[Row], problems: list[Problem]) -> list[WorkCenter]:
    sh = _Sheet("calendar", rows, c.CAL_ALIASES, problems, ("date", "working"))
    if not sh.ok:
        return wcs
    cal = {w.code: w.calendar for w in wcs}
    names = [s.name for s in DEFAULT_SHIFTS]
    for r, row in sh.rows:
        try:
            code = sh.get(r, row, "work_center", c.text, "*")
            day = sh.get(r, row, "date", c.day, required=True)
            shift = sh.get(r, row, "shift", lambda v, what: str(v).strip().upper(), "ALL")
            working = sh.get(r, row, "working", c.yes_no, required=True)
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


def _downtime(rows: list[Row], codes: set[str], problems: list[Problem], time_zone: str) -> list[Downtime]:
    sh = _Sheet("downtime", rows, c.DOWN_ALIASES, problems, ("work_center", "start", "end"))
    out: list[Downtime] = []
    if not sh.ok:
        return out
    for r, row in sh.rows:
        try:
            code = sh.get(r, row, "work_center", c.text, required=True)
            s = to_plant(sh.get(r, row, "start", c.moment, required=True), time_zone)
            e = to_plant(sh.get(r, row, "end", c.moment, required=True), time_zone)
            reason = sh.get(r, row, "reason", c.text, "")
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


def _read_flat(rows: list[Row], problems: list[Problem]) -> _Parts:
    sh = _Sheet("operations", rows, c.FLAT_ALIASES, problems, ("rn", "work_center", "norma"))
    if not sh.ok:
        return [], [], [], []
    orders: dict[str, WorkOrder] = {}
    ops: list[Operation] = []
    next_seq: dict[str, int] = {}
    seen: set[tuple[str, int]] = set()
    codes: list[str] = []
    for r, row in sh.rows:
        try:
            o = _order_from_row(sh, r, row, "order_status")
            explicit = sh.get(r, row, "sequence", c.whole, None)
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
    wcs = [WorkCenter(code=code, name=code, calendar=Calendar()) for code in codes]
    if not ops and not problems:
        problems.append(Problem("no operations"))
    return wcs, list(orders.values()), ops, []
