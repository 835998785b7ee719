"""Local time for the IANA zones our cities use, without the system's tz database.

Why our own rules: ``zoneinfo`` reads tzdata from the operating system (or the ``tzdata``
package), which differs between machines and is missing on some; the simulator must give
the same local hour everywhere. The zones used by data/places.yaml follow three daylight
saving rules (US/Canada, EU/UK, south-east Australia) or none; tests compare these rules
with ``zoneinfo`` for every hour of two years where the system has it.
"""

from __future__ import annotations

import calendar
import time
from functools import lru_cache

# zone -> (standard offset in minutes east of UTC, daylight-saving rule or None)
ZONES: dict[str, tuple[int, str | None]] = {
    "America/New_York": (-300, "north_america"),
    "America/Toronto": (-300, "north_america"),
    "America/Chicago": (-360, "north_america"),
    "America/Denver": (-420, "north_america"),
    "America/Edmonton": (-420, "north_america"),
    "America/Phoenix": (-420, None),
    "America/Los_Angeles": (-480, "north_america"),
    "America/Vancouver": (-480, "north_america"),
    "Europe/London": (0, "europe"),
    "Europe/Dublin": (0, "europe"),
    "Australia/Sydney": (600, "south_east_australia"),
    "Australia/Melbourne": (600, "south_east_australia"),
    "Australia/Brisbane": (600, None),
    "Australia/Perth": (480, None),
}

_DAY = 86_400


def _nth_sunday(year: int, month: int, n: int) -> int:
    """Day of month of the n-th Sunday (n = -1: the last one)."""
    weeks = calendar.monthcalendar(year, month)
    sundays = [week[calendar.SUNDAY] for week in weeks if week[calendar.SUNDAY]]
    return sundays[n - 1] if n > 0 else sundays[-1]


def _utc(year: int, month: int, day: int, minutes: int) -> int:
    return calendar.timegm((year, month, day, 0, 0, 0)) + minutes * 60


@lru_cache(maxsize=256)
def _transitions(rule: str, standard: int, year: int) -> tuple[int, int]:
    """(start, end) of daylight saving in UTC seconds for one year."""
    if rule == "north_america":  # 2nd Sunday of March 02:00 local -> 1st Sunday Nov 02:00
        start = _utc(year, 3, _nth_sunday(year, 3, 2), 120 - standard)
        end = _utc(year, 11, _nth_sunday(year, 11, 1), 120 - standard - 60)
    elif rule == "europe":  # last Sunday of March 01:00 UTC -> last Sunday of October
        start = _utc(year, 3, _nth_sunday(year, 3, -1), 60)
        end = _utc(year, 10, _nth_sunday(year, 10, -1), 60)
    elif rule == "south_east_australia":  # ends 1st Sunday April 03:00 DST, starts Oct
        end = _utc(year, 4, _nth_sunday(year, 4, 1), 180 - standard - 60)
        start = _utc(year, 10, _nth_sunday(year, 10, 1), 120 - standard)
    else:  # pragma: no cover - ZONES only names the rules above
        raise ValueError(f"unknown daylight-saving rule {rule!r}")
    return start, end


def utc_offset_minutes(zone: str, at: int) -> int:
    """Minutes east of UTC in ``zone`` at the UTC instant ``at`` (Unix seconds)."""
    # Every transition of these zones falls on a whole UTC hour, so an hour shares one offset.
    return _offset_for_hour(zone, at // 3600)


@lru_cache(maxsize=8192)
def _offset_for_hour(zone: str, hour: int) -> int:
    at = hour * 3600
    try:
        standard, rule = ZONES[zone]
    except KeyError:
        raise ValueError(f"unsupported time zone {zone!r}; add it to timezones.ZONES") from None
    if rule is None:
        return standard
    start, end = _transitions(rule, standard, time.gmtime(at).tm_year)
    if start < end:
        in_dst = start <= at < end
    else:  # southern hemisphere: daylight time spans the new year
        in_dst = not (end <= at < start)
    return standard + (60 if in_dst else 0)


def local_hour_and_weekday(zone: str, at: int) -> tuple[int, int, int]:
    """(hour 0-23, minute 0-59, weekday 0=Monday) in ``zone`` at UTC instant ``at``."""
    local = at + utc_offset_minutes(zone, at) * 60
    return (local // 3600) % 24, (local // 60) % 60, (local // _DAY + 3) % 7
