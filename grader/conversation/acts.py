"""Dialogue acts of one spoken turn, read from the parse rather than from phrase lists.

A turn is cut into sentences (:func:`grader.text.sentences`); each sentence is parsed by
the language layer and classified by its *shape*: where the question word sits, whether
the auxiliary comes before the subject, who the subject is, what the root verb governs.
So "Walk me through your recall process" is an open question for the same reason "Tell
me about your week" is (an imperative whose object is the speaker), and "Don't you think
it is time?" is leading for the same reason "Wouldn't it be easier?" is (a negated
auxiliary opening a yes/no question). The word sets below are small anchors for those
shapes (meeting nouns, acknowledgement cores), not lists of whole phrases.

Acts (a sentence may carry several):

- ``open_question``: a wh-question, or a request to tell ("Tell me about...", "I'm
  curious how..."): it invites the buyer to talk.
- ``closed_question``: a yes/no question; ``leading_question`` when it presumes the answer
  (negated auxiliary, tag question, "agree", or praise of the answer it wants).
- ``permission``: asks for time or leave ("Is now a bad time?", "Can I ask...").
- ``reason``: says why the caller is calling. ``identify``: names the caller.
- ``pitch``: the caller's company or offer as subject of a claim ("We help...").
- ``acknowledgement``, ``label`` ("It sounds like..."), ``mirror`` (the buyer's last words
  handed back as a question), ``reframe`` ("What if...", "others felt the same").
- ``next_step``: asks for or proposes a meeting; ``time_proposal`` when it names a day or
  a clock time.
- ``transfer``: asks to be put through to someone (what a gatekeeper hears).
- ``small_talk``, ``rude``, ``pushy``, ``argue``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from grader.language import Language, Parsed, Token
from grader.text import sentences

from . import cues
from .facts import targets_of


@dataclass(frozen=True, slots=True)
class SentenceReading:
    """One sentence of a turn: its span in the turn, its acts and the facts it asks about."""

    start: int
    end: int
    acts: frozenset[str]
    targets: frozenset[str]
    words: int


@dataclass(frozen=True, slots=True)
class TurnReading:
    """What one learner turn does, sentence by sentence and as a whole."""

    text: str
    sentences: tuple[SentenceReading, ...]

    @property
    def acts(self) -> frozenset[str]:
        return frozenset().union(*(s.acts for s in self.sentences))

    @property
    def targets(self) -> frozenset[str]:
        return frozenset().union(*(s.targets for s in self.sentences))

    @property
    def words(self) -> int:
        return sum(s.words for s in self.sentences)

    @property
    def questions(self) -> int:
        return sum(_is_question(s.acts) for s in self.sentences)

    @property
    def open_questions(self) -> int:
        return sum("open_question" in s.acts for s in self.sentences)

    @property
    def first_acts(self) -> frozenset[str]:
        """The acts of the first sentence: what the buyer hears before anything else."""
        return self.sentences[0].acts if self.sentences else frozenset()

    def record(self) -> dict[str, object]:
        """The summary the engine stores in a turn's event (JSON, sorted: replays compare)."""
        return {
            "acts": sorted(self.acts),
            "first_acts": sorted(self.first_acts),
            "targets": sorted(self.targets),
            "words": self.words,
            "questions": self.questions,
            "open_questions": self.open_questions,
        }


def _is_question(acts: Iterable[str]) -> bool:
    return bool({"open_question", "closed_question", "leading_question"} & set(acts))


def read_turn(
    text: str,
    lang: Language,
    *,
    previous: str = "",
    caller_names: Iterable[str] = (),
) -> TurnReading:
    """Read one learner turn; ``previous`` is the buyer's last line (for mirrors),
    ``caller_names`` the caller's own name and company (for identification)."""
    spans = sentences(text)
    heard = [previous] if previous.strip() else []
    parses = lang.parse_many([text[s.start : s.end] for s in spans] + heard)  # one model run
    echo = _content_lemmas(parses.pop()) if heard else frozenset()
    names = frozenset(n.lower() for name in caller_names for n in name.split() if n)
    out = []
    for span, parsed in zip(spans, parses, strict=True):
        acts = _acts(parsed, lang, echo, names)
        asks = _is_question(acts) and not ({"permission", "next_step"} & acts)
        out.append(
            SentenceReading(
                span.start,
                span.end,
                frozenset(acts),
                targets_of(parsed) if asks else frozenset(),
                len(parsed.words),
            )
        )
    return TurnReading(text, tuple(out))


def _content_lemmas(parsed: Parsed) -> frozenset[str]:
    return frozenset(
        t.lemma for t in parsed.words if t.pos in ("NOUN", "PROPN", "VERB", "ADJ", "NUM")
    )


def _first_word(parsed: Parsed, words: list[Token]) -> int:
    """Index (in ``words``) of the first word past interjections, lead-ins and a greeting
    ("Good morning, could I..." starts at "could")."""
    toks = parsed.tokens
    comma = next((i for i, t in enumerate(toks[:5]) if t.text == ","), None)
    skip = 0
    if comma is not None and all(t.pos in ("INTJ", "ADJ", "NOUN", "PROPN") for t in toks[:comma]):
        skip = len([t for t in toks[:comma] if t in words])
    for i, t in enumerate(words[skip:], skip):
        if t.pos != "INTJ" and t.lower not in cues.LEAD_IN:
            return i
    return 0


def _acts(parsed: Parsed, lang: Language, echo: frozenset[str], names: frozenset[str]) -> set[str]:
    words = parsed.words
    if not words:
        return set()
    acts: set[str] = set()
    text = parsed.text
    lemmas = {t.lemma for t in words}
    start = _first_word(parsed, words)
    first = words[start]
    asked = text.rstrip().endswith("?")
    inverted = first.pos == "AUX" or first.tag == "MD"
    wh_first = first.lower in cues.WH or (asked and _wh_after_comma(parsed))
    lowered = {t.lower for t in words}
    subjects = {t.lower for t in parsed.tokens if "subj" in t.dep}
    root = next((t for t in parsed.tokens if t.dep == "ROOT"), words[0])
    # ---- questions
    imperative_tell = (
        root.tag == "VB"
        and root.lemma in cues.TELL
        and not any("subj" in t.dep and t.head == parsed.tokens.index(root) for t in parsed.tokens)
        and any(t.lower in ("me", "us") for t in parsed.tokens)
    )
    curious = "i" in subjects and bool(lemmas & cues.CURIOUS) and bool(lemmas & cues.WH)
    if wh_first and not _what_if(words):
        acts.add("open_question")
    elif imperative_tell or (curious and not inverted):
        acts.add("open_question")
    elif asked or inverted and "?" in text:
        acts.add("closed_question")
        if _leading(parsed, words[start:], lang):
            acts.add("leading_question")
    question = bool(acts)
    # ---- permission, reason, identification
    if question and not wh_first:
        time_ask = bool(lemmas & {"minute", "second", "moment", "time"}) and not _timed(text)
        may_i = inverted and first.lemma in ("can", "could", "may") and "i" in subjects
        if time_ask or may_i or "mind" in lemmas:
            acts.add("permission")
    if "reason" in lemmas or ("call" in lemmas and "i" in subjects and "because" in lemmas):
        acts.add("reason")
    if names and _names_self(parsed, names):
        acts.add("identify")
    # ---- pitch
    if not question and _pitches(parsed):
        acts.add("pitch")
    # ---- listening moves
    opening = [t.lemma for t in words[:4]]
    heard = "i" in opening[:2] and bool(set(opening) & cues.HEARD)
    early = bool(set(opening) & cues.ACK) and (len(words) <= 8 or opening[0] in cues.ACK)
    if (heard or early) and not _argues(parsed, words) and not imperative_tell:
        acts.add("acknowledgement")
    if _labels(parsed):
        acts.add("label")
    if asked and echo and len(words) <= 6:
        mine = _content_lemmas(parsed)
        if mine and len(mine & echo) >= max(1, (len(mine) + 1) // 2):
            acts.add("mirror")
    if _what_if(words) or _others_felt(parsed):
        acts.add("reframe")
    # ---- the close
    meeting = any(
        t.lemma in cues.MEETING and (t.pos == "NOUN" or t.lemma == "meet") for t in parsed.tokens
    )
    timed = _timed(text)
    proposes = question or "let" in lemmas or "how" in lemmas or "i" in subjects
    booking = timed or "meet" in lemmas or bool(lemmas & cues.BOOKING)
    if (
        (meeting and booking or timed)
        and proposes
        and not ("reason" in acts or "permission" in acts)
    ):
        acts.add("next_step")
        if timed:
            acts.add("time_proposal")
            if "open_question" in acts:  # "How about Tuesday at 10?" proposes, not asks
                acts.discard("open_question")
                acts.add("closed_question")
    if question and not wh_first and lemmas & cues.TRANSFER and {"to", "through"} & lowered:
        acts.add("transfer")
    # ---- small talk, rudeness, pressure, arguing
    if wh_first and first.lower == "how" and lemmas <= cues.SMALL_TALK or "weather" in lemmas:
        acts.add("small_talk")
    if "weekend" in lemmas and question:
        acts.add("small_talk")
    if _rude(parsed, lang):
        acts.add("rude")
    if _pushy(parsed, words, question):
        acts.add("pushy")
    if _argues(parsed, words):
        acts.add("argue")
    return acts


def _wh_after_comma(parsed: Parsed) -> bool:
    """A question word opening the clause after a lead-in ("Before I go, how do you...")."""
    toks = parsed.tokens
    return any(
        t.text == "," and i + 1 < len(toks) and toks[i + 1].lower in cues.WH
        for i, t in enumerate(toks)
    )


def _what_if(words: list[Token]) -> bool:
    return len(words) > 1 and words[0].lower == "what" and words[1].lower == "if"


def _timed(text: str) -> bool:
    """A day or a clock time is named ("Tuesday at 10am", "tomorrow", "3:30")."""
    return bool(cues.CLOCK.search(text) or cues.DAY.search(text))


def _leading(parsed: Parsed, words: list[Token], lang: Language) -> bool:
    """A yes/no question that presumes its answer."""
    head = words[: min(3, len(words))]
    if any(t.dep == "neg" for t in parsed.tokens[:3]) and head[0].pos == "AUX":
        return True
    tail = [t.lower for t in words[-3:]]
    if tail and (tail[-1] in ("right", "correct") or "n't" in tail[-3:] and len(words) > 4):
        return True
    if "agree" in {t.lemma for t in words}:
        return True
    praise = any(t.pos == "ADJ" and lang.valence(t.lower) >= 1.5 for t in words[1:])
    return praise and len(words) > 3


def _names_self(parsed: Parsed, names: frozenset[str]) -> bool:
    """The caller says their own name or company ("This is Priya from ChairFill")."""
    if any(t.lower in names for t in parsed.tokens):
        return True
    lowered = " ".join(t.lower for t in parsed.tokens)
    return "my name is" in lowered


def _pitches(parsed: Parsed) -> bool:
    """A claim whose subject is the caller's side: "We help...", "Our service cuts..."."""
    for i, t in enumerate(parsed.tokens):
        head = parsed.tokens[t.head]
        if "subj" not in t.dep or head.pos not in ("VERB", "AUX"):
            continue
        ours = t.lower == "we" or any(parsed.tokens[k].lower == "our" for k in parsed.children(i))
        if ours and head.lemma not in ("speak", "talk", "meet", "be"):
            return True
        if t.lower == "i" and head.lemma in cues.BENEFIT:
            return True
    return False


def _labels(parsed: Parsed) -> bool:
    for i, t in enumerate(parsed.tokens):
        if t.lemma in cues.LABEL and t.pos == "VERB":
            subject = [
                parsed.tokens[k] for k in parsed.children(i) if "subj" in parsed.tokens[k].dep
            ]
            if subject and subject[0].lower not in ("it", "that", "this"):
                continue
            kids = parsed.children(i)
            if subject and any(parsed.tokens[k].dep == "acomp" for k in kids):
                return True  # "That sounds frustrating": a feeling named back
            if any(parsed.tokens[k].dep in ("advcl", "ccomp", "prep") for k in kids) or any(
                parsed.tokens[k].lower in ("like", "as") for k in parsed.subtree(i)
            ):
                return True
    return False


def _others_felt(parsed: Parsed) -> bool:
    """Feel-felt-found: other buyers felt or found the same ("Many owners told us...")."""
    others = {"other", "many", "client", "customer", "people", "most", "owner", "lot", "plenty"}
    for i, t in enumerate(parsed.tokens):
        group = {parsed.tokens[k].lemma for k in parsed.subtree(i)}
        if "subj" in t.dep and group & others:
            if parsed.tokens[t.head].lemma in ("feel", "find", "say", "tell", "think", "worry"):
                return True
    return False


def _rude(parsed: Parsed, lang: Language) -> bool:
    """Insults, contempt or a curse aimed at the buyer."""
    lowered = {t.lower for t in parsed.tokens}
    if {"sorry", "apologise", "apologize"} & lowered:
        return False
    if {t.lemma for t in parsed.tokens} & cues.DISMISSIVE:
        return True
    harsh = any(
        lang.valence(t.lower) <= -2.0 and parsed.tokens[t.head].lemma not in _TIMES
        for t in parsed.tokens
    )  # "is this a bad time?" is about the hour, not an insult
    return harsh and bool(lowered & {"you", "your", "yours"})


_TIMES = frozenset({"time", "moment", "day", "week", "month", "quarter", "year", "timing"})


def _pushy(parsed: Parsed, words: list[Token], question: bool) -> bool:
    """Pressure: "you need to", "listen," as an order, or shouting."""
    if not question:
        for t in parsed.tokens:
            if t.lower == "you" and "subj" in t.dep:
                head = parsed.tokens[t.head]
                if head.lemma in cues.OBLIGE or any(
                    parsed.tokens[k].lemma in cues.OBLIGE for k in parsed.children(t.head)
                ):
                    return True
    if words and words[0].lemma in ("listen", "look") and words[0].tag == "VB":
        return True
    for i, t in enumerate(parsed.tokens):  # "just sign up", "just take the offer": an order
        subjects = [k for k in parsed.children(i) if "subj" in parsed.tokens[k].dep]
        if t.tag == "VB" and t.pos == "VERB" and t.dep in ("ROOT", "conj") and not subjects:
            if any(parsed.tokens[k].lower == "just" for k in parsed.children(i)) and not question:
                return True
    if parsed.text.count("!") >= 2:
        return True
    shouted = [t for t in words if len(t.text) > 2 and t.text.isupper() and t.text.isalpha()]
    return len(shouted) >= 2


def _argues(parsed: Parsed, words: list[Token]) -> bool:
    """Contradicting the buyer: "No, you're wrong", "That's not true", "But actually..."."""
    lemmas = [t.lemma for t in words]
    if lemmas[:1] in (["no"], ["actually"]) or lemmas[:2] == ["but", "actually"]:
        return True
    negated = any(t.dep == "neg" for t in parsed.tokens)
    return (
        negated
        and bool({"true", "right", "correct", "wrong"} & set(lemmas))
        or ("wrong" in lemmas and "you" in {t.lower for t in parsed.tokens})
    )
