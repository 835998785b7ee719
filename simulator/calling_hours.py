"""When a contact may be called: the one place that answers it.

The refusal of a live call, the violation a logged call records, the odds of a call made
out of hours and the scheduler that proposes the next allowed slot all ask here, so they
can never disagree. The window comes from the law table (law.py) for the jurisdiction of
the contact's company: the US federal hours (Florida's shorter ones in Florida), the CRTC's
weekday and weekend hours in Canada, the Australian standard, and a policy window where the
law sets none (the UK, and US business lines that the TSR exempts).
"""

from __future__ import annotations

from dataclasses import dataclass

from .law import BY_ID, LAW, POLICY, Rule, call_hours
from .market import Company, Contact
from .response_params import PARAMS, Params
from .timezones import local_hour_and_weekday


@dataclass(frozen=True, slots=True)
class CallWindow:
    """The local minutes of one day in which calls are allowed, and what says so."""

    start: int  # minutes after local midnight, inclusive
    end: int  # minutes after local midnight, exclusive
    basis: str  # "law" or "policy": what the learner is told the window rests on
    label: str  # e.g. "US federal calling hours"

    def allows(self, minute_of_day: int) -> bool:
        return self.start <= minute_of_day < self.end

    def describe(self) -> str:
        """``08:00-21:00`` as a learner reads it."""
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def call_window(
    company: Company, contact: Contact, weekday: int, params: Params = PARAMS
) -> CallWindow | None:
    """The window for calling ``contact`` on a local ``weekday`` (0 = Monday); None: no calls.

    The basis is "law" when the jurisdiction's rule protects the contact's line type, else
    "policy" (a US business line: the course keeps the federal hours as company policy).
    The default and US windows read the parameters' hours, so a calibration can move them.
    """
    hours = call_hours(company)
    span = hours.days[weekday % 7]
    if span is None:
        return None
    start, end = span
    if hours.rule in _PARAM_HOURS:
        start, end = params.call_legal_start_hour * 60, params.call_legal_end_hour * 60
    if contact.line_type in hours.binds:
        return CallWindow(start, end, LAW, hours.label)
    label = hours.label if not hours.policy_rule else f"company policy ({hours.label})"
    return CallWindow(start, end, POLICY, label)


def window_rule(company: Company, contact: Contact) -> Rule:
    """The law table's rule behind the contact's window (a policy rule where law is silent)."""
    hours = call_hours(company)
    if contact.line_type in hours.binds or hours.policy_rule is None:
        return BY_ID[hours.rule]
    return BY_ID[hours.policy_rule]


#: the windows that follow the parameters' hours (the US federal rule and the default)
_PARAM_HOURS = frozenset({"us.call.hours", "default.call.hours"})


def may_call_at(company: Company, contact: Contact, at: int, params: Params = PARAMS) -> bool:
    """Whether a call to ``contact`` at the UTC instant ``at`` falls inside its window."""
    hour, minute, weekday = local_hour_and_weekday(company.timezone, at)
    window = call_window(company, contact, weekday, params)
    return window is not None and window.allows(hour * 60 + minute)


def next_allowed(company: Company, contact: Contact, at: int, params: Params = PARAMS) -> int:
    """The first UTC instant at or after ``at`` (on a whole minute) when a call is allowed.

    Walks the contact's local week minute by minute at most once; a contact who may never
    be called raises ValueError rather than looping.
    """
    moment = at - at % 60 + (60 if at % 60 else 0)
    hour, minute, weekday = local_hour_and_weekday(company.timezone, moment)
    minute_of_day = hour * 60 + minute
    for day in range(8):
        window = call_window(company, contact, (weekday + day) % 7, params)
        if window is None:
            continue
        begin = max(window.start, minute_of_day) if day == 0 else window.start
        if begin < window.end:
            candidate = moment + (day * 24 * 60 + begin - minute_of_day) * 60
            if may_call_at(company, contact, candidate, params):
                return candidate
            # a daylight-saving jump moved the local clock: look again from there
            return next_allowed(company, contact, candidate + 3600, params)
    raise ValueError(f"{contact.name} may not be called on any day of the week")


def window_text(company: Company, contact: Contact, at: int, params: Params = PARAMS) -> str:
    """``08:00-21:00``: the window of the contact's local day of ``at``, as learners read it."""
    _, _, weekday = local_hour_and_weekday(company.timezone, at)
    window = call_window(company, contact, weekday, params)
    if window is None:
        return "no calls on this day"
    return window.describe()
