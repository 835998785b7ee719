"""The access test's world gets one graded CV of the learner's (for {hand_in_id})."""

from __future__ import annotations

from typing import Any

from leadworks.career.service import hand_in

CV = {
    "summary": "Aspiring SDR who researches every account before writing a first message.",
    "bullets": [
        {"text": "Researched dental practices before writing to them"},
        {"text": "Handled 40 customer calls a day", "section": "job", "heading": "Shop, 2023"},
    ],
}


def cv_form(_: Any = None) -> dict[str, str]:
    return {
        "summary": CV["summary"],
        "practice_bullets": "Researched dental practices before writing to them",
        "job_heading": "Shop assistant, 2023",
        "job_bullets": "Handled 40 customer calls a day",
    }


def career_placeholders(session: Any, *, learner: Any) -> dict[str, object]:
    submission, _ = hand_in(session=session, user=learner, kind="cv", payload=CV)
    return {"hand_in_id": submission.id}
