"""Meaning guards: is a fact about the prospect stated *correctly*, and is the message
honest about the relationship?

A fact echoed by a sentence (see :func:`grader.outreach.body.echo`) only counts when that
sentence:

- reads as a sentence (not a keyword fragment or word salad);
- does not negate it ("you did not open...") unless the fact itself is negative;
- does not invert it: sympathy framing good news ("Sorry to hear about your opening") or
  congratulations framing bad news -- the frame is the tone of the words that govern the
  fact in the parse, the news is the fact's own tone (or a known pain it shares words with);
- does not hang it on another company or person: a name the parser marks as an
  organisation or person that is neither the prospect, their company, the sender nor a
  name inside the fact itself.

**False familiarity**: on a first touch, a past conversation between sender and reader
("as we discussed", "when we spoke", "following up on my call") is invented history.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader import text
from grader.language import Parsed
from grader.outreach import reading
from grader.outreach.body import Body, Echo
from grader.outreach.coherence import sentence_problem
from grader.outreach.inputs import OutreachContext
from grader.text import Span

#: Verbs of speaking or meeting: a past one shared by "we" (or "you" and "me") is history.
_CONTACT_LEMMAS = frozenset(
    {"speak", "talk", "chat", "meet", "discuss", "mention", "promise", "agree", "connect",
     "call", "email", "message", "tell", "ask", "say", "follow", "reach"}
)  # fmt: skip
_CONTACT_NOUNS = frozenset({"conversation", "call", "chat", "talk", "meeting", "discussion"})
#: Frame tone (sum of VADER valences) that reads as sympathy or as congratulation.
SYMPATHY = -0.3
CHEER = 1.5


@dataclass(frozen=True)
class Misstatement:
    """Why an echoed fact does not count, with the sentence that says it."""

    span: Span
    reason: str  # "negated" | "inverted" | "wrong company" | "wrong person" | "incoherent"
    note: str


def misstatement(
    body: Body, e: Echo, ctx: OutreachContext, pains: tuple[str, ...]
) -> Misstatement | None:
    """Why the sentence that echoes a fact states it wrongly, or None if it states it right."""
    if e.where is None:
        return None
    i = body.sentences.index(e.where)
    parsed = body.parsed[i]
    wanted = text.content_stems(e.source)
    matched = body.stem_tokens(i, wanted)
    if not matched:
        return None
    problem = sentence_problem(parsed)
    if problem:
        return Misstatement(e.where, "incoherent", f"the fact sits in a {problem}, not a sentence")
    if scrambled(e.source, [parsed.tokens[j].text for j in matched]):
        return Misstatement(e.where, "incoherent", "has the fact's words in a scrambled order")
    lang = body.lang
    fact_parsed = lang.parse(e.source)
    fact_negated = reading.has_negation(fact_parsed)
    if not fact_negated and any(reading.negated(parsed, j) for j in matched):
        return Misstatement(e.where, "negated", f"says the opposite of the fact ({e.source})")
    frame = reading.frame_valence(parsed, matched, lang.valence)
    bad_news = lang.polarity(e.source) <= -0.05 or len(wanted & _pain_stems(pains)) >= 2
    if (not bad_news and frame <= SYMPATHY) or (bad_news and frame >= CHEER):
        mood = "sympathy for good news" if not bad_news else "congratulations on bad news"
        return Misstatement(e.where, "inverted", f"{mood} ({e.source})")
    foreign = foreign_names(parsed, ctx, lang.name_forms(p_first(ctx)), e.source)
    if foreign:
        label, name = foreign[0]
        reason = "wrong company" if label == "ORG" else "wrong person"
        return Misstatement(e.where, reason, f"puts the fact on “{name}”, not on this prospect")
    return None


#: Share of word pairs out of the fact's order from which its words are scrambled, not
#: paraphrased (a fronted "In March, ..." reorders two or three pairs of ten).
SCRAMBLED = 0.5


def scrambled(fact: str, matched_words: list[str]) -> bool:
    """Do the fact's words appear in an order no paraphrase would give them?"""
    order: dict[str, int] = {}
    for i, w in enumerate(text.word_strings(fact)):
        order.setdefault(text.content_stem(w), i)
    seen: list[int] = []
    for w in matched_words:
        at = order.get(text.content_stem(w))
        if at is not None and at not in seen:
            seen.append(at)
    pairs = [(a, b) for i, a in enumerate(seen) for b in seen[i + 1 :]]
    if len(seen) < 4:
        return False
    return sum(a > b for a, b in pairs) / len(pairs) > SCRAMBLED


def _pain_stems(pains: tuple[str, ...]) -> frozenset[str]:
    return frozenset().union(*(text.content_stems(p) for p in pains)) if pains else frozenset()


def p_first(ctx: OutreachContext) -> str:
    return text.fold(ctx.prospect.first_name or "")


def foreign_names(
    parsed: Parsed, ctx: OutreachContext, forms: frozenset[str], fact: str = ""
) -> list[tuple[str, str]]:
    """Organisations and people the parser finds that are not part of this exercise."""
    p, s = ctx.prospect, ctx.sender
    parts = (p.first_name, p.last_name, p.company, p.title, s.name, s.company, ctx.offer, fact)
    known_text = " ".join(x for x in (*parts, *p.facts, *p.pains) if x)
    known = {w.lower() for w in text.word_strings(known_text)}
    known_lower = known_text.lower()
    to_reader = any(t.lower in reading.YOU for t in parsed.tokens)
    found = []
    skip = {
        w.lower()
        for e in parsed.entities
        if e.label in _PLACES_AND_TIMES
        for w in text.word_strings(e.text)
    }
    for label, start, end, name in _names(parsed):
        words = [w.lower() for w in text.word_strings(name)]
        if any(w in skip for w in words):
            continue
        if not words or all(w in known or w in forms or w in _GENERIC for w in words):
            continue
        if name.lower() in known_lower:  # "M Series A" is part of "$12M Series A"
            continue
        if to_reader and not _owns(parsed, start, end):
            continue
        found.append((label, name))
    return found


_PLACES_AND_TIMES = frozenset({"GPE", "LOC", "FAC", "NORP", "DATE", "TIME"})
#: Words that make a run of capitals look like a name without naming anyone.
_GENERIC = frozenset({"the", "a", "of", "and", "&", "ltd", "inc", "llc", "co"})


def _names(parsed: Parsed) -> list[tuple[str, int, int, str]]:
    """Organisation and person entities, plus runs of two or more proper nouns the
    entity recogniser missed ("Brightline Coaching" read as a title)."""
    found = [
        (e.label, e.start, e.end, e.text) for e in parsed.entities if e.label in ("ORG", "PERSON")
    ]
    run: list[int] = []
    for i, t in enumerate([*parsed.tokens, None]):
        if t is not None and t.tag in ("NNP", "NNPS") and i > 0:
            run.append(i)
            continue
        if len(run) >= 2:
            a, b = parsed.tokens[run[0]], parsed.tokens[run[-1]]
            if not any(s < b.end and a.start < e for _, s, e, _ in found):
                found.append(("ORG", a.start, b.end, parsed.text[a.start : b.end]))
        run = []
    return found


def _owns(parsed: Parsed, start: int, end: int) -> bool:
    """The name owns or hosts what the sentence says ("SmileCo's clinic", "at SmileCo")."""
    inside = [i for i, t in enumerate(parsed.tokens) if start <= t.start < end]
    for i in inside:
        t = parsed.tokens[i]
        if t.head in inside and t.head != i:
            continue  # not the entity's head word
        if t.dep == "poss" or any(parsed.tokens[c].tag == "POS" for c in parsed.children(i)):
            return True
        if t.dep == "pobj" and parsed.tokens[t.head].lower in ("at", "for", "of", "with", "to"):
            return True
    return False


def invented_history(body: Body) -> list[Span]:
    """Sentences that claim an earlier conversation between sender and reader."""
    found = []
    for i in body.core:
        parsed = body.parsed[i]
        if _claims_contact(parsed) or _met_before(parsed):
            found.append(body.sentences[i])
    return found


def _met_before(parsed: Parsed) -> bool:
    """ "Great to meet you at the show last week": meeting the reader, on a past date."""
    past = any(
        e.label in ("DATE", "TIME") and any(w in e.text.lower() for w in _PAST_WORDS)
        for e in parsed.entities
    )
    met = any(
        t.lemma in _CONTACT_LEMMAS and t.pos == "VERB" and _with_reader(parsed, i)
        for i, t in enumerate(parsed.tokens)
    )
    return past and met


def _with_reader(parsed: Parsed, verb: int) -> bool:
    """The reader is who the verb was done with: "meet you", "spoke with you"."""
    for c in parsed.children(verb):
        t = parsed.tokens[c]
        if t.dep in ("dobj", "dative") and t.lower == "you":
            return True
        if t.dep == "prep" and t.lower in ("with", "to"):
            if any(parsed.tokens[g].lower == "you" for g in parsed.children(c)):
                return True
    return False


_PAST_WORDS = ("last", "yesterday", "ago", "earlier", "previous")


def _claims_contact(parsed: Parsed) -> bool:
    if reading.is_question(parsed) and not reading.has_negation(parsed):
        return False  # "Have I caught you at a bad time?" asks about now
    tokens = parsed.tokens
    for i, t in enumerate(tokens):
        if t.lemma in _CONTACT_NOUNS and any(
            tokens[c].lower in ("our", "last", "previous", "earlier") for c in parsed.children(i)
        ):
            return True
        if t.lemma not in _CONTACT_LEMMAS or t.pos != "VERB":
            continue
        kids = [tokens[c] for c in parsed.children(i)]
        if t.lemma == "follow" and any(k.lower == "up" for k in kids) and t.tag == "VBG":
            if any(k.lower in ("i", "just", "am", "'m") for k in kids) or i < 3:
                return True
        if t.tag not in ("VBD", "VBN") or t.dep == "relcl":
            continue  # "every owner we spoke to" is about other people
        who = {k.lower for k in kids if k.dep in ("nsubj", "nsubjpass", "dobj", "dative")}
        with_you = any(
            k.dep == "prep"
            and any(tokens[g].lower == "you" for g in parsed.children(tokens.index(k)))
            for k in kids
        )
        as_clause = any(k.dep == "mark" and k.lower == "as" for k in kids) and t.tag == "VBN"
        others = any(
            k.dep == "prep"
            and any(tokens[g].lower not in ("you",) for g in parsed.children(tokens.index(k)))
            for k in kids
            if k.lower in ("to", "with")
        )
        if (
            ("we" in who and not others)
            or ("you" in who and {"me", "i", "us"} & who)
            or (with_you and "i" in who)
        ):
            return True
        if as_clause:
            return True
    return False
