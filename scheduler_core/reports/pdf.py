"""PDF export (fpdf2): title, inputs summary, KPIs, Gantt charts and the activity table.

Only fpdf2's built-in Helvetica is used (no font files, so the output is the same on every
machine). Those core fonts are latin-1 only, so *every* string that reaches the page goes
through :func:`text.pdf_text`, which transliterates or replaces anything else and never
raises. Text is drawn as plain text (no HTML/markdown interpretation), so markup in a
schedule name is shown literally.

Layout (A4 landscape):

1. title, schedule facts, inputs summary, configuration and KPI table;
2. Gantt overview on the real time axis: one lane for cleans, one for changeovers and one
   per lot type (fills coloured by type), block boundaries, day/hour ticks and a legend;
3. Gantt by block: one thin row per block, hours since the block's clean on the x axis
   (stays readable for 1,000+ lots, continues over pages);
4. the activity table over as many pages as needed, header repeated on each page.

Every page has a footer with "page n of N". Times are plant wall-clock time, to the second
(``rows.TIME_FORMAT``); the facts line and the activity table's heading name the zone.
"""

from __future__ import annotations

import io
from datetime import datetime

from scheduler_core.filling.model import ScheduleResult
from scheduler_core.reports.pdf_gantt import gantt_by_block, gantt_overview
from scheduler_core.reports.pdf_layout import (
    FONT,
    MARGIN,
    Report,
    draw_text,
    fmt_dt,
    fmt_num,
    kv_table,
    section,
    type_colours,
)
from scheduler_core.reports.rows import (
    config_items,
    input_items,
    kpi_items,
    summary_items,
)
from scheduler_core.reports.text import pdf_text
from scheduler_core.zones import DEFAULT_ZONE


def to_pdf(result: ScheduleResult, *, title: str | None = None, time_zone: str = DEFAULT_ZONE) -> bytes:
    """The schedule as a PDF document (bytes). ``title`` may be any text; it is sanitised.
    ``time_zone`` (IANA name) is the plant zone its times are in."""
    name = title if title is not None and str(title).strip() else (
        f"Filling schedule - {result.strategy}"
    )
    safe_title = pdf_text(name, max_len=200).strip() or "Filling schedule"
    pdf = Report(safe_title)
    pdf.set_title(safe_title)
    pdf.set_creator("Production Scheduling Studio")
    colours = type_colours(result)

    pdf.add_page()
    _front_page(pdf, result, time_zone)
    if result.activities:
        pdf.add_page()
        gantt_overview(pdf, result, colours)
        gantt_by_block(pdf, result, colours)
    _activity_table(pdf, result, time_zone)

    buf = io.BytesIO()
    pdf.output(buf)
    return buf.getvalue()


def _front_page(pdf: Report, result: ScheduleResult, time_zone: str) -> None:
    pdf.set_font(FONT, style="B", size=18)
    pdf.multi_cell(0, 8, pdf.report_title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(90, 90, 90)
    facts = []
    for label, value in summary_items(result):
        shown = fmt_dt(value) if isinstance(value, datetime) else value
        facts.append(f"{label}: {shown}")
    facts.append(f"Time zone: {time_zone} (plant time)")
    pdf.multi_cell(0, 5, pdf_text("   |   ".join(facts)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)

    top = pdf.get_y()
    half = pdf.content_width / 2 - 4
    # Left column: inputs and configuration.
    section(pdf, "Inputs")
    kv_table(pdf, pdf.l_margin, input_items(result), 40, half - 40)
    pdf.ln(2)
    section(pdf, "Configuration")
    kv_table(pdf, pdf.l_margin, config_items(result), 40, half - 40)
    left_end = pdf.get_y()
    left_page = pdf.page

    # Right column: KPI table.
    if pdf.page != left_page:  # pragma: no cover - only with absurdly long inputs
        pdf.page = left_page
    x = pdf.l_margin + half + 8
    pdf.set_xy(x, top)
    pdf.set_font(FONT, style="B", size=11)
    pdf.cell(0, 7, "Key figures", new_x="LEFT", new_y="NEXT")
    widths = (60.0, 40.0)
    pdf.set_font(FONT, style="B", size=8.5)
    pdf.set_fill_color(48, 84, 150)
    pdf.set_text_color(255, 255, 255)
    pdf.set_x(x)
    pdf.cell(widths[0], 6, "KPI", fill=True)
    pdf.cell(widths[1], 6, "Value", fill=True, align="R", new_x="LEFT", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=8.5)
    for i, (label, value, unit) in enumerate(kpi_items(result)):
        shown = value * 100 if label == "Utilisation" else value
        pdf.set_fill_color(*((238, 242, 250) if i % 2 else (255, 255, 255)))
        pdf.set_x(x)
        pdf.cell(widths[0], 5.5, label, fill=True)
        pdf.cell(widths[1], 5.5, fmt_num(shown, unit), fill=True, align="R",
                 new_x="LEFT", new_y="NEXT")
    pdf.set_xy(pdf.l_margin, max(left_end, pdf.get_y()))


# ----------------------------------------------------------------------------- Gantt


_TABLE_COLUMNS: tuple[tuple[str, float, str], ...] = (
    ("Block", 14, "R"),
    ("Kind", 26, "L"),
    ("Lot ID", 58, "L"),
    ("Lot type", 44, "L"),
    ("Vials", 24, "R"),
    ("Start", 34, "C"),
    ("End", 34, "C"),
    ("Duration (h)", 24, "R"),
)
#: The table of a plan with due dates: narrower lot columns, then due and lateness.
_DUE_TABLE_COLUMNS: tuple[tuple[str, float, str], ...] = (
    *((name, {"Lot ID": 38, "Lot type": 30}.get(name, w), align) for name, w, align in _TABLE_COLUMNS),
    ("Due", 30, "C"),
    ("Lateness (h)", 20, "R"),
)
_ROW_H = 4.6
#: Text colour of a late lot's lateness (as the Gantt's outline).
_LATE_RGB = (192, 0, 0)


def _activity_table(pdf: Report, result: ScheduleResult, time_zone: str) -> None:
    pdf.add_page()
    section(pdf, f"Activities ({len(result.activities):,}) - times in {time_zone}")
    has_due = result.kpis.max_lateness_h is not None
    columns = _DUE_TABLE_COLUMNS if has_due else _TABLE_COLUMNS
    total_w = sum(w for _, w, _ in columns)
    x_left = pdf.l_margin

    def header() -> float:
        y = pdf.get_y()
        pdf.set_fill_color(48, 84, 150)
        pdf.rect(x_left, y, total_w, _ROW_H + 1, style="F")
        pdf.set_text_color(255, 255, 255)
        pdf.set_font(FONT, style="B", size=7.5)
        x = x_left
        for name, w, align in columns:
            draw_text(pdf, name, x, y + _ROW_H - 0.6, w, align)
            x += w
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(FONT, size=7.5)
        return y + _ROW_H + 1

    # Rows are drawn with text()/rect() (much faster than cell() for thousands of rows);
    # auto page break is handled here, so it is switched off while the table is drawn.
    pdf.set_auto_page_break(auto=False)
    y = header()
    for i, a in enumerate(result.activities):
        if y + _ROW_H > pdf.bottom:
            pdf.add_page()
            y = header()
        if i % 2:
            pdf.set_fill_color(238, 242, 250)
            pdf.rect(x_left, y, total_w, _ROW_H, style="F")
        cells = (
            str(a.block),
            str(a.kind),
            pdf_text(a.lot_id, max_len=60) if a.lot_id is not None else "",
            pdf_text(a.lot_type, max_len=60) if a.lot_type is not None else "",
            f"{a.vials:,}" if a.vials is not None else "",
            fmt_dt(a.start),
            fmt_dt(a.end),
            f"{a.duration_h:.2f}",
        )
        late = a.lateness_h is not None and a.lateness_h > 0
        if has_due:
            cells += (fmt_dt(a.due) if a.due is not None else "",
                      f"{a.lateness_h:.2f}" if a.lateness_h is not None else "")
        x = x_left
        for k, (text, (_, w, align)) in enumerate(zip(cells, columns, strict=True)):
            if text:
                if late and k == len(columns) - 1:
                    pdf.set_text_color(*_LATE_RGB)
                draw_text(pdf, text, x, y + _ROW_H - 1.1, w, align)
                pdf.set_text_color(0, 0, 0)
            x += w
        y += _ROW_H
    pdf.set_auto_page_break(auto=True, margin=MARGIN + 4)
