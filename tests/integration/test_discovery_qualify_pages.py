"""A live discovery call feeds the qualification form; the checklist call is labelled a
guided beginner mode."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient
from sqlmodel import Session

from leadworks.accounts.models import User
from tests.integration.test_sandbox_pages import _play

TURNS = [
    "Hi, this is Elena from Policypoint, returning your request for a call. Is now a good time?",
    "Fair enough. What made you reach out to us?",
    "That makes sense. How are you finding new commercial-lines clients today?",
    "Who else would be involved in choosing a partner like us?",
    "What have you set aside for winning new business this year?",
]


def test_the_qualify_form_shows_what_the_live_call_uncovered_and_calls_the_rest_a_guess(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, "discovery-call-qualify")
    sandbox = played.sandbox()
    leads = sorted(cid for cid, cs in sandbox.state.contacts.items() if cs.inbound)
    found: dict = {}
    for lead in leads:  # the first lead whose call uncovers something
        path = f"/prospects/{lead}/conversation"
        played.post(path + "/start", follow_redirects=True)
        for text in TURNS:
            played.post(path + "/say", {"text": text}, follow_redirects=True)
        played.post(path + "/end", follow_redirects=True)
        found = played.sandbox().uncovered_on_calls(lead)
        if found:
            break
    assert found, "no lead's call uncovered anything"
    page = html.unescape(played.client.get(f"{played.base}/prospects/{lead}/qualify").text)
    assert page.count("Uncovered on your call") == sum(
        n in found for n in ("budget", "authority", "need", "timeline")
    )
    for name in ("budget", "authority", "need", "timeline"):
        if name in found:
            assert f"“{found[name]['answer']}”" in page  # the buyer's words, prefilled too
            assert found[name]["question"] in page
    missing = [n for n in ("budget", "authority", "need", "timeline") if n not in found]
    assert page.count("judging it would be a guess") == len(missing)


def test_the_checklist_discovery_call_is_labelled_a_guided_beginner_mode(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, "qualify-insurance-leads")
    sandbox = played.sandbox()
    lead = next(cid for cid, cs in sandbox.state.contacts.items() if cs.inbound)
    page = played.client.get(f"{played.base}/prospects/{lead}/discovery").text
    assert "Guided beginner mode" in page
    assert f"/prospects/{lead}/conversation" in page  # the way to the live call
