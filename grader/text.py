"""Text analysis shared by the kinds: words, sentences, readability and outreach signals.

Every finder returns character offsets into the exact string it was given (never into a
lower-cased or normalised copy, whose length can differ), so evidence quotes always satisfy
``text[start:end] == quote``. Patterns are compiled once and run over the whole text; the
hot path (one outreach message) stays well under a millisecond.

Readability uses the Flesch formulas with a syllable heuristic instead of a dictionary
(no dependency, and fast): count groups of vowels after dropping a silent final "e", "es"
or "ed" (but not "ted"/"ded", which are spoken). It is off by one syllable on some words;
over a whole message the error averages out, and the rubric uses wide bands.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from grader.lexicon import ACRONYMS, SELF_WORDS, SPAM_PHRASES, STOPWORDS, YOU_WORDS


class Span(NamedTuple):
    """A half-open character range ``[start, end)`` of some text."""

    start: int
    end: int

    def of(self, text: str) -> str:
        return text[self.start : self.end]

    def contains(self, position: int) -> bool:
        return self.start <= position < self.end


class Word(NamedTuple):
    text: str
    start: int
    end: int


# --------------------------------------------------------------------------- patterns


class Caseless:
    """A case-insensitive pattern, run on lower-cased text whenever that keeps every offset.

    CPython matches long IGNORECASE alternations about three times slower than plain ones,
    and ``str.lower`` keeps offsets whenever it keeps the length. Write patterns in lower case.
    """

    __slots__ = ("_plain", "_any")

    def __init__(self, pattern: str) -> None:
        self._plain = re.compile(pattern)
        self._any = re.compile(pattern, re.IGNORECASE)

    def _pick(self, text: str) -> tuple[re.Pattern[str], str]:
        low = text.lower()
        return (self._plain, low) if len(low) == len(text) else (self._any, text)

    def search(self, text: str) -> re.Match[str] | None:
        pattern, target = self._pick(text)
        return pattern.search(target)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pattern, target = self._pick(text)
        return pattern.finditer(target)


# --------------------------------------------------------------------------- words, sentences

_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
#: One word: letters and digits, inner apostrophes kept.
WORD_RE = _WORD_RE
_BREAK_RE = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|\n")
_ABBREVIATION_RE = re.compile(r"(?:^|[^\w.])((?:[A-Za-z]\.)*[A-Za-z]+)$")
_ABBREVIATIONS = frozenset(
    "dr mr mrs ms mx st prof jr sr vs etc inc ltd co no approx e.g i.e a.m p.m".split()
)


def words(text: str, start: int = 0, end: int | None = None) -> list[Word]:
    """Words (letters and digits, inner apostrophes kept) with their offsets."""
    stop = len(text) if end is None else end
    return [Word(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text, start, stop)]


def word_strings(text: str, start: int = 0, end: int | None = None) -> list[str]:
    """The words of ``text[start:end]`` without offsets: several times faster than words()."""
    return _WORD_RE.findall(text, start, len(text) if end is None else end)


def sentences(text: str) -> list[Span]:
    """Sentence spans, trimmed of surrounding space.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by a space, or at a line break:
    greetings, sign-offs and address lines stand on their own lines in real messages.
    """
    spans: list[Span] = []
    start = 0
    for m in _BREAK_RE.finditer(text):
        is_newline = m.group() == "\n"
        if not is_newline and m.group() == "." and _is_abbreviation(text, m.start()):
            continue
        _append_trimmed(spans, text, start, m.start() if is_newline else m.end())
        start = m.end()
    _append_trimmed(spans, text, start, len(text))
    return spans


def _is_abbreviation(text: str, dot: int) -> bool:
    m = _ABBREVIATION_RE.search(text, max(0, dot - 8), dot)
    return m is not None and m.group(1).lower() in _ABBREVIATIONS


def _append_trimmed(spans: list[Span], text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append(Span(start, end))


def sentence_at(spans: Sequence[Span], position: int) -> Span | None:
    """The sentence containing ``position`` (spans are sorted and disjoint)."""
    lo, hi = 0, len(spans)
    while lo < hi:
        mid = (lo + hi) // 2
        if spans[mid].end <= position:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(spans) and spans[lo].contains(position):
        return spans[lo]
    return None


def line_at(text: str, position: int) -> Span:
    """The (trimmed) line containing ``position``."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    spans: list[Span] = []
    _append_trimmed(spans, text, start, len(text) if end < 0 else end)
    return spans[0] if spans else Span(position, position)


# --------------------------------------------------------------------------- normalising


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case- and accent-insensitive form for comparing names ("José" == "jose")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=65536)
def normal_word(word: str) -> str:
    """Lower case with a straight apostrophe (``You’re`` -> ``you're``)."""
    return word.lower().replace("’", "'")


_SUFFIXES = ("ing", "ed", "es", "s", "ly")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem, good enough to match "opening" with "opened" and "clinics" with "clinic".

    Both sides of every comparison go through the same function, so consistency matters
    more than linguistic accuracy.
    """
    w = normal_word(word)
    if w.endswith("'s"):
        w = w[:-2]
    for suffix in _SUFFIXES:
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            w = w[: -len(suffix)]
            break
    if w.endswith("e") and len(w) > 3:
        w = w[:-1]
    return w


@lru_cache(maxsize=65536)
def is_content_word(word: str) -> bool:
    w = normal_word(word)
    return w not in STOPWORDS and (len(w) > 2 or w.isdigit())


@lru_cache(maxsize=65536)
def content_stem(word: str) -> str:
    """The stem of a content word, or "" for a function word (one cached lookup per word)."""
    return stem(word) if is_content_word(word) else ""


@lru_cache(maxsize=4096)
def marked_stems(text: str) -> frozenset[str]:
    """Stems of the words that single a text out: numbers and mid-sentence capitals
    ("Leeds", "March", "2024") -- one of these shared is already a real echo."""
    return frozenset(
        stem(w)
        for i, w in enumerate(word_strings(text))
        if is_content_word(w) and (w.isdigit() or (i > 0 and w[0].isupper()))
    )


@lru_cache(maxsize=4096)
def content_stems(text: str) -> frozenset[str]:
    """The stems of a text's content words (cached: facts and pains repeat across messages)."""
    return frozenset(map(content_stem, word_strings(text))) - {""}


# --------------------------------------------------------------------------- readability

_VOWEL_GROUP_RE = re.compile(r"[aeiouy]+")
_SILENT_ENDING_RE = re.compile(r"(?:[^laeiouy]es|[^td]ed|[^laeiouy]e)$")


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    """Estimated syllables in one word (see the module docstring for the heuristic)."""
    w = fold(word).encode("ascii", "ignore").decode()
    if len(w) <= 3 or not w.isalpha():
        return 1
    w = _SILENT_ENDING_RE.sub("", w)
    if w.startswith("y"):
        w = w[1:]
    return max(1, len(_VOWEL_GROUP_RE.findall(w)))


@dataclass(frozen=True)
class Readability:
    """Counts behind the Flesch formulas, with both scores as properties."""

    words: int
    sentences: int
    syllables: int

    @property
    def words_per_sentence(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def syllables_per_word(self) -> float:
        return self.syllables / self.words if self.words else 0.0

    @property
    def reading_ease(self) -> float:
        """Flesch reading ease: 206.835 - 1.015 * words/sentence - 84.6 * syllables/word."""
        return 206.835 - 1.015 * self.words_per_sentence - 84.6 * self.syllables_per_word

    @property
    def grade_level(self) -> float:
        """Flesch-Kincaid grade: 0.39 * words/sentence + 11.8 * syllables/word - 15.59."""
        if not self.words:
            return 0.0
        return 0.39 * self.words_per_sentence + 11.8 * self.syllables_per_word - 15.59


def readability(sentence_words: Iterable[Sequence[str]]) -> Readability:
    """Flesch counts over sentences given as their words (empty sentences are ignored)."""
    n_words = n_sentences = n_syllables = 0
    for ws in sentence_words:
        if ws:
            n_sentences += 1
            n_words += len(ws)
            n_syllables += sum(map(syllables, ws))
    return Readability(n_words, n_sentences, n_syllables)


# --------------------------------------------------------------------------- spam


def _phrases(alternatives: Iterable[str]) -> str:
    return r"\b(?:" + "|".join(alternatives) + r")\b"


_SPAM_RE = Caseless(_phrases(SPAM_PHRASES) + r"|\${2,}")
_EXCLAMATION_RE = re.compile(r"!+")


def spam_phrases(text: str) -> list[Span]:
    """Hype and spam-trigger phrases (list in grader.lexicon.SPAM_PHRASES)."""
    return [Span(m.start(), m.end()) for m in _SPAM_RE.finditer(text)]


def is_shouted(word: str) -> bool:
    """An ALL-CAPS word of four or more letters that is not a known acronym."""
    return len(word) >= 4 and word.isalpha() and word.isupper() and word not in ACRONYMS


_ASCII_CAPS_RE = re.compile(r"(?<![^\W_])[A-Z]{4,}(?![^\W_]|['’][^\W_])")


def shouted_words(text: str, spans: Iterable[Span] | None = None) -> list[Span]:
    """Shouted words in the given sentence spans (or the whole text), with offsets.

    ASCII text takes a one-regex shortcut; other text is checked word by word.
    """
    found = []
    ascii_only = text.isascii()
    for span in [Span(0, len(text))] if spans is None else spans:
        if ascii_only:
            caps = _ASCII_CAPS_RE.finditer(text, span.start, span.end)
            found += [Span(m.start(), m.end()) for m in caps if m.group() not in ACRONYMS]
        else:
            ws = words(text, span.start, span.end)
            found += [Span(w.start, w.end) for w in ws if is_shouted(w.text)]
    return found


def exclamations(text: str) -> list[Span]:
    return [Span(m.start(), m.end()) for m in _EXCLAMATION_RE.finditer(text)]


# --------------------------------------------------------------------------- focus


def focus_counts(ws: Iterable[str]) -> tuple[int, int]:
    """(words about the reader, words about the sender): "you/your" versus "I/we/our"."""
    you = own = 0
    for w in ws:
        lw = normal_word(w)
        if lw in YOU_WORDS:
            you += 1
        elif lw in SELF_WORDS and w != "US":
            own += 1
    return you, own


def find_phrase(text: str, phrase: str) -> Span | None:
    """First case-insensitive, whole-word occurrence of ``phrase`` (spacing-tolerant)."""
    pattern = phrase_pattern(phrase, r"[\s-]+")
    m = pattern.search(text) if pattern else None
    return Span(m.start(), m.end()) if m else None


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str, separator: str) -> re.Pattern[str] | None:
    """A compiled whole-word pattern for ``phrase`` (cached: names repeat across messages)."""
    tokens = _WORD_RE.findall(phrase)
    if not tokens:
        return None
    return re.compile(r"\b" + separator.join(re.escape(t) for t in tokens) + r"\b", re.IGNORECASE)
