"""Certificate and portfolio pages: the learner's own, and the public ones employers open.

Public routes (verification, the credential's page and downloads, the JWKS, the status
list, a shared portfolio) need no account and read only what they publish: a credential
by its unguessable id, a portfolio by its live share token. Anything else is a 404 with
one message, so a wrong id and a revoked link look the same.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Path, Request
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response

from leadworks.accounts.deps import PageLearner
from leadworks.content import CatalogDep
from leadworks.core.csrf import page_router
from leadworks.core.deps import SessionDep, SettingsDep
from leadworks.core.downloads import attachment
from leadworks.core.errors import UserError
from leadworks.core.inputs import Clean
from leadworks.core.templating import flash, render
from leadworks.credentials import badge, service
from leadworks.credentials import portfolio as folio
from leadworks.credentials.keys import jwks
from leadworks.credentials.rule import describe, evaluate

me_pages = page_router("/me")
public = page_router()

CredentialId = Annotated[str, Path(pattern=service.UUID_RE.pattern, max_length=36), Clean]
ShareToken = Annotated[str, Path(min_length=20, max_length=64, pattern=r"^[A-Za-z0-9_-]+$"), Clean]


def base_url(request: Request, settings: Any) -> str:
    """Where the academy is reached: the configured public address, else this request's."""
    return settings.public_url or str(request.base_url).rstrip("/")


# ---- the learner's certificate --------------------------------------------------------------


def _certificate_page(
    request: Request, session: Any, user: Any, catalog: Any, settings: Any, **extra: Any
) -> Response:
    rule = evaluate(session=session, user_id=user.id, catalog=catalog, settings=settings)
    credential = service.live_credential(session=session, user_id=user.id)
    context = {"rule": rule, "credential": credential} | extra
    status = context.pop("status_code", 200)
    return render(request, "credentials/certificate.html", context, status_code=status)


@me_pages.get("/certificate", name="my_certificate")
def my_certificate(
    request: Request,
    session: SessionDep,
    user: PageLearner,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    return _certificate_page(request, session, user, catalog, settings)


@me_pages.post("/certificate", name="claim_certificate")
def claim_certificate(
    request: Request,
    session: SessionDep,
    user: PageLearner,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    try:
        service.issue(
            session=session,
            user=user,
            catalog=catalog,
            settings=settings,
            base=base_url(request, settings),
        )
    except UserError as error:
        session.rollback()
        return _certificate_page(
            request,
            session,
            user,
            catalog,
            settings,
            error=error.message,
            status_code=error.status_code,
        )
    flash(request, "Your certificate is issued. Download it or share your portfolio.", "success")
    return RedirectResponse("/me/certificate", status_code=303)


# ---- the learner's portfolio ----------------------------------------------------------------


def _portfolio_page(
    request: Request, session: Any, user: Any, catalog: Any, **extra: Any
) -> Response:
    share = folio.live_share(session=session, user_id=user.id)
    context = {
        "share": share,
        "work": folio.graded_work(session=session, user_id=user.id),
        "catalog": catalog,
        "credential": service.live_credential(session=session, user_id=user.id),
    } | extra
    status = context.pop("status_code", 200)
    return render(request, "credentials/portfolio_edit.html", context, status_code=status)


@me_pages.get("/portfolio", name="my_portfolio")
def my_portfolio(
    request: Request, session: SessionDep, user: PageLearner, catalog: CatalogDep
) -> Response:
    return _portfolio_page(request, session, user, catalog)


@me_pages.post("/portfolio", name="share_portfolio")
def share_portfolio(
    request: Request,
    session: SessionDep,
    user: PageLearner,
    catalog: CatalogDep,
    submission_ids: Annotated[list[int], Form(max_length=folio.MAX_ITEMS + 1)] = [],  # noqa: B006
    show_certificate: Annotated[bool, Form()] = False,
    show_profile: Annotated[bool, Form()] = False,
) -> Response:
    try:
        folio.save_share(
            session=session,
            user=user,
            submission_ids=submission_ids,
            show_certificate=show_certificate,
            show_profile=show_profile,
        )
    except UserError as error:
        return _portfolio_page(
            request, session, user, catalog, error=error.message, status_code=error.status_code
        )
    flash(request, "Your portfolio is shared: copy the link below.", "success")
    return RedirectResponse("/me/portfolio", status_code=303)


@me_pages.post("/portfolio/revoke", name="revoke_portfolio")
def revoke_portfolio(request: Request, session: SessionDep, user: PageLearner) -> Response:
    if folio.revoke_share(session=session, user=user):
        flash(request, "The link is off: nobody can open your portfolio with it now.", "success")
    return RedirectResponse("/me/portfolio", status_code=303)


@public.get("/p/{token}", name="public_portfolio")
def public_portfolio(
    request: Request, token: ShareToken, session: SessionDep, catalog: CatalogDep
) -> Response:
    share = folio.share_by_token(session=session, token=token)
    view = folio.public_portfolio(session=session, share=share, catalog=catalog)
    return render(request, "credentials/portfolio.html", {"folio": view})


# ---- public verification --------------------------------------------------------------------


@public.get("/verify", name="verify_form")
def verify_form(request: Request) -> Response:
    return render(request, "credentials/verify.html", {"verdict": None, "pasted": ""})


@public.post("/verify", name="verify_credential")
def verify_credential(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    credential: Annotated[str, Form(max_length=service.MAX_PASTE), Clean] = "",
) -> Response:
    try:
        verdict = service.verify_pasted(session=session, text=credential, settings=settings)
    except UserError as error:
        refused = {"verdict": None, "pasted": credential, "error": error.message}
        return render(request, "credentials/verify.html", refused, status_code=error.status_code)
    status = 200 if verdict.state in ("valid", "revoked", "expired") else 422
    context: dict[str, Any] = {"verdict": verdict, "pasted": credential}
    return render(request, "credentials/verify.html", context, status_code=status)


@public.get("/credentials/issuer", name="credential_issuer")
def issuer_profile(request: Request, settings: SettingsDep) -> JSONResponse:
    base = base_url(request, settings)
    return JSONResponse(
        {
            "@context": [badge.VC_CONTEXT, badge.OB_CONTEXT],
            "id": f"{base}/credentials/issuer",
            "type": ["Profile"],
            "name": "Leadworks Academy",
            "url": f"{base}/",
            "description": "Certificates are signed VC-JWTs; keys at /.well-known/jwks.json.",
        }
    )


@public.get("/credentials/criteria", name="credential_criteria")
def criteria_page(request: Request, settings: SettingsDep) -> Response:
    return render(request, "credentials/criteria.html", {"parts": describe(settings)})


@public.get("/credentials/{credential_id}", name="credential_page")
def credential_page(
    request: Request, credential_id: CredentialId, session: SessionDep, settings: SettingsDep
) -> Response:
    row = service.by_uuid(session=session, uuid=credential_id)
    verdict = service.verify_jwt(session=session, token=row.jwt, settings=settings)
    context = {"verdict": verdict, "row": row, "pasted": ""}
    return render(request, "credentials/credential.html", context)


@public.get("/credentials/{credential_id}/credential.json", name="credential_json")
def credential_json(credential_id: CredentialId, session: SessionDep) -> Response:
    row = service.by_uuid(session=session, uuid=credential_id)
    return JSONResponse(
        row.credential,
        media_type="application/ld+json",
        headers=attachment(f"leadworks-certificate-{row.uuid}.json"),
    )


@public.get("/credentials/{credential_id}/credential.jwt", name="credential_jwt")
def credential_jwt(credential_id: CredentialId, session: SessionDep) -> Response:
    row = service.by_uuid(session=session, uuid=credential_id)
    return PlainTextResponse(
        row.jwt,
        media_type="application/vc+jwt",
        headers=attachment(f"leadworks-certificate-{row.uuid}.jwt"),
    )


@public.get("/.well-known/jwks.json", name="jwks")
def jwks_document(settings: SettingsDep) -> JSONResponse:
    return JSONResponse(jwks(settings), headers={"Cache-Control": "public, max-age=3600"})


@public.get("/credentials/status/{list_no}", name="status_list")
def status_list(
    request: Request,
    list_no: Annotated[int, Path(ge=1, le=100_000)],
    session: SessionDep,
    settings: SettingsDep,
) -> Response:
    token = service.status_list(
        session=session, list_no=list_no, base=base_url(request, settings), settings=settings
    )
    return PlainTextResponse(
        token, media_type="application/vc+jwt", headers={"Cache-Control": "no-cache"}
    )
