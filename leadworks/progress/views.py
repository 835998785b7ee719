"""The course site's progress calls (/learn, cookie session) and the learner's own pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ConfigDict, Field, create_model

from leadworks.accounts.deps import OptionalPageUser, PageUser
from leadworks.content import CatalogDep
from leadworks.core.csrf import csrf_protect, csrf_token, page_router
from leadworks.core.deps import SessionDep
from leadworks.core.errors import UserError
from leadworks.core.inputs import Key, Passage, PathKey
from leadworks.core.templating import flash, render
from leadworks.progress.service import (
    CERTIFICATIONS,
    INDUSTRIES,
    SKILLS,
    course_progress,
    get_profile,
    lesson_status,
    mark_complete,
    record_quiz,
)
from leadworks.progress.service import save_profile as save_profile_service

learn = APIRouter(prefix="/learn", tags=["course progress"], dependencies=[Depends(csrf_protect)])
me_pages = page_router("/me")


@learn.get("/session", summary="Who is reading the course (for the course site's widget)")
def learn_session(request: Request, user: OptionalPageUser) -> dict[str, Any]:
    if user is None:
        return {"authenticated": False}
    return {
        "authenticated": True,
        "name": user.name,
        "role": user.role.value,
        "csrf_token": csrf_token(request),
    }


@learn.get("/lessons/{lesson_id}", summary="A lesson's completion and best quiz result")
def learn_lesson(
    lesson_id: PathKey, session: SessionDep, user: PageUser, catalog: CatalogDep
) -> dict[str, Any]:
    return lesson_status(session=session, user=user, catalog=catalog, lesson_id=lesson_id).to_dict()


@learn.post("/lessons/{lesson_id}/complete", summary="Mark a lesson complete")
def learn_complete(
    lesson_id: PathKey, session: SessionDep, user: PageUser, catalog: CatalogDep
) -> dict[str, Any]:
    return mark_complete(session=session, user=user, catalog=catalog, lesson_id=lesson_id).to_dict()


@learn.post("/lessons/{lesson_id}/quiz", summary="Grade and record a quiz attempt")
def learn_quiz(
    lesson_id: PathKey,
    session: SessionDep,
    user: PageUser,
    catalog: CatalogDep,
    answers: Annotated[Any, Body(embed=True)],
) -> dict[str, Any]:
    attempt = record_quiz(
        session=session, user=user, catalog=catalog, lesson_id=lesson_id, answers=answers
    )
    return attempt.grade | {"recorded": True, "attempt_id": attempt.id}


@me_pages.get("/progress", name="my_progress")
def my_progress(
    request: Request, session: SessionDep, user: PageUser, catalog: CatalogDep
) -> Response:
    assert user.id is not None
    modules = course_progress(session=session, user_id=user.id, catalog=catalog)
    done = sum(m.done for m in modules)
    total = sum(m.total for m in modules)
    context = {"modules": modules, "done": done, "total": total}
    return render(request, "progress/my_progress.html", context)


def _profile_context(profile: Any, **extra: Any) -> dict[str, Any]:
    return {
        "profile": profile,
        "skills": SKILLS,
        "industries": INDUSTRIES,
        "certifications": CERTIFICATIONS,
    } | extra


@me_pages.get("/profile", name="my_profile")
def my_profile(request: Request, session: SessionDep, user: PageUser) -> Response:
    return render(
        request, "progress/profile.html", _profile_context(get_profile(session=session, user=user))
    )


Choices = Annotated[list[Key], Field(max_length=50)]
ProfileForm = create_model(
    "ProfileForm",
    __config__=ConfigDict(extra="ignore"),
    target_industries=(Choices, []),
    planned_certifications=(Choices, []),
    goal=(Passage, ""),
    **{f"skill_{name}": (Key, "") for name in SKILLS},
)


@me_pages.post("/profile", name="save_profile")
def save_profile(
    request: Request,
    form: Annotated[ProfileForm, Form()],  # type: ignore[valid-type]
    session: SessionDep,
    user: PageUser,
) -> Response:
    fields = form.model_dump()
    skills = {
        key.removeprefix("skill_"): value
        for key, value in fields.items()
        if key.startswith("skill_") and value
    }
    industries = list(fields["target_industries"])
    certifications = list(fields["planned_certifications"])
    goal = fields["goal"]
    try:
        save_profile_service(
            session=session,
            user=user,
            skills=skills,
            target_industries=industries,
            planned_certifications=certifications,
            goal=goal,
        )
    except UserError as error:
        typed = {
            "skills": skills,
            "target_industries": industries,
            "planned_certifications": certifications,
            "goal": goal,
        }
        context = _profile_context(typed, error=error.message)
        return render(request, "progress/profile.html", context, status_code=error.status_code)
    flash(request, "Your self-assessment is saved. Your counselor can see it.", "success")
    return RedirectResponse("/me/profile", status_code=303)
