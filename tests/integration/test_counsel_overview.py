"""The cohort overview: what each row says, its flags, sorting and filtering, the htmx
partial, and a query count that does not grow with the cohort."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session, func, select

from leadworks.accounts.models import Role
from leadworks.cohorts.models import Membership
from leadworks.cohorts.service import enroll
from leadworks.core.errors import UserError
from leadworks.core.timeutil import utcnow
from leadworks.counsel.overview import arrange, cohort_overview
from leadworks.feedback.service import override_grade, request_regrade
from leadworks.progress.models import LessonCompletion
from leadworks.progress.service import mark_complete, record_quiz
from tests.conftest import login, project_content
from tests.integration.counsel_kit import CONTEXT, MIDDLING, STRONG, WEAK, hand_in

CATALOG = project_content().catalog
CAREER = [lesson.id for lesson in CATALOG.lessons("career")]


def _right_answers(lesson_id: str) -> dict[str, object]:
    """The answer key as a learner would type it (text questions take one accepted answer)."""
    return {
        q["id"]: q["answer"][0] if q["type"] == "text" else q["answer"]
        for q in CATALOG.quiz(lesson_id)["questions"]
    }


def _row(overview, user):
    return next(r for r in overview.rows if r.id == user.id)


def test_a_row_sums_up_lessons_quizzes_and_exercises(session: Session, cohort, learner) -> None:
    for lesson_id in CAREER[:2]:
        mark_complete(session=session, user=learner, catalog=CATALOG, lesson_id=lesson_id)
    record_quiz(session=session, user=learner, catalog=CATALOG, lesson_id=CAREER[0], answers={})
    record_quiz(
        session=session,
        user=learner,
        catalog=CATALOG,
        lesson_id=CAREER[0],
        answers=_right_answers(CAREER[0]),
    )
    _, weak = hand_in(session, learner, WEAK, days_ago=3)
    _, strong = hand_in(session, learner, STRONG)

    row = _row(cohort_overview(session=session, cohort=cohort, catalog=CATALOG), learner)

    career = row.modules["career"]
    assert (career.done, career.total) == (2, len(CAREER))
    assert career.quiz_average == 100.0  # the best attempt counts
    assert row.modules["skills"].done == 0 and row.modules["skills"].quiz_average is None
    cell = row.exercises["cold-email-dental"]
    assert cell.attempts == 2 and cell.low == 1
    assert cell.best == pytest.approx(100 * strong.final_score / strong.possible, abs=0.1)
    assert weak.final_score < strong.final_score
    assert row.exercises["prospect-list-saas"].best is None
    assert row.last_activity is not None and utcnow() - row.last_activity < timedelta(minutes=5)
    assert row.flags == ()


def test_flags_inactive_repeated_low_scores_and_open_regrade(
    session: Session, cohort, learner, make_user
) -> None:
    idle = make_user(Role.learner, name="Ida Idle")
    enroll(session=session, cohort=cohort, learner=idle)
    hand_in(session, idle, STRONG, days_ago=9)
    newcomer = make_user(Role.learner, name="Nia New")
    enroll(session=session, cohort=cohort, learner=newcomer)
    first, _ = hand_in(session, learner, WEAK, days_ago=1)
    hand_in(session, learner, WEAK)
    request_regrade(
        session=session,
        learner=learner,
        submission_id=first.id,
        check_id="subject",
        message="My subject line was meant to stand out.",
    )

    overview = cohort_overview(session=session, cohort=cohort, catalog=CATALOG)

    idle_row = _row(overview, idle)
    assert [f.key for f in idle_row.flags] == ["inactive"]
    assert "9 days" in idle_row.flags[0].detail
    assert _row(overview, newcomer).flags == ()  # joined today: not inactive yet
    struggling = _row(overview, learner)
    assert [f.key for f in struggling.flags] == ["low_scores", "regrade"]
    low = struggling.flags[0].detail
    assert "2 scores under 50% on Write a cold email" in low
    assert "2 attempts failing 'greeting'" in low
    assert dict(struggling.failing_checks)["spam"] == 2
    assert struggling.open_regrades == 1


def test_a_newcomer_becomes_inactive_after_a_week_without_starting(
    session: Session, cohort, learner
) -> None:
    membership = session.exec(select(Membership).where(Membership.user_id == learner.id)).one()
    membership.joined_at = utcnow() - timedelta(days=8)
    session.add(membership)
    session.commit()
    row = _row(cohort_overview(session=session, cohort=cohort, catalog=CATALOG), learner)
    assert [(f.key, f.detail) for f in row.flags] == [("inactive", "Has not started yet")]


def test_a_check_raised_by_an_override_no_longer_counts_as_failing(
    session: Session, cohort, learner, counselor
) -> None:
    first, _ = hand_in(session, learner, MIDDLING)
    second, _ = hand_in(session, learner, MIDDLING)
    before = _row(cohort_overview(session=session, cohort=cohort, catalog=CATALOG), learner)
    assert dict(before.failing_checks).get("compliance") == 2
    override_grade(
        session=session,
        counselor=counselor,
        submission=second,
        check_id="compliance",
        points=10,
        reason="The footer was in the signature image.",
    )
    after = _row(cohort_overview(session=session, cohort=cohort, catalog=CATALOG), learner)
    assert "compliance" not in dict(after.failing_checks)
    assert first.id != second.id


def test_sorting_and_filtering(session: Session, cohort, learner, make_user) -> None:
    strong = make_user(Role.learner, name="Ann Able")
    enroll(session=session, cohort=cohort, learner=strong)
    absent = make_user(Role.learner, name="Zed Zero")
    enroll(session=session, cohort=cohort, learner=absent)
    hand_in(session, strong, STRONG)
    hand_in(session, learner, WEAK)
    hand_in(session, learner, WEAK)
    overview = cohort_overview(session=session, cohort=cohort, catalog=CATALOG)

    def names(**options: str) -> list[str]:
        return [r.name for r in arrange(overview, **options)]

    assert names(sort="name", direction="asc") == ["Ann Able", "Lena Learner", "Zed Zero"]
    by_score = names(sort="exercise:cold-email-dental", direction="asc")
    assert by_score == ["Lena Learner", "Ann Able", "Zed Zero"]  # no score: always last
    assert names(sort="exercise:cold-email-dental", direction="desc")[-1] == "Zed Zero"
    assert names(sort="attention")[0] == "Lena Learner"
    assert names(flag="low_scores") == ["Lena Learner"]
    assert names(flag="attention", sort="name", direction="asc") == ["Lena Learner"]
    assert names(q="ZED") == ["Zed Zero"]
    for bad in ({"sort": "password"}, {"direction": "up"}, {"flag": "vip"}):
        with pytest.raises(UserError):
            arrange(overview, **bad)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx partial"])
def test_the_page_and_its_htmx_partial(client, session, cohort, learner, counselor, htmx) -> None:
    hand_in(session, learner, WEAK)
    hand_in(session, learner, WEAK)  # two low scores: flagged, so "attention" shows her
    login(client, counselor)
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.get(
        f"/counsel/cohorts/{cohort.id}?sort=name&dir=asc&flag=attention&q=lena", headers=headers
    )
    assert response.status_code == 200
    html = response.text
    assert 'id="overview"' in html and "Lena Learner" in html
    assert f'href="/counsel/learners/{learner.id}"' in html
    assert ("<html" in html) is not htmx
    assert ("<svg" in html) is not htmx  # the charts sit outside the swapped block
    if not htmx:
        assert html.count('class="chart"') == 1 + len(CATALOG.exercises) + len(CATALOG.drills)
        assert "cdn" not in html.lower()


@pytest.mark.parametrize("sort", ["name", "module:career"])
def test_the_page_shows_quiz_averages_however_it_is_sorted(
    client, session, cohort, learner, counselor, sort
) -> None:
    record_quiz(
        session=session,
        user=learner,
        catalog=CATALOG,
        lesson_id=CAREER[0],
        answers=_right_answers(CAREER[0]),
    )
    mark_complete(session=session, user=learner, catalog=CATALOG, lesson_id=CAREER[0])
    login(client, counselor)
    html = client.get(f"/counsel/cohorts/{cohort.id}?sort={sort}").text
    row = html[html.index(f'data-learner="{learner.id}"') :]
    cells = re.findall(r'<td class="num">(.*?)</td>', row)
    assert cells[1].startswith(f"1/{len(CAREER)}<br>") and "100%" in cells[1]


def test_bad_query_parameters_get_a_clear_400(client, cohort, counselor) -> None:
    login(client, counselor)
    response = client.get(f"/counsel/cohorts/{cohort.id}?sort=nonsense")
    assert response.status_code == 400
    assert "Cannot sort by" in response.text


@contextmanager
def counting(session: Session) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            statements.append(statement)  # queries, not the test's transaction bookkeeping

    engine = session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _grow_cohort(session: Session, cohort, make_user, size: int) -> None:
    existing = session.exec(select(func.count()).where(Membership.cohort_id == cohort.id)).one()
    for n in range(existing, size):
        user = make_user(Role.learner, name=f"Learner {n:03}")
        enroll(session=session, cohort=cohort, learner=user)
        session.add(LessonCompletion(user_id=user.id, lesson_id=CAREER[0]))
        record_quiz(session=session, user=user, catalog=CATALOG, lesson_id=CAREER[0], answers={})
        submission, _ = hand_in(session, user, WEAK if n % 2 else STRONG)
        if n % 3 == 0:
            request_regrade(
                session=session,
                learner=user,
                submission_id=submission.id,
                check_id="length",
                message="Too strict.",
            )


def test_the_number_of_queries_does_not_grow_with_the_cohort(
    client, session: Session, cohort, counselor, make_user
) -> None:
    login(client, counselor)
    counts = []
    for size in (3, 30):
        _grow_cohort(session, cohort, make_user, size)
        with counting(session) as filling:  # new grades: their digests are made in bulk
            cohort_overview(session=session, cohort=cohort, catalog=CATALOG)
        session.refresh(cohort)  # filling committed; load the cohort outside the count
        with counting(session) as steady:
            overview = cohort_overview(session=session, cohort=cohort, catalog=CATALOG)
        with counting(session) as page:
            response = client.get(f"/counsel/cohorts/{cohort.id}")
        assert response.status_code == 200 and len(overview.rows) == size
        assert response.text.count('data-learner="') == size
        counts.append((len(filling), len(steady), len(page)))
    assert counts[0] == counts[1], counts
    # learners with last activity; lessons; quiz averages; best scores; regrades; digests;
    # hand-ins with almost no activity
    assert counts[0][1] == 7, counts


def test_a_hand_in_with_almost_no_activity_in_its_run_is_flagged(
    client, session: Session, cohort, learner, make_user, counselor
) -> None:
    """Issue #15: a fresh attempt handed in straight away shows as such, not as a plain %."""
    busy = make_user(Role.learner, name="Busy Learner")
    enroll(session=session, cohort=cohort, learner=busy)
    idle_work = {"work": {"actions": {"advance_clock": 1}}}
    busy_work = {"work": {"actions": {"search": 3, "view_profile": 12, "message_sent": 1}}}
    hand_in(session, learner, grading_context=CONTEXT | idle_work)
    hand_in(session, busy, grading_context=CONTEXT | busy_work)
    hand_in(session, busy)  # no run facts (an older hand-in): never flagged
    rows = {
        r.name: r for r in cohort_overview(session=session, cohort=cohort, catalog=CATALOG).rows
    }
    (flag,) = [f for f in rows["Lena Learner"].flags if f.key == "no_work"]
    assert flag.label == "Handed in with almost no activity"
    assert "1 action in the run" in flag.detail
    assert not rows["Busy Learner"].has("no_work")
    token = login(client, counselor)
    assert token
    page = client.get(f"/counsel/cohorts/{cohort.id}?flag=no_work")
    assert page.status_code == 200
    assert "Handed in with almost no activity" in page.text and "Busy Learner" not in page.text
