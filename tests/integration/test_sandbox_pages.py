"""The learner's sandbox pages: every page whole and as its htmx block, every action through
the forms, and every kind of bad input answered clearly without changing anything."""

from __future__ import annotations

import html
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from leadworks.accounts.models import User
from leadworks.practice import search
from leadworks.practice.models import MessageTemplate, Run, RunEvent, SequencePlan
from leadworks.practice.service import MAX_MESSAGE_CHARS, live_sandbox, start_run
from leadworks.practice.views import field_text, highlight
from simulator.events import iso, parse_iso
from tests.conftest import login

EXERCISE = "cold-email-dental"
GOOD_BODY = (
    "Hi {{first_name}},\n\n"
    "I noticed {{company}} {{fact}}. Practices your size often tell us that gaps in the "
    "hygiene diary cost them hours every week.\n\n"
    "We contact lapsed patients and book them back in, so empty hygiene slots fill without "
    "extra work for your front desk.\n\n"
    "Is filling those gaps a priority for you this quarter?\n\n"
    "Best,\n{{sender_name}}\n{{sender_company}}\n\n"
    "If you would rather not hear from me, reply stop and I will not write again.\n"
    "{{sender_address}}"
)


@dataclass
class Played:
    """A learner logged in with a run of their own."""

    client: TestClient
    csrf: str
    run: Run
    base: str
    session: Session

    def events(self) -> int:
        return self.session.exec(
            select(func.count()).select_from(RunEvent).where(RunEvent.run_id == self.run.id)
        ).one()

    def count(self) -> int:
        self.session.refresh(self.run)
        return self.run.event_count

    def post(self, path: str, data: dict | None = None, *, stale: bool = True, **kw):
        form = {"csrf_token": self.csrf, "idempotency_key": uuid.uuid4().hex}
        if stale:
            form["expected_count"] = str(self.count())
        form |= data or {}
        return self.client.post(self.base + path, data=form, **kw)

    def sandbox(self):
        self.session.refresh(self.run)
        return live_sandbox(
            session=self.session, run=self.run, cache=self.client.app.state.sandboxes
        )


def _play(
    client: TestClient,
    session: Session,
    user: User,
    exercise: str = EXERCISE,
    csrf: str | None = None,
) -> Played:
    csrf = csrf or login(client, user)
    run = start_run(
        session=session, user=user, exercise_id=exercise, cache=client.app.state.sandboxes
    )
    return Played(client, csrf, run, f"/sandbox/runs/{run.id}", session)


@pytest.fixture
def played(client: TestClient, session: Session, learner: User) -> Played:
    return _play(client, session, learner)


def _prospects(played: Played, **filters) -> list[dict]:
    sandbox = played.sandbox()
    query = search.parse_search(filters, search.filter_options(sandbox))
    return search.search_rows(sandbox, query)[0]


def _emailable(played: Played) -> str:
    sandbox = played.sandbox()
    for row in _prospects(played, decision_maker="yes", has_email="yes", per_page=100):
        contact = sandbox.world.contact(row["id"])
        if not sandbox.opted_out(contact):
            return row["id"]
    raise AssertionError("no reachable prospect in this world")


# ---- pages, whole and as htmx blocks (STYLE.md section 5) ----------------------------------

RUN_PAGES = [
    ("", "Your brief in four steps"),
    ("/prospects", "Filters"),
    ("/prospects/p000001", "What research shows"),
    ("/prospects/p000001/discovery", "What they told you"),
    ("/prospects/p000001/qualify", "Save qualification"),
    ("/lists", "Lead lists"),
    ("/compose", "Saved templates"),
    ("/sequences", "Build a sequence"),
    ("/inbox", "Full activity log"),
    ("/inbox?show=log", "Every event of this run"),
    ("/pipeline", "Leads to work"),
    ("/hand-in", "Hand in your outreach message"),
    ("/grade", "Not handed in yet"),
    ("/debrief", "The debrief opens after you hand in"),
]
CASES = [
    pytest.param(path, marker, htmx, id=f"{path or '/'} {'htmx' if htmx else 'page'}")
    for path, marker in RUN_PAGES
    for htmx in (False, True)
]


@pytest.mark.parametrize(("path", "marker", "htmx"), CASES)
def test_run_pages_render_whole_or_as_the_workspace_block(
    played: Played, path: str, marker: str, htmx: bool
) -> None:
    headers = {"HX-Request": "true", "HX-Target": "workspace"} if htmx else {}
    response = played.client.get(played.base + path, headers=headers)
    assert response.status_code == 200, response.text[:500]
    assert marker in response.text
    assert "Simulated date" in response.text and "Mon 3 Mar 2025" in response.text
    assert ("<html" in response.text) is not htmx
    assert ('class="topbar"' in response.text) is not htmx


OTHER_PAGES = [
    ("/sandbox/", "Practise on a simulated market"),
    ("/sandbox/exercises/cold-email-dental", "Ideal customer profile"),
    ("/sandbox/rubrics", "How work is graded"),
]


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(("path", "marker"), OTHER_PAGES)
def test_exercise_pages_render_whole_or_as_content(
    client: TestClient, learner: User, path: str, marker: str, htmx: bool
) -> None:
    login(client, learner)
    response = client.get(path, headers={"HX-Request": "true"} if htmx else {})
    assert response.status_code == 200
    assert marker in response.text
    assert ("<html" in response.text) is not htmx


def test_search_results_and_preview_swap_only_their_block(played: Played) -> None:
    results = played.client.get(
        played.base + "/prospects?page=2",
        headers={"HX-Request": "true", "HX-Target": "results"},
    )
    assert results.status_code == 200
    assert "prospects" in results.text and "Filters" not in results.text
    assert "Simulated date" not in results.text
    contact = _emailable(played)
    preview = played.client.post(
        played.base + "/compose/preview",
        data={
            "csrf_token": played.csrf,
            "contact_id": contact,
            "channel": "email",
            "subject": "Hi",
            "body": "Hi {{first_name}}",
        },
        headers={"HX-Request": "true", "HX-Target": "preview"},
    )
    first_name = played.sandbox().world.contact(contact).first_name
    assert preview.status_code == 200
    assert f"Hi {html.escape(first_name)}" in preview.text and "Saved templates" not in preview.text


# ---- the outreach journey through the forms ------------------------------------------------


def test_send_advance_hand_in_and_read_the_grade(played: Played) -> None:
    contact = _emailable(played)
    profile = played.client.get(f"{played.base}/prospects/{contact}")
    assert profile.status_code == 200
    sent = played.post(
        "/compose/send",
        {"contact_id": contact, "channel": "email", "subject": "Hygiene slots", "body": GOOD_BODY},
    )
    assert sent.status_code == 303, sent.text[:300]
    page = played.client.get(sent.headers["location"])
    assert "Email sent to" in page.text
    clock = played.post("/clock", {"mode": "day", "next": played.base + "/inbox"})
    assert clock.status_code == 303 and clock.headers["location"] == played.base + "/inbox"
    assert "It is now Tue 4 Mar 2025" in played.client.get(clock.headers["location"]).text
    handed = played.post(
        "/hand-in",
        {
            "contact_id": contact,
            "channel": "email",
            "subject": "Hygiene slots",
            "body": GOOD_BODY,
            "source": "composer",
        },
    )
    assert handed.status_code == 303, handed.text[:500]
    assert handed.headers["location"] == played.base + "/grade"
    grade = played.client.get(handed.headers["location"])
    assert grade.status_code == 200, grade.text[:2000]
    assert "Handed in and graded" in grade.text
    assert '<mark class="ev"' in grade.text


def _learner_events(played: Played, kind: str) -> list[RunEvent]:
    return list(
        played.session.exec(
            select(RunEvent).where(
                RunEvent.run_id == played.run.id, RunEvent.type == kind, RunEvent.actor == "learner"
            )
        ).all()
    )


# ---- exercise list, exercise page, starting attempts ---------------------------------------


def test_exercise_list_shows_an_empty_state_then_attempts_and_best_scores(
    client: TestClient, session: Session, learner: User
) -> None:
    csrf = login(client, learner)
    first = client.get("/sandbox/")
    assert "You have not started an exercise yet" in first.text
    played = _play(client, session, learner, csrf=csrf)
    contact = _emailable(played)
    handed = played.post(
        "/hand-in",
        {
            "contact_id": contact,
            "channel": "email",
            "subject": "Hygiene slots",
            "body": GOOD_BODY,
            "confirm_incomplete": "yes",  # handed in unsent, on purpose
        },
        stale=False,
    )
    assert handed.status_code == 303
    listing = client.get("/sandbox/")
    assert "Pick up where you left off" in listing.text
    assert re.search(r"Best \d+(\.\d)?%", listing.text)
    exercise = client.get(f"/sandbox/exercises/{EXERCISE}")
    assert "Your attempts" in exercise.text and "best" in exercise.text
    assert "Start a new attempt" in exercise.text
    assert "/course/" in exercise.text  # linked lessons, one click away
    assert "/sandbox/rubrics#outreach" in exercise.text and "Personalization" in exercise.text


def test_starting_an_attempt_twice_with_one_key_makes_one_run(
    client: TestClient, session: Session, learner: User
) -> None:
    csrf = login(client, learner)
    form = {"csrf_token": csrf, "idempotency_key": uuid.uuid4().hex}
    first = client.post(f"/sandbox/exercises/{EXERCISE}/runs", data=form)
    second = client.post(f"/sandbox/exercises/{EXERCISE}/runs", data=form)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    runs = session.exec(select(Run).where(Run.user_id == learner.id)).all()
    assert len(runs) == 1
    page = client.get(first.headers["location"])
    assert "Attempt 1 started" in page.text


def test_unknown_exercise_and_foreign_runs_are_not_found(
    client: TestClient, session: Session, learner: User, other_learner: User
) -> None:
    theirs = start_run(
        session=session,
        user=other_learner,
        exercise_id="prospect-list-saas",
        cache=client.app.state.sandboxes,
    )
    csrf = login(client, learner)
    assert client.get("/sandbox/exercises/no-such-thing").status_code == 404
    base = f"/sandbox/runs/{theirs.id}"
    for path in ("", "/prospects", "/prospects/p000001", "/compose", "/grade", "/debrief"):
        response = client.get(base + path)
        assert response.status_code == 404, path
        assert "No such practice run" in response.text
        assert "Build a prospect list" not in response.text
    moved = client.post(
        base + "/clock",
        data={"csrf_token": csrf, "mode": "end", "idempotency_key": uuid.uuid4().hex},
    )
    assert moved.status_code == 404
    session.refresh(theirs)
    assert theirs.event_count == 1
    assert client.get("/sandbox/runs/999999").status_code == 404


# ---- search: filters, paging, what gets logged ---------------------------------------------


def test_a_search_is_logged_only_when_its_filters_change(played: Played) -> None:
    dm = played.post("/prospects/search", {"decision_maker": "yes", "per_page": "25"}, stale=False)
    assert dm.status_code == 303 and "decision_maker=yes" in dm.headers["location"]
    assert len(_learner_events(played, "search")) == 1
    page = played.client.get(dm.headers["location"])
    assert "Filtered by" in page.text and "Decision maker" in page.text
    played.post("/prospects/search", {"decision_maker": "yes", "per_page": "25"}, stale=False)
    played.client.get(played.base + "/prospects?decision_maker=yes&page=2")
    played.client.get(played.base + "/prospects?decision_maker=yes&page=3&per_page=25")
    assert len(_learner_events(played, "search")) == 1
    bands = search.filter_options(played.sandbox())["size_band"][:2]  # this world's own bands
    narrowed = played.post(
        "/prospects/search", {"decision_maker": "yes", "size_band": bands}, stale=False
    )
    assert narrowed.status_code == 303, narrowed.text
    searches = _learner_events(played, "search")
    assert len(searches) == 2
    assert searches[-1].data["filters"] == {
        "size_band": bands if len(bands) > 1 else bands[0],
        "decision_maker": True,
    }


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"size_band": "999"}, "Filter &#39;size_band&#39; has no value &#39;999&#39;"),
        ({"decision_maker": "maybe"}, "must be yes, no or any"),
        ({"per_page": "7"}, "Results per page must be one of 25, 50, 100"),
        ({"page": "zero"}, "Page numbers must be whole numbers"),
    ],
)
def test_invalid_filters_say_which_value_is_wrong_and_log_nothing(
    played: Played, params: dict, message: str
) -> None:
    before = played.count()
    shown = played.client.get(played.base + "/prospects", params=params)
    assert shown.status_code == 400 and message in shown.text
    if "page" not in params:  # a search always starts on page 1
        posted = played.post("/prospects/search", params, stale=False)
        assert posted.status_code == 400 and message in posted.text
        assert "Nothing was searched" in posted.text
    assert played.count() == before


def test_opening_a_profile_is_research_logged_once(played: Played) -> None:
    contact = _emailable(played)
    for _ in range(3):
        page = played.client.get(f"{played.base}/prospects/{contact}")
        assert page.status_code == 200
    assert len(_learner_events(played, "view_profile")) == 1
    sandbox = played.sandbox()
    fact = sandbox.world.company_of(sandbox.world.contact(contact)).facts[0]
    assert "What research shows" in page.text and fact in page.text
    assert "Local time" in page.text and "Timeline" in page.text
    assert played.client.get(f"{played.base}/prospects/nobody").status_code == 404


# ---- lists ---------------------------------------------------------------------------------


def test_add_and_remove_prospects_on_a_list(played: Played) -> None:
    ids = [row["id"] for row in _prospects(played)[:3]]
    added = played.post("/lists/add", {"contact_ids": ids, "new_list": "Dentists"})
    assert added.status_code == 303
    page = played.client.get(added.headers["location"])
    assert "Added 3 prospects to the list &#39;Dentists&#39;" in page.text
    assert played.sandbox().state.lists["Dentists"] == ids
    removed = played.post("/lists/remove", {"contact_ids": ids[0], "list": "Dentists"})
    assert removed.status_code == 303
    assert played.sandbox().state.lists["Dentists"] == ids[1:]
    again = played.post("/lists/remove", {"contact_ids": ids[0], "list": "Dentists"})
    assert "is not on that list" in played.client.get(again.headers["location"]).text
    none = played.post("/lists/add", {"new_list": "Dentists"})
    assert "Tick at least one prospect" in played.client.get(none.headers["location"]).text
    lists = played.client.get(played.base + "/lists")
    assert "Dentists" in lists.text and lists.text.count('name="contact_ids"') == 2


# ---- composer, preview, templates ----------------------------------------------------------


def test_preview_fills_merge_fields_counts_and_warns_without_sending(played: Played) -> None:
    contact = _emailable(played)
    before = played.count()
    form = {
        "csrf_token": played.csrf,
        "contact_id": contact,
        "channel": "email",
        "subject": "For {{company}}",
        "body": "Hi {{first_name}}, {{fact}} {{favourite}}",
    }
    preview = played.client.post(
        played.base + "/compose/preview", data=form, headers={"HX-Request": "true"}
    )
    sandbox = played.sandbox()
    person = sandbox.world.contact(contact)
    assert f"Hi {html.escape(person.first_name)}" in preview.text
    assert html.escape(sandbox.world.company_of(person).name) in preview.text
    assert "{{fact}} stays empty until you open this prospect" in preview.text
    assert "Unknown merge field(s) {{favourite}}" in preview.text
    assert re.search(r"\d+ characters", preview.text) and re.search(r"\d+ words", preview.text)
    assert "50-125 words" in preview.text and "not a grade" in preview.text
    assert played.count() == before  # a preview adds no event
    played.client.get(f"{played.base}/prospects/{contact}")
    researched = played.client.post(
        played.base + "/compose/preview", data=form, headers={"HX-Request": "true"}
    )
    assert "stays empty" not in researched.text
    assert html.escape(sandbox.world.company_of(person).facts[0]) in researched.text


def test_an_oversized_message_says_the_limit_and_sends_nothing(played: Played) -> None:
    contact = _emailable(played)
    before = played.count()
    huge = "word " * (MAX_MESSAGE_CHARS // 5 + 1)
    response = played.post(
        "/compose/send", {"contact_id": contact, "channel": "email", "body": huge}
    )
    assert response.status_code == 400
    assert "the limit is 5,000" in response.text and "Nothing was sent" in response.text
    assert huge.strip()[:200] in response.text  # the learner's text is kept
    assert played.count() == before


def test_a_linkedin_note_over_300_characters_is_refused(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, "linkedin-note-coaching")
    sandbox = played.sandbox()
    contact = next(c.id for c in sandbox.world.contacts if c.social and not sandbox.opted_out(c))
    before = played.count()
    note = "Hello {{first_name}}, " + "x" * 320
    preview = played.client.post(
        played.base + "/compose/preview",
        data={
            "csrf_token": played.csrf,
            "contact_id": contact,
            "channel": "linkedin",
            "body": note,
        },
        headers={"HX-Request": "true"},
    )
    assert "300 characters (a LinkedIn connection note)" in preview.text
    assert "Over the limit by" in preview.text
    sent = played.post(
        "/compose/send", {"contact_id": contact, "channel": "linkedin", "body": note}
    )
    assert sent.status_code == 400 and "at most 300 characters" in sent.text
    assert played.count() == before


def test_sending_to_an_opted_out_prospect_is_refused_and_changes_nothing(
    client: TestClient, session: Session, learner: User
) -> None:
    # The capstone's market (about 500 people) always holds some who opted out long ago.
    played = _play(client, session, learner, exercise="capstone-local-gyms")
    sandbox = played.sandbox()
    blocked = next((c for c in sandbox.world.contacts if sandbox.opted_out(c) and c.email), None)
    assert blocked is not None, "the capstone world should hold an opted-out contact"
    before = played.count()
    response = played.post(
        "/compose/send", {"contact_id": blocked.id, "channel": "email", "body": GOOD_BODY}
    )
    assert response.status_code == 400 and "opted out of messages" in response.text
    assert played.count() == before


def test_one_idempotency_key_sends_once_and_a_stale_page_is_refused(played: Played) -> None:
    contact = _emailable(played)
    form = {
        "csrf_token": played.csrf,
        "idempotency_key": uuid.uuid4().hex,
        "expected_count": str(played.count()),
        "contact_id": contact,
        "channel": "email",
        "subject": "Slots",
        "body": GOOD_BODY,
    }
    first = played.client.post(played.base + "/compose/send", data=form)
    second = played.client.post(played.base + "/compose/send", data=form)
    assert first.status_code == second.status_code == 303
    assert len(_learner_events(played, "message_sent")) == 1
    stale = dict(form, idempotency_key=uuid.uuid4().hex)  # same page, a fresh click
    refused = played.client.post(played.base + "/compose/send", data=stale)
    assert refused.status_code == 409
    assert "changed in another window" in refused.text
    assert len(_learner_events(played, "message_sent")) == 1
    htmx = played.client.post(
        played.base + "/pipeline/move",
        data={
            "csrf_token": played.csrf,
            "contact_id": contact,
            "stage": "lead",
            "expected_count": "1",
        },
        headers={"HX-Request": "true", "Idempotency-Key": uuid.uuid4().hex},
    )
    assert htmx.status_code == 409 and "Reload to see the latest state" in htmx.text


def test_templates_are_saved_reused_replaced_and_deleted(
    played: Played, other_learner: User, session: Session
) -> None:
    saved = played.post(
        "/templates",
        {"template_name": "Opener", "channel": "email", "subject": "Hi", "body": GOOD_BODY},
        stale=False,
    )
    assert saved.status_code == 303
    template = session.exec(select(MessageTemplate).where(MessageTemplate.name == "Opener")).one()
    assert f"template_id={template.id}" in saved.headers["location"]
    loaded = played.client.get(saved.headers["location"])
    assert "Template &#39;Opener&#39; saved" in loaded.text and "{{sender_address}}" in loaded.text
    played.post(
        "/templates",
        {"template_name": "Opener", "channel": "email", "body": "Hi again"},
        stale=False,
    )
    assert session.exec(select(func.count()).select_from(MessageTemplate)).one() == 1
    nameless = played.post("/templates", {"channel": "email", "body": "Hi"}, stale=False)
    assert nameless.status_code == 400 and "Give the template a name" in nameless.text
    theirs = MessageTemplate(user_id=other_learner.id, name="Theirs", channel="email", body="x")
    session.add(theirs)
    session.commit()
    assert played.client.get(f"{played.base}/compose?template_id={theirs.id}").status_code == 404
    refused = played.post("/templates/delete", {"template_id": str(theirs.id)}, stale=False)
    assert refused.status_code == 404
    deleted = played.post("/templates/delete", {"template_id": str(template.id)}, stale=False)
    assert deleted.status_code == 303
    assert session.get(MessageTemplate, template.id) is None
    assert session.get(MessageTemplate, theirs.id) is not None


# ---- the clock and the inbox ---------------------------------------------------------------


def test_clock_moves_by_a_day_to_the_next_event_and_to_the_end(played: Played) -> None:
    idle = played.post("/clock", {"mode": "next"})
    assert "Nothing is scheduled to happen yet" in played.client.get(idle.headers["location"]).text
    assert played.count() == 1
    contact = _emailable(played)
    played.client.get(f"{played.base}/prospects/{contact}")
    played.post(
        "/compose/send",
        {"contact_id": contact, "channel": "email", "subject": "Slots", "body": GOOD_BODY},
    )
    sent_at = played.sandbox().now
    nxt = played.post("/clock", {"mode": "next", "next": played.base + "/inbox"})
    assert nxt.status_code == 303
    sandbox = played.sandbox()
    first = next(e for e in sandbox.events if e.actor != "learner" and e.at > sent_at)
    assert sandbox.now == first.at  # the clock stops at the email's first outcome
    assert first.at < "2025-03-03T14:00:00Z"  # delivered or bounced within minutes
    assert first.type in ("delivered", "bounced")
    inbox = played.client.get(played.base + "/inbox?show=log")
    assert ("Delivered to" if first.type == "delivered" else "bounced") in inbox.text
    played.post("/clock", {"mode": "day"})
    assert played.sandbox().now == iso(parse_iso(first.at) + 24 * 3600)
    end = played.post("/clock", {"mode": "end"})
    assert played.sandbox().state.clock == played.sandbox().state.end
    page = played.client.get(end.headers["location"])
    assert "The exercise period is over" in page.text and "Day 7 of 7" in page.text
    before = played.count()
    again = played.post("/clock", {"mode": "day"})
    assert "The clock did not move" in played.client.get(again.headers["location"]).text
    assert played.count() == before
    bad = played.post("/clock", {"mode": "week"})
    assert "Advance the clock by" in played.client.get(bad.headers["location"]).text


def test_a_retried_clock_move_applies_once(played: Played) -> None:
    form = {
        "csrf_token": played.csrf,
        "idempotency_key": "clock-1",
        "mode": "day",
        "expected_count": str(played.count()),
    }
    played.client.post(played.base + "/clock", data=form)
    after = played.count()
    retry = played.client.post(played.base + "/clock", data=form)
    assert retry.status_code == 303 and played.count() == after
    assert "already made" in played.client.get(retry.headers["location"]).text
    assert played.sandbox().now == "2025-03-04T13:00:00Z"


def test_inbox_marks_what_is_new_since_the_last_visit(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, "qualify-insurance-leads")
    first = played.client.get(played.base + "/inbox")
    assert "New inbound lead" in first.text and "is-new" in first.text  # all new at first
    assert "is-new" not in played.client.get(played.base + "/inbox").text
    played.post("/clock", {"mode": "day"})
    contact = next(iter(played.sandbox().state.contacts))
    played.post(f"/prospects/{contact}/discovery", {"questions": ["budget_set", "sign_off"]})
    header = played.client.get(played.base)
    assert re.search(r'title="New since your last visit">\d+<', header.text)
    second = played.client.get(played.base + "/inbox?show=calls")
    assert "is-new" in second.text and "answered 2 question(s)" in second.text
    third = played.client.get(played.base + "/inbox?show=calls")
    assert "is-new" not in third.text
    assert played.client.get(played.base + "/inbox?show=nonsense").status_code == 400


def test_next_only_returns_to_pages_of_the_same_run(played: Played) -> None:
    response = played.post("/clock", {"mode": "day", "next": "https://evil.example/"})
    assert response.headers["location"] == played.base
    other = played.post("/clock", {"mode": "day", "next": "/sandbox/runs/999/inbox"})
    assert other.headers["location"] == played.base


# ---- sequences -----------------------------------------------------------------------------

SEQUENCE_STEPS = {
    "step-0-channel": "email",
    "step-0-subject": "Listings at {{company}}",
    "step-0-body": "Hi {{first_name}}, I noticed {{company}} {{fact}}. Would more vendor "
    "leads help this spring? Reply stop to opt out. {{sender_name}}, {{sender_address}}",
    "step-1-channel": "linkedin",
    "step-1-delay_days": "2",
    "step-1-body": "Hi {{first_name}}, I wrote to you about vendor leads for {{company}}.",
    "step-2-channel": "email",
    "step-2-delay_days": "3",
    "step-2-subject": "One idea for {{company}}",
    "step-2-body": "Hi {{first_name}}, one more idea: a seller guide for {{city}}. Worth a "
    "look? Reply stop to opt out. {{sender_name}}, {{sender_address}}",
    "stop_on_reply": "yes",
    "stop_on_opt_out": "yes",
}


def test_a_sequence_sends_each_step_on_its_day_and_stops_for_repliers(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, "sequence-real-estate")
    ids = [r["id"] for r in _prospects(played, decision_maker="yes", has_email="yes")][:15]
    played.post("/lists/add", {"contact_ids": ids, "new_list": "Agencies"})
    key = uuid.uuid4().hex
    form = SEQUENCE_STEPS | {
        "name": "Three touches",
        "list_name": "Agencies",
        "idempotency_key": key,
    }
    created = played.post("/sequences", form, stale=False)
    again = played.post("/sequences", form, stale=False)  # a double submit
    assert created.status_code == again.status_code == 303
    plan = session.exec(select(SequencePlan).where(SequencePlan.run_id == played.run.id)).one()
    assert plan.status == "draft" and [s["delay_days"] for s in plan.steps] == [0, 2, 3]
    assert _learner_events(played, "message_sent") == []  # a draft sends nothing

    started = played.post("/sequences/start", {"plan_id": str(plan.id)})
    assert started.status_code == 303
    assert "step 1 went to" in played.client.get(started.headers["location"]).text
    session.refresh(plan)
    first_round = len(_learner_events(played, "message_sent"))
    assert plan.status == "running" and plan.next_step == 1 and 0 < first_round <= 15

    for _ in range(6):
        played.post("/clock", {"mode": "day"})
    session.refresh(plan)
    assert plan.status == "finished" and plan.next_step == 3
    assert [entry["step"] for entry in plan.log] == [0, 1, 2]
    days = [parse_iso(entry["at"]) - parse_iso(plan.started_at) for entry in plan.log]
    assert days == [0, 2 * 86_400, 5 * 86_400]  # each step on its day, after its delay
    sent = _learner_events(played, "message_sent")
    assert len(sent) == sum(entry["sent"] for entry in plan.log)
    assert {e.data["channel"] for e in sent} == {"email", "linkedin"}
    replied_at: dict[str, int] = {}
    for e in session.exec(
        select(RunEvent)
        .where(RunEvent.run_id == played.run.id, RunEvent.type == "replied")
        .order_by(RunEvent.seq)
    ):
        replied_at.setdefault(e.data["contact_id"], e.seq)
    for event in sent:  # nobody gets a step after they replied
        assert event.seq < replied_at.get(event.data["contact_id"], 10**9)
    page = played.client.get(played.base + "/sequences")
    assert "Three touches" in page.text and "finished" in page.text

    handed = played.post("/hand-in", {"plan_id": str(plan.id), "contact_id": ids[0]}, stale=False)
    assert handed.status_code == 303, handed.text[:400]
    grade = played.client.get(handed.headers["location"])
    assert "Step 1 on the outreach rubric" in grade.text
    assert "steps[0].body" in grade.text or 'data-field="steps[0].body"' in grade.text


def test_a_sequence_with_a_bad_step_is_refused_and_keeps_what_was_typed(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, "sequence-real-estate")
    bad = SEQUENCE_STEPS | {"step-1-delay_days": "45", "name": "Too slow"}
    response = played.post("/sequences", bad, stale=False)
    assert response.status_code == 400
    assert "Step 2: wait between 0 and 30 days" in response.text
    assert "I wrote to you about vendor leads" in response.text
    channel = played.post("/sequences", SEQUENCE_STEPS | {"step-0-channel": "fax"}, stale=False)
    assert channel.status_code == 400 and "not &#39;fax&#39;" in channel.text
    assert session.exec(select(func.count()).select_from(SequencePlan)).one() == 0
    nolist = played.post("/sequences", SEQUENCE_STEPS | {"name": "No list"}, stale=False)
    plan = session.exec(select(SequencePlan)).one()
    assert nolist.status_code == 303
    start = played.post("/sequences/start", {"plan_id": str(plan.id)})
    assert "Choose a lead list" in played.client.get(start.headers["location"]).text
    deleted = played.post("/sequences/delete", {"plan_id": str(plan.id)}, stale=False)
    assert deleted.status_code == 303
    assert session.exec(select(func.count()).select_from(SequencePlan)).one() == 0


# ---- discovery calls, notes, qualification, the board --------------------------------------


@pytest.fixture
def qualifying(client: TestClient, session: Session, learner: User) -> Played:
    return _play(client, session, learner, "qualify-insurance-leads")


def _inbound(played: Played) -> list[str]:
    return sorted(cid for cid, cs in played.sandbox().state.contacts.items() if cs.inbound)


def test_discovery_call_shows_answers_and_keeps_notes(qualifying: Played) -> None:
    lead = _inbound(qualifying)[0]
    page = qualifying.client.get(f"{qualifying.base}/prospects/{lead}/discovery")
    assert "A short call has room for 5 questions" in page.text
    assert 'data-max-checked="5"' in page.text
    too_many = qualifying.post(
        f"/prospects/{lead}/discovery",
        {
            "questions": [
                "current_spend",
                "budget_set",
                "who_decides",
                "sign_off",
                "biggest_challenge",
                "when_needed",
            ]
        },
    )
    shown = qualifying.client.get(too_many.headers["location"])
    assert "room for 5 questions" in shown.text
    assert _learner_events(qualifying, "discovery_call") == []
    asked = qualifying.post(
        f"/prospects/{lead}/discovery", {"questions": ["budget_set", "sign_off"]}
    )
    page = qualifying.client.get(asked.headers["location"])
    assert "Call with" in page.text and "2 answer(s)" in page.text
    assert "Have you set money aside" in page.text and "about budget, money" in page.text
    saved = qualifying.post(
        f"/prospects/{lead}/notes", {"notes": "Budget agreed; owner signs."}, stale=False
    )
    assert saved.status_code == 303
    assert "Budget agreed; owner signs." in qualifying.client.get(saved.headers["location"]).text
    too_long = qualifying.post(f"/prospects/{lead}/notes", {"notes": "x" * 4001}, stale=False)
    assert too_long.status_code == 400 and "at most 4,000 characters" in too_long.text


def test_qualification_is_recorded_and_incomplete_forms_change_nothing(
    qualifying: Played,
) -> None:
    lead = _inbound(qualifying)[0]
    before = qualifying.count()
    incomplete = qualifying.post(
        f"/prospects/{lead}/qualify",
        {
            "framework": "bant",
            "budget-value": "yes",
            "budget-note": "said $500 a month",
            "authority-value": "maybe",
            "need-value": "yes",
            "timeline-value": "unknown",
        },
    )
    assert incomplete.status_code == 400
    assert "Judge authority: yes, no or unknown" in incomplete.text
    assert "said $500 a month" in incomplete.text  # what was typed stays
    assert qualifying.count() == before
    form = {"framework": "champ", "decision": "nurture"} | {
        f"{name}-value": "unknown"
        for name in ("challenges", "authority", "money", "prioritization")
    }
    saved = qualifying.post(
        f"/prospects/{lead}/qualify",
        form | {"money-value": "yes", "money-note": "has money set aside"},
    )
    assert saved.status_code == 303
    assert "qualified with CHAMP: nurture" in qualifying.client.get(saved.headers["location"]).text
    record = qualifying.sandbox().state.contacts[lead].qualification
    assert record["framework"] == "champ" and record["decision"] == "nurture"
    assert record["criteria"]["money"] == {"value": "yes", "note": "has money set aside"}
    reopened = qualifying.client.get(f"{qualifying.base}/prospects/{lead}/qualify")
    assert "has money set aside" in reopened.text and "CHAMP" in reopened.text
    assert (
        qualifying.client.get(
            f"{qualifying.base}/prospects/{lead}/qualify?framework=spin"
        ).status_code
        == 400
    )


def test_the_board_moves_one_stage_at_a_time_and_says_why_it_refuses(qualifying: Played) -> None:
    lead = _inbound(qualifying)[0]
    name = html.escape(qualifying.sandbox().world.contact(lead).name)  # as the page prints it
    board = qualifying.client.get(qualifying.base + "/pipeline")
    assert board.text.count(f"Move {name} to MQL") == 1  # inbound leads start as Lead
    moved = qualifying.post("/pipeline/move", {"contact_id": lead, "stage": "mql"})
    assert moved.status_code == 303
    assert f"Moved {name} to MQL" in qualifying.client.get(moved.headers["location"]).text
    before = qualifying.count()
    refused = qualifying.post("/pipeline/move", {"contact_id": lead, "stage": "sql"})
    page = qualifying.client.get(refused.headers["location"])
    assert "stays where they are" in page.text and "book one first" in page.text
    skip = qualifying.post("/pipeline/move", {"contact_id": lead, "stage": "customer"})
    assert "one stage at a time" in qualifying.client.get(skip.headers["location"]).text
    nonsense = qualifying.post("/pipeline/move", {"contact_id": lead, "stage": "won"})
    assert "Stage must be one of" in qualifying.client.get(nonsense.headers["location"]).text
    assert qualifying.count() == before
    assert (
        qualifying.post("/pipeline/move", {"contact_id": "x", "stage": "lead"}).status_code == 404
    )
    lost = qualifying.post("/pipeline/move", {"contact_id": lead, "stage": "lost"})
    assert "to Lost" in qualifying.client.get(lost.headers["location"]).text
    assert qualifying.sandbox().state.contacts[lead].stage == "lost"


def test_qualifications_are_handed_in_with_their_framework(qualifying: Played) -> None:
    nothing = qualifying.post("/hand-in", {"framework": "bant"}, stale=False)
    assert nothing.status_code == 400
    assert "not recorded any BANT qualification" in nothing.text
    for lead in _inbound(qualifying)[:5]:
        qualifying.post(
            f"/prospects/{lead}/discovery",
            {"questions": ["budget_set", "sign_off", "cost_of_problem", "when_needed"]},
        )
        form = {"framework": "bant", "decision": "advance"}
        for name in ("budget", "authority", "need", "timeline"):
            form |= {f"{name}-value": "yes", f"{name}-note": f"They told me about {name}."}
        qualifying.post(f"/prospects/{lead}/qualify", form)
    page = qualifying.client.get(qualifying.base + "/hand-in")
    assert "BANT (5 recorded)" in page.text
    handed = qualifying.post("/hand-in", {"framework": "bant"}, stale=False)
    assert handed.status_code == 303
    grade = qualifying.client.get(handed.headers["location"])
    assert "Criteria judged right" in grade.text and "Decisions right" in grade.text


# ---- other hand-ins, the grade page and the debrief ---------------------------------------


def test_a_prospect_list_is_handed_in_from_a_list_and_its_evidence_links_profiles(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, "prospect-list-saas")
    page = played.client.get(played.base + "/hand-in")
    assert "You have no lead list yet" in page.text
    assert "Compose" not in played.client.get(played.base).text  # no channels, no composer
    ids = [r["id"] for r in _prospects(played, decision_maker="yes", per_page=25)]
    played.post("/lists/add", {"contact_ids": ids, "new_list": "SaaS"})
    listed = {"list": "SaaS", "notes": "Founders and sales leads."}
    asked = played.post("/hand-in", listed, stale=False)
    assert asked.status_code == 400 and "You never opened the profile of 25 of the 25" in asked.text
    handed = played.post("/hand-in", listed | {"confirm_incomplete": "yes"}, stale=False)
    assert handed.status_code == 303
    grade = played.client.get(handed.headers["location"])
    assert "Your grade:" in grade.text and "Fit with the ICP" in grade.text
    assert re.search(rf'href="{played.base}/prospects/p\d+"', grade.text)
    assert "Founders and sales leads." in grade.text
    # people read names and words, never contact ids or check ids (issue #15)
    visible = re.sub(r"<[^>]+>", " ", grade.text)
    assert not re.search(r"\bp\d{6}\b", visible), re.findall(r".{40}\bp\d{6}\b.{20}", visible)
    assert "fit_precision" not in visible and "Research in the run" in visible
    debrief = played.client.get(played.base + "/debrief")
    assert debrief.status_code == 200 and "This exercise is research only" in debrief.text
    assert "send something" not in debrief.text


def test_the_report_builder_takes_only_what_the_learner_types(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, "pipeline-report-salons")
    builder = played.client.get(played.base + "/hand-in")
    assert "Report builder" in builder.text and "Nothing here is filled in for you" in builder.text
    assert 'name="count-lead" inputmode="numeric" value=""' in builder.text  # never pre-filled
    bad = played.post(
        "/hand-in", {"count-lead": "twelve", "analysis": "Drafted analysis."}, stale=False
    )
    assert bad.status_code == 400 and "&#39;twelve&#39; is not a number" in bad.text
    assert "Drafted analysis." in bad.text
    percent = played.post("/hand-in", {"rate-lead_to_mql": "140"}, stale=False)
    assert percent.status_code == 422 and "between 0 and 100" in percent.text
    analysis = (
        "The biggest drop-off is from lead to MQL at 14%. I recommend calling every new "
        "lead within a day, because replies fall after the first day."
    )
    form = {
        "count-lead": "21",
        "count-mql": "3",
        "count-sql": "0",
        "count-opportunity": "0",
        "count-customer": "0",
        "count-lost": "4",
        "rate-lead_to_mql": "14.3",
        "reply-email": "4.5",
        "cost_per_lead": "19.05",
        "analysis": analysis,
    }
    handed = played.post("/hand-in", form, stale=False)
    assert handed.status_code == 303, handed.text[:500]
    grade = played.client.get(handed.headers["location"])
    assert "Biggest drop-off" in grade.text and '<mark class="ev"' in grade.text
    assert "Your figures" in grade.text
    visible = re.sub(r"<[^>]+>", " ", grade.text)
    assert "figures.conversion_rates" not in visible and "conversion_rates." not in visible
    assert "MQL → SQL conversion rate" in visible or "Lead → MQL conversion rate" in visible


def test_a_handed_in_run_is_read_only(played: Played) -> None:
    contact = _emailable(played)
    played.post(
        "/hand-in",
        {
            "contact_id": contact,
            "channel": "email",
            "subject": "Hi",
            "body": GOOD_BODY,
            "confirm_incomplete": "yes",  # handed in unsent, knowingly
        },
        stale=False,
    )
    before = played.count()
    clock = played.post("/clock", {"mode": "day"})
    assert clock.status_code == 409 and "handed in" in clock.text
    send = played.post("/compose/send", {"contact_id": contact, "channel": "email", "body": "Hi"})
    assert send.status_code == 409
    again = played.post(
        "/hand-in", {"contact_id": contact, "channel": "email", "body": "x"}, stale=False
    )
    assert again.status_code == 409 and "already handed in" in again.text
    assert played.count() == before
    assert played.client.get(played.base + "/hand-in").headers["location"].endswith("/grade")
    page = played.client.get(played.base)
    assert "Handed in" in page.text and 'name="mode"' not in page.text  # no clock controls
    profile = played.client.get(f"{played.base}/prospects/p000002")
    assert profile.status_code == 200 and played.count() == before  # no view logged
    debrief = played.client.get(played.base + "/debrief")
    assert "Debrief: why each prospect answered" in debrief.text


def test_outreach_hand_in_must_name_a_prospect_and_use_the_brief_channel(played: Played) -> None:
    missing = played.post(
        "/hand-in", {"channel": "email", "body": GOOD_BODY, "source": "composer"}, stale=False
    )
    assert missing.status_code == 400 and "Name the prospect" in missing.text
    assert "{{sender_address}}" in missing.text  # back in the composer with the text kept
    wrong = played.post(
        "/hand-in", {"channel": "linkedin", "contact_id": "p000001", "body": GOOD_BODY}, stale=False
    )
    assert wrong.status_code == 400 and "asks for one email message" in wrong.text
    assert played.sandbox().submitted is False


def test_spending_on_paid_channels_uses_the_budget(
    client: TestClient, session: Session, learner: User
) -> None:
    played = _play(client, session, learner, "capstone-local-gyms")
    overview = played.client.get(played.base)
    assert "Paid channels" in overview.text and "$1,500" in overview.text
    spent = played.post("/spend", {"channel": "search_ads", "amount": "250"})
    assert "$250 on search ads" in played.client.get(spent.headers["location"]).text
    assert played.sandbox().state.remaining_budget == 1250
    too_much = played.post("/spend", {"channel": "social_ads", "amount": "5000"})
    assert "1250.00 USD of budget left" in played.client.get(too_much.headers["location"]).text
    text = played.post("/spend", {"channel": "social_ads", "amount": "lots"})
    assert "as a number" in played.client.get(text.headers["location"]).text
    assert played.sandbox().state.remaining_budget == 1250


# ---- the evidence highlighter --------------------------------------------------------------


def test_field_paths_reach_nested_text() -> None:
    payload = {"body": "Hi", "steps": [{"body": "one"}, {"body": "two"}]}
    assert field_text(payload, "body") == "Hi"
    assert field_text(payload, "steps[1].body") == "two"
    assert field_text(payload, "steps[5].body") is None
    assert field_text(payload, "subject") is None


def test_highlight_marks_overlapping_spans_and_escapes_the_text() -> None:
    text = "Hi <Omar>, thanks"
    html = str(highlight(text, [(0, 9, "greeting"), (3, 9, "personalization")]))
    assert html.startswith('<mark class="ev" data-checks="greeting" title="Cited by: greeting">Hi ')
    assert 'data-checks="greeting personalization"' in html
    assert "&lt;Omar&gt;" in html and "<Omar>" not in html
    assert html.endswith(", thanks")


def test_every_rubric_anchor_the_pages_link_to_exists(client: TestClient, learner: User) -> None:
    login(client, learner)
    page = client.get("/sandbox/rubrics").text
    for kind in ("prospect-list", "outreach", "sequence", "qualification", "report"):
        assert f'id="{kind}"' in page
    assert "personalization" in page and "100" in page


def test_the_grade_page_carries_the_counselor_feedback_panel(played: Played) -> None:
    contact = _emailable(played)
    played.post(
        "/hand-in",
        {
            "contact_id": contact,
            "channel": "email",
            "subject": "Hi",
            "body": GOOD_BODY,
            "confirm_incomplete": "yes",  # handed in unsent, knowingly
        },
        stale=False,
    )
    grade = played.client.get(played.base + "/grade")
    assert (
        "Your counselor&#39;s feedback" in grade.text or "Your counselor's feedback" in grade.text
    )
    assert "Ask for a regrade" in grade.text


def test_glossary_terms_link_to_the_course_glossary_and_goals_show_on_the_brief(
    client: TestClient, session: Session, learner: User
) -> None:
    """Issue #15: MQL, SQL, ICP and CPL are explained from inside the sandbox, from one
    source (course/glossary.yaml), and the capstone's brief shows the goals it is graded on."""
    csrf = login(client, learner)
    brief = client.get("/sandbox/exercises/capstone-local-gyms").text
    assert re.search(r'<a class="term" href="/course/glossary/#icp" title="[^"]+">ICP</a>', brief)
    assert 'href="/course/glossary/#cost-per-lead"' in brief and "The client's goals" in brief
    assert "What you achieve in the run" in brief and "Goal: meetings held" in brief
    played = _play(client, session, learner, "capstone-local-gyms", csrf)
    board = played.client.get(played.base + "/pipeline").text
    for stage in ("mql", "sql"):
        assert f'href="/course/glossary/#{stage}"' in board
    report = played.client.get("/sandbox/exercises/pipeline-report-salons").text
    assert "What you achieve in the run" not in report  # a colleague's log: nothing to achieve
    glossary = (
        Path(__file__).parents[2] / "course" / "site" / "glossary" / "index.html"
    ).read_text()
    for anchor in ("icp", "mql", "sql", "cost-per-lead", "meeting-held"):
        assert f'id="{anchor}"' in glossary
