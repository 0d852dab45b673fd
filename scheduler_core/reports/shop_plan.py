"""Export of a shop plan as bytes: Excel (openpyxl; sheets kpis, operations, orders,
weekly_load, not_planned and warnings) and PDF (fpdf2; KPIs, late orders, orders not
planned, every operation).

Times are the plant's wall clock and name its zone: the Excel time columns are headed
``start (Europe/Zagreb)`` (Excel cells hold no zone) with the UTC offset of each start in
its own column, the PDF prints ``2026-03-29 03:00 CEST``.

Text a user typed goes through ``reports.text``: no cell can run as a formula, and the PDF
only receives characters its latin-1 fonts can draw.
"""

from __future__ import annotations

import io

from scheduler_core.reports.text import pdf_text, safe_cell
from scheduler_core.shop.clock import aware, label
from scheduler_core.shop.result import ShopResult

#: Late orders listed in the PDF; the rest are counted.
PDF_LATE_ORDERS = 60


#: Excel number formats of the KPI values: hours with one decimal, counts as integers.
HOURS, COUNT, PERCENT = "0.0", "0", "0%"


def kpi_rows(result: ShopResult) -> list[tuple[str, str | int | float | None, str | None]]:
    """``(label, value, number format)`` of the plan's KPIs as both exports show them: numbers
    stay numbers (hours, counts, utilisation 0..1 as a percentage), text is text and a missing
    value is ``None``; the format is an Excel number format, ``None`` for text."""
    k = result.kpis
    rows: list[tuple[str, str | int | float | None, str | None]] = [
        ("Strategy", result.strategy, None),
        ("Due date basis", result.due_basis, None),
        ("Time zone", result.time_zone, None),
        ("Plan start", label(result.start, result.time_zone), None),
        ("Operations", k.operations, COUNT),
        ("Work orders", k.orders, COUNT),
        ("Late orders", k.late_orders, COUNT),
        ("Weighted tardiness (h)", round(k.weighted_tardiness_hours, 1), HOURS),
        ("Max lateness (h)", None if k.max_lateness_hours is None else round(k.max_lateness_hours, 1), HOURS),
        ("Makespan (h)", round(k.makespan_hours, 1), HOURS),
        ("Proven optimal", "yes" if result.proven_optimal else "no", None),
    ]
    rows += [(f"Utilisation {w}", round(u, 4), PERCENT) for w, u in k.utilisation.items()]
    return rows


def kpi_text(value: str | int | float | None, number_format: str | None) -> str:
    """A KPI value of :func:`kpi_rows` as the PDF prints it (``-`` when missing)."""
    if value is None:
        return "-"
    if number_format == HOURS:
        return f"{value:,.1f}"
    if number_format == PERCENT:
        return f"{value:.0%}"
    if number_format == COUNT:
        return f"{value:,}"
    return str(value)


def _append(ws, values: list, formats: dict[int, str]) -> None:
    """Append a row to ``ws`` and give column ``i`` (0-based) the number format ``formats[i]``."""
    ws.append(values)
    for i, fmt in formats.items():
        ws.cell(row=ws.max_row, column=i + 1).number_format = fmt


def shop_plan_excel(result: ShopResult) -> bytes:
    """The plan as an .xlsx workbook (bytes). Numbers are written as numbers (hours with one
    decimal shown, counts as integers, utilisation as a percentage); the operations sheet
    carries each operation's status, its order's product and late flag."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "kpis"
    ws.append(["KPI", "value"])
    for name, value, fmt in kpi_rows(result):
        _append(ws, [name, safe_cell(value) if isinstance(value, str) else value], {1: fmt} if fmt else {})
    zone = result.time_zone
    outcome = {o.rn: o for o in result.orders}
    ws = wb.create_sheet("operations")
    ws.append(["work_center", "rn", "sequence", "operation", "product", "product_name", "status", "pinned",
               "late", f"start ({zone})", f"end ({zone})", "utc_offset", "setup_minutes", "minutes",
               "work_intervals"])
    for p in sorted(result.operations, key=lambda p: (p.work_center, p.start)):
        o = outcome.get(p.rn)
        ivs = "; ".join(f"{s:%Y-%m-%d %H:%M}-{e:%H:%M}" for s, e in p.intervals)
        _append(ws, [safe_cell(p.work_center), safe_cell(p.rn), p.sequence, safe_cell(p.name),
                     safe_cell(o.kpl if o else ""), safe_cell(o.product_name if o else ""),
                     "in progress" if p.in_progress else "planned", "yes" if p.pinned else "no",
                     "yes" if o is not None and o.late else "no",
                     p.start, p.end, f"{aware(p.start, zone):%z}", p.setup_minutes, p.duration_minutes, ivs],
                {9: "yyyy-mm-dd hh:mm", 10: "yyyy-mm-dd hh:mm", 12: COUNT, 13: COUNT})
    ws = wb.create_sheet("orders")
    ws.append(["rn", "product", "product_name", "priority", "urgency_rank", f"due ({zone})",
               f"completion ({zone})", "lateness_h", "late"])
    for o in result.orders:
        _append(ws, [safe_cell(o.rn), safe_cell(o.kpl), safe_cell(o.product_name), o.priority_level,
                     o.urgency_rank, o.due, o.completion,
                     None if o.lateness_hours is None else round(o.lateness_hours, 1), "yes" if o.late else "no"],
                {5: "yyyy-mm-dd hh:mm", 6: "yyyy-mm-dd hh:mm", 7: HOURS})
    ws = wb.create_sheet("weekly_load")
    ws.append(["work_center", "week_start", "capacity_h", "planned_h", "spare_h", "due_h", "overload_h"])
    for w in result.kpis.weekly_load:
        _append(ws, [safe_cell(w.work_center), w.week_start, round(w.capacity_hours, 1), round(w.planned_hours, 1),
                     round(w.spare_hours, 1), round(w.due_hours, 1), round(w.overload_hours, 1)],
                {1: "yyyy-mm-dd", **dict.fromkeys(range(2, 7), HOURS)})
    if result.not_planned:
        ws = wb.create_sheet("not_planned")
        ws.append(["rn", "not planned"])
        for n in result.not_planned:
            ws.append([safe_cell(n.rn), safe_cell(n.reason)])
    if result.warnings:
        ws = wb.create_sheet("warnings")
        for text in result.warnings:
            ws.append([safe_cell(text)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def shop_plan_pdf(result: ShopResult) -> bytes:
    """The plan as a landscape A4 PDF (bytes): KPIs, late orders, then every operation."""
    from fpdf import FPDF

    pdf = FPDF(orientation="L", format="A4")
    pdf.set_auto_page_break(True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 10, pdf_text(f"Shop plan - {result.strategy}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 9)
    for name, value, fmt in kpi_rows(result):
        pdf.cell(60, 5, pdf_text(name), border=1)
        pdf.cell(50, 5, pdf_text(kpi_text(value, fmt)), border=1, new_x="LMARGIN", new_y="NEXT")
    late = result.late_orders()
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, f"Late orders ({len(late)})", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 8)
    for o in late[:PDF_LATE_ORDERS]:
        due = label(o.due, result.time_zone) if o.due else "-"
        comp = label(o.completion, result.time_zone) if o.completion else "-"
        line = f"{o.rn}  priority {o.priority_level}  due {due}  done {comp}  late {o.lateness_hours:.1f} h"
        pdf.cell(0, 4.5, pdf_text(line), new_x="LMARGIN", new_y="NEXT")
    if len(late) > PDF_LATE_ORDERS:
        pdf.cell(0, 4.5, f"... and {len(late) - PDF_LATE_ORDERS} more", new_x="LMARGIN", new_y="NEXT")
    if result.not_planned:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(0, 7, f"Not planned ({len(result.not_planned)})", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 8)
        for n in result.not_planned[:PDF_LATE_ORDERS]:
            pdf.cell(0, 4.5, pdf_text(n.describe()), new_x="LMARGIN", new_y="NEXT")
        if len(result.not_planned) > PDF_LATE_ORDERS:
            pdf.cell(0, 4.5, f"... and {len(result.not_planned) - PDF_LATE_ORDERS} more", new_x="LMARGIN",
                     new_y="NEXT")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, "Operations", new_x="LMARGIN", new_y="NEXT")
    widths = (28, 38, 10, 62, 38, 38, 16, 16, 18)
    head = ("Work center", "RN", "Seq", "Operation", "Start", "End", "Setup", "Minutes", "Pieces")

    def header() -> None:
        pdf.set_font("Helvetica", "B", 8)
        for w, h in zip(widths, head, strict=True):
            pdf.cell(w, 5, h, border=1)
        pdf.ln()
        pdf.set_font("Helvetica", "", 7.5)

    header()
    for p in sorted(result.operations, key=lambda p: (p.work_center, p.start)):
        if pdf.get_y() > pdf.h - 20:
            pdf.add_page()
            header()
        vals = (p.work_center, p.rn, str(p.sequence), p.name[:40], label(p.start, result.time_zone),
                label(p.end, result.time_zone), str(p.setup_minutes), str(p.duration_minutes), str(len(p.intervals)))
        for w, v in zip(widths, vals, strict=True):
            pdf.cell(w, 4.5, pdf_text(v, max_len=60), border=1)
        pdf.ln()
    return bytes(pdf.output())
