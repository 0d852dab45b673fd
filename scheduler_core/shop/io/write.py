"""Write a shop as the normalised workbook that ``read_workbook`` reads back.

Sheets ``work_centers`` (with ``shifts`` and ``working_days``), ``work_orders``,
``operations``, ``calendar`` (the calendar overrides) and ``downtime``. Text that a
spreadsheet would take for a formula is written with a leading ``'`` (``export.safe_cell``);
the reader removes it again.
"""

from __future__ import annotations

from pathlib import Path

from scheduler_core.shop.model import ShopProblem

__all__ = ["write_workbook"]

_DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def write_workbook(problem: ShopProblem, path: str | Path) -> Path:
    """Write ``problem`` to ``path`` (.xlsx) as a normalised workbook that ``read_workbook``
    reads back, and return the path. Raises ``OSError`` if the file cannot be written."""
    from openpyxl import Workbook

    from scheduler_core.reports.text import safe_cell

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
