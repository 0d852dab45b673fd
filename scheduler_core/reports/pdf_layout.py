"""The page frame of the filling PDF: an A4 landscape ``Report`` with a "page n of N"
footer, its font, margins and colours, and the small drawing helpers every part of the
document uses (text cut to a width, formats, section headings, key/value tables, legends,
aligned text). Every string drawn here is already latin-1 safe (``reports.text.pdf_text``)."""

from __future__ import annotations

from datetime import datetime

from fpdf import FPDF

from scheduler_core.filling.model import ScheduleResult
from scheduler_core.reports import palette
from scheduler_core.reports.palette import rgb
from scheduler_core.reports.rows import lot_types_in_order, time_text
from scheduler_core.reports.text import pdf_text

FONT = "helvetica"
MARGIN = 12.0
#: Lot type, clean and changeover colours: one palette for every filling view (``palette``).
CLEAN_COLOUR = rgb(palette.CLEAN_COLOUR)
CHANGEOVER_COLOUR = rgb(palette.CHANGEOVER_COLOUR)
LATE_COLOUR = rgb(palette.LATE_COLOUR)
OTHER_COLOUR = (90, 90, 90)
#: At most this many lot-type lanes in the overview; the rest share an "other types" lane.

class Report(FPDF):
    """An A4 landscape document with the report's margins, font and page footer."""
    def __init__(self, title: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.report_title = title
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 4)
        self.set_font(FONT, size=9)

    def footer(self) -> None:
        """The footer of every page: the title and "Page n of N"."""
        self.set_y(-MARGIN)
        self.set_font(FONT, size=7)
        self.set_text_color(110, 110, 110)
        self.cell(0, 4, fit(self, self.report_title, 180), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    @property
    def content_width(self) -> float:
        """Width between the margins (mm)."""
        return self.w - self.l_margin - self.r_margin

    @property
    def bottom(self) -> float:
        """Lowest y (mm) content may reach above the footer."""
        return self.h - MARGIN - 6


# ----------------------------------------------------------------------------- helpers

def fit(pdf: FPDF, text: str, width: float) -> str:
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


def fmt_dt(value: datetime | None) -> str:
    """``rows.TIME_FORMAT`` (``2026-01-05 07:23:41``, rounded to the second), empty for ``None``."""
    return time_text(value)


def fmt_num(value: float, unit: str) -> str:
    """A number with its unit for the tables (integers without decimals)."""
    if unit == "count":
        return f"{int(value):,}"
    if unit == "%":
        return f"{value:.2f} %"
    return f"{value:,.2f} h"


def type_colours(result: ScheduleResult) -> dict[str, tuple[int, int, int]]:
    """Colour per lot type as RGB, from the shared palette keyed by type name (the web Gantt,
    compare and this PDF show a type in the same colour)."""
    return {t: rgb(c) for t, c in palette.type_colours(lot_types_in_order(result)).items()}


def section(pdf: Report, text: str) -> None:
    """A section heading on the current page."""
    pdf.set_font(FONT, style="B", size=11)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=9)


def kv_table(pdf: Report, x: float, items: list[tuple[str, str]], w_key: float,
              w_val: float, line_h: float = 5.0) -> None:
    """A two-column table of (key, value) text at ``x`` with key column ``w_key`` mm wide."""
    for key, value in items:
        if pdf.get_y() + line_h > pdf.bottom:
            pdf.add_page()
        pdf.set_x(x)
        pdf.set_font(FONT, style="B", size=8.5)
        pdf.cell(w_key, line_h, fit(pdf, pdf_text(key), w_key - 1))
        pdf.set_font(FONT, size=8.5)
        pdf.cell(w_val, line_h, fit(pdf, pdf_text(value), w_val - 1),
                 new_x="LMARGIN", new_y="NEXT")


# ----------------------------------------------------------------------------- page 1


def legend(pdf: Report, y: float, entries: list[tuple[str, tuple[int, int, int]]]) -> float:
    """Draw colour swatches with labels from the left margin, wrapping; returns the new y."""
    x = pdf.l_margin
    pdf.set_font(FONT, size=7.5)
    for label, colour in entries:
        text = fit(pdf, pdf_text(label), 45)
        w = 5 + pdf.get_string_width(text) + 5
        if x + w > pdf.w - pdf.r_margin:
            x = pdf.l_margin
            y += 5
        pdf.set_fill_color(*colour)
        pdf.rect(x, y + 0.8, 3.5, 3, style="F")
        pdf.text(x + 5, y + 3.4, text)
        x += w
    return y + 6


def draw_text(pdf: FPDF, text: str, x: float, baseline: float, w: float, align: str) -> None:
    """Text at ``x``, ``baseline`` in a box ``w`` mm wide, aligned L, C or R."""
    fitted = fit(pdf, text, w - 2)
    if align == "R":
        pdf.text(x + w - 1 - pdf.get_string_width(fitted), baseline, fitted)
    elif align == "C":
        pdf.text(x + (w - pdf.get_string_width(fitted)) / 2, baseline, fitted)
    else:
        pdf.text(x + 1, baseline, fitted)
