"""When a send goes out, in the prospect's own time: their local clock, a chosen local send
time turned into simulated UTC, and whether a send now would break their allowed hours.

Why here and not in each view: the composer, the sequences and the pages that show a
prospect's time must agree to the minute. The hours themselves are never decided here:
``simulator.calling_hours`` is the one place that answers when a contact may be called
(``may_call_at``, ``next_allowed``, ``window_text``); a message has no allowed hours in the
world, so only calls are ever held back.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from leadworks.core.errors import UserError
from simulator import Sandbox
from simulator.calling_hours import may_call_at, next_allowed, window_text
from simulator.events import iso, parse_iso
from simulator.market import Contact
from simulator.timezones import utc_offset_minutes

_LOCAL = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$")
_HHMM = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class LocalTime:
    """A simulated instant as the prospect reads it."""

    at: int  # Unix seconds, UTC
    zone: str
    text: str  # "Mon 3 Mar, 06:12"
    iso_local: str  # "2025-03-03T06:12", what a datetime-local input holds
    abbreviation: str  # "UTC-7"

    @property
    def utc(self) -> str:
        """The same instant in UTC ("2025-03-03T13:12:00Z"): what a page hands the browser
        to show it in the learner's own time zone beside the prospect's."""
        return iso(self.at)


def local_time(zone: str, at: int) -> LocalTime:
    """``at`` in ``zone``, worded and as an input value."""
    offset = utc_offset_minutes(zone, at)
    moment = datetime.fromtimestamp(at + offset * 60, UTC)
    sign = "+" if offset >= 0 else "-"
    hours, minutes = divmod(abs(offset), 60)
    abbreviation = f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")
    return LocalTime(
        at,
        zone,
        f"{moment:%a} {moment.day} {moment:%b}, {moment:%H:%M}",
        f"{moment:%Y-%m-%dT%H:%M}",
        abbreviation,
    )


def contact_time(sandbox: Sandbox, contact: Contact, at: int | None = None) -> LocalTime:
    """The contact's local time now (or at ``at``)."""
    zone = sandbox.world.company_of(contact).timezone
    return local_time(zone, sandbox.state.clock if at is None else at)


def local_to_utc(zone: str, text: str, field: str = "send_at") -> int:
    """``2025-03-04T09:30`` read as local time in ``zone`` -> Unix seconds (UTC)."""
    found = _LOCAL.match(text.strip())
    if not found:
        raise UserError(
            "Give the send time as a date and time, e.g. 2025-03-04 09:30 (their time).",
            field=field,
        )
    year, month, day, hour, minute = map(int, found.groups())
    try:
        naive = calendar.timegm(datetime(year, month, day, hour, minute).timetuple())
    except ValueError:
        raise UserError("That date does not exist.", field=field) from None
    guess = naive - utc_offset_minutes(zone, naive) * 60
    return naive - utc_offset_minutes(zone, guess) * 60


def parse_hhmm(raw: str, field: str) -> str | None:
    """A step's local send time "09:30" (None when left empty), refused clearly."""
    text = raw.strip()
    if not text:
        return None
    found = _HHMM.match(text)
    if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        raise UserError("Give the send time as hours and minutes, e.g. 09:30.", field=field)
    return f"{int(found.group(1)):02d}:{found.group(2)}"


def next_local(zone: str, after: int, hhmm: str) -> int:
    """The first instant at or after ``after`` when it is ``hhmm`` in ``zone``."""
    hour, minute = (int(part) for part in hhmm.split(":"))
    day = local_time(zone, after).iso_local[:10]
    for shift in range(3):
        moment = calendar.timegm(datetime.fromisoformat(day).timetuple()) + shift * 86_400
        local_day = datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d")
        candidate = local_to_utc(zone, f"{local_day}T{hour:02d}:{minute:02d}")
        if candidate >= after:
            return candidate
    raise AssertionError("a local time recurs every day")  # pragma: no cover


@dataclass(frozen=True)
class HoursCheck:
    """Whether a call at ``at`` keeps to the contact's hours, and the next slot if not."""

    allowed: bool
    window: str  # "08:00-21:00" on their day
    local: LocalTime
    next_slot: LocalTime | None

    def question(self, name: str) -> str:
        """What the learner is asked when the call would break the hours."""
        assert self.next_slot is not None
        return (
            f"It is {self.local.text} for {name}: calls are allowed {self.window} their time."
            f" Schedule the call for {self.next_slot.text} their time"
            f" ({iso(self.next_slot.at)[11:16]} UTC) instead?"
        )


def check_hours(sandbox: Sandbox, contact: Contact, channel: str, at: int) -> HoursCheck:
    """A call is held to the contact's window; a message has no allowed hours."""
    company = sandbox.world.company_of(contact)
    local = local_time(company.timezone, at)
    window = window_text(company, contact, at)
    if channel != "call" or may_call_at(company, contact, at):
        return HoursCheck(True, window, local, None)
    try:
        slot = next_allowed(company, contact, at)
    except ValueError:
        return HoursCheck(False, window, local, None)
    return HoursCheck(False, window, local, local_time(company.timezone, slot))


def as_scheduled(action: dict[str, Any], at: int, unless_replied: bool = False) -> dict[str, Any]:
    """A ``send_message`` or ``call`` action as the ``schedule_send`` that sends it at ``at``."""
    scheduled: dict[str, Any] = {
        "type": "schedule_send",
        "contact_id": action["contact_id"],
        "channel": action.get("channel", "call"),
        "body": action.get("body", action.get("opener", "")),
        "at": iso(at),
        "unless_replied": unless_replied,
    }
    if action.get("subject"):
        scheduled["subject"] = action["subject"]
    return scheduled


def timed_action(
    sandbox: Sandbox,
    contact: Contact,
    action: dict[str, Any],
    *,
    send_at: str = "",
    schedule: str = "",
    anyway: bool = False,
) -> tuple[dict[str, Any], HoursCheck | None]:
    """The action to take for a send: now, at the chosen local time, or at the next allowed
    slot; with a question instead when it would break the contact's hours (``anyway``: the
    learner saw the question and sends as chosen)."""
    channel = str(action.get("channel", "call"))
    zone = sandbox.world.company_of(contact).timezone
    now = sandbox.state.clock
    at = local_to_utc(zone, send_at) if send_at.strip() else now
    if send_at.strip() and at <= now:
        raise UserError(
            f"That time has passed for them: it is {local_time(zone, now).text} their time.",
            field="send_at",
        )
    if at > sandbox.state.end:
        raise UserError("The exercise ends before that time.", field="send_at")
    check = check_hours(sandbox, contact, channel, at)
    if schedule == "next" and not check.allowed and check.next_slot is not None:
        if check.next_slot.at > sandbox.state.end:
            raise UserError("The next allowed slot falls after the exercise ends.", field="send_at")
        return as_scheduled(action, check.next_slot.at), None
    if not check.allowed and not anyway:
        return action, check
    return (as_scheduled(action, at), None) if at > now else (action, None)


def chosen_time(zone: str, send_at: str) -> LocalTime | None:
    """A chosen local send time as the composer shows it back in both zones (None when
    empty or not a time: the send itself says why)."""
    if not send_at.strip():
        return None
    try:
        return local_time(zone, local_to_utc(zone, send_at))
    except UserError:
        return None


def timing_context(
    sandbox: Sandbox, contact: Contact | None, send_at: str = ""
) -> dict[str, Any]:
    """What a page shows about time for one prospect: their clock and calling window, the
    chosen send time, and the sends waiting for their time (with names, for the learner)."""
    waiting = []
    for item in sandbox.scheduled_sends():
        person = sandbox.world.contact(item["contact_id"])
        if person is not None:
            at = parse_iso(item["at"])
            waiting.append(item | {"name": person.name, "local": contact_time(sandbox, person, at)})
    if contact is None:
        return {"scheduled_sends": waiting}
    company = sandbox.world.company_of(contact)
    return {
        "scheduled_sends": waiting,
        "their_time": contact_time(sandbox, contact),
        "their_zone": company.timezone,
        "call_window": window_text(company, contact, sandbox.state.clock),
        "send_when": chosen_time(company.timezone, send_at),
    }
