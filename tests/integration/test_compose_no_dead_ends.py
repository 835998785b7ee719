"""The composer loses nothing and has no dead ends (issue #15, item 5): drafts are kept on
the server per run and prospect, a preview reloads (no 405), the same message twice to the
same prospect asks first, and Reply shows the message being answered."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from leadworks.accounts.models import User
from leadworks.practice.drafts import draft_of
from tests.integration.test_sandbox_pages import GOOD_BODY, Played, _emailable, _play


def _played(client: TestClient, session: Session, learner: User) -> Played:
    return _play(client, session, learner)


def test_a_draft_is_kept_per_prospect_and_a_preview_reloads(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _played(client, session, learner)
    who = _emailable(played)
    typed = {"contact_id": who, "channel": "email", "subject": "Hygiene gaps", "body": GOOD_BODY}
    live = played.post("/compose/preview", typed, headers={"HX-Request": "true"})
    assert live.status_code == 200 and "characters" in live.text
    # a new tab, the next day: the composer for this prospect brings the draft back
    page = played.client.get(f"{played.base}/compose?contact_id={who}")
    assert "Hygiene gaps" in page.text and "hygiene diary" in page.text
    # "Refresh preview" without JavaScript: post, redirect, get; reloading is a plain GET
    refreshed = played.post("/compose/preview", typed | {"subject": "Gaps, v2"})
    assert refreshed.status_code == 303
    again = played.client.get(refreshed.headers["location"])
    assert again.status_code == 200 and "Gaps, v2" in again.text
    stale = played.client.get(f"{played.base}/compose/preview?contact_id={who}")
    assert stale.status_code == 303 and stale.headers["location"].startswith(
        played.base + "/compose"
    )
    # another prospect has their own (empty) draft
    other = played.client.get(f"{played.base}/compose?contact_id=p000002")
    assert "Gaps, v2" not in other.text
    # sending uses the draft up: it is gone afterwards
    sent = played.post("/compose/send", typed, stale=False)
    assert sent.status_code == 303
    assert "hygiene diary" not in played.client.get(f"{played.base}/compose?contact_id={who}").text


def test_the_same_message_twice_to_the_same_prospect_asks_first(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _played(client, session, learner)
    who = _emailable(played)
    message = {"contact_id": who, "channel": "email", "subject": "Hygiene gaps", "body": GOOD_BODY}
    assert played.post("/compose/send", message, stale=False).status_code == 303
    before = played.count()
    again = played.post("/compose/send", message, stale=False)  # back, then resubmit
    assert again.status_code == 400
    assert "You already sent this message to" in again.text and "Send it again?" in again.text
    assert 'name="confirm_duplicate" value="yes"' in again.text
    assert "hygiene diary" in again.text  # the text is still there to change
    assert played.count() == before  # nothing was sent
    confirmed = played.post("/compose/send", message | {"confirm_duplicate": "yes"}, stale=False)
    assert confirmed.status_code == 303 and played.count() > before
    changed = message | {"body": GOOD_BODY + "\nP.S. A new line."}
    assert played.post("/compose/send", changed, stale=False).status_code == 303


def test_reply_shows_and_quotes_the_message_answered(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _played(client, session, learner)
    who = _emailable(played)
    message = {"contact_id": who, "channel": "email", "subject": "Hygiene gaps", "body": GOOD_BODY}
    played.post("/compose/send", message, stale=False)
    played.post("/clock", {"mode": "end"})
    sandbox = played.sandbox()
    answer = next(
        e for e in sandbox.events if e.actor == "world" and e.data.get("contact_id") == who
    )
    inbox = played.client.get(played.base + "/inbox").text
    assert "reply_to=" in inbox or "Reply" not in inbox
    page = played.client.get(f"{played.base}/compose?contact_id={who}&reply_to={answer.seq}")
    assert "You are answering" in page.text and 'class="quoted"' in page.text
    assert 'value="Re: Hygiene gaps"' in page.text
    other = next(c.id for c in sandbox.world.contacts if c.id != who)
    foreign = played.client.get(f"{played.base}/compose?contact_id={other}&reply_to={answer.seq}")
    assert "You are answering" not in foreign.text  # a reply_to of someone else is ignored


def test_a_hand_in_missing_its_work_says_what_is_missing_and_asks_first(
    client: TestClient, session: Session, learner: User
) -> None:
    """Issue #15: "your report has no figures: hand in anyway?" instead of a generic confirm."""
    report = _play(client, session, learner, "pipeline-report-salons")
    empty = report.post("/hand-in", {"analysis": ""}, stale=False)
    assert empty.status_code == 400
    assert "Your report has no figures" in empty.text and "Hand in anyway?" in empty.text
    assert 'name="confirm_incomplete" value="yes"' in empty.text
    assert report.client.get(report.base + "/grade").text.count("Not handed in yet") == 1
    anyway = report.post("/hand-in", {"analysis": "", "confirm_incomplete": "yes"}, stale=False)
    assert anyway.status_code == 303  # the learner's choice, once they know


def test_an_unsent_message_asks_before_it_is_handed_in(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _played(client, session, learner)
    who = _emailable(played)
    message = {"contact_id": who, "channel": "email", "subject": "Gaps", "body": GOOD_BODY}
    asked = played.post("/hand-in", message | {"source": "composer"}, stale=False)
    assert asked.status_code == 400 and "You never sent this message to" in asked.text
    assert 'name="confirm_incomplete" value="yes"' in asked.text
    played.post("/compose/send", message, stale=False)
    handed = played.post("/hand-in", message | {"source": "composer"}, stale=False)
    assert handed.status_code == 303


def test_a_preview_landing_after_its_send_does_not_bring_the_sent_text_back(
    client: TestClient, session: Session, learner: User
) -> None:
    """The autosave of a live preview can reach the server after Send: the sent text is not
    a draft any more, so the next composer for that prospect (a Reply) starts clean."""
    played = _played(client, session, learner)
    who = _emailable(played)
    message = {"contact_id": who, "channel": "email", "subject": "Hygiene gaps", "body": GOOD_BODY}
    played.post("/compose/send", message, stale=False)
    played.post("/compose/preview", message, stale=False)  # the late autosave
    assert draft_of(session=session, run_id=played.run.id, contact_id=who) is None
    page = played.client.get(f"{played.base}/compose?contact_id={who}").text
    assert 'value="Hygiene gaps"' not in page
