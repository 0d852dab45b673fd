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
it, header = row 1, column as ``sheet!header``): :func:`read_shop` returns the valid part and
what it skipped (``partial.ShopRead``), :func:`read_workbook` raises one ``InputError`` with
every problem. Both apply the same rules (one reader).

Work center calendar columns: ``shifts`` ("S1,S2"; blank = derived from
``capacity_hours_per_day``: ≤ 8 h one shift, ≤ 16 h two, else three) and ``working_days``
("Mon-Fri", "Mon,Tue,Sat", "0-4"; blank = Monday–Friday).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from scheduler_core.cells import norm_header
from scheduler_core.errors import InputError, Problem
from scheduler_core.shop.clock import DEFAULT_ZONE, to_plant
from scheduler_core.shop.io import columns as c
from scheduler_core.shop.io.partial import Parts, ShopRead, resolve
from scheduler_core.shop.io.sheet import ORDER, WORK_CENTER, Bad, Sheet
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
from scheduler_core.tabular import Row, Source, is_excel, read_table

__all__ = ["MAX_ROWS", "read_shop", "read_workbook"]

#: More non-blank rows than this below a sheet's header are refused (15 times the ~2,000
#: operations of a large shop; reading stops there, so a million-row sheet is refused in ~1 s).
MAX_ROWS = 30_000

_Owners = dict[Problem, tuple[str, str]]

#: Work order columns -> the fields they give (the status column is named by the layout).
_ORDER_FIELDS = {k: k for k in ("quantity", "priority_level", "kpl", "product_name", "delivery_date",
                                "assembly_date", "third_date", "urgency_rank")}
#: Work center columns -> the fields they give (``shifts`` blank: derived from the capacity).
_WC_FIELDS = {**{k: k for k in ("name", "category", "capacity_hours_per_day", "setup_time_minutes",
                                "cost_per_hour", "active")},
              "shifts": "shift_names", "working_days": "weekdays"}


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
    return read_shop(source, filename, time_zone).strict()


def read_shop(source: Source, filename: str | None = None, time_zone: str = DEFAULT_ZONE,
              known_work_centers: frozenset[str] | None = None) -> ShopRead:
    """Read a shop workbook like :func:`read_workbook`, but keep the valid part: returns a
    ``ShopRead`` with the shop of every item no problem spoils, every problem, and what was
    skipped (a bad operation row skips its whole work order; see ``partial``).

    ``known_work_centers`` (the codes of the shop a file is added to): a flat sheet's
    operation on any other code is a problem of its row ("unknown work center … did you
    mean …?") instead of a new work center; ``None`` creates the codes used.

    Raises ``InputError`` only when nothing can be imported: the file cannot be read, a
    sheet or column is missing, there are no rows, or no work order is left.
    """
    if filename is None and isinstance(source, bytes):
        filename = "input.xlsx" if is_excel(source, None) else "input.csv"
    table = read_table(source, filename, all_sheets=True, max_rows=MAX_ROWS, what="rows", check_formulas=True)
    name = table.filename or "input"
    by_norm = {norm_header(s.name): s.rows for s in table.sheets}
    problems: list[Problem] = []
    owners: _Owners = {}
    if "operations" in by_norm and ("workorders" in by_norm or "workcenters" in by_norm):
        parts = _read_normalised(by_norm, problems, owners, time_zone)
    else:
        flat_rows = by_norm.get("operations") or next((s.rows for s in table.sheets if s.rows), [])
        if not flat_rows:
            raise InputError(Problem("the workbook has no data"), source=name)
        parts = _read_flat(flat_rows, problems, owners, known_work_centers)
    return resolve(parts, problems, owners, source=name, time_zone=time_zone)


def _work_centers(sh: Sheet, parts: Parts) -> set[str]:
    """Read the work center rows into ``parts``; returns the codes of rejected rows (their
    operations, calendar and downtime go with them)."""
    rejected: set[str] = set()
    for r, row in sh.rows:
        sh.next_row()
        try:
            code = sh.get(r, row, "code", c.text, required=True)
            if code is not None:
                sh.own(WORK_CENTER, code)
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
        except Bad:
            if code is not None:
                rejected.add(code)
            continue
        if code in parts.wc_rows:
            sh.bad(r, "code", f"duplicate work center '{code}'")
            continue
        parts.wc_rows[code] = (sh.name, r)
        parts.work_centers.append(wc)
        given = sh.given(row, _WC_FIELDS)
        parts.wc_given[code] = given | ({"shift_names"} if "capacity_hours_per_day" in given else set())
    return rejected


def _order_given(sh: Sheet, row: list[Any], status_col: str) -> frozenset[str]:
    """The work order fields a row gives (a blank urgency rank is one: off the urgency list)."""
    return sh.given(row, {**_ORDER_FIELDS, status_col: "status"}, explicit=("urgency_rank",))


def _order_from_row(sh: Sheet, r: int, row: list[Any], rn: str, status_col: str) -> WorkOrder:
    """A work order from a row (problems recorded; ``sh.done()`` is left to the caller)."""
    return WorkOrder(
        rn=rn,
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


def _rn(sh: Sheet, r: int, row: list[Any]) -> str:
    """The row's work order number; the row's problems spoil that work order from now on."""
    rn = sh.get(r, row, "rn", c.text, "", required=True)
    if rn:
        sh.own(ORDER, rn)
    return rn


def _operation_from_row(sh: Sheet, r: int, row: list[Any], rn: str, seq: int | None,
                        default_qty: int) -> Operation:
    """An operation from a row; raises ``Bad`` after recording every problem of the row."""
    sequence = seq if seq is not None else sh.get(r, row, "sequence", c.whole, 0, required=True)
    qty = sh.get(r, row, "quantity", c.positive_int, default_qty)
    done = sh.get(r, row, "quantity_completed", c.non_negative, 0)
    if done > qty:
        sh.bad(r, "quantity_completed", f"{done:g} completed is more than quantity {qty}")
        sh.failed = True
    alts = sh.get(r, row, "alternatives", c.text, "")
    values = {
        "work_center": sh.get(r, row, "work_center", c.text, "", required=True),
        "norma": sh.get(r, row, "norma", c.norma, 0, required=True),
        "name": sh.get(r, row, "name", c.text, ""),
        "status": sh.get(r, row, "status", c.status(OPERATION_STATUSES), "pending"),
        "pinned_start": sh.get(r, row, "pinned_start", c.moment, None),
        "actual_start": sh.get(r, row, "actual_start", c.moment, None),
    }
    sh.done()
    return Operation(rn=rn, sequence=sequence, quantity=qty, quantity_completed=done,
                     alternatives=tuple(a for a in re.split(r"[,;\s]+", alts) if a), **values)


def _read_normalised(by_norm: dict[str, list[Row]], problems: list[Problem], owners: _Owners,
                     time_zone: str) -> Parts:
    parts = Parts()
    wc_sh = Sheet("work_centers", by_norm.get("workcenters", []), c.WC_ALIASES, problems, ("code",), owners)
    wo_sh = Sheet("work_orders", by_norm.get("workorders", []), c.ORDER_ALIASES, problems, ("rn",), owners)
    op_sh = Sheet("operations", by_norm["operations"], c.OP_ALIASES, problems,
                  ("rn", "sequence", "work_center", "norma"), owners)
    parts.wc_column = op_sh.column("work_center")
    rejected_wcs = _work_centers(wc_sh, parts) if wc_sh.ok else set()
    orders: dict[str, WorkOrder] = {}
    rejected: set[str] = set()  # orders with a bad row: their operations go with them
    if wo_sh.ok:
        for r, row in wo_sh.rows:
            wo_sh.next_row()
            rn = _rn(wo_sh, r, row)
            try:
                o = _order_from_row(wo_sh, r, row, rn, "status")
                wo_sh.done()
            except Bad:
                rejected.add(rn)
                continue
            if o.rn in orders:
                wo_sh.bad(r, "rn", f"duplicate work order '{o.rn}'")
                continue
            orders[o.rn] = o
            parts.order_rows[o.rn] = (wo_sh.name, r)
            parts.order_given[o.rn] = _order_given(wo_sh, row, "status")
    codes = {w.code for w in parts.work_centers} | rejected_wcs
    if op_sh.ok:
        for r, row in op_sh.rows:
            op_sh.next_row()
            try:
                rn = _rn(op_sh, r, row)
                o = orders.get(rn)
                op = _operation_from_row(op_sh, r, row, rn, None, o.quantity if o else 1)
            except Bad:
                continue
            if wo_sh.ok and rn not in orders and rn not in rejected:
                op_sh.bad(r, "rn", f"unknown work order '{rn}'")
                continue
            if wc_sh.ok and op.work_center not in codes:
                op_sh.bad(r, "work_center", f"unknown work center '{op.work_center}'")
                continue
            if op.op_id in parts.op_rows:
                op_sh.bad(r, "sequence", f"duplicate operation {rn}/{op.sequence}")
                continue
            parts.op_rows[op.op_id] = (op_sh.name, r)
            parts.operations.append(op)
            if op_sh.raw(row, "quantity") is not None or "quantity" in parts.order_given.get(rn, ()):
                parts.op_quantity_given.add(op.op_id)
    if wc_sh.ok and "calendar" in by_norm:
        parts.work_centers = _apply_calendar(parts.work_centers, by_norm["calendar"], problems, owners,
                                             rejected_wcs)
    if "downtime" in by_norm:
        _downtime(by_norm["downtime"], codes, problems, owners, time_zone, parts)
    if not parts.operations and not problems:
        problems.append(Problem("sheet 'operations' has no rows"))
    parts.work_orders = list(orders.values())
    return parts


def _apply_calendar(wcs: list[WorkCenter], rows: list[Row], problems: list[Problem],
                    owners: _Owners, rejected: set[str]) -> list[WorkCenter]:
    sh = Sheet("calendar", rows, c.CAL_ALIASES, problems, ("date", "working"), owners)
    if not sh.ok:
        return wcs
    cal = {w.code: w.calendar for w in wcs}
    names = [s.name for s in DEFAULT_SHIFTS]
    for r, row in sh.rows:
        sh.next_row()
        try:
            code = sh.get(r, row, "work_center", c.text, "*")
            day = sh.get(r, row, "date", c.day, required=True)
            shift = sh.get(r, row, "shift", lambda v, what: str(v).strip().upper(), "ALL")
            working = sh.get(r, row, "working", c.yes_no, required=True)
            sh.done()
        except Bad:
            continue
        if code in rejected:  # goes with its (reported) work center
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


def _downtime(rows: list[Row], codes: set[str], problems: list[Problem], owners: _Owners, time_zone: str,
              parts: Parts) -> None:
    sh = Sheet("downtime", rows, c.DOWN_ALIASES, problems, ("work_center", "start", "end"), owners)
    if not sh.ok:
        return
    for r, row in sh.rows:
        sh.next_row()
        try:
            code = sh.get(r, row, "work_center", c.text, required=True)
            s = to_plant(sh.get(r, row, "start", c.moment, required=True), time_zone)
            e = to_plant(sh.get(r, row, "end", c.moment, required=True), time_zone)
            reason = sh.get(r, row, "reason", c.text, "")
            sh.done()
        except Bad:
            continue
        if code not in codes:
            sh.bad(r, "work_center", f"unknown work center '{code}'")
            continue
        if e <= s:
            sh.bad(r, "end", "end must be after start")
            continue
        parts.downtime.append(Downtime(code, s, e, reason))
        parts.downtime_rows.append((sh.name, r))


def _unknown_center(code: str, known: frozenset[str]) -> str:
    """The problem of an operation on a work center neither the shop nor the file has."""
    near = difflib.get_close_matches(code, sorted(known), n=1)
    return f"unknown work center '{code}'" + (f" — did you mean '{near[0]}'?" if near else
                                              " (not in the shop; add it first)")


def _read_flat(rows: list[Row], problems: list[Problem], owners: _Owners, known: frozenset[str] | None) -> Parts:
    parts = Parts()
    naziv_is_product, parts.notes = _naziv(rows)
    sh = Sheet("operations", rows, c.flat_aliases(naziv_is_product), problems, ("rn", "work_center", "norma"),
               owners)
    parts.wc_column = sh.column("work_center")
    if not sh.ok:
        return parts
    orders: dict[str, tuple[WorkOrder, int]] = {}
    next_seq: dict[str, int] = {}
    codes: list[str] = []
    for r, row in sh.rows:
        sh.next_row()
        try:
            rn = _rn(sh, r, row)
            o = _order_from_row(sh, r, row, rn, "order_status")
            explicit = sh.get(r, row, "sequence", c.whole, None)
            seq = explicit if explicit is not None else next_seq.get(o.rn, 0) + 1
            op = _operation_from_row(sh, r, row, o.rn, seq, o.quantity)
        except Bad:
            continue
        next_seq[o.rn] = max(next_seq.get(o.rn, 0), seq)
        if known is not None and op.work_center not in known:
            sh.bad(r, "work_center", _unknown_center(op.work_center, known))
            continue
        if op.op_id in parts.op_rows:
            sh.bad(r, "sequence", f"duplicate operation {o.rn}/{seq}")
            continue
        first, first_row = orders.setdefault(o.rn, (o, r))
        if _product_differs(sh, r, o, first, first_row):
            continue
        if first_row == r:
            parts.order_given[o.rn] = _order_given(sh, row, "order_status")
        if "quantity" in parts.order_given[o.rn]:
            parts.op_quantity_given.add(op.op_id)
        parts.op_rows[op.op_id] = (sh.name, r)
        parts.operations.append(op)
        if op.work_center not in codes:
            codes.append(op.work_center)
    parts.work_centers = [WorkCenter(code=code, name=code, calendar=Calendar()) for code in codes]
    parts.implied = frozenset(codes)
    parts.work_orders = [o for o, _ in orders.values()]
    if not parts.operations and not problems:
        problems.append(Problem("no operations"))
    return parts


def _naziv(rows: list[Row]) -> tuple[bool, tuple[str, ...]]:
    """Whether the flat sheet's ``naziv`` names the product (``columns.naziv_role``; when the
    headers leave it open: the same ``naziv`` on every row of each work order), and a note
    saying how it was read."""
    role = c.naziv_role(rows[0].cells)
    probe = Sheet("operations", rows, {"rn": c.ORDER_ALIASES["rn"], "naziv": ["naziv"]}, [], ())
    if "naziv" not in probe.cols:
        return False, ()
    if role is None:
        names: dict[Any, set[Any]] = {}
        for _, row in probe.rows:
            names.setdefault(probe.raw(row, "rn"), set()).add(probe.raw(row, "naziv"))
        role = "product" if all(len(v) == 1 for v in names.values()) else "operation"
        why = "it is the same on every row of each work order" if role == "product" else \
            "it changes within a work order"
    else:
        why = "from the other columns"
    note = f"column '{probe.headers['naziv']}' read as the {role} name ({why})"
    return role == "product", (note,)


def _product_differs(sh: Sheet, r: int, o: WorkOrder, first: WorkOrder, first_row: int) -> bool:
    """A work order makes one product: its product code and name are the same on every row
    (a ``naziv`` that changes from row to row names operations: put it in ``operacija``)."""
    differs = False
    for col, what in (("kpl", "product code"), ("product_name", "product name")):
        value, was = getattr(o, col), getattr(first, col)
        if value != was:
            sh.bad(r, col, f"{what} '{value}' of work order '{o.rn}' differs from '{was}' in row {first_row}"
                           + (" (name operations in an 'operacija' column)" if col == "product_name" else ""))
            differs = True
    return differs
