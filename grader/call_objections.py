"""The ``call`` rubric's objection check, shared by an ordinary call and an objection drill.

Each objection the buyer raised is graded on the learner turn that answered it, in four
parts named in the verdict: acknowledged before answering (the first sentence is an
acknowledgement, a label or a mirror), asked a question, reframed, and did not argue
(no arguing, pushing, rudeness, or pitching over it). Full credit needs the
acknowledgement, then a question or a reframe, and no fighting; half credit one of the
two without fighting or pitching. The evidence quotes the learner's own answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from grader.conversation import TurnReading
from grader.results import Evidence
from grader.rubric import CheckSpec, GradeBuilder

QUESTION_ACTS = frozenset({"open_question", "closed_question", "leading_question"})
LISTENING = frozenset({"acknowledgement", "label", "mirror"})
FIGHTING = frozenset({"argue", "pushy", "rude"})
ADVICE = (
    'Acknowledge the objection first ("Fair enough", "It sounds like..."), then'
    " ask a question about it or reframe it; never argue or pitch over it."
)


class Answer(Protocol):
    """A learner turn as the call rubric holds it (call._Said)."""

    @property
    def reading(self) -> TurnReading: ...

    def quote(self, note: str, acts: frozenset[str] | None = None) -> Evidence: ...


def judge(reading: TurnReading) -> tuple[float, str]:
    """(fraction of credit, the four parts in words) for one answer to an objection."""
    heard = bool(LISTENING & reading.first_acts)
    asks = bool(QUESTION_ACTS & reading.acts)
    reframes = "reframe" in reading.acts
    fights = bool(FIGHTING & reading.acts)
    pitches = "pitch" in reading.acts and not (asks or reframes)
    parts = [
        "acknowledged first" if heard else "no acknowledgement first",
        "asked a question" if asks else "no question",
    ]
    if reframes:
        parts.append("reframed")
    parts.append("argued or pushed" if fights else ("pitched over it" if pitches else "no arguing"))
    if heard and (asks or reframes) and not fights:
        return 1.0, ", ".join(parts)
    if (heard or asks or reframes) and not fights and "pitch" not in reading.acts:
        return 0.5, ", ".join(parts)
    return 0.0, ", ".join(parts)


def grade_objections(
    builder: GradeBuilder,
    spec: CheckSpec,
    raised: Sequence[tuple[str, int]],
    by_ordinal: Mapping[int, Answer],
) -> None:
    """Add the objection check: one verdict and one quote per objection raised."""
    if not raised:
        builder.skip(spec.id, "The buyer raised no objection on this call.")
        return
    scores, evidence, verdicts = [], [], []
    for kind, after in raised:
        name = kind.replace("_", " ")
        answer = by_ordinal.get(after + 1)
        if answer is None:
            scores.append(0.0)
            verdicts.append(f"{name}: not answered")
            continue
        score, how = judge(answer.reading)
        scores.append(score)
        verdicts.append(f"{name}: {how} ({score:.0%})")
        evidence.append(answer.quote(f"your answer to {name}: {how}"))
    builder.add(spec.award(sum(scores) / len(scores), "; ".join(verdicts), ADVICE, evidence))
