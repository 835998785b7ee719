"""Tone: hostile, condescending, guilt and fear, read from structure and a tone lexicon.

Three readings of one sentence, each built from the dependency parse and VADER's valence
lexicon rather than from phrases:

- **criticism of the reader**: the subject is the reader or something of theirs ("you",
  "your receptionists", "your website") and the predicate judges it badly -- a negative
  adjective or noun ("is outdated", "are lazy"), or a negated ability stressed by a stance
  adverb ("clearly cannot handle"). A problem stated about the situation ("no-shows leave
  chairs empty", "you may be losing bookings") is not criticism.
- **a loaded question**: a question that presumes the answer or the reader's fault -- a
  negative question put to them ("Don't you want...?", "Aren't you tired...?"), a *why*
  question about what they do, a rhetorical "who doesn't...?", or a question with a
  presupposing adverb ("still", "really", "even", "afford") and a negative tone.
- **a threat**: a negative future for the reader ("you will lose...", "before it's too
  late") stated to push them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from grader.language import Parsed
from grader.outreach import reading

#: Adverbs that state the writer's certainty about the reader ("clearly", "obviously").
STANCE_ADVERBS = frozenset(
    {"clearly", "obviously", "frankly", "apparently", "evidently", "honestly", "simply", "even"}
)
#: Adverbs and verbs that presuppose a fault or a loss in a question.
PRESUPPOSING = frozenset({"still", "really", "seriously", "honestly", "even", "afford", "ever"})
#: Verbs of ability and understanding: denied to the reader with a stance adverb, they
#: say "you are not capable" ("clearly can't handle", "obviously don't understand").
ABILITY = frozenset(
    {"can", "could", "able", "manage", "handle", "cope", "keep", "know", "understand",
     "realise", "realize", "get", "grasp", "see", "notice", "figure", "learn", "follow"}
)  # fmt: skip
_JUDGING_DEPS = frozenset({"acomp", "attr", "oprd", "amod", "dobj", "xcomp", "advmod", "conj"})
#: Valence (VADER's -4..4 scale) from which a word judges rather than describes.
JUDGING = -1.2


def criticises_reader(parsed: Parsed, valence: Callable[[str], float]) -> bool:
    """Does the sentence judge the reader, their people or their work badly?"""
    for s in reading.reader_subjects(parsed):
        head = s if parsed.tokens[s].dep == "ROOT" else parsed.tokens[s].head
        kids = parsed.children(head)
        stance = any(parsed.tokens[c].lower in STANCE_ADVERBS for c in kids)
        for c in [head, *kids, *parsed.children(s)]:
            t = parsed.tokens[c]
            if c != head and t.dep not in _JUDGING_DEPS:
                continue
            if t.pos in ("ADJ", "NOUN", "ADV") and _val(t, valence) <= JUDGING:
                return True
            if c == head and t.pos == "ADJ" and _val(t, valence) <= JUDGING:
                return True
        negated_ability = reading.negated(parsed, head) and (
            parsed.tokens[head].lemma in ABILITY
            or any(parsed.tokens[c].lemma in ABILITY for c in kids)
        )
        if negated_ability and stance:
            return True
        excess = any(  # "are clearly too old-fashioned to keep": unable, stated as fact
            parsed.tokens[g].lower == "too" for c in kids for g in parsed.subtree(c)
        )
        if stance and excess:
            return True
        if stance and any(_val(parsed.tokens[c], valence) <= JUDGING for c in kids):
            return True
    return False


def loaded_question(parsed: Parsed, polarity: Any) -> bool:
    """A question that presumes its answer or the reader's fault."""
    if not reading.is_question(parsed):
        return False
    tokens = parsed.tokens
    to_reader = any(t.lower in reading.YOU for t in tokens)
    wh = reading.wh_word(parsed)
    for i, t in enumerate(tokens):
        if t.dep != "neg":
            continue
        head = t.head
        before_subject = any(
            tokens[c].dep in reading.SUBJECTS and c > i for c in parsed.children(head)
        )
        if before_subject and to_reader:  # "Don't you...", "Wouldn't you..."
            return True
        if wh == "who" and head == tokens[head].head:  # "Who doesn't want...?"
            return True
    if wh == "why" and to_reader:
        return True
    challenge = {"really", "seriously", "honestly"}
    if (
        any(t.lower in challenge and tokens[t.head].pos in ("VERB", "AUX") for t in tokens)
        and to_reader
    ):
        return True  # "Do you really want...?" dares them to say yes
    presumes = any(t.lower in PRESUPPOSING or t.lemma in PRESUPPOSING for t in tokens)
    return presumes and to_reader and polarity(parsed.text) <= -0.3


def threatens(parsed: Parsed, valence: Callable[[str], float]) -> bool:
    """A loss held over the reader: "if you don't act, you will lose...", "too late"."""
    tokens = parsed.tokens
    if not any(t.lower in reading.YOU for t in tokens):
        return False
    if "too late" in parsed.text.lower():
        return True
    future = any(t.lower in ("will", "'ll", "going") for t in tokens)
    conditional = any(t.lower in ("if", "unless") for t in tokens) and reading.has_negation(parsed)
    loss = any(t.pos == "VERB" and _val(t, valence) <= -1.0 for t in tokens)
    return future and conditional and loss


def _val(t: Any, valence: Callable[[str], float]) -> float:
    return valence(t.lower) or valence(t.lemma)
