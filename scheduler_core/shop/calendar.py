"""Working time of a work center: shifts with breaks, per-date working flags, downtime.

``Timeline`` turns a ``Calendar`` plus downtime into sorted working intervals in integer
minutes from an ``origin`` moment (built lazily, as far ahead as needed) and answers the
questions planners ask: the next working minute, the moment ``n`` working minutes after a
moment, the working intervals an operation occupies. Datetimes are naive plant wall-clock
time of the timeline's time zone; minutes are real elapsed minutes (``clock.Clock``), so a
night shift across a daylight-saving switch works one hour less or more.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from scheduler_core.errors import InputError, Problem
from scheduler_core.shop.clock import DEFAULT_ZONE, Clock
from scheduler_core.shop.model import Calendar, Downtime

#: A calendar without working time inside this many days is an input error (never a hang).
MAX_HORIZON_DAYS = 3 * 366
_BIG = 10**12


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def shift_pieces(calendar: Calendar, day: date) -> list[tuple[datetime, datetime]]:
    """Working pieces (shift minus break) of the shifts that work on ``day`` (by start date)."""
    out: list[tuple[datetime, datetime]] = []
    for s in calendar.shifts:
        if not calendar.is_working(day, s.name):
            continue
        start = datetime.combine(day, s.start)
        end = start + timedelta(minutes=s.length_minutes)
        if s.break_start is not None and s.break_minutes > 0:
            bs = datetime.combine(day, s.break_start)
            if bs < start:
                bs += timedelta(days=1)
            be = bs + timedelta(minutes=s.break_minutes)
            if start <= bs < end:
                if bs > start:
                    out.append((start, bs))
                if be < end:
                    out.append((be, end))
                continue
        out.append((start, end))
    return out


def _merge(intervals: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for s, e in sorted(intervals):
        if e <= s:
            continue
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _subtract(intervals: list[tuple[int, int]], holes: list[tuple[int, int]]):
    if not holes:
        return intervals
    out: list[tuple[int, int]] = []
    holes = _merge(holes)
    j = 0
    for s, e in intervals:
        cur = s
        while j < len(holes) and holes[j][1] <= cur:
            j += 1
        k = j
        while k < len(holes) and holes[k][0] < e:
            hs, he = holes[k]
            if hs > cur:
                out.append((cur, hs))
            cur = max(cur, he)
            k += 1
        if cur < e:
            out.append((cur, e))
    return out


class Timeline:
    """Working intervals of one work center, in real minutes from ``origin`` (plant
    wall-clock time of ``zone_name``)."""

    def __init__(
        self,
        calendar: Calendar,
        origin: datetime,
        downtime: Iterable[Downtime] = (),
        name: str = "",
        zone_name: str = DEFAULT_ZONE,
    ):
        self.calendar = calendar
        self.clock = Clock(origin, zone_name)
        self.origin = self.clock.origin
        self.name = name
        self._holes = [(self.clock.to_minute(d.start), self.clock.to_minute_ceil(d.end)) for d in downtime]
        self._days = 0
        self._limit = -_BIG
        self.starts: list[int] = []
        self.ends: list[int] = []
        self._cum: list[int] = []  # working minutes before interval i
        self._build(42)

    # -- construction ---------------------------------------------------------------------
    def _build(self, days: int) -> None:
        if days > MAX_HORIZON_DAYS + 60:
            where = f"work center '{self.name}'" if self.name else "calendar"
            raise InputError(
                Problem(f"{where} has no working time within {MAX_HORIZON_DAYS} days")
            )
        first = self.origin.date() - timedelta(days=1)
        if self.calendar.always_working:
            raw = [(-_BIG, _minutes(timedelta(days=days + 1)) + 1440)]
        else:
            raw = []
            for k in range(days + 1):
                for s, e in shift_pieces(self.calendar, first + timedelta(days=k)):
                    raw.append((self.clock.to_minute(s), self.clock.to_minute(e)))
        ivs = _subtract(_merge(raw), sorted(self._holes))
        self._days = days
        # Everything before this minute is final (later days cannot add earlier intervals).
        self._limit = self.clock.to_minute(datetime.combine(first + timedelta(days=days), datetime.min.time()))
        self.starts = [s for s, _ in ivs]
        self.ends = [e for _, e in ivs]
        cum, acc = [], 0
        for s, e in ivs:
            cum.append(acc)
            acc += e - s
        self._cum = cum

    def _ensure(self, minute: int) -> None:
        while minute >= self._limit - 1440:
            self._build(self._days * 2)

    def _ensure_work(self, start: int, minutes: int) -> None:
        """Make sure ``minutes`` working minutes after ``start`` are built."""
        self._ensure(start)
        while True:
            i = bisect_right(self.ends, start)
            avail = 0
            if i < len(self.starts):
                avail = (self._cum[-1] + self.ends[-1] - self.starts[-1]) - self._cum[i]
                avail -= max(0, start - self.starts[i])
                # the last interval may still grow when more days are built
                if self.ends[-1] >= self._limit - 1440:
                    avail -= 1
            if avail >= minutes:
                return
            self._build(self._days * 2)

    # -- queries in minutes ---------------------------------------------------------------
    def next_working(self, t: int) -> int:
        """The first working minute at or after ``t``."""
        self._ensure_work(t, 1)
        i = bisect_right(self.ends, t)
        return max(t, self.starts[i])

    def cumulative(self, t: int) -> int:
        """Working minutes in ``[first interval, t)``."""
        self._ensure(t)
        i = bisect_right(self.ends, t)
        if i >= len(self.starts):
            return self._cum[-1] + self.ends[-1] - self.starts[-1] if self.starts else 0
        return self._cum[i] + max(0, t - self.starts[i])

    def at_cumulative(self, work: int) -> int:
        """The moment where working minute number ``work`` (as counted by ``cumulative``)
        starts."""
        while not self.starts or self._cum[-1] + self.ends[-1] - self.starts[-1] <= work + 1:
            self._build(self._days * 2)
        i = bisect_right(self._cum, work) - 1
        return self.starts[i] + (work - self._cum[i])

    def working_between(self, a: int, b: int) -> int:
        """Working minutes inside ``[a, b)``."""
        if b <= a:
            return 0
        return self.cumulative(b) - self.cumulative(a)

    def add(self, t: int, minutes: int) -> int:
        """The moment ``minutes`` working minutes after ``t`` are done (``t`` if 0)."""
        if minutes <= 0:
            return t
        self._ensure_work(t, minutes)
        target = self.cumulative(t) + minutes
        # interval i with cum[i] < target <= cum[i] + len_i
        i = bisect_left(self._cum, target) - 1
        return self.starts[i] + (target - self._cum[i])

    def intervals(self, t: int, minutes: int) -> list[tuple[int, int]]:
        """Working pieces of ``minutes`` working minutes starting at or after ``t``."""
        out: list[tuple[int, int]] = []
        if minutes <= 0:
            return out
        self._ensure_work(t, minutes)
        i = bisect_right(self.ends, t)
        left = minutes
        cur = t
        while left > 0:
            s = max(cur, self.starts[i])
            take = min(left, self.ends[i] - s)
            out.append((s, s + take))
            left -= take
            i += 1
        return out

    def available_in(self, a: int, b: int) -> list[tuple[int, int]]:
        """Working intervals clipped to ``[a, b)``."""
        self._ensure(b)
        i = bisect_right(self.ends, a)
        out = []
        while i < len(self.starts) and self.starts[i] < b:
            out.append((max(a, self.starts[i]), min(b, self.ends[i])))
            i += 1
        return out

    # -- datetime interface ---------------------------------------------------------------
    def to_minute(self, moment: datetime) -> int:
        """Minutes from the timeline's origin to ``moment`` (may be negative)."""
        return self.clock.to_minute(moment)

    def to_datetime(self, minute: int) -> datetime:
        """The moment ``minute`` minutes after the origin."""
        return self.clock.to_datetime(minute)

    def add_working_minutes(self, moment: datetime, minutes: int) -> datetime:
        """The moment ``minutes`` working minutes after ``moment`` are done."""
        return self.to_datetime(self.add(self.to_minute(moment), minutes))

    def working_intervals(self, start: datetime, minutes: int) -> list[tuple[datetime, datetime]]:
        """The working intervals an operation of ``minutes`` starting at ``start`` occupies."""
        return [
            (self.to_datetime(s), self.to_datetime(e))
            for s, e in self.intervals(self.to_minute(start), minutes)
        ]


def add_working_minutes(
    calendar: Calendar, moment: datetime, minutes: int, downtime: Iterable[Downtime] = (),
    zone_name: str = DEFAULT_ZONE,
) -> datetime:
    """``moment`` plus ``minutes`` of working time of ``calendar`` (minus ``downtime``) in
    plant time zone ``zone_name``."""
    return Timeline(calendar, moment, downtime, zone_name=zone_name).add_working_minutes(moment, minutes)


def working_intervals(
    calendar: Calendar, start: datetime, minutes: int, downtime: Iterable[Downtime] = (),
    zone_name: str = DEFAULT_ZONE,
) -> list[tuple[datetime, datetime]]:
    """Working intervals of ``minutes`` working minutes starting at (or after) ``start`` in
    plant time zone ``zone_name``."""
    return Timeline(calendar, start, downtime, zone_name=zone_name).working_intervals(start, minutes)
