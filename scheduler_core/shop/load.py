"""Load vs capacity per work center and period (a day or an ISO week) of a plan.

Three figures per work center and period, in hours: **planned** (the plan's working
intervals in the period, setup included), **due** (remaining run time of the operations
whose order is due in the period — the "infinite capacity" demand view, as ``WeekLoad``)
and **capacity** (working time of the work center's calendar in the period — shifts,
breaks, exceptions and downtime — counted from the plan start). Capacity comes from the
problem's calendars *now*, so work planned before a machine was marked down shows as
planned load above capacity. Pure: a ``ShopProblem`` (calendars) and a ``ShopResult``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from scheduler_core.errors import InputError, Problem
from scheduler_core.shop.calendar import Timeline
from scheduler_core.shop.clock import Clock
from scheduler_core.shop.model import ShopProblem
from scheduler_core.shop.result import ShopResult

#: Days of each period.
PERIODS = {"day": 1, "week": 7}
#: At most this many periods from the plan start.
MAX_PERIODS = {"day": 92, "week": 104}
#: The two load figures: planned work, and work due.
MEASURES = ("planned", "due")


@dataclass(frozen=True)
class PeriodLoad:
    """Load vs capacity of ``work_center`` in the ``days`` days from ``start`` (hours)."""

    work_center: str
    start: date
    days: int
    capacity_hours: float
    planned_hours: float
    due_hours: float

    def hours(self, measure: str = "planned") -> float:
        """The load of ``measure`` (``planned`` or ``due``) in hours."""
        return self.planned_hours if measure == "planned" else self.due_hours

    def ratio(self, measure: str = "planned") -> float | None:
        """Load / capacity (1.0 = full); ``None`` without working time in the period."""
        return self.hours(measure) / self.capacity_hours if self.capacity_hours > 0 else None

    def overload_hours(self, measure: str = "planned") -> float:
        """Load beyond the capacity (0 when it fits)."""
        return round(max(0.0, self.hours(measure) - self.capacity_hours), 2)


def _first_day(moment: datetime, period: str) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday()) if period == "week" else day


def period_loads(problem: ShopProblem, result: ShopResult, period: str = "week") -> tuple[PeriodLoad, ...]:
    """Load vs capacity of every work center of ``problem`` that is active or has work in
    ``result``, per ``period`` (``day`` or ``week``, weeks from Monday) from the plan start
    to the last planned end or due moment, at most :data:`MAX_PERIODS` periods; ordered by
    work center (problem order), then period.

    Raises:
        InputError: an unknown period.
    """
    if period not in PERIODS:
        raise InputError(Problem(f"unknown period '{period}'; valid: {', '.join(PERIODS)}"))
    days = PERIODS[period]
    origin, zone = result.start, result.time_zone
    clock = Clock(origin, zone)
    first = _first_day(origin, period)
    outcome = {o.rn: o for o in result.orders}
    horizon = [p.end for p in result.operations] + [o.due for o in result.orders if o.due is not None]
    last = max([origin, *horizon]).date()
    count = min(MAX_PERIODS[period], (last - first).days // days + 1)
    bounds = [clock.to_minute(datetime.combine(first + timedelta(days=days * k), time())) for k in range(count + 1)]
    by_wc = result.by_work_center()
    out: list[PeriodLoad] = []
    for wc in problem.work_centers:
        ops = by_wc.get(wc.code, [])
        if not ops and not wc.active:
            continue
        tl = Timeline(wc.calendar, origin, [d for d in problem.downtime if d.work_center == wc.code],
                      name=wc.code, zone_name=zone)
        planned = [0] * count
        due = [0] * count
        for p in ops:
            for s, e in p.intervals:
                _spread(planned, bounds, clock.to_minute(s), clock.to_minute(e))
            when = outcome[p.rn].due if p.rn in outcome else None
            if when is not None:
                due_day = clock.to_datetime(max(0, clock.to_minute(when) - 1)).date()
                k = max(0, (due_day - first).days // days)
                if k < count:
                    due[k] += p.duration_minutes
        for k in range(count):
            cap = tl.working_between(max(0, bounds[k]), max(0, bounds[k + 1]))
            out.append(PeriodLoad(wc.code, first + timedelta(days=days * k), days, round(cap / 60, 2),
                                  round(planned[k] / 60, 2), round(due[k] / 60, 2)))
    return tuple(out)


def _spread(totals: list[int], bounds: list[int], a: int, b: int) -> None:
    """Add the minutes of ``[a, b)`` to the periods (``bounds[k]..bounds[k+1]``) they fall in."""
    k = max(0, bisect_right(bounds, a) - 1)
    while k < len(totals) and bounds[k] < b:
        totals[k] += max(0, min(b, bounds[k + 1]) - max(a, bounds[k]))
        k += 1
