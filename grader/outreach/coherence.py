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

from grader.language import Parsed, Token
from grader.outreach import reading
from grader.outreach.body import Body
from grader.text import Span

#: Shares of function words below which a verbless run of words is a keyword list.
FRAGMENT_FUNCTION_SHARE = 0.2
FRAGMENT_MIN_WORDS = 5
#: Impossible word orders per word from which a sentence is word salad.
SALAD_RATE = 0.2
STUFFING_REPEATS = 5
#: Impossible word orders per word over a message from which it reads as word salad
#: (well-formed messages of the evaluation set stay under 0.09).
MESSAGE_SALAD_RATE = 0.12
#: Pairs (this tag, next tag) English does not allow.
_BAD_NEXT = {
    "PRP$": frozenset({"VBD", "VBZ", "VBP", "MD", "IN", "DT", "PRP", "PRP$", "CC", "TO", "."}),
    "IN": frozenset({"MD", "CC", ".", "VB", "VBZ", "VBP", "VBD"}),
    "TO": frozenset({"DT", "IN", ".", "MD"}),
    "CD": frozenset({"DT", "PRP$"}),
    "CC": frozenset({"."}),
}


@dataclass(frozen=True)
class Coherence:
    """Sentences that do not read as English, and a word stuffed into the message."""

    broken: list[tuple[int, str]]  # (sentence index, "fragment" | "word salad")
    broken_words: int
    core_words: int
    stuffed: tuple[str, int, Span] | None
    #: Impossible word orders per word over the whole message.
    error_rate: float

    @property
    def salad(self) -> bool:
        """Too many impossible word orders overall, even if no one sentence is condemned."""
        return self.core_words >= 12 and self.error_rate >= MESSAGE_SALAD_RATE

    @property
    def broken_share(self) -> float:
        return self.broken_words / self.core_words if self.core_words else 0.0


def read_coherence(body: Body) -> Coherence:
    broken: list[tuple[int, str]] = []
    broken_words = errors = 0
    for i in body.core:
        errors += _order_errors(body.parsed[i])
        problem = sentence_problem(body.parsed[i])
        if problem:
            broken.append((i, problem))
            broken_words += len(body.sentence_words[i])
    rate = round(errors / body.core_words, 3) if body.core_words else 0.0
    return Coherence(broken, broken_words, body.core_words, _stuffed(body), rate)


def sentence_problem(parsed: Parsed) -> str | None:
    """ "fragment", "word salad" or None for a sentence that reads as English."""
    words = [t for t in parsed.words if t.pos != "X"]
    if len(words) < 3 or (parsed.text.rstrip().endswith(",") and len(words) <= 3):
        return None  # greetings and sign-offs ("Best wishes,") stand alone
    plain = [t for t in words if t.pos not in ("PROPN", "INTJ", "NUM")]
    finite = any(t.tag in _FINITE for t in words) or words[0].tag == "VB"
    function = sum(t.pos in reading.FUNCTION_POS for t in plain) / len(plain) if plain else 1.0
    question = reading.is_question(parsed)
    if not question and len(plain) >= 2 and function < FRAGMENT_FUNCTION_SHARE:
        if not finite or (len(plain) >= 5 and function == 0):
            return "fragment"
    bad = _order_errors(parsed)
    if bad >= 3 or (bad >= 2 and bad / len(words) >= SALAD_RATE):
        return "word salad"
    return None


def _order_errors(parsed: Parsed) -> int:
    """Word orders English does not allow: determiners, possessives and compounds after
    their noun, a possessive used as a subject, a preposition before a finite verb, a
    sentence cut off after "the" or "of", and one segment the parser reads as two.
    Asides in brackets ("[sic]", "(PDF)") are left out: they are not the sentence's grammar."""
    aside = _asides(parsed)
    kept = [i for i in range(len(parsed.tokens)) if i not in aside]
    tokens = [parsed.tokens[i] for i in kept if parsed.tokens[i].tag not in _SKIP_TAGS]
    pairs = list(zip(tokens, tokens[1:], strict=False))
    bad = sum(1 for a, b in pairs if b.tag in _BAD_NEXT.get(a.tag, ()))
    bad += sum(
        1 for a, b in pairs if a.dep == "det" and a.tag == "DT" and b.tag in _AFTER_DETERMINER
    )
    for i in kept:
        t = parsed.tokens[i]
        bad += _mismatch(t, i, parsed) + (t.dep == "dep")  # "dep": the parser's "no idea"
        if t.dep in _BEFORE_HEAD and t.head < i and parsed.tokens[t.head].pos != "PRON":
            bad += 1
        if t.tag == "PRP$" and t.dep not in ("poss", "conj"):
            bad += 1
        if t.lower in _ARTICLES and (t.dep != "det" or parsed.tokens[t.head].pos not in _NOMINAL):
            bad += 1  # "the from", "every new.": an article with no noun to go with
    content = [t for t in tokens if t.tag != "."]
    if content and content[-1].dep in ("det", "poss", "cc", "aux"):
        bad += 1
    if content and content[-1].pos == "ADP" and parsed.tokens[content[-1].head].pos in _NOUNS:
        bad += 1  # "... your congrats of": a preposition left hanging on a noun
    bad += _noun_piles(tokens)
    roots = sum(1 for i in kept if parsed.tokens[i].head == i and parsed.tokens[i].pos != "PUNCT")
    return bad + max(0, roots - 1)


def _asides(parsed: Parsed) -> set[int]:
    """Tokens inside brackets or parentheses, and symbols the parser cannot tag."""
    inside: set[int] = set()
    depth = 0
    for i, t in enumerate(parsed.tokens):
        if t.text in ("(", "["):
            depth += 1
        if depth or t.tag == "XX":
            inside.add(i)
        if t.text in (")", "]"):
            depth = max(0, depth - 1)
    return inside


_NOUNS = frozenset({"NOUN", "PROPN"})
_NOMINAL = frozenset({"NOUN", "PROPN", "NUM", "PRON", "SYM"})
_ARTICLES = frozenset({"the", "a", "an", "every"})


#: Dependency labels and the word classes that can fill them; any other pairing means the
#: parser forced a tree onto words that do not form one ("Clinic" as an adjective).
_FILLS = {
    "amod": ("JJ", "JJR", "JJS", "VBN", "VBG", "CD", "NNP", "RB"),
    "compound": ("NN", "NNS", "NNP", "NNPS", "JJ", "CD", "VBG", "RB", "FW"),
    "advcl": ("VB", "VBD", "VBG", "VBN", "VBP", "VBZ", "MD", "JJ"),
    "pcomp": ("VBG", "VB", "VBN", "VBD", "IN", "RB", "WRB", "JJ"),
    "punct": (".", ",", ":", "HYPH", "NFP", "``", "''", "-LRB-", "-RRB-", "$"),
    "poss": ("PRP$", "NNP", "NNPS", "NN", "NNS", "WP$"),
    "aux": ("MD", "VB", "VBD", "VBP", "VBZ", "VBN", "VBG", "TO"),
}


def _mismatch(t: Token, i: int, parsed: Parsed) -> bool:
    allowed = _FILLS.get(t.dep)
    if t.dep == "amod" and t.tag in ("NN", "NNS") and t.head == i + 1:
        return parsed.tokens[t.head].pos != "NOUN"  # "renewal retention": a noun as modifier
    if allowed is None:
        return False
    if t.dep == "advcl" and t.tag == "JJ":
        return t.lower not in ("able", "sure", "happy", "glad", "free")
    return t.tag not in allowed


def _noun_piles(tokens: list[Token]) -> int:
    """Runs of three or more nouns with two plurals among them ("sellers listings
    valuations"): English stacks nouns, but only the last of a stack is plural."""
    piles, run = 0, []
    for t in [*tokens, None]:
        if t is not None and t.pos in _NOUNS:
            run.append(t)
            continue
        if len(run) >= 3 and any(x.tag == "NNS" for x in run[:-1]):
            piles += 1
        run = []
    return piles


#: What cannot follow a determiner that modifies a noun ("the from", "the will").
_AFTER_DETERMINER = frozenset({"IN", "VBD", "VBZ", "VBP", "MD", "DT", "PRP", "CC", "TO", "."})
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})
_SKIP_TAGS = frozenset({"HYPH", "NFP", "``", "''", ",", ":", "-LRB-", "-RRB-"})
_BEFORE_HEAD = frozenset({"det", "amod", "poss", "nummod"})


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
    if n >= STUFFING_REPEATS and n / max(1, body.core_words) >= 0.06:
        return word, n, first[word]
    return None
