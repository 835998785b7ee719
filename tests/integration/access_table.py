"""Who may call what: every route the platform answers, and the status each role gets.

Roles: anon (no login), learner (in the cohort), other_learner (in another cohort),
counselor (assigned to the cohort), other_counselor (assigned to another cohort), admin.
Path placeholders are filled from the test's world: {cohort_id} is the learner's cohort.
A route missing from this table fails test_every_route_is_in_the_access_table; later
features add their rows here.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.integration.career_kit import CV, cv_form
from tests.integration.drills_kit import triage_form, triage_payload

ROLES = ("anon", "learner", "other_learner", "counselor", "other_counselor", "admin")


@dataclass(frozen=True)
class Rule:
    method: str
    path: str
    expect: dict[str, int]
    form: Callable[[Any], dict[str, Any]] | None = None
    json: Callable[[Any], dict[str, Any]] | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def page(
    *,
    anon: int = 303,
    learner: int,
    other_learner: int | None = None,
    counselor: int,
    other_counselor: int | None = None,
    admin: int,
) -> dict[str, int]:
    """An HTML page: anonymous callers are redirected to the login form by default."""
    return {
        "anon": anon,
        "learner": learner,
        "other_learner": learner if other_learner is None else other_learner,
        "counselor": counselor,
        "other_counselor": counselor if other_counselor is None else other_counselor,
        "admin": admin,
    }


def api(
    *,
    learner: int,
    other_learner: int | None = None,
    counselor: int,
    other_counselor: int | None = None,
    admin: int,
) -> dict[str, int]:
    """A JSON API route: anonymous callers get 401."""
    return page(
        anon=401,
        learner=learner,
        other_learner=other_learner,
        counselor=counselor,
        other_counselor=other_counselor,
        admin=admin,
    )


ADMIN_ONLY_PAGE = page(learner=403, counselor=403, admin=200)


def own_page(status: int) -> dict[str, int]:
    """A page of the learner's own run: ``status`` for its owner, 404 for everyone else."""
    return page(learner=status, other_learner=404, counselor=404, admin=404)


def _key() -> str:
    return uuid.uuid4().hex


OWN_RUN = api(learner=200, other_learner=404, counselor=404, admin=404)

RULES: list[Rule] = [
    # ---- shell and accounts
    Rule("GET", "/healthz", everyone(200)),
    Rule("GET", "/", everyone(200)),
    Rule("GET", "/docs", everyone(200)),
    Rule("GET", "/openapi.json", everyone(200)),
    Rule("GET", "/login", page(anon=200, learner=303, counselor=303, admin=303)),
    Rule(
        "POST",
        "/login",
        everyone(400),
        form=lambda w: {"email": "x@example.org", "password": "nope-nope-nope"},
        note="wrong credentials for everyone: the form answers, nobody is let in",
    ),
    Rule("POST", "/logout", page(anon=303, learner=303, counselor=303, admin=303)),
    Rule("GET", "/register", everyone(200)),
    Rule(
        "POST",
        "/register",
        everyone(400),
        form=lambda w: {
            "invite_code": "NOPE",
            "name": "N",
            "email": "n@example.org",
            "password": "a-long-password",
        },
    ),
    # ---- admin pages
    Rule("GET", "/admin/cohorts", ADMIN_ONLY_PAGE),
    Rule(
        "POST",
        "/admin/cohorts",
        page(learner=403, counselor=403, admin=303),
        form=lambda w: {"name": "Created in access test"},
    ),
    Rule("GET", "/admin/cohorts/{cohort_id}", ADMIN_ONLY_PAGE),
    Rule(
        "POST",
        "/admin/cohorts/{cohort_id}/invites",
        page(learner=403, counselor=403, admin=303),
        form=lambda w: {"max_uses": "5", "valid_days": "7"},
    ),
    Rule(
        "POST",
        "/admin/cohorts/{cohort_id}/counselors",
        page(learner=403, counselor=403, admin=303),
        form=lambda w: {"email": w.other_counselor.email},
    ),
    Rule("GET", "/admin/users", ADMIN_ONLY_PAGE),
    Rule(
        "POST",
        "/admin/users",
        page(learner=403, counselor=403, admin=303),
        form=lambda w: {
            "name": "New Coach",
            "email": "new-coach@example.org",
            "password": "a-long-password",
            "role": "counselor",
        },
    ),
    Rule("GET", "/admin/users/{user_id}", ADMIN_ONLY_PAGE),
    Rule("POST", "/admin/users/{user_id}/deactivate", page(learner=403, counselor=403, admin=303)),
    Rule("POST", "/admin/users/{user_id}/reactivate", page(learner=403, counselor=403, admin=303)),
    Rule(
        "POST",
        "/admin/users/{user_id}/temporary-password",
        page(learner=403, counselor=403, admin=200),
    ),
    Rule(
        "POST",
        "/admin/users/{user_id}/tokens/{token_id}/revoke",
        page(learner=403, counselor=403, admin=303),
    ),
    Rule("GET", "/admin/outbox", ADMIN_ONLY_PAGE),
    Rule("GET", "/admin/outbox/{message_id}", ADMIN_ONLY_PAGE),
    # ---- accounts self-service
    Rule("GET", "/account", page(learner=200, counselor=200, admin=200)),
    Rule(
        "POST",
        "/account/name",
        page(learner=303, counselor=303, admin=303),
        form=lambda w: {"name": "Renamed Person"},
    ),
    Rule(
        "POST",
        "/account/tokens/{token_id}/revoke",
        page(learner=303, other_learner=404, counselor=404, admin=404),
        note="the learner's own token: everyone else, admins included, gets 404 here",
    ),
    Rule("GET", "/account/password", page(learner=200, counselor=200, admin=200)),
    Rule(
        "POST",
        "/account/password",
        page(learner=400, counselor=400, admin=400),
        form=lambda w: {
            "current_password": "not-the-password",
            "new_password": "another-long-passphrase",
            "confirm_password": "another-long-passphrase",
        },
        note="a wrong current password: refused for everyone, nothing changes",
    ),
    Rule("GET", "/password/forgot", everyone(200)),
    Rule("POST", "/password/forgot", everyone(200), form=lambda w: {"email": "x@example.org"}),
    Rule("GET", "/password/reset", everyone(200)),
    Rule(
        "POST",
        "/password/reset",
        everyone(400),
        form=lambda w: {
            "token": "forged",
            "new_password": "another-long-passphrase",
            "confirm_password": "another-long-passphrase",
        },
    ),
    Rule("GET", "/register/confirm", everyone(400), note="no token: the link is dead"),
    Rule("POST", "/register/confirm", everyone(400), form=lambda w: {"token": "forged"}),
    # ---- course progress (cookie session; the course site's widget calls /learn)
    Rule("GET", "/learn/session", everyone(200)),
    Rule("GET", "/learn/lessons/{lesson_id}", api(learner=200, counselor=200, admin=200)),
    Rule("POST", "/learn/lessons/{lesson_id}/complete", api(learner=200, counselor=200, admin=200)),
    Rule(
        "POST",
        "/learn/lessons/{lesson_id}/quiz",
        api(learner=200, counselor=200, admin=200),
        json=lambda w: {"answers": {}},
    ),
    Rule("GET", "/me/progress", page(learner=200, counselor=200, admin=200)),
    Rule("GET", "/me/profile", page(learner=200, counselor=200, admin=200)),
    Rule(
        "POST",
        "/me/profile",
        page(learner=303, counselor=303, admin=303),
        form=lambda w: {"skill_research": "3", "target_industries": "saas"},
    ),
    # ---- checkpoints and the final exam ({attempt_id} is the learner's open final-exam
    # attempt: anyone else, admins included, gets 404; {exam_id} is a checkpoint anyone may sit)
    Rule("GET", "/exams/", page(learner=200, counselor=200, admin=200)),
    Rule(
        "POST",
        "/exams/{exam_id}/attempts",
        page(learner=303, counselor=303, admin=303),
        form=lambda w: {},
        note="each caller starts an attempt of their own",
    ),
    Rule("GET", "/exams/attempts/{attempt_id}", own_page(200)),
    Rule(
        "POST",
        "/exams/attempts/{attempt_id}/submit",
        own_page(303),
        form=lambda w: {},
        note="the owner hands in an empty attempt (graded zero); anyone else gets 404",
    ),
    Rule("GET", "/api/v1/exams", api(learner=200, counselor=200, admin=200)),
    Rule("POST", "/api/v1/exams/{exam_id}/attempts", api(learner=201, counselor=201, admin=201)),
    Rule("GET", "/api/v1/exam-attempts/{attempt_id}", OWN_RUN),
    Rule(
        "POST",
        "/api/v1/exam-attempts/{attempt_id}/submission",
        OWN_RUN,
        json=lambda w: {"answers": {}},
    ),
    # ---- sandbox JSON API ({run_id} is the learner's run; anyone else's is 404)
    Rule("GET", "/api/v1/exercises", api(learner=200, counselor=200, admin=200)),
    Rule("GET", "/api/v1/exercises/{exercise_id}", api(learner=200, counselor=200, admin=200)),
    Rule(
        "POST", "/api/v1/exercises/{exercise_id}/runs", api(learner=201, counselor=201, admin=201)
    ),
    Rule("GET", "/api/v1/runs", api(learner=200, counselor=200, admin=200)),
    Rule("GET", "/api/v1/runs/{run_id}", OWN_RUN),
    Rule("GET", "/api/v1/runs/{run_id}/prospects", OWN_RUN),
    Rule("GET", "/api/v1/runs/{run_id}/contacts/{contact_id}", OWN_RUN),
    Rule("GET", "/api/v1/runs/{run_id}/events", OWN_RUN),
    Rule(
        "POST",
        "/api/v1/runs/{run_id}/actions",
        OWN_RUN,
        json=lambda w: {"type": "advance_clock", "hours": 1},
        extra={"idempotent": True},
    ),
    Rule(
        "POST",
        "/api/v1/runs/{run_id}/submission",
        api(learner=422, other_learner=404, counselor=404, admin=404),
        json=lambda w: {"submission": {}},
        extra={"idempotent": True},
    ),
    Rule(
        "GET",
        "/api/v1/runs/{run_id}/grade",
        api(learner=404, counselor=404, admin=404),
        note="404 for the owner too: the run is not handed in yet",
    ),
    Rule("GET", "/api/v1/runs/{run_id}/debrief", api(learner=404, counselor=404, admin=404)),
    # ---- sandbox pages ({run_id} is the learner's run: anyone else gets 404, never its data)
    Rule("GET", "/sandbox/", page(learner=200, counselor=200, admin=200)),
    Rule("GET", "/sandbox/rubrics", page(learner=200, counselor=200, admin=200)),
    Rule("GET", "/sandbox/exercises/{exercise_id}", page(learner=200, counselor=200, admin=200)),
    Rule(
        "POST",
        "/sandbox/exercises/{exercise_id}/runs",
        page(learner=303, counselor=303, admin=303),
        form=lambda w: {"idempotency_key": _key()},
        note="anyone may practise: a run of their own",
    ),
    Rule("GET", "/sandbox/runs/{run_id}", own_page(200)),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/clock",
        own_page(303),
        form=lambda w: {"mode": "day", "idempotency_key": _key()},
    ),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/spend",
        own_page(303),
        form=lambda w: {"channel": "search_ads", "amount": "10", "idempotency_key": _key()},
        note="refused (no paid channel in this exercise): back to the page with the reason",
    ),
    Rule("GET", "/sandbox/runs/{run_id}/prospects", own_page(200)),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/prospects/search",
        own_page(303),
        form=lambda w: {"decision_maker": "yes", "idempotency_key": _key()},
    ),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/searches",
        own_page(303),
        form=lambda w: {"name": "Hiring", "query": "signal=hiring", "idempotency_key": _key()},
        note="a saved search, in the learner's own run only",
    ),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/searches/delete",
        own_page(404),
        form=lambda w: {"search_id": "0"},
        note="no such saved search, for the owner too",
    ),
    Rule("GET", "/sandbox/runs/{run_id}/prospects/{contact_id}", own_page(200)),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/prospects/{contact_id}/meeting",
        own_page(303),
        form=lambda w: {"at": "2025-03-05T15:00:00Z", "idempotency_key": _key()},
        note="refused: no interest yet",
    ),
    Rule("GET", "/sandbox/runs/{run_id}/prospects/{contact_id}/discovery", own_page(200)),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/prospects/{contact_id}/discovery",
        own_page(303),
        form=lambda w: {"questions": "small_talk", "idempotency_key": _key()},
        note="refused: not engaged yet",
    ),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/prospects/{contact_id}/notes",
        own_page(303),
        form=lambda w: {"notes": "Owner, busy."},
    ),
    Rule("GET", "/sandbox/runs/{run_id}/prospects/{contact_id}/conversation", own_page(200)),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/prospects/{contact_id}/conversation/start",
        own_page(303),
        form=lambda w: {"idempotency_key": _key()},
    ),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/prospects/{contact_id}/conversation/say",
        own_page(303),
        form=lambda w: {"text": "Hello?", "idempotency_key": _key()},
    ),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/prospects/{contact_id}/conversation/end",
        own_page(303),
        form=lambda w: {"idempotency_key": _key()},
    ),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/prospects/{contact_id}/meeting/remind",
        own_page(303),
        form=lambda w: {"idempotency_key": _key()},
        note="refused: no meeting booked",
    ),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/prospects/{contact_id}/meeting/agenda",
        own_page(303),
        form=lambda w: {"agenda": "Your diary gaps and a pilot.", "idempotency_key": _key()},
        note="refused: no meeting booked",
    ),
    Rule("GET", "/sandbox/runs/{run_id}/prospects/{contact_id}/qualify", own_page(200)),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/prospects/{contact_id}/qualify",
        own_page(400),
        form=lambda w: {"framework": "bant", "idempotency_key": _key()},
        note="no judgements given: the form says what is missing",
    ),
    Rule("GET", "/sandbox/runs/{run_id}/lists", own_page(200)),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/lists/add",
        own_page(303),
        form=lambda w: {"contact_ids": "p000001", "new_list": "main", "idempotency_key": _key()},
    ),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/lists/remove",
        own_page(303),
        form=lambda w: {"contact_ids": "p000001", "list": "main", "idempotency_key": _key()},
        note="refused: not on the list",
    ),
    Rule("GET", "/sandbox/runs/{run_id}/compose", own_page(200)),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/compose/preview",
        own_page(303),
        form=lambda w: {"channel": "email", "body": "Hi {{first_name}}"},
        note="the draft is saved; post, redirect, get back to the composer",
    ),
    Rule("GET", "/sandbox/runs/{run_id}/compose/preview", own_page(303)),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/compose/send",
        own_page(400),
        form=lambda w: {"channel": "email", "body": "Hi", "idempotency_key": _key()},
        note="no prospect chosen: the composer says so and keeps the text",
    ),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/templates",
        own_page(400),
        form=lambda w: {"channel": "email", "body": "Hi"},
        note="no template name",
    ),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/templates/delete",
        own_page(404),
        form=lambda w: {"template_id": "0"},
        note="no such template, for the owner too",
    ),
    Rule("GET", "/sandbox/runs/{run_id}/sequences", own_page(200)),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/sequences",
        own_page(400),
        form=lambda w: {"name": "Empty", "idempotency_key": _key()},
        note="a sequence needs a step",
    ),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/sequences/start",
        own_page(404),
        form=lambda w: {"plan_id": "0", "idempotency_key": _key()},
    ),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/sequences/delete",
        own_page(404),
        form=lambda w: {"plan_id": "0"},
    ),
    Rule("GET", "/sandbox/runs/{run_id}/inbox", own_page(200)),
    Rule("GET", "/sandbox/runs/{run_id}/pipeline", own_page(200)),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/pipeline/move",
        own_page(303),
        form=lambda w: {"contact_id": "p000001", "stage": "lead", "idempotency_key": _key()},
    ),
    Rule("GET", "/sandbox/runs/{run_id}/hand-in", own_page(200)),
    Rule(
        "POST",
        "/sandbox/runs/{run_id}/hand-in",
        own_page(400),
        form=lambda w: {"idempotency_key": _key()},
        note="nothing to hand in: the page names the missing field",
    ),
    Rule(
        "GET",
        "/sandbox/runs/{run_id}/grade",
        own_page(200),
        note="the owner sees 'not handed in yet'",
    ),
    Rule(
        "GET", "/sandbox/runs/{run_id}/debrief", own_page(200), note="the owner sees when it opens"
    ),
    # ---- JSON API
    Rule(
        "POST",
        "/api/v1/auth/token",
        everyone(400),
        form=lambda w: {"username": "x@example.org", "password": "wrong-password"},
    ),
    Rule("GET", "/api/v1/me", api(learner=200, counselor=200, admin=200)),
    Rule("GET", "/api/v1/auth/tokens", api(learner=200, counselor=200, admin=200)),
    Rule(
        "DELETE",
        "/api/v1/auth/tokens/{token_id}",
        api(learner=204, other_learner=404, counselor=404, admin=404),
    ),
    Rule("POST", "/api/v1/auth/logout", api(learner=204, counselor=204, admin=204)),
    Rule("GET", "/api/v1/cohorts", api(learner=200, counselor=200, admin=200)),
    Rule(
        "POST",
        "/api/v1/cohorts",
        api(learner=403, counselor=403, admin=201),
        json=lambda w: {"name": "API cohort"},
    ),
    Rule(
        "GET",
        "/api/v1/cohorts/{cohort_id}",
        api(learner=404, counselor=200, other_counselor=404, admin=200),
    ),
    Rule(
        "POST",
        "/api/v1/cohorts/{cohort_id}/invites",
        api(learner=403, counselor=403, admin=201),
        json=lambda w: {"max_uses": 3},
    ),
]

# ---- counselor workspace ({learner_id}, {submission_id}, {request_id}, {job_id} are the
# learner's; a counselor of another cohort gets 404 so their existence does not leak)
COUNSEL_PAGE = page(learner=403, counselor=200, other_counselor=404, admin=200)
COUNSEL_POST = page(learner=403, counselor=303, other_counselor=404, admin=303)
COUNSEL_API = api(learner=403, counselor=200, other_counselor=404, admin=200)
COUNSEL_API_CREATE = api(learner=403, counselor=201, other_counselor=404, admin=201)
RULES += [
    Rule("GET", "/counsel/", page(learner=403, counselor=200, admin=200)),
    Rule("GET", "/counsel/cohorts/{cohort_id}", COUNSEL_PAGE),
    Rule("GET", "/counsel/cohorts/{cohort_id}/gradebook.csv", COUNSEL_PAGE),
    Rule("GET", "/counsel/cohorts/{cohort_id}/regrades", COUNSEL_PAGE),
    Rule("GET", "/counsel/cohorts/{cohort_id}/rescore", COUNSEL_PAGE),
    Rule(
        "POST",
        "/counsel/cohorts/{cohort_id}/rescore",
        COUNSEL_POST,
        form=lambda w: {"exercise_id": "cold-email-dental"},
    ),
    Rule("GET", "/counsel/rescore/{job_id}", COUNSEL_PAGE),
    Rule("POST", "/counsel/rescore/{job_id}/step", COUNSEL_PAGE, form=lambda w: {}),
    Rule("POST", "/counsel/rescore/{job_id}/commit", COUNSEL_POST, form=lambda w: {}),
    Rule("GET", "/counsel/learners/{learner_id}", COUNSEL_PAGE),
    Rule("GET", "/counsel/learners/{learner_id}/record.json", COUNSEL_PAGE),
    Rule("GET", "/counsel/learners/{learner_id}/exams", COUNSEL_PAGE),
    Rule("GET", "/api/v1/learners/{learner_id}/exam-attempts", COUNSEL_API),
    Rule(
        "POST",
        "/counsel/learners/{learner_id}/comments",
        COUNSEL_POST,
        form=lambda w: {"body": "Keep going."},
    ),
    Rule("GET", "/counsel/submissions/{submission_id}", COUNSEL_PAGE),
    Rule(
        "POST",
        "/counsel/submissions/{submission_id}/comments",
        COUNSEL_POST,
        form=lambda w: {"body": "Look at the subject line."},
    ),
    Rule(
        "POST",
        "/counsel/submissions/{submission_id}/override",
        COUNSEL_POST,
        form=lambda w: {"check_id": "length", "points": "5", "reason": "Length is fine."},
    ),
    Rule(
        "POST",
        "/counsel/regrades/{request_id}/decision",
        COUNSEL_POST,
        form=lambda w: {"decision": "decline", "response": "The grader is right here."},
    ),
    Rule("GET", "/me/feedback", page(learner=200, counselor=200, admin=200)),
    Rule(
        "POST",
        "/me/submissions/{submission_id}/regrade",
        page(learner=303, other_learner=404, counselor=403, admin=404),
        form=lambda w: {"check_id": "subject", "message": "My subject was fine."},
        note="only the learner who handed it in may dispute it",
    ),
    Rule("GET", "/api/v1/cohorts/{cohort_id}/progress", COUNSEL_API),
    Rule("GET", "/api/v1/cohorts/{cohort_id}/gradebook.csv", COUNSEL_API),
    Rule("GET", "/api/v1/cohorts/{cohort_id}/regrade-requests", COUNSEL_API),
    Rule(
        "POST",
        "/api/v1/cohorts/{cohort_id}/rescore-jobs",
        COUNSEL_API_CREATE,
        json=lambda w: {"exercise_id": "cold-email-dental"},
    ),
    Rule("GET", "/api/v1/rescore-jobs/{job_id}", COUNSEL_API),
    Rule("POST", "/api/v1/rescore-jobs/{job_id}/commit", COUNSEL_API),
    Rule("GET", "/api/v1/learners/{learner_id}/record", COUNSEL_API),
    Rule("GET", "/api/v1/learners/{learner_id}/comments", COUNSEL_API),
    Rule(
        "POST",
        "/api/v1/learners/{learner_id}/comments",
        COUNSEL_API_CREATE,
        json=lambda w: {"body": "Nice progress."},
    ),
    Rule("GET", "/api/v1/submissions/{submission_id}/overrides", COUNSEL_API),
    Rule(
        "POST",
        "/api/v1/submissions/{submission_id}/overrides",
        COUNSEL_API_CREATE,
        json=lambda w: {"check_id": "length", "points": 5, "reason": "Length is fine."},
    ),
    Rule(
        "POST",
        "/api/v1/regrade-requests/{request_id}/decision",
        COUNSEL_API,
        json=lambda w: {"decision": "decline", "response": "The grader is right here."},
    ),
    Rule("GET", "/api/v1/me/feedback", api(learner=200, counselor=200, admin=200)),
    Rule(
        "POST",
        "/api/v1/submissions/{submission_id}/regrade-requests",
        api(learner=201, other_learner=404, counselor=403, admin=404),
        json=lambda w: {"check_id": "subject", "message": "My subject was fine."},
    ),
    # ---- certificates, portfolios and readiness (issue #17): public routes answer everyone
    Rule("GET", "/me/certificate", page(learner=200, counselor=403, admin=200)),
    Rule(
        "POST",
        "/me/certificate",
        page(learner=303, other_learner=400, counselor=403, admin=400),
        note="the world's learner meets the rule and holds a certificate; nobody else does",
    ),
    Rule("GET", "/me/portfolio", page(learner=200, counselor=403, admin=200)),
    Rule(
        "POST",
        "/me/portfolio",
        page(learner=303, counselor=403, admin=303),
        form=lambda w: {"show_profile": "true"},
    ),
    Rule("POST", "/me/portfolio/revoke", page(learner=303, counselor=403, admin=303)),
    Rule("GET", "/p/{token}", everyone(200)),
    Rule("GET", "/verify", everyone(200)),
    Rule("POST", "/verify", everyone(422), form=lambda w: {"credential": "not a credential"}),
    Rule("GET", "/credentials/issuer", everyone(200)),
    Rule("GET", "/credentials/criteria", everyone(200)),
    Rule("GET", "/credentials/{credential_id}", everyone(200)),
    Rule("GET", "/credentials/{credential_id}/credential.json", everyone(200)),
    Rule("GET", "/credentials/{credential_id}/credential.jwt", everyone(200)),
    Rule("GET", "/credentials/status/{list_no}", everyone(200)),
    Rule("GET", "/.well-known/jwks.json", everyone(200)),
    Rule(
        "GET",
        "/counsel/cohorts/{cohort_id}/readiness",
        page(learner=403, counselor=200, other_counselor=404, admin=200),
    ),
    Rule(
        "GET",
        "/counsel/learners/{learner_id}/readiness",
        page(learner=403, counselor=200, other_counselor=404, admin=200),
    ),
    Rule(
        "POST",
        "/counsel/credentials/{credential_row}/revoke",
        page(learner=403, counselor=303, other_counselor=404, admin=303),
        form=lambda w: {"reason": "Capstone work was not the learner's own."},
    ),
    # ---- the career track: CV and LinkedIn profile, graded against the learner's records
    Rule("GET", "/me/career/cv", page(learner=200, counselor=403, admin=200)),
    Rule(
        "POST",
        "/me/career/cv",
        page(learner=303, counselor=403, admin=303),
        form=cv_form,
        note="each learner hands in their own CV",
    ),
    Rule(
        "POST",
        "/me/career/profile",
        page(learner=303, counselor=403, admin=303),
        form=lambda w: {"headline": "Aspiring SDR", "about": "I research before I write."},
    ),
    Rule(
        "GET",
        "/me/career/hand-ins/{hand_in_id}",
        page(learner=200, other_learner=404, counselor=403, admin=404),
    ),
    Rule("GET", "/api/v1/me/career/figures", api(learner=200, counselor=403, admin=200)),
    Rule(
        "POST",
        "/api/v1/me/career/cv",
        api(learner=201, counselor=403, admin=201),
        json=lambda w: CV,
    ),
    Rule(
        "POST",
        "/api/v1/me/career/profile",
        api(learner=201, counselor=403, admin=201),
        json=lambda w: {"headline": "Aspiring SDR", "about": "I research before I write."},
    ),
    Rule(
        "GET",
        "/api/v1/me/career/hand-ins/{hand_in_id}",
        api(learner=200, other_learner=404, counselor=403, admin=404),
    ),
    # ---- drills: practice without a market, handed in as a table (leadworks.drills)
    Rule("GET", "/drills/{drill_id}", page(learner=200, counselor=403, admin=200)),
    Rule(
        "POST",
        "/drills/{drill_id}",
        page(learner=303, counselor=403, admin=303),
        form=triage_form,
        note="each learner hands in their own; anonymous callers are refused by CSRF",
    ),
    Rule(
        "GET",
        "/drills/hand-ins/{drill_hand_in_id}",
        page(learner=200, other_learner=404, counselor=403, admin=404),
    ),
    Rule("GET", "/api/v1/drills", api(learner=200, counselor=200, admin=200)),
    Rule("GET", "/api/v1/drills/{drill_id}", api(learner=200, counselor=200, admin=200)),
    Rule(
        "POST",
        "/api/v1/drills/{drill_id}/hand-in",
        api(learner=201, counselor=403, admin=201),
        json=lambda w: triage_payload(),
        extra={"idempotent": True},
    ),
    Rule(
        "GET",
        "/api/v1/drills/hand-ins/{drill_hand_in_id}",
        api(learner=200, other_learner=404, counselor=403, admin=404),
    ),
]
