"""Which qualifying fact a question is after: budget, authority, need, timeline, vendor.

BANT names four facts; CHAMP's challenges, money and prioritization are the same facts
seen from the buyer (challenges ~ need, money ~ budget, prioritization ~ timeline), so a
question earns both. The current vendor is the fifth fact a call should uncover.

A question targets a fact through its question word ("who" asks about authority, "when"
about timing, "how much" about money) or through the lemmas of its words. The anchors are
lemmas, so "What are you spending", "How do you decide" and "who signs off" all land.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from grader.language import Parsed

FACTS = ("budget", "authority", "need", "timeline", "vendor")
#: A CHAMP criterion -> the BANT fact it is.
CHAMP: Mapping[str, str] = MappingProxyType(
    {"challenges": "need", "money": "budget", "prioritization": "timeline"}
)

_ANCHORS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "budget": frozenset(
            {"budget", "spend", "cost", "price", "afford", "invest", "investment", "money"}
            | {"pay", "fund", "funding", "expensive", "cheap", "dollar", "pound", "fee", "roi"}
            | {"aside", "earmark", "allocate"}  # money "set aside", "earmarked"
        ),
        "authority": frozenset(
            {"decide", "decision", "sign", "approve", "involve", "boss", "owner", "partner"}
            | {"stakeholder", "board", "responsible", "buy-in", "final", "else", "person"}
        ),
        "need": frozenset(
            {"challenge", "problem", "pain", "struggle", "issue", "goal", "frustrate"}
            | {"frustration", "difficult", "hard", "handle", "improve", "fix", "concern"}
            | {
                "gap",
                "miss",
                "lose",
                "worry",
                "biggest",
                "manage",
                "cope",
                "wrong",
                "change",
                "process",
            }
        ),
        "timeline": frozenset(
            {"timeline", "timeframe", "deadline", "quarter", "soon", "urgent", "urgency"}
            | {"priority", "plan", "start", "launch", "date", "month", "year", "deadline"}
        ),
        "vendor": frozenset(
            {"vendor", "provider", "currently", "tool", "software", "system", "agency"}
            | {"switch", "contract", "supplier", "use", "happy", "replace", "alternative"}
        ),
    }
)
_WH: Mapping[str, str] = MappingProxyType(
    {"who": "authority", "whom": "authority", "when": "timeline"}
)


def targets_of(parsed: Parsed) -> frozenset[str]:
    """The facts one question sentence is after (empty when it asks about none)."""
    found: set[str] = set()
    words = parsed.words
    for i, t in enumerate(words):
        if t.lower in _WH:
            found.add(_WH[t.lower])
        if t.lower == "how" and i + 1 < len(words) and words[i + 1].lower == "much":
            found.add("budget")
        for fact, anchors in _ANCHORS.items():
            if t.lemma in anchors or t.lower in anchors:
                found.add(fact)
    return frozenset(found)


def bant(fact: str) -> str:
    """A BANT or CHAMP criterion (or vendor) as the fact it is."""
    return CHAMP.get(fact, fact)
