"""Finding the figures a CV claims about the learner's practice, and checking them.

Why a separate module: the truth check is the heart of the ``cv`` kind and has its own
rules. A *claim* is a number tied to one of the figures the platform keeps (meetings
booked, reply rate, contacts researched, compliance violations, simulated runs, exercises
completed, scores), found by documented patterns, no language model. A number tied to a
figure the platform does not keep (calls, deals, revenue...) is a claim with no record
behind it. Figures under an outside-job heading are not read at all.

Rules (docs/rubrics.md "CV"): counts and rates may be understated but not overstated
(a rate within half a point of the record counts as the record, rounded); a compliance
claim ("no violations", "100% compliant") must equal the record exactly; a score may
not exceed the best score on record.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

#: figure name -> how the figure is said to the learner.
FIGURES: Mapping[str, str] = {
    "reply_rate": "reply rate",
    "compliance_violations": "compliance violations",
    "best_score": "best score",
    "meetings_booked": "meetings booked",
    "contacts_researched": "contacts researched",
    "runs_completed": "simulated runs completed",
    "exercises_completed": "exercises completed",
}

_I = re.IGNORECASE
_NUM = r"(?P<n>\d[\d,]*(?:\.\d+)?)"
_PCT = r"(?:\s*%|\s+per ?cent)"  # "15%", "15 percent"
_GAP = r"(?:(?![\d])[\w'-]+\s+){0,2}?"  # up to two words, none of them a number

#: (figure, pattern) in priority order: the first pattern to claim a number owns it.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "reply_rate",
        re.compile(_NUM + _PCT + r"\s+" + _GAP + r"(?:reply|replies|response)(?:\s+rate)?", _I),
    ),
    (
        "reply_rate",
        re.compile(
            r"\b(?:reply|response) rate\W{0,3}(?:(?:of|was|at|to|reached)\s+)?" + _NUM + _PCT, _I
        ),
    ),
    (
        "compliance_violations",
        re.compile(
            r"\b(?P<n>\d+|zero|no)\s+" + _GAP + r"(?:violations?|breaches|complaints)\b", _I
        ),
    ),
    ("compliance_violations", re.compile(r"(?P<n>100)\s*%\s+(?:compliant|compliance)\b", _I)),
    ("best_score", re.compile(_NUM + r"\s*(?:%|/\s*100)?\s+" + _GAP + r"(?:score|grade)", _I)),
    (
        "best_score",
        re.compile(r"\b(?:scor\w*|averag\w*|grade[ds]?)\s+(?:of\s+|an?\s+)?" + _NUM, _I),
    ),
    ("meetings_booked", re.compile(r"\b" + _NUM + r"\s+" + _GAP + r"meetings?\b", _I)),
    ("meetings_booked", re.compile(r"\bmeetings?(?: booked)?\s*[:=]\s*" + _NUM, _I)),
    (
        "contacts_researched",
        re.compile(r"\b(?:contacts|prospects|accounts) researched\s*[:=]\s*" + _NUM, _I),
    ),
    (
        "contacts_researched",
        re.compile(
            r"\b" + _NUM + r"\s+" + _GAP + r"(?:contacts|prospects|accounts|leads|companies"
            r"|businesses)\b",
            _I,
        ),
    ),
    ("runs_completed", re.compile(r"\b" + _NUM + r"\s+" + _GAP + r"(?:campaigns?|runs?)\b", _I)),
    (
        "exercises_completed",
        re.compile(r"\b" + _NUM + r"\s+" + _GAP + r"(?:exercises?|assignments?|hand-ins?)\b", _I),
    ),
    (
        "untracked",
        re.compile(
            r"(?:[$£€]\s?\d[\d,.]*\s*[kKmM]?|\b\d[\d,]*\s+" + _GAP + r"(?:calls|dials|deals"
            r"|demos|opportunities|sales|clients|customers)\b)",
            _I,
        ),
    ),
)


@dataclass(frozen=True)
class Claim:
    """One figure claimed in a text: where it is, which figure, what value."""

    figure: str
    start: int
    end: int
    value: float | None  # None for untracked figures


def _value(raw: str) -> float:
    word = raw.lower()
    if word in {"zero", "no"}:
        return 0.0
    return float(word.replace(",", ""))


def find_claims(text: str) -> list[Claim]:
    """Every figure claimed in ``text``, each number owned by the first pattern to match it."""
    claims: list[Claim] = []
    taken: list[tuple[int, int]] = []
    for figure, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            if figure == "untracked":
                value = None
            elif figure == "compliance_violations" and m.group("n") == "100":
                value = 0.0  # "100% compliant" claims no violations
            else:
                value = _value(m.group("n"))
            taken.append((m.start(), m.end()))
            claims.append(Claim(figure, m.start(), m.end(), value))
    return sorted(claims, key=lambda c: c.start)


def record(records: Mapping[str, object], figure: str) -> float | None:
    """The learner's figure, or None when the records hold none."""
    if figure == "best_score":
        value = records.get("best_score", records.get("average_score"))
    else:
        value = records.get(figure)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def show(figure: str, value: float) -> str:
    """A figure as the learner reads it: ``4%`` for a rate, ``6`` for a count."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return text + "%" if figure == "reply_rate" else text


def matches(figure: str, claimed: float, true: float) -> bool:
    """Whether a claimed value is honest against the record (rules in the module doc)."""
    if figure == "compliance_violations":
        return claimed == true
    if figure in {"reply_rate", "best_score"}:
        return claimed <= true + 0.5
    return claimed <= true
