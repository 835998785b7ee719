"""Which module grades which kind, and the one function every caller uses: :func:`grade`.

Each kind module exposes ``RUBRIC_ID``, ``RUBRIC_VERSION``, ``CHECKS`` (its declared
checks and points) and ``grade_submission(submission, context) -> Grade``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Protocol

from grader import (
    achievement,
    activity_plan,
    call,
    critique,
    crm_hygiene,
    cv,
    decisions,
    deliverability,
    handoff,
    icp,
    interview,
    outreach,
    profile,
    prospect_list,
    qualification,
    quiz,
    replies,
    report,
    sequence,
    triage,
)
from grader.errors import GradingError, SubmissionError
from grader.fields import top_level
from grader.language import LanguageModelMissing
from grader.results import Grade
from grader.rubric import CheckSpec

_LOG = logging.getLogger("grader")


class KindModule(Protocol):
    """What a kind module must provide (modules satisfy this protocol structurally)."""

    @property
    def RUBRIC_ID(self) -> str: ...
    @property
    def RUBRIC_VERSION(self) -> str: ...
    @property
    def CHECKS(self) -> Sequence[CheckSpec]: ...

    def grade_submission(
        self, submission: Mapping[str, object], context: Mapping[str, object]
    ) -> Grade: ...


#: kind -> the module that grades it. Iterating gives the kind names.
KINDS: Mapping[str, KindModule] = MappingProxyType(
    {
        "outreach": outreach,
        "sequence": sequence,
        "prospect_list": prospect_list,
        "qualification": qualification,
        "report": report,
        "quiz": quiz,
        "call": call,
        "profile": profile,
        "cv": cv,
        "handoff": handoff,
        "interview": interview,
        "replies": replies,
        "activity_plan": activity_plan,
        "crm_hygiene": crm_hygiene,
        "deliverability": deliverability,
        "critique": critique,
        "triage": triage,
        "decisions": decisions,
        "icp": icp,
    }
)

#: kind -> the rubric version a new grade of that kind will record.
RUBRIC_VERSIONS: Mapping[str, str] = MappingProxyType(
    {kind: module.RUBRIC_VERSION for kind, module in KINDS.items()}
)


def grade(
    kind: str, submission: Mapping[str, object], context: Mapping[str, object] | None = None
) -> Grade:
    """Grade one submission of ``kind`` against its exercise ``context``.

    A context with ``work`` (facts about the run) adds what the learner achieved in the
    run (:mod:`grader.achievement`). Raises :class:`SubmissionError` (naming the field)
    for malformed input and :class:`GradingError` for a fault inside the grader; weak work
    is a low-scoring Grade.
    """
    module = _module_for(kind)
    sub, ctx = top_level(submission, context)
    try:
        form = module.grade_submission(sub, ctx)
        if not achievement.applies(kind, ctx):
            return form
        return achievement.combine(kind, form, sub, ctx, outreach.grade_submission)
    except (SubmissionError, GradingError, LanguageModelMissing):
        raise  # a missing model is an install problem, reported as itself
    except Exception as exc:
        _LOG.exception("grader fault in kind %r", kind)
        raise GradingError(kind, f"{type(exc).__name__}: {exc}") from exc


def _module_for(kind: object) -> KindModule:
    if not isinstance(kind, str):
        raise SubmissionError("kind", "must be a string", source="")
    module = KINDS.get(kind)
    if module is None:
        raise SubmissionError(
            "kind", f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}", source=""
        )
    return module
