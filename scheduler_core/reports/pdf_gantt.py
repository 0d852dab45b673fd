"""The Gantt charts of the filling PDF: an overview on the real time axis (one lane for
cleans, one for changeovers, one per lot type, block boundaries, day/hour ticks, a legend)
and a chart by block (one thin row per block, hours since its clean; continues over pages,
so it stays readable for 1,000+ lots)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from scheduler_core.filling.model import Activity, ActivityKind, ScheduleResult
from scheduler_core.reports.pdf_layout import (
    CHANGEOVER_COLOUR,
    CLEAN_COLOUR,
    FONT,
    LATE_COLOUR,
    OTHER_COLOUR,
    Report,
    fit,
    legend,
    section,
)
from scheduler_core.reports.text import pdf_text

MAX_TYPE_LANES = 14
_TICK_STEPS_H = (1, 2, 3, 4, 6, 12, 24, 48, 72, 96, 168, 336, 504, 672, 1344, 2016, 4032, 8760)



def tick_step(span_h: float, max_ticks: int = 12) -> int:
    """Hours between axis ticks so that a span of ``span_h`` hours gets at most ``max_ticks``."""
    for step in _TICK_STEPS_H:
        if span_h / step <= max_ticks:
            return step
    return _TICK_STEPS_H[-1] * max(1, int(span_h / (_TICK_STEPS_H[-1] * max_ticks)) + 1)


def is_late(a: Activity) -> bool:
    """A FILL that ends after its lot's due date."""
    return a.kind == ActivityKind.FILL and a.lateness_h is not None and a.lateness_h > 0


def outline_late(pdf: Report, xa: float, xb: float, y: float, h: float) -> None:
    """The red outline of a late lot's bar (as the web Gantt draws it)."""
    pdf.set_draw_color(*LATE_COLOUR)
    pdf.set_line_width(0.45)
    pdf.rect(xa, y, max(xb - xa, 0.15), h, style="D")
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)


def hours_between(a: datetime, b: datetime) -> float:
    """Hours from ``a`` to ``b``."""
    return (b - a).total_seconds() / 3600.0


def gantt_overview(pdf: Report, result: ScheduleResult,
                    colours: dict[str, tuple[int, int, int]]) -> None:
    """Draw the overview Gantt on the real time axis (lanes: cleans, changeovers, one per
    lot type; block boundaries, ticks, legend) on the current page.
    """
    acts = result.activities
    start, end = acts[0].start, acts[-1].end
    span = max(hours_between(start, end), 1e-9)

    section(pdf, "Gantt - whole schedule (one lane per lot type)")
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
        return x0 + width * hours_between(start, t) / span

    # Lane backgrounds and labels.
    pdf.set_font(FONT, size=7.5)
    for i, name in enumerate(lane_names):
        y = top + i * lane_h
        if i % 2 == 0:
            pdf.set_fill_color(245, 245, 245)
            pdf.rect(x0, y, width, lane_h, style="F")
        pdf.text(pdf.l_margin, y + lane_h / 2 + 1.2, fit(pdf, pdf_text(name), label_w - 2))

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
    late = [a for a in acts if is_late(a)]
    for a in late:
        lane = lane_of_type.get(a.lot_type or "", other_lane)
        outline_late(pdf, xpos(a.start), xpos(a.end), top + lane * lane_h + pad, lane_h - 2 * pad)

    # Frame, time axis and ticks.
    pdf.set_draw_color(80, 80, 80)
    pdf.set_line_width(0.2)
    pdf.rect(x0, top, width, height)
    _time_axis(pdf, start, span, x0, width, top + height)

    entries = [("Clean", CLEAN_COLOUR), ("Changeover", CHANGEOVER_COLOUR)]
    entries += [(f"Fill {t}", colours[t]) for t in type_lanes]
    if other:
        entries.append(("Fill (other types)", OTHER_COLOUR))
    if late:
        entries.append((f"Late lot, red outline ({len(late)})", LATE_COLOUR))
    y = legend(pdf, top + height + 12, entries)
    pdf.set_xy(pdf.l_margin, y)


def _time_axis(pdf: Report, start: datetime, span_h: float, x0: float, width: float,
               y: float) -> None:
    step = tick_step(span_h)
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


def gantt_by_block(pdf: Report, result: ScheduleResult,
                    colours: dict[str, tuple[int, int, int]]) -> None:
    """Draw one thin row per block (hours since its clean), continuing over pages."""
    blocks: dict[int, list[Activity]] = defaultdict(list)
    for a in result.activities:
        blocks[a.block].append(a)
    if not blocks:
        return
    block_start = {b: acts[0].start for b, acts in blocks.items()}
    longest = max(hours_between(block_start[b], acts[-1].end) for b, acts in blocks.items())
    cfg = result.config
    span = max(longest, float(cfg.clean_hours) + float(cfg.window_hours), 1e-9)

    row_h = 8.0 if len(blocks) <= 10 else 6.0 if len(blocks) <= 20 else 4.0
    # Share the overview's page when the whole chart (or a good part of it) fits below it.
    needed = 12 + min(len(blocks), 12) * row_h + 30
    if pdf.get_y() + needed > pdf.bottom:
        pdf.add_page()
    else:
        pdf.ln(4)
    section(pdf, "Gantt - by block (hours since the block's clean)")
    label_w = 22.0
    x0 = pdf.l_margin + label_w
    width = pdf.content_width - label_w
    pad = 0.6

    def xpos(b: int, t: datetime) -> float:
        return x0 + width * hours_between(block_start[b], t) / span

    def new_chart_page(first: bool) -> float:
        if not first:
            pdf.add_page()
            section(pdf, "Gantt - by block (continued)")
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
            if is_late(a):
                outline_late(pdf, xa, xb, y + pad, row_h - 2 * pad)
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
    if any(is_late(a) for a in result.activities):
        entries.append(("Late lot: red outline", LATE_COLOUR))
    y = legend(pdf, y + 11, entries)
    pdf.set_xy(pdf.l_margin, y)


def _block_axis(pdf: Report, span_h: float, x0: float, width: float, top: float,
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
    step = tick_step(span_h, max_ticks=16)
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
