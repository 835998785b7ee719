"""Reading a drafted answer to a prospect's reply, with the outreach language layer.

A reply answer is judged on what the lesson "Handling replies" asks of it: it says the
things this reply needs (the source, the price, a named month...), it asks for one thing
at most (none at all after an opt-out), it carries no hype or pressure, and any time of
day is written in the prospect's zone. The asks come from the same parse the outreach
rubric uses (:func:`grader.outreach.asks.find_asks`), so "one clear ask" means the same
thing in a cold email and in an answer to a reply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from grader import text
from grader.fields import CONTEXT
from grader.language import language
from grader.outreach.asks import find_asks, pushy_phrases
from grader.outreach.body import split_body
from grader.text import Span

#: A clock time: "2pm", "2 p.m.", "14:00", "10:30am".
_CLOCK_RE = re.compile(
    r"\b(?:[01]?\d|2[0-3])(?::[0-5]\d)?\s?(?:[ap]\.?m\.?)(?![\w])|\b(?:[01]?\d|2[0-3]):[0-5]\d\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Requirement:
    """One thing a draft must say, as alternatives (case-insensitive regular expressions)."""

    label: str
    patterns: tuple[re.Pattern[str], ...]

    def find(self, draft: str) -> Span | None:
        """The first place the draft says it, or None."""
        hits = [m for p in self.patterns if (m := p.search(draft))]
        if not hits:
            return None
        first = min(hits, key=lambda m: m.start())
        return Span(first.start(), first.end())


def read_requirements(raw: object, where: str) -> tuple[Requirement, ...]:
    """The key's ``must`` list: ``[{label, any: [regex, ...]}, ...]``."""
    if raw is None:
        return ()
    found = []
    for i, item in enumerate(CONTEXT.sequence(raw, where, max_items=20)):
        entry = CONTEXT.mapping(item, f"{where}[{i}]")
        label = CONTEXT.text(entry.get("label"), f"{where}[{i}].label", blank=False)
        patterns = []
        for j, pattern in enumerate(CONTEXT.text_list(entry.get("any"), f"{where}[{i}].any")):
            try:
                patterns.append(re.compile(pattern, re.IGNORECASE))
            except re.error as exc:
                raise CONTEXT.fail(f"{where}[{i}].any[{j}]", f"bad pattern: {exc}") from exc
        if not patterns:
            raise CONTEXT.fail(f"{where}[{i}].any", "must list at least one pattern")
        found.append(Requirement(label, tuple(patterns)))
    return tuple(found)


def ask_spans(draft: str) -> list[Span]:
    """The sentences of the draft that ask the prospect for something."""
    if not draft.strip():
        return []
    body = split_body(draft, None, language())
    return [ask.span for ask in find_asks(body) if ask.kind != "loaded"]


def tone_flags(draft: str) -> list[tuple[Span, str]]:
    """Hype, pressure and shouting, each with what it is: a reply answer needs none of them."""
    flags = [(s, "hype") for s in text.spam_phrases(draft)]
    flags += [(s, "pressure") for s in pushy_phrases(draft)]
    flags += [(s, "shouting") for s in text.shouted_words(draft)]
    flags += [(s, "exclamation marks") for s in text.exclamations(draft) if s.end - s.start > 1]
    return sorted(flags)


def clock_times(draft: str) -> list[Span]:
    """Every time of day the draft names."""
    return [Span(m.start(), m.end()) for m in _CLOCK_RE.finditer(draft)]


def zoned(draft: str, time: Span, zone_terms: Sequence[str]) -> bool:
    """Whether the sentence holding ``time`` names the prospect's zone ("2pm ET", "your time")."""
    sentence = text.sentence_at(text.sentences(draft), time.start) or Span(0, len(draft))
    said = draft[sentence.start : sentence.end]
    return any(text.find_phrase(said, term) is not None for term in zone_terms)
