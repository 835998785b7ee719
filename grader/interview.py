"""Interview rubric: a mock SDR interview, graded from its transcript.

The submission is the transcript (``turns``: the ``manager``'s questions, the
``learner``'s answers, then the mock cold call in which the manager speaks as the
``buyer``). The mock call starts at the first ``buyer`` turn; everything the learner said
before it is an answer to a question. The context says which learner turns answered which
question (``questions``: ``id``, ``turns`` counted from 0 among learner turns,
``follow_up`` when the answer was vague enough for the manager to ask again), the call
rubric's context for the mock call (``call``, its learner turns counted from the call's
first), and optionally the learner's practice ``records`` (the figures the ``cv`` kind
checks claims against).

Answers are read with the language layer (grader.interview_answers): structure is
situation, action and result; specifics are numbers and named actions; a figure the
learner quotes about their practice (reply rate, meetings booked...) is checked against
their records like a CV claim. The mock call is graded on the call rubric
(grader/call.py) as a part, its evidence quoting the learner's turns of this transcript.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from grader import call as call_rubric
from grader.cv_claims import FIGURES, find_claims, matches, record, show
from grader.fields import CONTEXT, SUBMISSION
from grader.interview_answers import PARTS, AnswerReading, read_answer
from grader.language import Language, language
from grader.results import Evidence, Grade
from grader.rubric import CheckSpec, GradeBuilder, ratio_text, specs_by_id
from grader.text import sentences

RUBRIC_ID = "interview"
RUBRIC_VERSION = "1.0.0"
KIND = "interview"
MAX_TURNS = 400
SPEAKERS = ("manager", "learner", "buyer", "gatekeeper")
#: Words just before a figure that make it a goal rather than a claim of what was done.
TARGET_RE = re.compile(r"\b(?:targets?|goals?|quotas?|aim(?:ed|ing)?)\b(?:\s+\w+){0,2}\s*$", re.I)

CHECKS = (
    CheckSpec(
        "structure",
        30,
        "Each answer tells a situation, an action and a result (a third of the answer's"
        " share each), over all the questions asked.",
    ),
    CheckSpec(
        "specifics",
        20,
        "Each answer carries a number (half) and a named action the candidate took (half).",
    ),
    CheckSpec(
        "first_time",
        10,
        "Questions answered clearly the first time, without the manager asking a follow-up"
        " (share of questions).",
    ),
    CheckSpec(
        "own_figures",
        10,
        "At least one figure from the candidate's own practice, and every such figure true"
        " to their records (skipped when no records are passed in).",
    ),
    CheckSpec(
        "mock_call",
        30,
        "The mock cold call, on the call rubric (its share of this check's points; its checks"
        " are shown as a part).",
    ),
)
SPEC = specs_by_id(CHECKS)
_ADVICE = {
    "structure": "Tell each answer as a short story: the situation, what you did, and the result.",
    "specifics": "Give numbers (how many, what rate, how long) and say what you did yourself.",
    "first_time": "Answer the question asked with a concrete example first; then explain.",
    "own_figures": "Quote a figure from your own practice (meetings booked, reply rate) exactly.",
    "mock_call": "Open with your name, permission and a reason; ask open questions; acknowledge"
    " objections; ask for a day and a time.",
}


@dataclass(frozen=True)
class _Answer:
    """One learner turn before the mock call: its index in ``turns`` and its reading."""

    index: int
    reading: AnswerReading

    @property
    def field(self) -> str:
        return f"turns[{self.index}].text"

    def quote(self, start: int, end: int, note: str) -> Evidence:
        return Evidence.span(self.field, self.reading.text, start, end, note)


@dataclass(frozen=True)
class _Question:
    id: str
    answers: tuple[_Answer, ...]
    follow_up: bool

    @property
    def parts(self) -> set[str]:
        return {p for a in self.answers for p in a.reading.parts}


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    turns = _turns(submission)
    builder = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, KIND, CHECKS)
    call_from = next((i for i, (s, _) in enumerate(turns) if s == "buyer"), len(turns))
    lang = language()
    answers = [
        _Answer(i, read_answer(text, lang))
        for i, (speaker, text) in enumerate(turns[:call_from])
        if speaker == "learner"
    ]
    questions = _questions(context, answers, turns[:call_from])
    if not any(q.answers for q in questions):
        for spec in CHECKS[:4]:
            builder.add(spec.award(0, "No question was answered.", _ADVICE[spec.id]))
    else:
        _structure(builder, questions)
        _specifics(builder, questions)
        _first_time(builder, questions)
        _own_figures(builder, answers, context)
    _mock_call(builder, turns, call_from, context)
    return builder.build()


def _turns(submission: Mapping[str, object]) -> list[tuple[str, str]]:
    raw = SUBMISSION.sequence(submission.get("turns", []), "turns", max_items=MAX_TURNS)
    out = []
    for i, item in enumerate(raw):
        turn = SUBMISSION.mapping(item, f"turns[{i}]")
        speaker = SUBMISSION.choice(turn.get("speaker"), f"turns[{i}].speaker", SPEAKERS)
        out.append((speaker, SUBMISSION.text(turn.get("text"), f"turns[{i}].text")))
    return out


def _questions(
    context: Mapping[str, object], answers: list[_Answer], turns: Sequence[tuple[str, str]]
) -> list[_Question]:
    """The questions with their answers: as the context says, or else one question per
    run of learner turns after a manager's line (no follow-ups known)."""
    listed = CONTEXT.sequence(context.get("questions", []), "questions")
    if listed:
        out = []
        for i, raw in enumerate(listed):
            item = CONTEXT.mapping(raw, f"questions[{i}]")
            ids = CONTEXT.sequence(item.get("turns", []), f"questions[{i}].turns")
            ordinals = [CONTEXT.integer(o, f"questions[{i}].turns", minimum=0) for o in ids]
            out.append(
                _Question(
                    CONTEXT.text(item.get("id", "question"), f"questions[{i}].id", max_chars=100),
                    tuple(answers[o] for o in ordinals if o < len(answers)),
                    item.get("follow_up") is True,
                )
            )
        return out
    groups: list[list[_Answer]] = []
    by_index = {a.index: a for a in answers}
    for i, (speaker, _) in enumerate(turns):
        if speaker != "learner":
            if not groups or groups[-1]:
                groups.append([])
        elif i in by_index:
            if not groups:
                groups.append([])
            groups[-1].append(by_index[i])
    return [_Question(f"question {n + 1}", tuple(g), False) for n, g in enumerate(groups) if g]


def _structure(builder: GradeBuilder, questions: list[_Question]) -> None:
    asked = [q for q in questions if q.answers]
    shares = [len(q.parts) / len(PARTS) for q in asked]
    evidence: list[Evidence] = []
    missing: list[str] = []
    for q in asked:
        for part in PARTS:
            where = next((a for a in q.answers if part in a.reading.parts), None)
            if where is not None and len(evidence) < 9:
                span = where.reading.parts[part]
                evidence.append(where.quote(span.start, span.end, f"{q.id}: {part}"))
        lacks = [p for p in PARTS if p not in q.parts]
        if lacks:
            missing.append(f"{q.id} lacks {' and '.join(lacks)}")
    full = sum(s == 1 for s in shares)
    builder.add(
        SPEC["structure"].award(
            sum(shares) / len(questions),
            f"{ratio_text(full, len(questions))} answers tell situation, action and result"
            + (f"; {'; '.join(missing[:3])}." if missing else "."),
            _ADVICE["structure"],
            evidence,
        )
    )


def _specifics(builder: GradeBuilder, questions: list[_Question]) -> None:
    earned = 0.0
    evidence: list[Evidence] = []
    vague: list[str] = []
    for q in questions:
        numbers = [(a, s) for a in q.answers for s in a.reading.numbers]
        actions = [(a, s) for a in q.answers for s in a.reading.actions]
        earned += 0.5 * bool(numbers) + 0.5 * bool(actions)
        for a, s in numbers[:1]:
            evidence.append(a.quote(s.start, s.end, f"{q.id}: a number"))
        for a, s in actions[:1]:
            evidence.append(a.quote(s.start, s.end, f"{q.id}: what you did"))
        if not numbers and not actions:
            vague.append(q.id)
            for a in q.answers[:1]:
                end = min(len(a.reading.text), 80)
                evidence.append(a.quote(0, end, f"{q.id}: no number, no action of yours"))
    builder.add(
        SPEC["specifics"].award(
            earned / len(questions),
            f"Numbers in {sum(any(a.reading.numbers for a in q.answers) for q in questions)},"
            f" named actions in {sum(any(a.reading.actions for a in q.answers) for q in questions)}"
            f" of {len(questions)} answers"
            + (f"; nothing specific in {', '.join(vague)}." if vague else "."),
            _ADVICE["specifics"],
            evidence[:10],
        )
    )


def _first_time(builder: GradeBuilder, questions: list[_Question]) -> None:
    again = [q for q in questions if q.follow_up]
    evidence = []
    for q in again:
        first = q.answers[0] if q.answers else None
        if first is not None:
            end = len(first.reading.text)
            evidence.append(first.quote(0, end, f"{q.id}: the manager asked you to be specific"))
    builder.add(
        SPEC["first_time"].award(
            1 - len(again) / len(questions),
            f"{ratio_text(len(questions) - len(again), len(questions))} questions answered"
            " without a follow-up.",
            _ADVICE["first_time"],
            evidence[:4],
        )
    )


def _own_figures(
    builder: GradeBuilder, answers: list[_Answer], context: Mapping[str, object]
) -> None:
    if context.get("records") is None:
        builder.skip("own_figures", "No practice records were passed in to check figures.")
        return
    records = CONTEXT.mapping(context.get("records"), "records")
    right: list[Evidence] = []
    wrong: list[Evidence] = []
    lang = language()
    for a in answers:
        for claim in find_claims(a.reading.text):
            if TARGET_RE.search(a.reading.text[max(0, claim.start - 30) : claim.start]):
                continue  # "a target of 15 meetings" is a goal, not a claim
            if not _told_as_done(a.reading.text, claim.start, lang):
                continue  # "I research 20 accounts" describes a routine, not a record
            true = None if claim.value is None else record(records, claim.figure)
            if claim.value is None or true is None:
                continue  # outside work or a figure the platform does not keep
            if matches(claim.figure, claim.value, true):
                note = f"records: {show(claim.figure, true)} {FIGURES[claim.figure]}"
                right.append(a.quote(claim.start, claim.end, note))
            else:
                note = f"your records show {show(claim.figure, true)} {FIGURES[claim.figure]}"
                wrong.append(a.quote(claim.start, claim.end, note))
    spec = SPEC["own_figures"]
    if wrong:
        first = wrong[0]
        builder.add(
            spec.award(
                0,
                f"'{first.quote}' does not match your records: {first.note}.",
                "Quote your practice figures exactly: an employer may ask to see them.",
                wrong[:5],
            )
        )
    elif right:
        builder.add(
            spec.award(
                1,
                f"{len(right)} figure(s) from your practice, true to your records.",
                "",
                right[:5],
            )
        )
    else:
        builder.add(spec.award(0, "No figure from your own practice.", _ADVICE["own_figures"]))


def _told_as_done(text: str, at: int, lang: Language) -> bool:
    """Whether the sentence holding offset ``at`` tells something done: a past-tense verb
    ("booked", "was", "have booked"). A plan or a routine in the present claims nothing."""
    span = next((s for s in sentences(text) if s.start <= at < s.end), None)
    if span is None:
        return False
    parsed = lang.parse(text[span.start : span.end])
    return any(t.tag in ("VBD", "VBN") for t in parsed.tokens)


def _mock_call(
    builder: GradeBuilder,
    turns: Sequence[tuple[str, str]],
    call_from: int,
    context: Mapping[str, object],
) -> None:
    spec = SPEC["mock_call"]
    segment = [(s, t) for s, t in turns[call_from:] if s != "manager"]
    if not any(s == "learner" for s, _ in segment):
        builder.add(
            spec.award(0, "The interview never reached the mock cold call.", _ADVICE["mock_call"])
        )
        return
    kept = [i for i in range(call_from, len(turns)) if turns[i][0] != "manager"]
    ctx = CONTEXT.optional_mapping(context.get("call"), "call")
    if "sender" not in ctx and "sender" in context:
        ctx = {**ctx, "sender": context["sender"]}
    graded = call_rubric.grade_submission(
        {"turns": [{"speaker": s, "text": t} for s, t in segment]}, ctx
    )
    builder.parts.append(_renumbered(graded, kept))
    builder.add(
        spec.award(
            graded.percent / 100,
            f"Your mock call scored {graded.score:g} of {graded.possible:g} on the call rubric"
            " (its checks are below).",
            _ADVICE["mock_call"],
        )
    )


def _renumbered(graded: Grade, kept: list[int]) -> Grade:
    """The call part's evidence, ``turns[k]`` of the call, moved to this transcript's index."""

    def move(e: Evidence) -> Evidence:
        if not e.is_span or not str(e.field).startswith("turns["):
            return e
        k = int(str(e.field)[6:].split("]", 1)[0])
        rest = str(e.field).split("]", 1)[1]
        return e.moved_to(f"turns[{kept[k]}]{rest}")

    checks = tuple(replace(c, evidence=tuple(move(e) for e in c.evidence)) for c in graded.checks)
    return replace(graded, checks=checks)
