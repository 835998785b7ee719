"""Where routers are combined: the one place to see every URL the platform answers."""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from leadworks.accounts import admin_views as accounts_admin
from leadworks.accounts import self_service
from leadworks.accounts import views as accounts
from leadworks.accounts.deps import page_role
from leadworks.accounts.models import Role
from leadworks.career import views as career
from leadworks.cohorts import views as cohorts
from leadworks.core.db import database_answers
from leadworks.counsel import api as counsel_api
from leadworks.counsel import exams as counsel_exams
from leadworks.counsel import rescore_views as counsel_rescore
from leadworks.counsel import views as counsel
from leadworks.credentials import counsel_views as credentials_counsel
from leadworks.credentials import views as credentials
from leadworks.credentials.rule import parts_in_force
from leadworks.drills import api as drills_api
from leadworks.drills import views as drills_views
from leadworks.exams import views as exams
from leadworks.feedback import api as feedback_api
from leadworks.feedback import views as feedback_views
from leadworks.mail import views as mail_views
from leadworks.practice import api as sandbox_api
from leadworks.practice import views as sandbox_views
from leadworks.progress import views as progress

SWAGGER_A11Y_CSS = "/static/css/swagger-a11y.css"


def accessible_docs(html: str) -> str:
    """FastAPI's Swagger UI page with a language and, after Swagger UI's own sheet, the
    darker colours that pass WCAG AA contrast (issue #15, item 8)."""
    html = html.replace("<html>", '<html lang="en">', 1)
    link = f'<link type="text/css" rel="stylesheet" href="{SWAGGER_A11Y_CSS}">'
    return html.replace("</head>", f"{link}\n</head>", 1)


def include_routers(app: FastAPI) -> None:
    # a misspelt LEADWORKS_CREDENTIAL_RULE stops the start, not the first certificate page
    parts_in_force(app.state.settings)
    app.include_router(accounts.pages)
    app.include_router(self_service.account_pages)
    app.include_router(self_service.password_pages)
    app.include_router(accounts_admin.admin_user_pages)
    # The mail domain sits below accounts and knows no users: its gate is attached here.
    app.include_router(mail_views.pages, dependencies=[Depends(page_role(Role.admin))])
    app.include_router(cohorts.pages)
    app.include_router(cohorts.admin_pages)
    app.include_router(progress.me_pages)
    app.include_router(progress.learn)
    app.include_router(accounts.api)
    app.include_router(cohorts.api)
    app.include_router(counsel.pages)
    app.include_router(counsel_rescore.pages)
    app.include_router(counsel_exams.pages)
    app.include_router(counsel_exams.api)
    app.include_router(exams.pages)
    app.include_router(exams.api)
    app.include_router(credentials_counsel.pages)
    app.include_router(credentials.me_pages)
    app.include_router(credentials.public)
    app.include_router(career.me_pages)
    app.include_router(career.api)
    app.include_router(drills_views.pages)
    app.include_router(drills_api.api)
    app.include_router(feedback_views.me_pages)
    app.include_router(counsel_api.api)
    app.include_router(feedback_api.api)
    app.include_router(sandbox_api.api)
    app.include_router(sandbox_views.pages)

    @app.get("/healthz", tags=["ops"], summary="200 when the database answers")
    def healthz(request: Request) -> JSONResponse:
        if database_answers(request.app.state.engine):
            return JSONResponse({"status": "ok"})
        return JSONResponse({"status": "unavailable", "detail": "database"}, status_code=503)

    @app.get("/docs", include_in_schema=False, name="api_docs")
    def api_docs() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Leadworks Academy API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
            # deep links put a link inside each operation's toggle button (axe:
            # nested-interactive); the operations stay reachable by their ids
            swagger_ui_parameters={"deepLinking": False},
        )
        return HTMLResponse(accessible_docs(bytes(page.body).decode()))
