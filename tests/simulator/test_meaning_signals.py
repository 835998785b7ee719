"""The world agrees with the grader: what rubric 2 finds hostile, deceptive or unreadable
gets fewer replies and more unsubscribes and complaints (issue 12, item 6)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from simulator import open_exercise, replay_log
from simulator.response import email_odds, linkedin_quality, message_quality
from simulator.signals import Signals

from .conftest import fixed_analyser

CLEAN = fixed_analyser({"body": "Is this worth a look? stop\n12 Main Street"}, {})


def odds(signals: Signals, step: int = 0):  # type: ignore[no-untyped-def]
    sandbox = open_exercise("capstone-local-gyms", seed=11, analyser=fixed_analyser)
    contact = sandbox.world.contacts[0]
    company = sandbox.world.company_of(contact)
    return email_odds(
        contact=contact,
        company=company,
        signals=signals,
        quality=message_quality(signals),
        has_subject=True,
        step=step,
        gap_days=3.0 if step else None,
        touch_number=step + 1,
        hour=10,
        weekday=2,
        industry_factor=1.0,
    )


@pytest.mark.parametrize("flag", ["hostile", "deceptive", "incoherent"])
def test_what_the_grader_rejects_gets_fewer_replies(flag: str) -> None:
    assert odds(replace(CLEAN, **{flag: True})).reply < odds(CLEAN).reply / 3
    assert linkedin_quality(replace(CLEAN, **{flag: True})) < linkedin_quality(CLEAN) / 3


@pytest.mark.parametrize("flag", ["hostile", "deceptive"])
def test_offence_raises_unsubscribes_and_complaints(flag: str) -> None:
    bad, good = odds(replace(CLEAN, **{flag: True})), odds(CLEAN)
    assert bad.unsubscribe >= 3 * good.unsubscribe
    assert bad.complaint >= 4 * good.complaint


def test_an_earlier_exchange_misleads_only_on_the_first_touch() -> None:
    history = replace(CLEAN, claims_history=True)
    assert odds(history, step=0).reply < odds(CLEAN, step=0).reply / 3
    assert odds(history, step=1).reply == odds(CLEAN, step=1).reply
    assert odds(history, step=1).complaint == odds(CLEAN, step=1).complaint


def test_old_events_without_meaning_flags_read_as_clean() -> None:
    stored = CLEAN.to_dict()
    assert not {"hostile", "deceptive", "claims_history", "incoherent"} & set(stored)
    assert Signals.from_stored(stored) == CLEAN
    flagged = replace(CLEAN, deceptive=True).to_dict()
    assert flagged["deceptive"] is True and Signals.from_stored(flagged).deceptive


@pytest.mark.parametrize("flag", ["hostile", "deceptive", "claims_history", "incoherent"])
def test_a_message_with_a_meaning_flag_is_sent_stored_and_replayed(flag: str) -> None:
    """The action registry's event schema takes the flags the grader raises."""
    flagged = replace(CLEAN, **{flag: True})
    sandbox = open_exercise("cold-email-dental", seed=5, analyser=lambda _s, _c: flagged)
    contact = next(c for c in sandbox.world.contacts if c.email and not sandbox.opted_out(c))
    sandbox.send_message(contact_id=contact.id, channel="email", subject="Hello", body="Hi")
    stored = [e for e in sandbox.events if e.type == "message_sent"][-1]
    assert stored.data["signals"][flag] is True
    replayed = replay_log([e.to_dict() for e in sandbox.events])  # reads the stored flags
    assert replayed.event_count == sandbox.event_count
