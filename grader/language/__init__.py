"""The grader's language layer: offline English NLP, built once per process.

    from grader.language import language
    lang = language()               # loads spaCy's English pipeline once (cached factory)
    parsed = lang.parse("Congrats on the new clinic.")
    parsed.tokens[0].lemma, parsed.tokens[0].pos, parsed.entities

Pieces (chosen by measurement on the evaluation set, see docs/language.md): spaCy with
the ``en_core_web_sm`` pipeline (sentences, parts of speech, dependency parse, named
entities), VADER's tone lexicon, the ``nicknames`` name table, and spaCy's stop-word lists
for telling English from other languages. Everything is deterministic and offline; a
missing model raises :class:`LanguageModelMissing` the first time the layer is built.
"""

from grader.language.model import (
    MODEL_PACKAGE,
    Entity,
    Language,
    LanguageModelMissing,
    Parsed,
    Token,
    language,
)

__all__ = [
    "MODEL_PACKAGE",
    "Entity",
    "Language",
    "LanguageModelMissing",
    "Parsed",
    "Token",
    "language",
]
