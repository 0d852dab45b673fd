"""Export of a shop plan as bytes: Excel (openpyxl; sheets kpis, operations, orders,
weekly_load and warnings) and PDF (fpdf2; KPIs, late orders, every operation).

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


def kpi_rows(result: ShopResult) -> list[tuple[str, str]]:
    """(label, value as text) of the plan's KPIs, as both exports show them."""
    k = result.kpis
    max_late = "-" if k.max_lateness_hours is None else f"{k.max_lateness_hours:.1f}"
    rows = [
        ("Strategy", result.strategy),
        ("Due date basis", result.due_basis),
        ("Time zone", result.time_zone),
        ("Plan start", label(result.start, result.time_zone)),
        ("Operations", str(k.operations)),
        ("Work orders", str(k.orders)),
        ("Late orders", str(k.late_orders)),
        ("Weighted tardiness (h)", f"{k.weighted_tardiness_hours:.1f}"),
        ("Max lateness (h)", max_late),
        ("Makespan (h)", f"{k.makespan_hours:.1f}"),
        ("Proven optimal", "yes" if result.proven_optimal else "no"),
    ]
    rows += [(f"Utilisation {w}", f"{u:.0%}") for w, u in k.utilisation.items()]
    return rows


def shop_plan_excel(result: ShopResult) -> bytes:
    """The plan as an .xlsx workbook (bytes)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "kpis"
    ws.append(["KPI", "value"])
    for name, value in kpi_rows(result):
        ws.append([name, safe_cell(value)])
    zone = result.time_zone
    ws = wb.create_sheet("operations")
    ws.append(["work_center", "rn", "sequence", "operation", f"start ({zone})", f"end ({zone})", "utc_offset",
               "setup_minutes", "minutes", "work_intervals"])
    for p in sorted(result.operations, key=lambda p: (p.work_center, p.start)):
        ivs = "; ".join(f"{s:%Y-%m-%d %H:%M}-{e:%H:%M}" for s, e in p.intervals)
        ws.append([safe_cell(p.work_center), safe_cell(p.rn), p.sequence, safe_cell(p.name),
                   p.start, p.end, f"{aware(p.start, zone):%z}", p.setup_minutes, p.duration_minutes, ivs])
    ws = wb.create_sheet("orders")
    ws.append(["rn", "priority", "urgency_rank", f"due ({zone})", f"completion ({zone})", "lateness_h", "late"])
    for o in result.orders:
        ws.append([safe_cell(o.rn), o.priority_level, o.urgency_rank, o.due, o.completion,
                   None if o.lateness_hours is None else round(o.lateness_hours, 2),
                   "yes" if o.late else "no"])
    ws = wb.create_sheet("weekly_load")
    ws.append(["work_center", "week_start", "capacity_h", "planned_h", "spare_h", "due_h", "overload_h"])
    for w in result.kpis.weekly_load:
        ws.append([safe_cell(w.work_center), w.week_start, w.capacity_hours, w.planned_hours,
                   round(w.spare_hours, 2), w.due_hours, round(w.overload_hours, 2)])
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
    for name, value in kpi_rows(result):
        pdf.cell(60, 5, pdf_text(name), border=1)
        pdf.cell(50, 5, pdf_text(value), border=1, new_x="LMARGIN", new_y="NEXT")
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
