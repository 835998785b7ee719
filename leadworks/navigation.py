"""The navigation bar per role, composed by the app from its named routes.

It lives at the top of the platform because it names every domain's pages; the shared
templating code in ``core`` only reads the result from ``app.state.navigation``, so the
core knows no domain and a moved route updates the bar by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from leadworks.accounts.models import Role
from leadworks.core.templating import NavItem

COURSE = "/course/"  # the built course site, a static mount

_LINKS: dict[Role | None, tuple[tuple[str, str], ...]] = {
    None: (("Course", COURSE), ("Log in", "login_form")),
    Role.learner: (
        ("Dashboard", "home"),
        ("Course", COURSE),
        ("Practice", "sandbox_home"),
        ("My progress", "my_progress"),
        ("Exams", "exams_home"),
        ("Feedback", "my_feedback"),
        ("CV", "career_cv"),
        ("Certificate", "my_certificate"),
    ),
    Role.counselor: (("Dashboard", "home"), ("Cohorts", "counsel_home"), ("Course", COURSE)),
    Role.admin: (
        ("Dashboard", "home"),
        ("Cohorts", "admin_cohorts"),
        ("Users", "admin_users"),
        ("Outbox", "admin_outbox"),
        ("Counsel", "counsel_home"),
        ("Course", COURSE),
        ("API", "api_docs"),
    ),
}


def build_navigation(app: FastAPI) -> Callable[[Any], tuple[NavItem, ...]]:
    """``navigation(user)`` for this app: route names resolved once, at start-up."""

    def href(target: str) -> str:
        return target if target.startswith("/") else app.url_path_for(target)

    bars = {
        role: tuple(NavItem(label, href(target)) for label, target in links)
        for role, links in _LINKS.items()
    }

    def navigation(user: Any) -> tuple[NavItem, ...]:
        return bars[user.role if user is not None else None]

    return navigation
