"""How sandbox values read on a page: labels for machine names, times, money, excerpts.

Pure functions and tables (no request, no database), shared by the learner's pages and
their templates, which receive ``when``, ``money``, ``label`` and ``excerpt`` by name.
"""

from __future__ import annotations

from datetime import datetime

from course.vocabulary import CHANNELS, EXERCISE_KINDS, INBOUND_SOURCES, SENIORITIES, STAGE_LABELS

CHANNEL_LABELS = {**CHANNELS, **INBOUND_SOURCES}
KIND_LABELS = EXERCISE_KINDS
SENIORITY_LABELS = SENIORITIES
REPLY_LABELS = {
    "interested": "Interested",
    "curious": "Curious",
    "not_now": "Not now",
    "referral": "Referral",
    "objection_tool": "Has a tool",
    "objection_price": "Price objection",
    "not_interested": "Not interested",
}
POSITIVE_REPLIES = frozenset({"interested", "curious", "not_now"})
DECISION_LABELS = {
    "advance": "Advance to sales",
    "nurture": "Nurture",
    "disqualify": "Disqualify",
}


def when(iso: str | None, style: str = "long") -> str:
    """Simulated time as people read it: 'Mon 3 Mar 2025, 13:00 UTC'."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if style == "short":
        return f"{moment:%a} {moment.day} {moment:%b}, {moment:%H:%M}"
    if style == "date":
        return f"{moment:%a} {moment.day} {moment:%b %Y}"
    return f"{moment:%a} {moment.day} {moment:%b %Y}, {moment:%H:%M} UTC"


def money(amount: float | int | None) -> str:
    """Dollars without cents when there are none: '$250', '$12.50', '—' for unknown."""
    if amount is None:
        return "—"
    value = float(amount)
    return f"${value:,.0f}" if value.is_integer() else f"${value:,.2f}"


def label(name: str | None) -> str:
    """A machine name as a label: 'c_level' -> 'C-level', 'size_band' -> 'Size band'."""
    if not name:
        return ""
    for table in (SENIORITY_LABELS, CHANNEL_LABELS, REPLY_LABELS, STAGE_LABELS):
        if name in table:
            return table[name]
    return name.replace("_", " ").capitalize()


def excerpt(text: str | None, limit: int = 160) -> str:
    """The text on one line, cut at ``limit`` characters with an ellipsis."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


#: What every sandbox template may call, whatever page it renders.
#: the handoff note's fields as the pages label them (grader.handoff reads the same names)
HANDOFF_FIELDS = (
    ("pains", "Pains, in the buyer's words"),
    ("stakeholders", "Who decides"),
    ("budget", "Budget"),
    ("timeline", "Timeline"),
    ("current_vendor", "Current vendor"),
    ("next_meeting", "The meeting agreed (day and time)"),
    ("notes", "Anything else the account executive should know"),
)

FORMATTERS = {"when": when, "money": money, "label": label, "kind_labels": KIND_LABELS}
