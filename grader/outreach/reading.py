"""Small readings of one parsed sentence that several checks share: who is the subject,
what is negated, whether it is a question, which words frame which.

They work on the dependency parse (spaCy's ClearNLP labels: ``nsubj``, ``neg``, ``poss``,
``aux``...), so they hold for any wording of the same structure rather than for a list
of phrases.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.language import Parsed, Token

YOU = frozenset({"you", "your", "yours", "yourself", "yourselves", "ya", "u"})
ME = frozenset({"i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
#: Parts of speech that hold a sentence together (determiners, prepositions, pronouns...).
FUNCTION_POS = frozenset({"DET", "ADP", "PRON", "AUX", "CCONJ", "SCONJ", "PART"})
WH_WORDS = frozenset({"who", "what", "when", "where", "why", "how", "which", "whom", "whose"})


def is_question(parsed: Parsed) -> bool:
    return parsed.text.rstrip("\"')”’ ").endswith("?")


def addresses_reader(parsed: Parsed, i: int) -> bool:
    """Token ``i`` is "you"/"your", or a noun owned by the reader ("your team", "your
    renewals paperwork")."""
    t = parsed.tokens[i]
    if t.lower in YOU:
        return True
    near = list(parsed.children(i))
    near += [
        g for c in near if parsed.tokens[c].dep in ("compound", "amod") for g in parsed.children(c)
    ]
    return any(parsed.tokens[c].lower in YOU for c in near)


def subjects(parsed: Parsed) -> list[int]:
    return [i for i, t in enumerate(parsed.tokens) if t.dep in SUBJECTS]


def reader_subjects(parsed: Parsed) -> list[int]:
    """Subjects that are the reader or something of theirs ("you", "your receptionists")."""
    return [i for i in subjects(parsed) if addresses_reader(parsed, i)]


def first_person_subjects(parsed: Parsed) -> list[int]:
    return [i for i in subjects(parsed) if parsed.tokens[i].lower in ME]


def ancestors(parsed: Parsed, i: int) -> list[int]:
    """The heads above token ``i`` up to its root (nearest first)."""
    out: list[int] = []
    j = i
    while parsed.tokens[j].head != j and len(out) < 40:
        j = parsed.tokens[j].head
        out.append(j)
    return out


def negated(parsed: Parsed, i: int) -> bool:
    """Token ``i``, or a head above it, carries a negation ("did not open", "never won")."""
    for j in [i, *ancestors(parsed, i)]:
        for c in parsed.children(j):
            t = parsed.tokens[c]
            if t.dep == "neg" or (t.dep in ("advmod", "det") and t.lower in ("never", "no")):
                return True
    return False


def has_negation(parsed: Parsed) -> bool:
    return any(t.dep == "neg" or t.lower in ("never", "no longer") for t in parsed.tokens)


def verbs(parsed: Parsed) -> list[Token]:
    return [t for t in parsed.tokens if t.pos in ("VERB", "AUX")]


def lemmas(parsed: Parsed) -> set[str]:
    return {t.lemma for t in parsed.tokens}


def wh_word(parsed: Parsed) -> str | None:
    """The question word a question opens with, if any ("How are you handling...")."""
    for t in parsed.words[:3]:
        if t.lower in WH_WORDS:
            return t.lower
    return None


def frame_valence(parsed: Parsed, matched: list[int], valence: Callable[[str], float]) -> float:
    """The tone of the words that *frame* the matched ones: the heads above the highest
    matched word, and the interjections and adverbs hung on those heads ("Sorry to hear
    about [your opening]"). Words elsewhere in the sentence are not its frame."""
    inside = set(matched)
    top = min(matched, key=lambda i: (len(ancestors(parsed, i)), i))
    frame: set[int] = set()
    for j in ancestors(parsed, top):
        if j in inside:
            continue
        frame.add(j)
        for c in parsed.children(j):
            if parsed.tokens[c].dep in ("intj", "advmod", "acomp", "neg") and c not in inside:
                frame.add(c)
    total = 0.0
    for j in frame:
        t = parsed.tokens[j]
        total += valence(t.lower) or valence(t.lemma)
    return round(total, 3)
