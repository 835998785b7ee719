"""The asks of a message: which sentences ask the reader for something, and what for.

A sentence asks when it is a question put to the reader, an imperative ("Let me know",
"Point me to..."), or a first-person offer that waits for a yes ("Happy to send the
checklist if useful"). Its kind comes from its structure:

- ``referral``: asks *who* (the right person, who handles it);
- ``permission``: the sender asks leave ("Mind if I...", "Can I ask...", "Do you have
  30 seconds?", "Is now a bad time?");
- ``resource``: offers to send or share something;
- ``meeting``: asks for time (a duration, a day or hour, a call or demo);
- ``opinion``: an open how/what question about their situation;
- ``interest``: any other yes/no question about the problem or the offer;
- ``small_talk``: "How are you today?" (no topic, only the reader's mood);
- ``loaded``: a rhetorical or guilt question (see :mod:`grader.outreach.tone`): not an ask.

The opt-out line and follow-ons ("If so, ...") are never asks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from grader.language import Parsed, Token
from grader.outreach import reading
from grader.outreach.body import Body
from grader.outreach.tone import loaded_question
from grader.text import Caseless, Span

GOOD_ASKS = frozenset({"interest", "referral", "permission", "resource", "opinion", "meeting"})

_GIVE_VERBS = frozenset({"send", "share", "forward", "show", "pass", "drop", "email"})
_TIME_VERBS = frozenset({"book", "schedule", "grab", "meet", "chat", "talk", "hop", "jump"})
_TIME_NOUNS = frozenset(
    {"call", "chat", "meeting", "demo", "coffee", "walkthrough", "slot", "calendar", "zoom"}
)
_PERSON_NOUNS = frozenset({"person", "someone", "somebody", "colleague", "contact", "who"})
_DESIRE = frozenset({"curious", "wonder", "love", "like", "keen", "interested", "eager"})
_FOLLOW_ON_RE = Caseless(r"^(?:p\.?s\.?\s*)?if (?:so|yes|not|that|it does|you are|you're)\b")
_PUSHY_RE = Caseless(
    r"\bact now\b|\b(?:reply|respond|call me|answer|decide) (?:today|now|asap|immediately|"
    r"right away)\b|\bdon['’]?t miss\b|\blast chance\b|\bhurry\b|\basap\b"
    r"|\bbefore it['’]?s too late\b|\blimited (?:spots|places|availability)\b"
    r"|\bonly \d+ (?:spots|places|left)\b|\boffer expires\b",
)
_DURATION_RE = re.compile(r"\b(?:\d{1,2}|five|ten|fifteen|twenty|thirty)[- ]?(?:min|minute)s?\b")


class Ask(NamedTuple):
    """One sentence that asks, and what it asks for (``at``: the sentence's index)."""

    span: Span
    kind: str
    at: int


def find_asks(body: Body, skip: Sequence[Span] = ()) -> list[Ask]:
    """The asking sentences of the body, outside the footer and ``skip``."""
    skipped = set(skip) | set(body.footer)
    found = []
    for i, span in enumerate(body.sentences):
        if span in skipped or i not in body.core:
            continue
        kind = ask_kind(body.parsed[i], body.lang.polarity)
        if kind is not None:
            found.append(Ask(span, kind, i))
    return found


def ask_kind(parsed: Parsed, polarity: object) -> str | None:
    """What the sentence asks for, or None when it asks nothing."""
    words = parsed.words
    if not words or _FOLLOW_ON_RE.search(parsed.text):
        return None
    question = reading.is_question(parsed)
    if question and loaded_question(parsed, polarity):
        return "loaded"
    if not (question or _imperative(parsed) or _offer(parsed) or _wish_to_hear(parsed)):
        return None
    if question and _small_talk(parsed):
        return "small_talk"
    lem = reading.lemmas(parsed)
    if "who" in lem or _asks_for_person(parsed):
        return "referral"
    if _wants_time(parsed, lem):
        return "meeting"
    if _gives(parsed) or _offer(parsed):
        return "resource"
    if _permission(parsed, lem):
        return "permission"
    wh = reading.wh_word(parsed)
    if wh in ("how", "what", "which") or _wish_to_hear(parsed) or len(words) == 1:
        return "opinion"
    return "interest"


def _imperative(parsed: Parsed) -> bool:
    """A command or request with no subject: "Let me know", "Reply yes", "Point me to",
    also after a condition ("If it does, just reply 'later'")."""
    for i, t in enumerate(parsed.tokens):
        if (
            t.dep == "ROOT"
            and t.tag == "VB"
            and not any(
                parsed.tokens[c].dep in reading.SUBJECTS or parsed.tokens[c].tag in ("MD", "TO")
                for c in parsed.children(i)
            )
        ):
            return True
    for t in parsed.tokens:
        if t.pos in ("INTJ", "PUNCT") or t.lower in ("please", "so", "just", "and", "then"):
            continue
        return _bare_verb(parsed, t)
    return False


def _bare_verb(parsed: Parsed, t: Token) -> bool:
    i = parsed.tokens.index(t)
    subject = any(parsed.tokens[c].dep in reading.SUBJECTS for c in parsed.children(i))
    return t.tag == "VB" and t.dep in ("ROOT", "advcl", "ccomp") and not subject


def _offer(parsed: Parsed) -> bool:
    """A first-person offer that waits for a yes: "Happy to send it over if useful"."""
    give = any(t.lemma in _GIVE_VERBS for t in parsed.tokens)
    conditional = any(t.lower == "if" for t in parsed.tokens)
    return give and (conditional or any(t.lower in ("happy", "glad") for t in parsed.tokens))


def _wish_to_hear(parsed: Parsed) -> bool:
    """ "Curious how you handle X", "I'd love to hear what works for you"."""
    lem = reading.lemmas(parsed)
    return bool(lem & _DESIRE) and bool(lem & {"how", "what", "whether", "hear", "know", "think"})


def _small_talk(parsed: Parsed) -> bool:
    """ "How are you today?", "How's your week going?": a question about nothing but them."""
    words = parsed.words
    if reading.wh_word(parsed) != "how" or len(words) > 7:
        return False
    topic = [t for t in words if t.pos in ("NOUN", "PROPN") and t.lemma not in _SMALL_TALK_NOUNS]
    return not topic and any(t.lower in reading.YOU for t in words)


_SMALL_TALK_NOUNS = frozenset({"day", "week", "morning", "afternoon", "today", "weekend", "thing"})


def _asks_for_person(parsed: Parsed) -> bool:
    """ "Point me to the right person", "is there someone who looks after X?"."""
    return any(
        t.lemma in _PERSON_NOUNS and t.pos in ("NOUN", "PRON") and t.lemma != "who"
        for t in parsed.tokens
    ) and any(t.lemma in ("right", "best", "handle", "own", "responsible", "charge", "look")
              for t in parsed.tokens)  # fmt: skip


def _gives(parsed: Parsed) -> bool:
    """The sender offers to send or share something ("Want me to send the checklist?")."""
    for i, t in enumerate(parsed.tokens):
        if t.lemma not in _GIVE_VERBS or t.pos != "VERB":
            continue
        subject_me = any(
            parsed.tokens[c].lower in reading.ME
            for c in parsed.children(i)
            if parsed.tokens[c].dep in ("nsubj", "dobj", "dative")
        ) or any(parsed.tokens[j].lower in ("me", "i") for j in range(max(0, i - 3), i))
        if subject_me or t.dep == "ROOT":
            return True
    return False


def _permission(parsed: Parsed, lem: set[str]) -> bool:
    """The sender asks leave: "Mind if I...", "Can I ask...", "Got 30 seconds?"."""
    if "mind" in lem or ("bad" in lem and "time" in lem) or ("okay" in lem or "ok" in lem):
        return True
    for i, t in enumerate(parsed.tokens):
        if t.lower in ("i", "we") and t.dep in ("nsubj",):
            head = parsed.tokens[t.head]
            modal = [parsed.tokens[c].lemma for c in parsed.children(t.head)]
            if head.lemma in ("ask", "take", "steal", "borrow", "have") and (
                {"can", "could", "may", "might"} & set(modal)
            ):
                return True
        if t.lemma in ("second", "moment", "minute") and any(
            parsed.tokens[j].lemma in ("have", "get", "spare") for j in reading.ancestors(parsed, i)
        ):
            return True
    return False


def _wants_time(parsed: Parsed, lem: set[str]) -> bool:
    """A duration, a call or meeting to set up, or a day on which they are free."""
    if _DURATION_RE.search(parsed.text.lower()):
        return True
    asks_for_time = any(
        t.lemma in _TIME_NOUNS and t.pos == "NOUN" and t.dep not in ("compound", "amod")
        for t in parsed.tokens
    )  # "a short call", "a demo" -- not "demo requests"
    if asks_for_time:
        return True
    dated = any(e.label in ("DATE", "TIME") for e in parsed.entities)
    return dated and bool(lem & (_TIME_VERBS | {"free", "available", "speak"}))


def has_time(parsed: Parsed) -> bool:
    """The ask names a day or an hour (a meeting request with a time)."""
    return any(e.label in ("DATE", "TIME") for e in parsed.entities)


def pushy_phrases(text: str) -> list[Span]:
    """Pressure tactics ("act now", "reply today") that undermine any call to action."""
    return [Span(m.start(), m.end()) for m in _PUSHY_RE.finditer(text)]
