"""Buying signals: what a company's researched facts say about its moment (funding, hiring,
a new location, a technology change...), named once for the search filter, the profile
marks and the ICP.

Why derived from the facts and not stored: the facts are the world's record, and each
carries a tag (``hiring``, ``growth``...). A new location is a growth fact about opening
one (a branch, an office, a second site), so it is read from the fact itself; nothing new
is drawn, and the world (and its digests) stays as it was.
"""

from __future__ import annotations

from .market import Company

#: signal -> label, in the order a filter lists them.
SIGNAL_LABELS: dict[str, str] = {
    "funding": "Raised funding",
    "hiring": "Hiring",
    "new_location": "New location",
    "growth": "Growth",
    "tech_change": "Technology change",
    "leadership_change": "New leadership",
    "new_service": "New service",
    "pain_signal": "Pain signal",
    "event": "Event",
    "award": "Award",
    "review": "Reviews",
}
SIGNALS: tuple[str, ...] = tuple(SIGNAL_LABELS)


def _opens_a_site(tag: str, text: str) -> bool:
    return tag == "growth" and text.startswith("opened ")


def company_signals(company: Company) -> frozenset[str]:
    """Every signal a company's facts show (a new location is also growth)."""
    found = set(company.fact_tags)
    if any(_opens_a_site(t, f) for t, f in zip(company.fact_tags, company.facts, strict=False)):
        found.add("new_location")
    return frozenset(found)


def fact_signals(company: Company) -> list[tuple[str, tuple[str, ...]]]:
    """Each fact with the signals it shows, for a profile to mark."""
    out: list[tuple[str, tuple[str, ...]]] = []
    for tag, text in zip(company.fact_tags, company.facts, strict=False):
        shown = (tag, "new_location") if _opens_a_site(tag, text) else (tag,)
        out.append((text, shown))
    return out
