"""PDF export (fpdf2): title, inputs summary, KPIs, Gantt charts and the activity table.

Only fpdf2's built-in Helvetica is used (no font files, so the output is the same on every
machine). Those core fonts are latin-1 only, so *every* string that reaches the page goes
through :func:`rows.pdf_text`, which transliterates or replaces anything else and never
raises. Text is drawn as plain text (no HTML/markdown interpretation), so markup in a
schedule name is shown literally.

Layout (A4 landscape):

1. title, schedule facts, inputs summary, configuration and KPI table;
2. Gantt overview on the real time axis: one lane for cleans, one for changeovers and one
   per lot type (fills coloured by type), block boundaries, day/hour ticks and a legend;
3. Gantt by block: one thin row per block, hours since the block's clean on the x axis
   (stays readable for 1,000+ lots, continues over pages);
4. the activity table over as many pages as needed, header repeated on each page.

Every page has a footer with "page n of N".
"""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import datetime, timedelta

from fpdf import FPDF

from scheduler_core.filling.model import Activity, ActivityKind, ScheduleResult
from scheduler_core.reports.rows import (
    config_items,
    input_items,
    kpi_items,
    lot_types_in_order,
    round_seconds,
    summary_items,
)
from scheduler_core.reports.text import pdf_text

FONT = "helvetica"
MARGIN = 12.0
#: Fill colours per lot type (cycled when there are more types).
PALETTE: tuple[tuple[int, int, int], ...] = (
    (31, 119, 180),
    (44, 160, 44),
    (148, 103, 189),
    (23, 190, 207),
    (188, 189, 34),
    (227, 119, 194),
    (140, 86, 75),
    (255, 187, 120),
    (152, 223, 138),
    (174, 199, 232),
    (197, 176, 213),
    (219, 219, 141),
)
CLEAN_COLOUR = (150, 150, 150)
CHANGEOVER_COLOUR = (214, 39, 40)
OTHER_COLOUR = (90, 90, 90)
#: At most this many lot-type lanes in the overview; the rest share an "other types" lane.
MAX_TYPE_LANES = 14
_TICK_STEPS_H = (1, 2, 3, 4, 6, 12, 24, 48, 72, 96, 168, 336, 504, 672, 1344, 2016, 4032, 8760)


def to_pdf(result: ScheduleResult, *, title: str | None = None) -> bytes:
    """The schedule as a PDF document (bytes). ``title`` may be any text; it is sanitised."""
    name = title if title is not None and str(title).strip() else (
        f"Filling schedule - {result.strategy}"
    )
    safe_title = pdf_text(name, max_len=200).strip() or "Filling schedule"
    pdf = _Report(safe_title)
    pdf.set_title(safe_title)
    pdf.set_creator("Production Scheduling Studio")
    colours = _type_colours(result)

    pdf.add_page()
    _front_page(pdf, result)
    if result.activities:
        pdf.add_page()
        _gantt_overview(pdf, result, colours)
        _gantt_by_block(pdf, result, colours)
    _activity_table(pdf, result)

    buf = io.BytesIO()
    pdf.output(buf)
    return buf.getvalue()


class _Report(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.report_title = title
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 4)
        self.set_font(FONT, size=9)

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(FONT, size=7)
        self.set_text_color(110, 110, 110)
        self.cell(0, 4, _fit(self, self.report_title, 180), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    @property
    def content_width(self) -> float:
        return self.w - self.l_margin - self.r_margin

    @property
    def bottom(self) -> float:
        return self.h - MARGIN - 6


# ----------------------------------------------------------------------------- helpers

def _fit(pdf: FPDF, text: str, width: float) -> str:
    """``text`` (already latin-1 safe) cut with '...' so it fits ``width`` mm in the
    current font."""
    if pdf.get_string_width(text) <= width:
        return text
    ellipsis = "..."
    lo, hi = 0, len(text)
    while lo < hi:  # longest prefix that fits together with the ellipsis
        mid = (lo + hi + 1) // 2
        if pdf.get_string_width(text[:mid] + ellipsis) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo] + ellipsis


def _fmt_dt(value: datetime | None) -> str:
    return round_seconds(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _fmt_num(value: float, unit: str) -> str:
    if unit == "count":
        return f"{int(value):,}"
    if unit == "%":
        return f"{value:.2f} %"
    return f"{value:,.2f} h"


def _type_colours(result: ScheduleResult) -> dict[str, tuple[int, int, int]]:
    """Colour per lot type, by sorted type name: the same input gets the same colours
    whatever the strategy (so compared schedules look alike)."""
    types = sorted(lot_types_in_order(result))
    return {t: PALETTE[i % len(PALETTE)] for i, t in enumerate(types)}


def _section(pdf: _Report, text: str) -> None:
    pdf.set_font(FONT, style="B", size=11)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)


def _kv_table(pdf: _Report, x: float, items: list[tuple[str, str]], w_key: float,
              w_val: float, line_h: float = 5.0) -> None:
    for key, value in items:
        if pdf.get_y() + line_h > pdf.bottom:
            pdf.add_page()
        pdf.set_x(x)
        pdf.set_font(FONT, style="B", size=8.5)
        pdf.cell(w_key, line_h, _fit(pdf, pdf_text(key), w_key - 1))
        pdf.set_font(FONT, size=8.5)
        pdf.cell(w_val, line_h, _fit(pdf, pdf_text(value), w_val - 1),
                 new_x="LMARGIN", new_y="NEXT")


# ----------------------------------------------------------------------------- page 1

def _front_page(pdf: _Report, result: ScheduleResult) -> None:
    pdf.set_font(FONT, style="B", size=18)
    pdf.multi_cell(0, 8, pdf.report_title, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(90, 90, 90)
    facts = []
    for label, value in summary_items(result):
        shown = _fmt_dt(value) if isinstance(value, datetime) else value
        facts.append(f"{label}: {shown}")
    pdf.multi_cell(0, 5, pdf_text("   |   ".join(facts)), new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)

    top = pdf.get_y()
    half = pdf.content_width / 2 - 4
    # Left column: inputs and configuration.
    _section(pdf, "Inputs")
    _kv_table(pdf, pdf.l_margin, input_items(result), 40, half - 40)
    pdf.ln(2)
    _section(pdf, "Configuration")
    _kv_table(pdf, pdf.l_margin, config_items(result), 40, half - 40)
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
        pdf.cell(widths[1], 5.5, _fmt_num(shown, unit), fill=True, align="R",
                 new_x="LEFT", new_y="NEXT")
    pdf.set_xy(pdf.l_margin, max(left_end, pdf.get_y()))


# ----------------------------------------------------------------------------- Gantt

def _tick_step(span_h: float, max_ticks: int = 12) -> int:
    for step in _TICK_STEPS_H:
        if span_h / step <= max_ticks:
            return step
    return _TICK_STEPS_H[-1] * max(1, int(span_h / (_TICK_STEPS_H[-1] * max_ticks)) + 1)


def _hours(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 3600.0


def _legend(pdf: _Report, y: float, entries: list[tuple[str, tuple[int, int, int]]]) -> float:
    """Draw colour swatches with labels from the left margin, wrapping; returns the new y."""
    x = pdf.l_margin
    pdf.set_font(FONT, size=7.5)
    for label, colour in entries:
        text = _fit(pdf, pdf_text(label), 45)
        w = 5 + pdf.get_string_width(text) + 5
        if x + w > pdf.w - pdf.r_margin:
            x = pdf.l_margin
            y += 5
        pdf.set_fill_color(*colour)
        pdf.rect(x, y + 0.8, 3.5, 3, style="F")
        pdf.text(x + 5, y + 3.4, text)
        x += w
    return y + 6


def _gantt_overview(pdf: _Report, result: ScheduleResult,
                    colours: dict[str, tuple[int, int, int]]) -> None:
    acts = result.activities
    start, end = acts[0].start, acts[-1].end
    span = max(_hours(start, end), 1e-9)

    _section(pdf, "Gantt - whole schedule (one lane per lot type)")
    # Lanes: cleans, changeovers, then lot types by fill hours (the rest grouped).
    fill_h: dict[str, float] = defaultdict(float)
    for a in acts:
        if a.kind == ActivityKind.FILL and a.lot_type is not None:
            fill_h[a.lot_type] += a.duration_h
    types = [t for t in colours if t in fill_h]
    if len(types) > MAX_TYPE_LANES:
        keep = set(sorted(types, key=lambda t: -fill_h[t])[: MAX_TYPE_LANES - 1])
        type_lanes = [t for t in types if t in keep]
        other = True
    else:
        type_lanes, other = types, False
    lane_names = ["Clean", "Changeover", *type_lanes] + (["Other types"] if other else [])
    lane_of_type = {t: 2 + i for i, t in enumerate(type_lanes)}
    other_lane = len(lane_names) - 1

    label_w = 38.0
    x0 = pdf.l_margin + label_w
    width = pdf.content_width - label_w
    top = pdf.get_y() + 6  # room for block labels
    legend_h = 6 + 5 * (1 + len(lane_names) // 8)
    avail = pdf.bottom - top - 14 - legend_h  # 14 for the axis labels
    lane_h = max(2.0, min(8.0, avail / len(lane_names)))
    height = lane_h * len(lane_names)

    def xpos(t: datetime) -> float:
        return x0 + width * _hours(start, t) / span

    # Lane backgrounds and labels.
    pdf.set_font(FONT, size=7.5)
    for i, name in enumerate(lane_names):
        y = top + i * lane_h
        if i % 2 == 0:
            pdf.set_fill_color(245, 245, 245)
            pdf.rect(x0, y, width, lane_h, style="F")
        pdf.text(pdf.l_margin, y + lane_h / 2 + 1.2, _fit(pdf, pdf_text(name), label_w - 2))

    # Block boundaries (at each clean) with labels where there is room.
    cleans = [a for a in acts if a.kind == ActivityKind.CLEAN]
    pdf.set_draw_color(200, 200, 200)
    pdf.set_line_width(0.1)
    pdf.set_font(FONT, size=6)
    last_label_x = -1e9
    for a in cleans:
        x = xpos(a.start)
        pdf.line(x, top, x, top + height)
        label = f"B{a.block}"
        if x - last_label_x >= pdf.get_string_width(label) + 1.5:
            pdf.text(x + 0.3, top - 1.2, label)
            last_label_x = x

    # Bars, grouped by colour so the fill colour is set once per group.
    groups: dict[tuple[int, int, int], list[tuple[float, float, int]]] = defaultdict(list)
    for a in acts:
        if a.kind == ActivityKind.CLEAN:
            lane, colour = 0, CLEAN_COLOUR
        elif a.kind == ActivityKind.CHANGEOVER:
            lane, colour = 1, CHANGEOVER_COLOUR
        elif a.lot_type in lane_of_type:
            lane, colour = lane_of_type[a.lot_type], colours[a.lot_type]
        else:
            lane, colour = other_lane, OTHER_COLOUR
        groups[colour].append((xpos(a.start), xpos(a.end), lane))
    pad = min(1.0, lane_h * 0.15)
    for colour, bars in groups.items():
        pdf.set_fill_color(*colour)
        for xa, xb, lane in bars:
            pdf.rect(xa, top + lane * lane_h + pad, max(xb - xa, 0.15), lane_h - 2 * pad,
                     style="F")

    # Frame, time axis and ticks.
    pdf.set_draw_color(80, 80, 80)
    pdf.set_line_width(0.2)
    pdf.rect(x0, top, width, height)
    _time_axis(pdf, start, span, x0, width, top + height)

    entries = [("Clean", CLEAN_COLOUR), ("Changeover", CHANGEOVER_COLOUR)]
    entries += [(f"Fill {t}", colours[t]) for t in type_lanes]
    if other:
        entries.append(("Fill (other types)", OTHER_COLOUR))
    y = _legend(pdf, top + height + 12, entries)
    pdf.set_xy(pdf.l_margin, y)


def _time_axis(pdf: _Report, start: datetime, span_h: float, x0: float, width: float,
               y: float) -> None:
    step = _tick_step(span_h)
    pdf.set_font(FONT, size=6.5)
    pdf.set_draw_color(80, 80, 80)
    k = 0
    while k * step <= span_h + 1e-9:
        h = k * step
        x = x0 + width * h / span_h
        pdf.line(x, y, x, y + 1.5)
        when = start + timedelta(hours=h)
        if step >= 24:
            first, second = when.strftime("%d %b"), f"day {h // 24:g}"
        else:
            first, second = when.strftime("%H:%M"), f"+{h:g} h"
            if when.hour == 0 or k == 0:
                second = when.strftime("%d %b")
        for row, text in enumerate((first, second)):
            tw = pdf.get_string_width(text)
            tx = min(max(x - tw / 2, x0 - 4), x0 + width - tw + 4)
            pdf.text(tx, y + 4.2 + row * 2.8, text)
        k += 1
    pdf.set_font(FONT, size=6.5)
    caption = "time (ticks every " + (f"{step // 24:g} day(s))" if step >= 24 else f"{step} h)")
    pdf.text(x0 + width - pdf.get_string_width(caption), y + 10.5, caption)


def _gantt_by_block(pdf: _Report, result: ScheduleResult,
                    colours: dict[str, tuple[int, int, int]]) -> None:
    blocks: dict[int, list[Activity]] = defaultdict(list)
    for a in result.activities:
        blocks[a.block].append(a)
    if not blocks:
        return
    block_start = {b: acts[0].start for b, acts in blocks.items()}
    longest = max(_hours(block_start[b], acts[-1].end) for b, acts in blocks.items())
    cfg = result.config
    span = max(longest, float(cfg.clean_hours) + float(cfg.window_hours), 1e-9)

    row_h = 8.0 if len(blocks) <= 10 else 6.0 if len(blocks) <= 20 else 4.0
    # Share the overview's page when the whole chart (or a good part of it) fits below it.
    needed = 12 + min(len(blocks), 12) * row_h + 30
    if pdf.get_y() + needed > pdf.bottom:
        pdf.add_page()
    else:
        pdf.ln(4)
    _section(pdf, "Gantt - by block (hours since the block's clean)")
    label_w = 22.0
    x0 = pdf.l_margin + label_w
    width = pdf.content_width - label_w
    pad = 0.6

    def xpos(b: int, t: datetime) -> float:
        return x0 + width * _hours(block_start[b], t) / span

    def new_chart_page(first: bool) -> float:
        if not first:
            pdf.add_page()
            _section(pdf, "Gantt - by block (continued)")
        y = pdf.get_y() + 1
        return y

    order = sorted(blocks)
    y = new_chart_page(first=True)
    chart_top = y
    window_end = x0 + width * (float(cfg.clean_hours) + float(cfg.window_hours)) / span
    for idx, b in enumerate(order):
        if y + row_h > pdf.bottom - 22:
            _block_axis(pdf, span, x0, width, chart_top, y, window_end)
            y = new_chart_page(first=False)
            chart_top = y
        if idx % 2 == 0:
            pdf.set_fill_color(245, 245, 245)
            pdf.rect(x0, y, width, row_h, style="F")
        pdf.set_font(FONT, size=6.5)
        pdf.text(pdf.l_margin, y + row_h / 2 + 1, f"Block {b}")
        for a in blocks[b]:
            if a.kind == ActivityKind.CLEAN:
                colour = CLEAN_COLOUR
            elif a.kind == ActivityKind.CHANGEOVER:
                colour = CHANGEOVER_COLOUR
            else:
                colour = colours.get(a.lot_type or "", OTHER_COLOUR)
            xa, xb = xpos(b, a.start), xpos(b, a.end)
            pdf.set_fill_color(*colour)
            pdf.rect(xa, y + pad, max(xb - xa, 0.15), row_h - 2 * pad, style="F")
            if a.kind == ActivityKind.FILL and row_h >= 6 and a.lot_id is not None:
                pdf.set_font(FONT, size=5.5)
                label = pdf_text(a.lot_id, max_len=30)
                if pdf.get_string_width(label) + 1 <= xb - xa:
                    pdf.set_text_color(255, 255, 255)
                    pdf.text(xa + 0.5, y + row_h / 2 + 0.9, label)
                    pdf.set_text_color(0, 0, 0)
        y += row_h
    _block_axis(pdf, span, x0, width, chart_top, y, window_end)
    entries = [("Clean", CLEAN_COLOUR), ("Changeover", CHANGEOVER_COLOUR)]
    entries += [(f"Fill {t}", c) for t, c in colours.items()][:40]
    if len(colours) > 40:
        entries.append((f"... {len(colours) - 40} more types", OTHER_COLOUR))
    y = _legend(pdf, y + 11, entries)
    pdf.set_xy(pdf.l_margin, y)


def _block_axis(pdf: _Report, span_h: float, x0: float, width: float, top: float,
                y: float, window_end: float) -> None:
    pdf.set_draw_color(80, 80, 80)
    pdf.set_line_width(0.2)
    pdf.rect(x0, top, width, y - top)
    # Dashed-looking marker for the end of clean + window.
    pdf.set_draw_color(214, 39, 40)
    pdf.set_line_width(0.3)
    pdf.line(window_end, top, window_end, y)
    pdf.set_draw_color(80, 80, 80)
    pdf.set_line_width(0.2)
    step = _tick_step(span_h, max_ticks=16)
    pdf.set_font(FONT, size=6.5)
    k = 0
    while k * step <= span_h + 1e-9:
        x = x0 + width * k * step / span_h
        pdf.line(x, y, x, y + 1.5)
        text = f"{k * step:g} h"
        pdf.text(x - pdf.get_string_width(text) / 2, y + 4.2, text)
        k += 1
    caption = "hours since block start; red line = clean + window limit"
    pdf.text(x0 + width - pdf.get_string_width(caption), y + 7.5, caption)


# ----------------------------------------------------------------------------- table

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
_ROW_H = 4.6


def _activity_table(pdf: _Report, result: ScheduleResult) -> None:
    pdf.add_page()
    _section(pdf, f"Activities ({len(result.activities):,})")
    total_w = sum(w for _, w, _ in _TABLE_COLUMNS)
    x_left = pdf.l_margin

    def header() -> float:
        y = pdf.get_y()
        pdf.set_fill_color(48, 84, 150)
        pdf.rect(x_left, y, total_w, _ROW_H + 1, style="F")
        pdf.set_text_color(255, 255, 255)
        pdf.set_font(FONT, style="B", size=7.5)
        x = x_left
        for name, w, align in _TABLE_COLUMNS:
            _draw_text(pdf, name, x, y + _ROW_H - 0.6, w, align)
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
            _fmt_dt(a.start),
            _fmt_dt(a.end),
            f"{a.duration_h:.2f}",
        )
        x = x_left
        for text, (_, w, align) in zip(cells, _TABLE_COLUMNS, strict=True):
            if text:
                _draw_text(pdf, text, x, y + _ROW_H - 1.1, w, align)
            x += w
        y += _ROW_H
    pdf.set_auto_page_break(auto=True, margin=MARGIN + 4)


def _draw_text(pdf: FPDF, text: str, x: float, baseline: float, w: float, align: str) -> None:
    fitted = _fit(pdf, text, w - 2)
    if align == "R":
        pdf.text(x + w - 1 - pdf.get_string_width(fitted), baseline, fitted)
    elif align == "C":
        pdf.text(x + (w - pdf.get_string_width(fitted)) / 2, baseline, fitted)
    else:
        pdf.text(x + 1, baseline, fitted)
