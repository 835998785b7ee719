"""Claims: the outcomes a message promises, the proof behind them, and the ones that are
too good to be true or that the sender could not know.

- A **benefit** is a sentence that states an outcome ("cut", "save", "so you can"...); it
  carries **proof** with a figure or a named customer who got the result.
- A claim is **implausible** when its figure cannot be true (cutting something by more than
  100%), is far beyond what any published case shows (tripling or more, "10x"), or is
  absolute ("eliminate", "guarantee", "100%" of a result).
- A claim is **unsupported** when it states a figure about the reader's own business
  ("your bookings fell 40%") that the exercise's facts do not give: the sender made it up.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from grader import text
from grader.language import Parsed
from grader.lexicon import BENEFIT_VERBS
from grader.outreach import reading
from grader.outreach.body import Body
from grader.text import Caseless, Span

_BENEFIT_RE = Caseless(r"\b(?:" + "|".join(BENEFIT_VERBS) + r")\b")
# A figure (but not a meeting length or a clock time) or a named customer who got the result.
_PROOF_RE = re.compile(
    r"\d[\d,.]*(?![\d,.]*(?:[- ]?min|\s?[ap]\.?m\b|:\d))"
    r"|\b(?:half|a third|a quarter)\b"
    r"|\b(?:[a-z]+s like|for|helped) [A-Z]\w+"
    r"|\b[A-Z]\w+ (?:cut|reduced|grew|saw|increased|doubled|booked|filled|saved|won|went)\b"
)
_PERCENT_RE = re.compile(r"(\d{1,7}(?:\.\d+)?)\s?(?:%|percent|per cent)")
_MULTIPLE_RE = Caseless(
    r"\b(\d{1,4}(?:\.\d+)?)\s?(?:x|times|-fold|fold)\b|\b(tenfold|hundredfold)\b"
)
_DOWN_LEMMAS = frozenset(
    {"cut", "reduce", "lower", "drop", "decrease", "slash", "shrink", "halve", "remove", "fall"}
)
_ABSOLUTE_LEMMAS = frozenset(
    {"eliminate", "guarantee", "guaranteed", "eradicate", "never", "always"}
)
_CHANGE_LEMMAS = frozenset(
    {"fall", "drop", "lose", "grow", "rise", "decline", "shrink", "dip", "slide", "jump", "cost"}
)
#: Gains from which a claim is beyond any published case (percent, and "N times").
IMPLAUSIBLE_GAIN = 300.0
IMPLAUSIBLE_MULTIPLE = 5.0


@dataclass(frozen=True)
class Claim:
    span: Span
    reason: str


def benefit_sentences(body: Body, indexes: Sequence[int]) -> list[tuple[Span, bool]]:
    """Sentences stating an outcome for the reader, each with "carries proof"."""
    found = []
    for i in indexes:
        sentence = body.sentences[i].of(body.text)
        if _BENEFIT_RE.search(sentence) and len(body.sentence_words[i]) >= 5:
            found.append((body.sentences[i], bool(_PROOF_RE.search(sentence))))
    return found


def implausible_claims(body: Body) -> list[Claim]:
    """Claims no reader believes: beyond 100% down, 300%+ up, 5x+, or absolute."""
    found = []
    for i in body.core:
        parsed = body.parsed[i]
        sentence = parsed.text
        lem = reading.lemmas(parsed)
        where = body.sentences[i]
        for m in _PERCENT_RE.finditer(sentence):
            value = float(m.group(1))
            if value > 100 and lem & _DOWN_LEMMAS:
                found.append(Claim(where, f"cuts something by {m.group()}: more than all of it"))
            elif value >= IMPLAUSIBLE_GAIN:
                found.append(Claim(where, f"a gain of {m.group()} is beyond any published case"))
        for m in _MULTIPLE_RE.finditer(sentence):
            value = 10.0 if m.group(2) else float(m.group(1))
            if value >= IMPLAUSIBLE_MULTIPLE and (_BENEFIT_RE.search(sentence) or "more" in lem):
                found.append(Claim(where, f"“{m.group()}” is beyond any published case"))
        promises = _BENEFIT_RE.search(sentence) or lem & (_DOWN_LEMMAS | {"more", "again"})
        absolute = lem & _ABSOLUTE_LEMMAS or "100%" in sentence
        denied = any(t.dep == "neg" and t.lower != "never" for t in parsed.tokens)
        if _guarantees(parsed) or (promises and absolute and not denied):
            found.append(Claim(where, "promises an absolute result"))
    return _first_per_sentence(found)


def _guarantees(parsed: Parsed) -> bool:
    """The sender guarantees an outcome: "we guarantee 100% attendance"."""
    for i, t in enumerate(parsed.tokens):
        if t.lemma == "guarantee" and t.pos == "VERB" and not reading.negated(parsed, i):
            if any(parsed.tokens[c].dep in ("dobj", "ccomp", "xcomp") for c in parsed.children(i)):
                return True
    return False


def unsupported_figures(body: Body, known: Sequence[str]) -> list[Claim]:
    """Figures about the reader's business that the exercise's facts never gave."""
    given = {n for k in known for n in re.findall(r"\d+(?:\.\d+)?", k)}
    found = []
    for i in body.core:
        parsed = body.parsed[i]
        if not reading.reader_subjects(parsed) and not _owned_change(parsed):
            continue
        if not reading.lemmas(parsed) & _CHANGE_LEMMAS:
            continue
        for m in re.finditer(r"\d+(?:\.\d+)?", parsed.text):
            if m.group() not in given and _PROOF_RE.search(parsed.text[m.start() :]):
                found.append(Claim(body.sentences[i], f"“{m.group()}” about their business"))
                break
    return found


def _owned_change(parsed: Parsed) -> bool:
    """A change in something of theirs: "your bookings fell", "bookings at your studio"."""
    return any(t.lower == "your" for t in parsed.tokens)


def _first_per_sentence(claims: list[Claim]) -> list[Claim]:
    seen: set[Span] = set()
    out = []
    for c in claims:
        if c.span not in seen:
            seen.add(c.span)
            out.append(c)
    return out


def mentions_offer(body: Body, offer: str) -> bool:
    wanted = text.content_stems(offer)
    have = frozenset().union(*body.stems) if body.stems else frozenset()
    return bool(wanted) and len(wanted & have) >= min(2, len(wanted))
