"""The application factory: settings in, a ready FastAPI app out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from starlette.middleware.sessions import SessionMiddleware

from grader.language import language
from leadworks.accounts.deps import user_for_error_page
from leadworks.content import content_for, term_links
from leadworks.core.body_limit import BodyLimitMiddleware
from leadworks.core.config import Environment, Settings
from leadworks.core.db import make_engine
from leadworks.core.errors_http import install_error_handlers
from leadworks.core.headers import SecurityHeadersMiddleware
from leadworks.core.memory import limit_malloc_arenas
from leadworks.core.openapi import install_openapi
from leadworks.core.templating import templates
from leadworks.core.write_intent import WriteIntentMiddleware
from leadworks.navigation import build_navigation
from leadworks.practice.live import LiveSandboxes
from leadworks.routes import include_routers
from leadworks.submissions.labels import check_label, field_label
from simulator.world_cache import WORLDS, freeze_survivors

log = logging.getLogger("leadworks")
STATIC_DIR = Path(__file__).resolve().parent / "static"
SESSION_COOKIE = "leadworks_session"


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> FastAPI:
    """Build the whole platform. Tests pass their own settings and engine."""
    settings = settings or Settings()
    limit_malloc_arenas(settings.malloc_arenas)
    engine = engine or make_engine(settings)
    # words instead of machine names on every page (grade checks, field paths)
    templates.env.filters.update(check_label=check_label, field_label=field_label)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The grader's language layer judges every message a learner sends: load it before
        # serving, so a missing model stops the server with its install hint instead of
        # failing the first learner's send.
        await asyncio.to_thread(language)
        # It lives as long as the worker (hundreds of thousands of objects): like what
        # asgi.py freezes at import, keep it out of every later collection's walk.
        freeze_survivors()
        yield
        if app.state.owns_engine:
            engine.dispose()

    app = FastAPI(
        title="Leadworks Academy",
        version="0.1.0",
        summary="Career training for lead generators: course, practice sandbox, grader, "
        "counselor workspace.",
        lifespan=lifespan,
        docs_url=None,  # served from local assets in leadworks.routes (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.owns_engine = True
    app.state.content = content_for(settings)
    templates.env.globals["term"] = term_links(app.state.content.catalog.glossary)
    app.state.sandboxes = LiveSandboxes(
        app.state.content.exercises_dir,
        seed_secret=settings.secret_key,
        capacity=settings.sandbox_cache_runs,
        budget_bytes=settings.sandbox_cache_mb * 1_000_000,
        snapshot_every=settings.snapshot_every,
    )
    WORLDS.configure(
        budget_bytes=settings.world_cache_mb * 1_000_000, capacity=settings.world_cache_worlds
    )

    app.add_middleware(WriteIntentMiddleware)
    production = settings.env is Environment.production
    app.add_middleware(
        SecurityHeadersMiddleware, hsts_seconds=settings.hsts_seconds if production else 0
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret_key,
        session_cookie=SESSION_COOKIE,
        max_age=settings.session_max_age_seconds,
        same_site="lax",
        https_only=production,
    )
    # added last, so outermost: a too-large body is refused before sessions and auth
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    include_routers(app)
    install_openapi(app)
    app.state.navigation = build_navigation(app)
    app.state.error_page_user = user_for_error_page
    mount_course(app, settings)
    return app


def mount_course(app: FastAPI, settings: Settings) -> None:
    """Serve the built course site at /course/, or say how to build it."""
    site = settings.course_site_dir
    if (site / "index.html").exists():
        app.mount("/course", StaticFiles(directory=site, html=True), name="course")
    else:
        log.warning("course site not built at %s: run `leadworks course build`", site)
        app.state.course_missing = True
