"""Fixtures for the world's unit tests: no app, no database."""

from __future__ import annotations

from typing import Any

import pytest

from simulator import Sandbox, open_exercise
from simulator.signals import Signals


def fixed_analyser(submission: dict[str, Any], context: dict[str, Any]) -> Signals:
    """A stand-in for the grader's analysis that never changes, for pinned digests.

    Personalised when the body quotes one of the prospect's facts, compliant when it has
    "stop" and a digit-led address line; a call opener fits its channel when it asks a
    question and says why the caller is calling.
    """
    body = str(submission.get("body") or "")
    call = submission.get("channel") == "call"
    facts = context.get("prospect", {}).get("facts", [])
    personal = any(str(fact) in body for fact in facts)
    return Signals(
        personalization=0.9 if personal else 0.2,
        relevance=0.8 if personal else 0.3,
        value=0.5,
        cta=1.0 if "?" in body else 0.0,
        length_fit=0.8,
        readability=1.0,
        spamminess=0.67 if "FREE" in body else 0.0,
        prospect_focus=0.5,
        has_opt_out="stop" in body.lower(),
        has_postal_address=any(line[:1].isdigit() for line in body.splitlines()),
        unfilled_merge_field="{{" in body,
        wrong_name=False,
        channel_fit=(0.35 * ("?" in body) + 0.35 * ("calling" in body)) if call else None,
    )


@pytest.fixture
def gyms() -> Sandbox:
    return open_exercise("capstone-local-gyms", seed=11, analyser=fixed_analyser)


GOOD_BODY = (
    "Hi {{first_name}}, I saw that {{company}} {{fact}}. Is {{pain}} on your list this"
    " quarter?\n\n{{sender_name}}\n{{sender_address}}\nReply stop to opt out."
)
