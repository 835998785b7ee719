"""Portfolios show only what the learner chose, to anyone with a live link; counselors see
what is shared and each learner's readiness against the completion rule."""

from __future__ import annotations

from fastapi.testclient import TestClient

from leadworks.credentials import portfolio, service
from leadworks.progress.models import LearnerProfile
from tests.conftest import csrf_from, login, project_content
from tests.integration.credentials_kit import BASE, CHECKABLE_RULE, graded_capstone, meet_rule


def test_the_public_page_shows_the_chosen_work_and_nothing_else(
    client: TestClient, session, learner, settings, monkeypatch
) -> None:
    monkeypatch.setattr(settings, "credential_rule", CHECKABLE_RULE)
    shown = meet_rule(session, learner)
    hidden = graded_capstone(session, learner, score=33)
    session.add(LearnerProfile(user_id=learner.id, goal="An SDR job in B2B SaaS by June"))
    session.commit()
    credential = service.issue(
        session=session,
        user=learner,
        catalog=project_content().catalog,
        settings=settings,
        base=BASE,
    )
    login(client, learner)
    token = csrf_from(client.get("/me/portfolio").text)
    saved = client.post(
        "/me/portfolio",
        data={"submission_ids": [str(shown.id)], "show_certificate": "true", "csrf_token": token},
    )
    assert saved.status_code == 303
    share = portfolio.live_share(session=session, user_id=learner.id)
    assert share is not None and share.submission_ids == [shown.id]
    client.post("/logout", data={"csrf_token": token})

    page = client.get(f"/p/{share.token}")
    assert page.status_code == 200
    assert learner.name in page.text and "82 of 100" in page.text
    assert "33 of 100" not in page.text and f"work-{hidden.id}" not in page.text
    assert credential.uuid in page.text
    assert learner.email not in page.text
    assert "SDR job in B2B SaaS" not in page.text  # the profile was not ticked


def test_someone_elses_hand_in_cannot_be_shared(
    client: TestClient, session, learner, other_learner
) -> None:
    theirs = graded_capstone(session, other_learner)
    login(client, learner)
    token = csrf_from(client.get("/me/portfolio").text)
    refused = client.post(
        "/me/portfolio", data={"submission_ids": [str(theirs.id)], "csrf_token": token}
    )
    assert refused.status_code == 400 and "your own graded hand-ins" in refused.text
    assert portfolio.live_share(session=session, user_id=learner.id) is None


def test_a_revoked_link_is_dead_and_says_so(client: TestClient, session, learner) -> None:
    share = portfolio.save_share(
        session=session, user=learner, submission_ids=[], show_certificate=True, show_profile=True
    )
    assert client.get(f"/p/{share.token}").status_code == 200
    login(client, learner)
    token = csrf_from(client.get("/me/portfolio").text)
    assert client.post("/me/portfolio/revoke", data={"csrf_token": token}).status_code == 303
    client.post("/logout", data={"csrf_token": token})
    dead = client.get(f"/p/{share.token}")
    assert dead.status_code == 404 and portfolio.DEAD_SHARE in dead.text.replace("&#39;", "'")
    never = client.get("/p/" + "x" * 43)
    assert never.status_code == 404 and learner.name not in never.text


def test_counselors_see_readiness_per_cohort_and_a_printable_summary(
    client: TestClient, session, learner, counselor, cohort, settings, monkeypatch
) -> None:
    monkeypatch.setattr(settings, "credential_rule", CHECKABLE_RULE)
    capstone = meet_rule(session, learner)
    portfolio.save_share(
        session=session,
        user=learner,
        submission_ids=[capstone.id],
        show_certificate=False,
        show_profile=True,
    )
    login(client, counselor)
    overview = client.get(f"/counsel/cohorts/{cohort.id}/readiness")
    assert overview.status_code == 200
    assert "1 of 1 learners meet" in overview.text and learner.name in overview.text
    summary = client.get(f"/counsel/learners/{learner.id}/readiness")
    assert summary.status_code == 200
    assert "@media print" in summary.text and "82 of 100" in summary.text
    assert "Portfolio link live" in summary.text and "The career profile" in summary.text
