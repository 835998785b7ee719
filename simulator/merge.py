"""Merge fields: ``{{first_name}}``-style placeholders rendered per contact.

A field with no value (an unknown name, or ``{{fact}}`` for a company the learner never
researched) stays in the text as written, braces and all, exactly as a careless mail merge
would send it; the grader's analysis flags it and the prospect's reply chance drops.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MERGE_RE = re.compile(r"\{\{\s*([a-zA-Z_]+)\s*\}\}")

FIELDS: dict[str, str] = {
    "first_name": "the contact's first name",
    "last_name": "the contact's last name",
    "full_name": "first and last name",
    "title": "job title",
    "company": "company name",
    "city": "company's city",
    "segment": "what the company is (gym, salon, practice...)",
    "pain": "the pain this contact cares about most (public: from their posts and reviews)",
    "tool": "a tool the company uses",
    "fact": "the first researched fact about the company (empty until you view the profile)",
    "sender_name": "your client's sender name",
    "sender_company": "your client's company",
    "sender_address": "your client's postal address",
    "offer": "your client's offer",
}


def render(template: str, values: Mapping[str, str | None]) -> tuple[str, tuple[str, ...]]:
    """(rendered text, names of fields left unfilled)."""
    missing: list[str] = []

    def substitute(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if not value:
            missing.append(match.group(1))
            return match.group(0)
        return value

    return MERGE_RE.sub(substitute, template), tuple(missing)


def fields_in(template: str) -> tuple[str, ...]:
    return tuple(m.group(1) for m in MERGE_RE.finditer(template))


def render_submission(
    submission: Mapping[str, Any], values: Mapping[str, str | None]
) -> dict[str, Any]:
    """A hand-in with the merge fields of its texts filled in (subject, body, each step's)."""
    out = dict(submission)
    for key in ("subject", "body"):
        if isinstance(out.get(key), str):
            out[key] = render(out[key], values)[0]
    if isinstance(out.get("steps"), list):
        steps = []
        for step in out["steps"]:
            step = dict(step) if isinstance(step, Mapping) else step
            if isinstance(step, dict):
                for key in ("subject", "body"):
                    if isinstance(step.get(key), str):
                        step[key] = render(step[key], values)[0]
            steps.append(step)
        out["steps"] = steps
    return out
