"""The footer of an email: the opt-out line and the sender's postal address (CAN-SPAM).

Found by pattern, not by the language model: these lines are legal boilerplate with a
fixed vocabulary, and they must be found even in a message the model cannot read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from grader.text import WORD_RE, Caseless, Span, line_at, phrase_pattern, sentence_at

_OPT_OUT_RE = Caseless(
    r"\bunsubscribe\b|\bopt[- ]?out\b"
    r"|\breply (?:with )?[\"'“‘]?(?:stop|no|remove|unsubscribe|not interested)\b"
    r"|\b(?:won['’]?t|will not|never|not) (?:email|e-mail|contact|write|message|bother|"
    r"follow up|reach out)\w*(?: to| with)? (?:you )?(?:again|further)\b"
    r"|\b(?:i['’]?ll|i will|we['’]?ll|we will) (?:stop|not (?:email|write|contact|follow up))"
    r"|\bremove you from\b|\btake you off\b|\bno more (?:emails|messages)\b"
    r"|\b(?:rather|prefer) not to (?:hear|get|receive)\b|\bhear from (?:me|us) again\b",
)
_STREET_RE = re.compile(
    r"\b\d{1,5}[A-Za-z]?,?\s+(?:[A-Z][\w'’.-]*\s+){0,4}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Way|Court|Ct|Place|Pl|"
    r"Square|Sq|Parkway|Pkwy|Highway|Hwy|Terrace|Close|Crescent|Row|Walk|Gardens|Park|"
    r"Plaza|Hill|Quay|Wharf|Mews|Broadway)\b"
    r"|\bP\.?\s?O\.? Box \d+"
    r"|\b[A-Z]{2} \d{5}(?:-\d{4})?\b"  # US state + ZIP
    r"|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b"  # UK postcode
    r"|\b[A-Z]\d[A-Z] \d[A-Z]\d\b"  # Canadian postcode
)


#: A short question just before the opt-out belongs to it ("Not interested? Reply STOP.").
_LEAD_IN_WORDS = 5
_NEGATIVE_RE = re.compile(r"\b(?:not|no|n['’]t|wrong|rather)\b", re.IGNORECASE)


def opt_out(text: str, spans: Sequence[Span]) -> Span | None:
    """The sentence that tells the reader how to stop further messages, if any, together
    with a short lead-in question on the same line ("Not the right time?")."""
    m = _OPT_OUT_RE.search(text)
    if not m:
        return None
    found = sentence_at(spans, m.start())
    if found is None:
        return Span(m.start(), m.end())
    i = spans.index(found)
    if i > 0:
        before = spans[i - 1]
        lead_in = before.of(text)
        gap = text[before.end : found.start].count("\n")
        # On the same line, or alone on the line above when it says no ("Not interested?").
        attached = gap == 0 or (gap == 1 and _NEGATIVE_RE.search(lead_in) is not None)
        if attached and lead_in.endswith("?") and len(WORD_RE.findall(lead_in)) <= _LEAD_IN_WORDS:
            return Span(before.start, found.end)
    return found


def postal_address(text: str, known: str | None) -> Span | None:
    """The line holding the sender's postal address.

    With the sender's address from the context, its first part ("12 Harbour Street") is
    searched for, ignoring case, spacing and commas; otherwise (or if that fails) a street
    line, PO box or postcode pattern is accepted.
    """
    if known:
        pattern = phrase_pattern(known.replace("\n", ",").split(",")[0], r"[\s,.]+")
        m = pattern.search(text) if pattern else None
        if m:
            return line_at(text, m.start())
    m = _STREET_RE.search(text)
    return line_at(text, m.start()) if m else None
