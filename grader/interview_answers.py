"""Reading one interview answer: its situation, action and result, and its specifics.

An answer is cut into sentences (:func:`grader.text.sentences`) and each sentence is parsed
by the language layer; the parts are recognised by the parse, not by phrase lists:

- **situation**: a sentence that sets a scene: it carries a date or time ("last spring",
  "in my first month"), opens a subordinate clause of time or cause ("when", "while",
  "after", "because"), or says in the past tense what was ("I was", "we had", "our team
  missed") with a subject;
- **action**: a verb that someone *does* with the speaker as its subject ("I called",
  "we rebuilt", "I block my mornings"); feeling, being and wanting verbs (be, have, feel,
  think, want, like...) are not actions;
- **result**: a sentence that reports an outcome: a verb or noun of outcome ("booked",
  "increased", "hit", "result", "learned") or a figure said after an action.

Specifics are numbers (the parse's numerals and number entities: "12 meetings", "40%",
"three weeks") and named actions (the verbs of the action sentences). An answer is
*vague* when it is short, or when it has neither a number nor a named action, or when it
shows fewer than two of the three parts: the hiring manager asks a follow-up then
(simulator/call_interview.py reads ``vague`` from the stored reading).
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.language import Language, Parsed, Token
from grader.text import sentences

PARTS = ("situation", "action", "result")
#: Fewer words than this and an answer is vague whatever it says.
MIN_WORDS = 15
#: Verbs of being, having, feeling and wanting: what someone is, not what they did.
STATIVE = frozenset(
    "be have feel think want like love enjoy know guess hope seem believe wish need mean"
    " say tell try would could can will should may might must do get see look hear depend"
    " come".split()
)
#: Lemmas that report an outcome (verbs and nouns alike).
OUTCOME = frozenset(
    "result outcome book win increase grow double triple close hit reach exceed beat improve"
    " raise cut reduce save recover finish end land convert earn gain lift learn lesson"
    " promote rank top".split()
)
#: Subordinating words that set a scene in time or cause.
SETTING_MARKS = frozenset({"when", "while", "after", "before", "because", "since", "as", "until"})
#: Entity labels that carry a figure.
NUMBER_ENTITIES = frozenset({"CARDINAL", "PERCENT", "MONEY", "QUANTITY"})
SCENE_ENTITIES = frozenset({"DATE", "TIME"})
FIRST_PERSON = frozenset({"i", "we"})


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class AnswerReading:
    """One answer: the first sentence showing each part, its numbers and named actions."""

    text: str
    parts: dict[str, Span]
    numbers: tuple[Span, ...]
    actions: tuple[Span, ...]
    words: int

    @property
    def specific(self) -> bool:
        return bool(self.numbers) or bool(self.actions)

    @property
    def vague(self) -> bool:
        return self.words < MIN_WORDS or not self.specific or len(self.parts) < 2

    def record(self) -> dict[str, object]:
        """The summary the engine stores with the turn (JSON, sorted: replays compare)."""
        return {
            "parts": sorted(self.parts),
            "numbers": len(self.numbers),
            "actions": len(self.actions),
            "words": self.words,
            "vague": self.vague,
        }


def read_answer(text: str, lang: Language) -> AnswerReading:
    """Read one spoken answer (one turn) to an interview question."""
    spans = sentences(text)
    parses = lang.parse_many([text[s.start : s.end] for s in spans])
    parts: dict[str, Span] = {}
    numbers: list[Span] = []
    actions: list[Span] = []
    words = 0
    acted = False
    for span, parsed in zip(spans, parses, strict=True):
        base = span.start
        words += len(parsed.words)
        found_numbers = [Span(base + a, base + b) for a, b in _numbers(parsed)]
        found_actions = [Span(base + a, base + b) for a, b in _actions(parsed)]
        numbers += found_numbers
        actions += found_actions
        whole = Span(span.start, span.end)
        if _scene(parsed):
            parts.setdefault("situation", whole)
        if found_actions:
            parts.setdefault("action", whole)
        if _outcome(parsed) or (acted and found_numbers):
            parts.setdefault("result", whole)
        acted = acted or bool(found_actions)
    return AnswerReading(text, parts, tuple(numbers), tuple(actions), words)


def _numbers(parsed: Parsed) -> list[tuple[int, int]]:
    out = [(e.start, e.end) for e in parsed.entities if e.label in NUMBER_ENTITIES]
    out += [
        (t.start, t.end)
        for t in parsed.tokens
        if t.pos == "NUM" and not any(a <= t.start < b for a, b in out)
    ]
    return sorted(out)


def _subject(parsed: Parsed, i: int) -> Token | None:
    kids = [parsed.tokens[j] for j in parsed.children(i)]
    return next((k for k in kids if k.dep in ("nsubj", "nsubjpass")), None)


def _actions(parsed: Parsed) -> list[tuple[int, int]]:
    """Verbs the speaker does (subject I or we; for a verb joined by "and", the subject of
    the first verb)."""
    out = []
    for i, t in enumerate(parsed.tokens):
        if t.pos != "VERB" or t.lemma.lower() in STATIVE:
            continue
        if any(parsed.tokens[j].dep == "neg" for j in parsed.children(i)):
            continue  # "I don't miss targets" names nothing done
        subject = _subject(parsed, i)
        own = subject is not None and subject.start < t.start
        if subject is None and t.dep == "conj":
            subject = _subject(parsed, t.head)
        if subject is not None and subject.lower in FIRST_PERSON:
            out.append((subject.start, t.end) if own and subject else (t.start, t.end))
    return out


def _scene(parsed: Parsed) -> bool:
    if any(e.label in SCENE_ENTITIES for e in parsed.entities):
        return True
    for i, t in enumerate(parsed.tokens):
        if t.dep == "mark" and t.lower in SETTING_MARKS:
            return True
        if t.dep == "advmod" and t.lower == "when":
            return True
        past = t.tag in ("VBD", "VBN") and t.pos in ("VERB", "AUX")
        if past and t.dep == "ROOT" and _subject(parsed, i) is not None:
            return True
    return False


def _outcome(parsed: Parsed) -> bool:
    return any(
        t.lemma.lower() in OUTCOME and t.pos in ("VERB", "NOUN") for t in parsed.tokens
    ) or any(t.lower in ("so", "therefore") and t.dep in ("advmod", "cc") for t in parsed.tokens)
