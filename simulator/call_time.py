"""The meeting time a caller proposes, read in the buyer's time zone.

"Tuesday at 10am" said to a buyer in Denver means 10:00 in Denver on the next Tuesday after
now. The reading is plain pattern work (a weekday or "tomorrow", a clock time), done once
when the turn is said and stored in its event, so a replay never reads the text again.
A proposal names a day and a time, or it is not yet a time the buyer can accept.
"""

from __future__ import annotations

import re

from .events import iso
from .timezones import local_hour_and_weekday, utc_offset_minutes

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_RE = re.compile(r"\b(" + "|".join(_DAYS) + r"|tomorrow)\b", re.I)
_CLOCK_RE = re.compile(
    r"\b(\d{1,2})(?:[:.](\d\d))?\s*(am|pm|a\.m\.|p\.m\.)?(?=\W|$)|\b(noon|midday)\b", re.I
)
_DAY = 86_400


def proposed_time(text: str, *, now: int, timezone: str) -> dict[str, object] | None:
    """``{"at": ISO UTC, "local": "Tuesday 10:00", "weekday": 1, "hour": 10}`` or None.

    None when the text names no day, or a day without a clock time.
    """
    day = _DAY_RE.search(text)
    if day is None:
        return None
    hour, minute = _clock(text)
    if hour is None:
        return None
    local_hour, local_minute, weekday = local_hour_and_weekday(timezone, now)
    word = day.group(1).lower()
    ahead = 1 if word == "tomorrow" else (_DAYS.index(word) - weekday) % 7 or 7
    offset = utc_offset_minutes(timezone, now) * 60
    local_midnight = now + offset - (local_hour * 3600 + local_minute * 60 + (now + offset) % 60)
    local = local_midnight + ahead * _DAY + hour * 3600 + minute * 60
    at = local - offset
    at = local - utc_offset_minutes(timezone, at) * 60  # the offset on the day (DST moves)
    weekday_then = (weekday + ahead) % 7
    return {
        "at": iso(at),
        "local": f"{_DAYS[weekday_then].capitalize()} {hour:02d}:{minute:02d}",
        "weekday": weekday_then,
        "hour": hour,
    }


_WORD_HOURS: tuple[str, ...] = (
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)
_WORD_RE = re.compile(r"\bat (" + "|".join(_WORD_HOURS) + r")\b(?:\s*(am|pm))?", re.I)


def _clock(text: str) -> tuple[int | None, int]:
    """(hour, minute) of the first clock time named: "10am", "3:30", "at 3", "at ten"."""
    worded = _WORD_RE.search(text)
    if worded:  # "at ten" (office hours: one to seven mean the afternoon)
        hour = _WORD_HOURS.index(worded.group(1).lower()) + 1
        half = (worded.group(2) or "").lower()
        if half == "pm" and hour < 12 or not half and hour < 8:
            hour += 12
        return hour % 24, 0
    for m in _CLOCK_RE.finditer(text):
        if m.group(4):
            return 12, 0
        hour, minute, half = int(m.group(1)), int(m.group(2) or 0), (m.group(3) or "").lower()
        at_word = text[max(0, m.start() - 3) : m.start()].lower() == "at "
        if not half and not m.group(2) and not at_word:
            continue  # a bare number ("2 minutes") is no clock time; "at 3" is
        if hour > 23 or minute > 59:
            continue
        if half.startswith("p") and hour < 12:
            hour += 12
        elif half.startswith("a") and hour == 12:
            hour = 0
        elif not half and hour < 8:  # "at 3:30" in office talk means the afternoon
            hour += 12
        return hour, minute
    return None, 0
