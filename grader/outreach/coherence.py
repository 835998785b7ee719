"""Coherence: does each sentence read as English, or is it keywords and word salad?

Read from parts of speech, not from word lists:

- **fragments**: five or more words with no verb and almost no function words
  ("Dental clinic Leeds second opening patients reminders") are a string of keywords;
- **word salad**: word orders English does not allow -- a determiner or a possessive
  followed by a verb, a preposition or punctuation, a sentence ending on "the" or "of" --
  counted per word, so one slip does not condemn a sentence;
- **stuffing**: one content word repeated four times or more in a short message.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from grader.language import Parsed
from grader.outreach import reading
from grader.outreach.body import Body
from grader.text import Span

#: Shares of function words below which a verbless run of words is a keyword list.
FRAGMENT_FUNCTION_SHARE = 0.2
FRAGMENT_MIN_WORDS = 5
#: Impossible word orders per word from which a sentence is word salad.
SALAD_RATE = 0.1
STUFFING_REPEATS = 4
#: Pairs (this tag, next tag) English does not allow.
_BAD_NEXT = {
    "DT": frozenset({"VBD", "VBZ", "VBP", "MD", "IN", "DT", "PRP", "PRP$", "CC", "TO", "."}),
    "PRP$": frozenset({"VBD", "VBZ", "VBP", "MD", "IN", "DT", "PRP", "PRP$", "CC", "TO", "."}),
    "IN": frozenset({"MD", "CC", "."}),
    "TO": frozenset({"DT", "IN", ".", "MD"}),
    "CC": frozenset({"."}),
}
_BAD_LAST = frozenset({"DT", "PRP$", "IN", "CC", "TO"})


@dataclass(frozen=True)
class Coherence:
    """Sentences that do not read as English, and a word stuffed into the message."""

    broken: list[tuple[int, str]]  # (sentence index, "fragment" | "word salad")
    broken_words: int
    core_words: int
    stuffed: tuple[str, int, Span] | None

    @property
    def broken_share(self) -> float:
        return self.broken_words / self.core_words if self.core_words else 0.0


def read_coherence(body: Body) -> Coherence:
    broken: list[tuple[int, str]] = []
    broken_words = 0
    for i in body.core:
        problem = sentence_problem(body.parsed[i])
        if problem:
            broken.append((i, problem))
            broken_words += len(body.sentence_words[i])
    return Coherence(broken, broken_words, body.core_words, _stuffed(body))


def sentence_problem(parsed: Parsed) -> str | None:
    """ "fragment", "word salad" or None for a sentence that reads as English."""
    words = [t for t in parsed.words if t.pos != "X"]
    if len(words) < FRAGMENT_MIN_WORDS - 1:
        return None
    function = sum(t.pos in reading.FUNCTION_POS for t in words) / len(words)
    has_verb = any(t.pos in ("VERB", "AUX") and t.tag != "VBG" for t in words)
    if len(words) >= FRAGMENT_MIN_WORDS and function < FRAGMENT_FUNCTION_SHARE:
        if not has_verb or function < FRAGMENT_FUNCTION_SHARE / 2:
            return "fragment"
    tags = [t.tag for t in parsed.tokens if t.tag not in ("HYPH", "NFP", "``", "''", ",", ":")]
    bad = sum(1 for a, b in zip(tags, tags[1:], strict=False) if b in _BAD_NEXT.get(a, ()))
    last = [t for t in tags if t != "."]
    if last and last[-1] in _BAD_LAST:
        bad += 1
    if bad >= 2 and bad / len(words) >= SALAD_RATE:
        return "word salad"
    return None


def _stuffed(body: Body) -> tuple[str, int, Span] | None:
    """The content word most repeated, when it is repeated past reason."""
    counts: Counter[str] = Counter()
    first: dict[str, Span] = {}
    for i in body.core:
        base = body.sentences[i].start
        for t in body.parsed[i].tokens:
            if t.pos in ("NOUN", "PROPN", "ADJ") and len(t.lemma) > 2:
                counts[t.lemma] += 1
                first.setdefault(t.lemma, Span(base + t.start, base + t.end))
    if not counts:
        return None
    word, n = counts.most_common(1)[0]
    if n >= STUFFING_REPEATS and n / max(1, body.core_words) >= 0.05:
        return word, n, first[word]
    return None
