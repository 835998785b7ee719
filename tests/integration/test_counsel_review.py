"""The learner page and the attempt review: attempts, readiness, evidence marked in the
learner's text, the run's timeline and the read-only replay at a chosen event."""

from __future__ import annotations

import re

import pytest
from sqlmodel import Session, select

from leadworks.counsel.replay import cut_after, replay_at, run_events
from leadworks.practice.models import RunEvent
from leadworks.progress.service import save_profile
from tests.conftest import EXERCISES_DIR, login
from tests.integration.counsel_kit import STRONG, WEAK, hand_in, played_run


def test_learner_page_lists_attempts_names_the_weakest_and_shows_readiness(
    client, session: Session, learner, counselor
) -> None:
    weak, _ = hand_in(session, learner, WEAK, days_ago=2)
    strong, _ = hand_in(session, learner, STRONG)
    save_profile(
        session=session,
        user=learner,
        skills={"communication": 5, "research": 2},
        target_industries=["medical_dental"],
        planned_certifications=["hubspot"],
        goal="An SDR job in health tech.",
    )
    login(client, counselor)
    html = client.get(f"/counsel/learners/{learner.id}").text

    assert f'href="/counsel/submissions/{weak.id}">Open the weakest attempt' in html
    assert f'href="/counsel/submissions/{strong.id}"' in html
    assert "An SDR job in health tech." in html
    assert "HubSpot Academy certification" in html
    assert "Medical and dental" in html and "Write a cold email to a dental practice" in html
    # Communication: rated 5/5, but the latest attempt (the strong one) backs it up.
    communication = re.search(r"Communication.*?</tr>", html, re.S).group(0)
    assert "5<span" in communication and "no evidence" not in communication


def test_readiness_points_at_overconfidence(client, session: Session, learner, counselor) -> None:
    hand_in(session, learner, WEAK)
    save_profile(
        session=session,
        user=learner,
        skills={"communication": 5},
        target_industries=[],
        planned_certifications=[],
    )
    login(client, counselor)
    html = client.get(f"/counsel/learners/{learner.id}").text
    assert "rates themself higher than their scores show" in html


def test_attempt_page_marks_the_evidence_in_the_learners_text(
    client, session: Session, learner, counselor
) -> None:
    submission, record = hand_in(session, learner, WEAK)
    login(client, counselor)
    html = client.get(f"/counsel/submissions/{submission.id}").text

    assert re.search(
        r'<mark class="evidence" data-checks="[^"]*greeting[^"]*"[^>]*>\[Name\]</mark>', html
    )
    assert re.search(r'<mark class="evidence" data-checks="spam"[^>]*>guarantee</mark>', html)
    assert 'id="ev-greeting-0"' in html and 'href="#ev-greeting-0"' in html
    for check in record.result["checks"]:
        assert f'id="check-{check["id"]}"' in html
    assert "handed in without a practice run" in html


def test_the_learners_text_is_escaped(client, session: Session, learner, counselor) -> None:
    payload = dict(STRONG, body=STRONG["body"] + "\n<first_name><script>alert(1)</script>")
    submission, _ = hand_in(session, learner, payload)
    login(client, counselor)
    html = client.get(f"/counsel/submissions/{submission.id}").text
    assert "<script>alert" not in html and "alert(1)</script>" not in html
    # The grader reads "<first_name>" as an unfilled merge field, so it is marked, and escaped.
    assert "&lt;first_name&gt;</mark>&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_timeline_and_replay_of_a_played_run(client, session: Session, learner, counselor) -> None:
    run, submission = played_run(session, learner)
    login(client, counselor)
    html = client.get(f"/counsel/submissions/{submission.id}").text
    assert "Event timeline" in html and "message sent" in html and "exercise opened" in html
    assert "State after event #" in html
    assert re.search(r'<span class="stage-count">1</span><br><small>mql</small>', html)

    events = run_events(session=session, run_id=run.id)
    sent = next(e.seq for e in events if e.type == "message_sent")
    partial = client.get(
        f"/counsel/submissions/{submission.id}?seq={sent}", headers={"HX-Request": "true"}
    ).text
    assert partial.lstrip().startswith('<section class="card" id="replay">')
    assert 'Messages sent <span class="count">1</span>' in partial
    assert (
        "<small>mql</small>" in partial
        and '<span class="stage-count">0</span><br><small>mql' in partial
    )


def test_replay_cuts_the_log_just_before_a_learner_action(session: Session, learner) -> None:
    run, _ = played_run(session, learner)
    events = run_events(session=session, run_id=run.id)
    for seq in range(len(events)):
        n = cut_after(events, seq)
        assert n > seq
        assert n == len(events) or events[n].actor == "learner"
        view = replay_at(events, EXERCISES_DIR, seq)
        assert not view.error, view.error
        assert view.upto == n - 1
    start = replay_at(events, EXERCISES_DIR, 0)
    assert start.lists == {} and start.messages == []
    end = replay_at(events, EXERCISES_DIR)
    assert end.lists["main"] and len(end.messages) == 1
    assert dict(end.stages)["mql"] == 1


def test_a_damaged_log_is_reported_not_a_crash(
    client, session: Session, learner, counselor
) -> None:
    run, submission = played_run(session, learner)
    event = session.exec(
        select(RunEvent).where(RunEvent.run_id == run.id, RunEvent.type == "message_sent")
    ).one()
    event.at = "2020-01-01T00:00:00Z"
    session.add(event)
    session.commit()
    login(client, counselor)
    response = client.get(f"/counsel/submissions/{submission.id}")
    assert response.status_code == 200
    assert "This log cannot be replayed" in response.text


@pytest.mark.parametrize("seq", ["-1", "abc"])
def test_a_bad_replay_position_is_a_400(client, session, learner, counselor, seq) -> None:
    submission, _ = hand_in(session, learner, WEAK)
    login(client, counselor)
    assert client.get(f"/counsel/submissions/{submission.id}?seq={seq}").status_code == 400


def test_the_regrade_queue_and_the_attempt_name_people_not_ids(
    client, session: Session, cohort, learner, counselor
) -> None:
    """Issue #15: the counselor read contact ids where the learner read names."""
    from leadworks.feedback.service import request_regrade

    _run, submission = played_run(session, learner)
    request_regrade(
        session=session,
        learner=learner,
        submission_id=submission.id,
        check_id="work_target",
        message="I researched them.",
    )
    first = played_run_contact_name()
    login(client, counselor)
    for url in (f"/counsel/cohorts/{cohort.id}/regrades", f"/counsel/submissions/{submission.id}"):
        page = client.get(url)
        assert page.status_code == 200, url
        visible = re.sub(r"<[^>]+>", " ", page.text)
        assert first in visible, url
        assert not re.search(r"\bp\d{6}\b", visible), (
            url,
            re.findall(r".{30}\bp\d{6}.{10}", visible),
        )
        assert "The right prospect" in visible and "work_target" not in visible.replace(
            "#check-work_target", ""
        )


def played_run_contact_name() -> str:
    """The prospect counsel_kit.played_run writes to (its first decision maker)."""
    from simulator import open_exercise

    sandbox = open_exercise("cold-email-dental", 7, exercises_dir=EXERCISES_DIR)
    first = sandbox.search(decision_maker=True)[0]["id"]
    return sandbox.world.contact(first).name
