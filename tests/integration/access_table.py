"""Who may call what: every route the platform answers, and the status each role gets.

Roles: anon (no login), learner (in the cohort), other_learner (in another cohort),
counselor (assigned to the cohort), other_counselor (assigned to another cohort), admin.
Path placeholders are filled from the test's world: {cohort_id} is the learner's cohort.
A route missing from this table fails test_every_route_is_in_the_access_table; later
features add their rows here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
    # ---- sandbox JSON API ({run_id} is the learner's run; anyone else's is 404)
    Rule("GET", "/api/v1/exercises", api(learner=200, counselor=200, admin=200)),
    Rule("GET", "/api/v1/exercises/{exercise_id}", api(learner=200, counselor=200, admin=200)),
    Rule("POST", "/api/v1/exercises/{exercise_id}/runs", api(learner=201, counselor=201, admin=201)),
    Rule("GET", "/api/v1/runs", api(learner=200, counselor=200, admin=200)),
    Rule("GET", "/api/v1/runs/{run_id}", OWN_RUN),
    Rule("GET", "/api/v1/runs/{run_id}/prospects", OWN_RUN),
    Rule("GET", "/api/v1/runs/{run_id}/contacts/{contact_id}", OWN_RUN),
    Rule("GET", "/api/v1/runs/{run_id}/events", OWN_RUN),
    Rule("POST", "/api/v1/runs/{run_id}/actions", OWN_RUN, json=lambda w: {"type": "advance_clock", "hours": 1},
         extra={"idempotent": True}),
    Rule("POST", "/api/v1/runs/{run_id}/submission", api(learner=422, other_learner=404, counselor=404, admin=404),
         json=lambda w: {"submission": {}}, extra={"idempotent": True}),
    Rule("GET", "/api/v1/runs/{run_id}/grade", api(learner=404, counselor=404, admin=404),
         note="404 for the owner too: the run is not handed in yet"),
    Rule("GET", "/api/v1/runs/{run_id}/debrief", api(learner=404, counselor=404, admin=404)),
    # ---- JSON API
    Rule(
        "POST",
        "/api/v1/auth/token",
        everyone(400),
        form=lambda w: {"username": "x@example.org", "password": "wrong-password"},
    ),
    Rule("GET", "/api/v1/me", api(learner=200, counselor=200, admin=200)),
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
