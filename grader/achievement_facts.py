"""Reading the run's work facts for the achievement grade: names, shares, same text.

The platform passes what the run did as plain data (``context["work"]``); these helpers
read it defensively, since a hand-in and its facts come from outside the grader.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from difflib import SequenceMatcher
from typing import Any

#: how close (0..1) a sent text must be to the handed-in one to count as the same message
SAME_TEXT = 0.6


def _norm(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


def same_text(a: object, b: object) -> bool:
    """Whether two message texts are the same message (small edits allowed)."""
    x, y = _norm(a), _norm(b)
    if not x or not y:
        return False
    return x == y or SequenceMatcher(None, x, y, autojunk=False).ratio() >= SAME_TEXT


def clean_ids(values: object) -> list[str]:
    if not isinstance(values, Sequence) or isinstance(values, str):
        return []
    return [str(v).strip() for v in values if isinstance(v, str) and v.strip()]


def rows_of(submission: Mapping[str, object], key: str) -> list[object]:
    """A list field of a hand-in, or nothing when it is missing or not a list."""
    value = submission.get(key)
    return list(value) if isinstance(value, list | tuple) else []


def share_of(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def contact_of(work: Mapping[str, Any], contact_id: str) -> Mapping[str, Any]:
    found = (work.get("contacts") or {}).get(contact_id)
    return found if isinstance(found, Mapping) else {}


def label_of(work: Mapping[str, Any], contact_id: str) -> str:
    name = contact_of(work, contact_id).get("name")
    return str(name) if name else contact_id


def names_of(work: Mapping[str, Any], ids: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(label_of(work, i) for i in ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")


def response_fraction(facts: Mapping[str, Any]) -> tuple[float, str]:
    if facts.get("replied"):
        return 1.0, "they replied"
    if facts.get("opened"):
        return 0.5, "opened, no reply yet"
    if facts.get("bounced"):
        return 0.0, "it bounced"
    if facts.get("delivered"):
        return 0.25, "delivered, not opened"
    return 0.0, "nothing arrived"
