"""Plant time zones, shared by both problems: IANA zone names checked, the deployment's
default zone (``PSS_TIMEZONE``, else UTC) and datetimes given with an offset
(``2026-03-02T07:00+01:00``, ``...Z``) turned into naive plant wall-clock time, and "now"
on the plant clock (:func:`plant_now`, :func:`next_full_hour`: the default start of a
filling run, never the server's clock). Uses ``zoneinfo`` with the system's IANA database
or the ``tzdata`` package."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduler_core.errors import InputError, Problem

#: The zone of a problem that names none.
DEFAULT_ZONE = "UTC"
#: The environment variable that sets the deployment's default plant time zone.
ZONE_ENV = "PSS_TIMEZONE"


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def zone_problem(name: object) -> Problem | None:
    """Why ``name`` is not an IANA time zone name, or ``None`` when it is one."""
    if not isinstance(name, str) or not name.strip():
        return Problem(f"time zone must be an IANA name such as 'Europe/Zagreb', got {name!r}", column="time_zone")
    try:
        _zone(name)
    except (ZoneInfoNotFoundError, ValueError):
        return Problem(f"unknown time zone '{name}' (use an IANA name such as 'Europe/Zagreb' or 'UTC')",
                       column="time_zone")
    return None


def zone(name: str) -> ZoneInfo:
    """The ``ZoneInfo`` of ``name``. Raises ``InputError`` for an unknown name."""
    problem = zone_problem(name)
    if problem is not None:
        raise InputError(problem)
    return _zone(name)


def default_zone_name(environ: dict[str, str] | None = None) -> str:
    """The deployment's plant time zone: ``PSS_TIMEZONE``, else ``UTC``. Raises
    ``InputError`` when the variable names no IANA zone (never a silent fallback)."""
    name = (environ if environ is not None else os.environ).get(ZONE_ENV, "").strip() or DEFAULT_ZONE
    zone(name)
    return name


def to_plant(moment: datetime, zone_name: str) -> datetime:
    """``moment`` as naive plant wall-clock time: a datetime with an offset is converted
    (keeping ``fold`` for the repeated autumn hour), a naive one is returned unchanged."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(zone(zone_name)).replace(tzinfo=None)


def plant_now(zone_name: str, *, at: datetime | None = None) -> datetime:
    """The plant's wall-clock time now (or at the aware moment ``at``; a naive ``at`` is
    taken as plant time), naive, to the microsecond. Raises ``InputError`` for an unknown
    zone."""
    zone(zone_name)  # an unknown name is refused even for a naive ``at``
    return to_plant(datetime.now(UTC) if at is None else at, zone_name)


def next_full_hour(zone_name: str, *, at: datetime | None = None) -> datetime:
    """The next full hour on the plant clock (a whole hour stays as it is): the start of a
    filling run that names none, e.g. 07:20 in ``Europe/Zagreb`` -> 08:00 there, whatever
    the server's own zone. ``at``: an aware moment instead of now (a naive one is taken as
    plant time). Raises ``InputError`` for an unknown zone."""
    now = plant_now(zone_name, at=at)
    whole = now.replace(minute=0, second=0, microsecond=0)
    return whole if whole == now else whole + timedelta(hours=1)
