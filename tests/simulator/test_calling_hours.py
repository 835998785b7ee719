"""One answer to "may I call now, and if not, when?", used by every caller of the rule."""

from __future__ import annotations

from simulator import Sandbox
from simulator.calling_hours import call_window, may_call_at, next_allowed
from simulator.timezones import local_hour_and_weekday


def _local_instant(sandbox: Sandbox, company, hour: int) -> int:
    """A UTC instant on the sandbox's current day when it is ``hour``:00 at ``company``."""
    now = sandbox.state.clock
    local_hour, local_minute, _ = local_hour_and_weekday(company.timezone, now)
    return now - (local_hour * 60 + local_minute) * 60 - now % 60 + hour * 3600


def test_a_call_is_allowed_inside_the_window_and_refused_outside(gyms: Sandbox) -> None:
    contact = gyms.world.contacts[0]
    company = gyms.world.company_of(contact)
    _, _, weekday = local_hour_and_weekday(company.timezone, gyms.state.clock)
    window = call_window(company, contact, weekday)
    assert window is not None and window.describe() == "08:00-21:00"
    assert may_call_at(company, contact, _local_instant(gyms, company, 10))
    assert not may_call_at(company, contact, _local_instant(gyms, company, 6))
    assert not may_call_at(company, contact, _local_instant(gyms, company, 21))


def test_the_next_allowed_slot_is_the_window_opening_or_now(gyms: Sandbox) -> None:
    contact = gyms.world.contacts[0]
    company = gyms.world.company_of(contact)
    early = _local_instant(gyms, company, 6)
    opening = next_allowed(company, contact, early)
    assert local_hour_and_weekday(company.timezone, opening)[:2] == (8, 0)
    assert 0 < opening - early <= 2 * 3600
    ten = _local_instant(gyms, company, 10)
    assert next_allowed(company, contact, ten) == ten
    late = _local_instant(gyms, company, 22)
    tomorrow = next_allowed(company, contact, late)
    assert local_hour_and_weekday(company.timezone, tomorrow)[:2] == (8, 0)
    assert 9 * 3600 <= tomorrow - late <= 11 * 3600 + 3600  # a DST night may add an hour
    assert may_call_at(company, contact, tomorrow)
