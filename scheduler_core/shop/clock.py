"""Plant time: naive wall-clock datetimes in a plant's IANA time zone, and real minutes.

Every datetime of a shop problem and plan is *plant wall-clock time*: naive, meaning the
local time of the problem's ``time_zone`` (an IANA name such as ``Europe/Zagreb``; ``UTC``
by default). Shifts are wall-clock times; durations and working minutes are real elapsed
minutes, so the night of a daylight-saving switch has one hour less (spring) or more
(autumn) of work. :class:`Clock` converts between wall-clock moments and integer minutes
from a plan's origin through UTC (Python's ``zoneinfo`` with the IANA database of the
system or the ``tzdata`` package):

* a wall time that does not exist (02:30 on the spring night in Europe/Zagreb) is read
  with the offset before the switch, i.e. it lands one hour later in real time;
* a wall time that exists twice (02:30 on the autumn night) is the first one unless the
  datetime's ``fold`` is 1; moments produced by a clock carry the right ``fold``.

Zone names, the default zone and :func:`to_plant` live in ``scheduler_core.zones`` (shared with
the filling readers) and are re-exported here. :func:`to_plant` turns a datetime with an offset (``2026-03-02T07:00+01:00``, ``...Z``) into
plant wall-clock time; naive datetimes are taken as plant time already.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from scheduler_core.zones import DEFAULT_ZONE, to_plant, zone


def offsets_to_plant(problem: Any) -> dict[str, Any]:
    """The fields of a shop problem (``start``, ``operations``, ``downtime``,
    ``work_orders``) that hold datetimes given with an offset, converted to plant wall-clock
    time of its ``time_zone`` (only the fields that change)."""
    zone_name = problem.time_zone

    def conv(value: Any) -> Any:
        return to_plant(value, zone_name) if isinstance(value, datetime) and value.tzinfo is not None else value

    def changed(items: tuple, names: tuple[str, ...]) -> tuple | None:
        if not any(conv(getattr(x, n)) is not getattr(x, n) for x in items for n in names):
            return None
        return tuple(replace(x, **{n: conv(getattr(x, n)) for n in names}) for x in items)

    out: dict[str, Any] = {}
    if problem.start is not None and problem.start.tzinfo is not None:
        out["start"] = conv(problem.start)
    for name, fields in (("operations", ("pinned_start", "actual_start", "actual_end")),
                         ("downtime", ("start", "end")),
                         ("work_orders", ("delivery_date", "assembly_date", "third_date"))):
        items = changed(getattr(problem, name), fields)
        if items is not None:
            out[name] = items
    return out


def to_utc(moment: datetime, zone_name: str) -> datetime:
    """Naive plant wall-clock ``moment`` (or an aware one) as an aware UTC datetime."""
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    return moment.replace(tzinfo=zone(zone_name)).astimezone(UTC)


def aware(moment: datetime, zone_name: str) -> datetime:
    """Naive plant wall-clock ``moment`` with its zone attached (what exports print with an
    offset, e.g. ``2026-03-29T03:00:00+02:00``)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone(zone_name))


def elapsed_minutes(start: datetime, end: datetime, zone_name: str) -> float:
    """Real minutes from ``start`` to ``end`` (plant wall-clock), across any switch."""
    return (to_utc(end, zone_name) - to_utc(start, zone_name)).total_seconds() / 60


def now(zone_name: str, *, at: datetime | None = None) -> datetime:
    """The current plant wall-clock time (``at``, an aware moment, instead of now), rounded
    up to the next whole minute."""
    moment = to_plant(at or datetime.now(UTC), zone_name)
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else whole + timedelta(minutes=1)


def label(moment: datetime | None, zone_name: str) -> str:
    """``2026-03-29 03:00 CEST`` (``–`` for ``None``): a plant time that names its zone."""
    if moment is None:
        return "–"
    local = aware(moment, zone_name)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


class Clock:
    """Minutes from a plan's ``origin`` (plant wall-clock) <-> plant wall-clock moments, in
    real elapsed minutes through UTC (a plain offset for ``UTC``)."""

    def __init__(self, origin: datetime, zone_name: str = DEFAULT_ZONE):
        self.zone_name = zone_name
        self.origin = origin.replace(second=0, microsecond=0)
        self._fixed = zone_name == "UTC"
        self._zone = zone(zone_name)
        self._origin_utc = self.origin.replace(tzinfo=self._zone).astimezone(UTC)

    def to_minute(self, moment: datetime) -> int:
        """Whole minutes from the origin to ``moment`` (floor; may be negative)."""
        if self._fixed and moment.tzinfo is None:
            delta = moment - self.origin
        else:
            delta = to_utc(moment, self.zone_name) - self._origin_utc
        return int(delta.total_seconds() // 60)

    def to_minute_ceil(self, moment: datetime) -> int:
        """Whole minutes from the origin to ``moment``, rounded up."""
        if self._fixed and moment.tzinfo is None:
            delta = moment - self.origin
        else:
            delta = to_utc(moment, self.zone_name) - self._origin_utc
        return int(-(-delta.total_seconds() // 60))

    def to_datetime(self, minute: int) -> datetime:
        """The plant wall-clock moment ``minute`` real minutes after the origin."""
        if self._fixed:
            return self.origin + timedelta(minutes=minute)
        return (self._origin_utc + timedelta(minutes=minute)).astimezone(self._zone).replace(tzinfo=None)
