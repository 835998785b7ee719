"""Assembling an outreach grade: run every check once, then apply the gates.

Some failures are *gates*. An unfilled merge field, someone else's name or three spam
signals mean the prospect stops reading (or never sees the message), so the checks that
need a reader (READER_CHECKS) are not credited: such a message scores 40/100 at most. A
do-not-contact prospect should get no message at all, so only the compliance verdict
stands. Gated checks still say what they would have earned.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader import text
from grader.fields import top_level
from grader.outreach.body import Body, split_body
from grader.outreach.compliance import compliance_check
from grader.outreach.content import cta_check, personalization_check, relevance_check, value_check
from grader.outreach.form import (
    focus_check,
    length_check,
    readability_check,
    spam_check,
    subject_check,
)
from grader.outreach.greeting import empty_names, greeting_check, read_greeting
from grader.outreach.inputs import Message, OutreachContext, read_context, read_message
from grader.outreach.rubric import (
    CHECKS,
    READER_CHECKS,
    RUBRIC_ID,
    RUBRIC_VERSION,
    SPAM_GATE_SIGNALS,
)
from grader.results import Check, Evidence, Grade
from grader.rubric import Gate, GradeBuilder


@dataclass(frozen=True)
class MessageSignals:
    """Cheap measurements of one message for the simulator's response model.

    Each float is the share (0..1) of its check's points the message earns *before* gates;
    a check the context cannot support (no facts, no pains) gives 0.0. ``spamminess`` runs
    the other way: 0 is clean, 1 is three or more spam signals.
    """

    personalization: float
    relevance: float
    value: float
    cta: float
    length_fit: float
    readability: float
    spamminess: float
    prospect_focus: float
    has_opt_out: bool
    has_postal_address: bool
    unfilled_merge_field: bool
    wrong_name: bool


@dataclass(frozen=True)
class Assessment:
    """Every check of one message before gates (a str is the reason a check was skipped)."""

    checks: dict[str, Check | str]
    body: Body
    merge: list[Evidence]
    wrong_name: Evidence | None
    spam_count: int

    def share(self, check_id: str) -> float:
        c = self.checks[check_id]
        return round(c.points / c.possible, 4) if isinstance(c, Check) else 0.0


def assess(message: Message, ctx: OutreachContext, *, first_touch: bool = True) -> Assessment:
    body = split_body(message.body, ctx.sender.postal_address)
    merge = [body.span(s) for s in text.merge_fields(body.text) + empty_names(body.text)]
    subject = message.subject or ""
    merge += [Evidence.span("subject", subject, s.start, s.end) for s in text.merge_fields(subject)]
    g = read_greeting(body, ctx) if ctx.prospect.first_name else None
    wrong = body.span(g.span) if g and g.kind == "wrong" and g.span and not merge else None
    spam, spam_count = spam_check(body, message)
    checks: dict[str, Check | str] = {
        "greeting": greeting_check(body, ctx, g, merge),
        "personalization": personalization_check(body, ctx),
        "relevance": relevance_check(body, ctx),
        "value": value_check(body, ctx),
        "call_to_action": cta_check(body),
        "length": length_check(body, message.channel),
        "subject": subject_check(message, first_touch),
        "readability": readability_check(body),
        "spam": spam,
        "prospect_focus": focus_check(body),
        "compliance": compliance_check(body, message, ctx),
    }
    return Assessment(checks, body, merge, wrong, spam_count)


def grade_message(
    message: Message, ctx: OutreachContext, *, first_touch: bool = True, kind: str = "outreach"
) -> Grade:
    """Grade one parsed message."""
    return build_grade(assess(message, ctx, first_touch=first_touch), ctx, kind=kind)


def build_grade(a: Assessment, ctx: OutreachContext, *, kind: str = "outreach") -> Grade:
    """Turn an assessment into a Grade, gates applied (the sequence rubric reuses this)."""
    builder = GradeBuilder(RUBRIC_ID, RUBRIC_VERSION, kind, CHECKS)
    for check_id, result in a.checks.items():
        if isinstance(result, Check):
            builder.add(result)
        else:
            builder.skip(check_id, result)
    for gate, check_ids in gates(a, ctx):
        builder.gate(gate, check_ids)
    return builder.build()


def gates(a: Assessment, ctx: OutreachContext) -> list[tuple[Gate, Sequence[str]]]:
    found: list[tuple[Gate, Sequence[str]]] = []
    if a.merge:
        reason = f"the message still contains the merge field “{a.merge[0].quote}”"
        advice = "Fill in or delete every placeholder; this part is then scored normally."
        found.append((Gate(reason, advice, tuple(a.merge)), READER_CHECKS))
    elif a.wrong_name:
        reason = f"the message greets someone else (“{a.wrong_name.quote}”)"
        advice = f"Greet {ctx.prospect.first_name} by name; this part is then scored normally."
        found.append((Gate(reason, advice, (a.wrong_name,)), READER_CHECKS))
    elif a.spam_count >= SPAM_GATE_SIGNALS:
        reason = f"{a.spam_count} spam signals make it read as spam, so the prospect stops there"
        advice = "Remove the spam signals listed under the spam check; this part then counts."
        found.append((Gate(reason, advice), READER_CHECKS))
    if ctx.prospect.do_not_contact:
        reason = "this prospect asked not to be contacted, so no message should be sent"
        others = [s.id for s in CHECKS if s.id != "compliance"]
        found.append((Gate(reason, "Choose a prospect who has not opted out."), others))
    return found


def grade_submission(submission: Mapping[str, object], context: Mapping[str, object]) -> Grade:
    """Entry point used by :func:`grader.grade`."""
    return grade_message(read_message(submission), read_context(context))


def analyse(submission: Mapping[str, object], context: Mapping[str, object]) -> MessageSignals:
    """Measure one message for the simulator (no gates; see :class:`MessageSignals`).

    Raises :class:`~grader.errors.SubmissionError` for a malformed message, like ``grade``.
    """
    sub, ctx_map = top_level(submission, context)
    message, ctx = read_message(sub), read_context(ctx_map)
    a = assess(message, ctx)
    return MessageSignals(
        personalization=a.share("personalization"),
        relevance=a.share("relevance"),
        value=a.share("value"),
        cta=a.share("call_to_action"),
        length_fit=a.share("length"),
        readability=a.share("readability"),
        spamminess=round(min(1.0, a.spam_count / 3), 4),
        prospect_focus=a.share("prospect_focus"),
        has_opt_out=a.body.opt_out is not None,
        has_postal_address=a.body.address is not None,
        unfilled_merge_field=bool(a.merge),
        wrong_name=a.wrong_name is not None,
    )
