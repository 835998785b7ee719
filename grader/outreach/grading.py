"""Assembling an outreach grade: run every check once, then apply the gates.

Some failures are *gates*: the prospect stops reading, or stops trusting what they read,
so the checks that need a willing reader (READER_CHECKS) are not credited. They are an
unfilled merge field, someone else's name, three spam signals, criticism or a guilt or
loaded question (tone), invented history, a misstated fact or an implausible claim
(honesty), a message that does not read as sentences (coherence), and a pitch in a
LinkedIn connection note. A do-not-contact prospect should get no message at all, so only
the compliance verdict stands. Gated checks still say what they would have earned.

A message that is not in English gets one verdict (the ``language`` check) and nothing
else: the rubric reads English and has no advice to give about other languages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from grader.fields import top_level
from grader.language import Language, language
from grader.outreach.after_acceptance import after_acceptance_fit, follow_up_length
from grader.outreach.asks import Ask, find_asks
from grader.outreach.body import Body, split_body
from grader.outreach.claims import implausible_claims, unsupported_figures
from grader.outreach.coherence import read_coherence
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
from grader.outreach.judgement import (
    channel_check,
    coherence_check,
    familiarity_problems,
    honesty_check,
    linkedin_pitch,
    misleading,
    tone_check,
)
from grader.outreach.merge import merge_fields
from grader.outreach.rubric import (
    CHECKS,
    LINKEDIN_MAX_CHARS,
    READER_CHECKS,
    RUBRIC_ID,
    RUBRIC_VERSION,
    SPAM_GATE_SIGNALS,
)
from grader.results import Check, Evidence, Grade
from grader.rubric import Gate, GradeBuilder

LANGUAGE_NAMES = {
    "fr": "French", "de": "German", "es": "Spanish", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "sv": "Swedish", "da": "Danish", "nb": "Norwegian", "pl": "Polish",
    "ro": "Romanian", "tr": "Turkish", "id": "Indonesian",
}  # fmt: skip


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
    #: What the meaning checks found: criticism or pressure (tone failed); a misstated fact
    #: or an implausible or made-up claim; a claimed earlier exchange or "Re:" (deceptive
    #: on a first touch only: ``analyse`` cannot know the step, the simulator does); word
    #: salad or keyword lists (coherence failed).
    hostile: bool = False
    deceptive: bool = False
    claims_history: bool = False
    incoherent: bool = False
    #: The channel's own form (a LinkedIn note: a reason and no pitch; a call opener:
    #: permission, a reason, an open question), 0.0 for an email, which has none.
    channel_fit: float = 0.0


@dataclass(frozen=True)
class Assessment:
    """Every check of one message before gates (a str is the reason a check was skipped)."""

    checks: dict[str, Check | str]
    body: Body
    merge: list[Evidence]
    wrong_name: Evidence | None
    spam_count: int
    #: Gates found by the meaning checks: (check id, reason, advice, evidence).
    meaning_gates: list[tuple[str, str, str, tuple[Evidence, ...]]]
    #: Misleads whatever the step (a misstated fact, an implausible or made-up claim).
    misleads: bool = False
    #: Claims an earlier exchange: deceptive on a first touch, true on a follow-up.
    claims_history: bool = False

    def share(self, check_id: str) -> float:
        c = self.checks[check_id]
        return round(c.points / c.possible, 4) if isinstance(c, Check) else 0.0

    def failed(self, check_id: str) -> bool:
        c = self.checks.get(check_id)
        return isinstance(c, Check) and c.points == 0


def assess(
    message: Message,
    ctx: OutreachContext,
    *,
    first_touch: bool = True,
    lang: Language | None = None,
) -> Assessment:
    """Run every check of one message (``lang`` defaults to the process's language layer)."""
    lang = lang or language()
    body = split_body(message.body, ctx.sender.postal_address, lang)
    merge = [body.span(s) for s in merge_fields(body.text) + empty_names(body.text)]
    subject = message.subject or ""
    merge += [Evidence.span("subject", subject, s.start, s.end) for s in merge_fields(subject)]
    code, _ = lang.language_of(w for i in body.core for w in body.sentence_words[i])
    if code != "en":
        return _foreign(body, merge, code)
    g = read_greeting(body, ctx) if ctx.prospect.first_name else None
    wrong = body.span(g.span) if g and g.kind == "wrong" and g.span and not merge else None
    spam, spam_count = spam_check(body, message)
    asks = find_asks(body)
    personal, misstated = personalization_check(body, ctx)
    claims = implausible_claims(body) + unsupported_figures(
        body, ctx.prospect.facts + ctx.prospect.pains
    )
    coherence = read_coherence(body)
    echoed = isinstance(personal, Check) and personal.points > 0
    checks: dict[str, Check | str] = {
        "greeting": greeting_check(body, ctx, g, merge),
        "personalization": personal,
        "relevance": relevance_check(body, ctx),
        "value": value_check(body, ctx, message.channel, claims),
        "call_to_action": cta_check(body, asks, message.channel),
        "tone": tone_check(body, asks),
        "honesty": honesty_check(body, message, ctx, misstated, claims, first_touch=first_touch),
        "coherence": coherence_check(body, coherence, misstated),
        "channel_fit": channel_check(body, message, ctx, asks, echoed),
        "length": length_check(body, message.channel),
        **_after_acceptance(body, message, ctx, asks),
        "subject": subject_check(message, first_touch),
        "readability": readability_check(body),
        "spam": spam,
        "prospect_focus": focus_check(body),
        "compliance": compliance_check(body, message, ctx),
        "language": "the message is in English",
    }
    gates = _meaning_gates(checks, body, message, ctx, asks)
    misleads = bool(misleading(misstated) or claims)
    history = bool(familiarity_problems(body, message))
    return Assessment(checks, body, merge, wrong, spam_count, gates, misleads, history)


def _after_acceptance(
    body: Body, message: Message, ctx: OutreachContext, asks: list[Ask]
) -> dict[str, Check | str]:
    """A LinkedIn message after an accepted note: its own channel_fit and length."""
    if message.channel != "linkedin" or ctx.thread_note is None:
        return {}
    from grader.outreach.rubric import SPEC

    return {
        "channel_fit": after_acceptance_fit(SPEC["channel_fit"], body, ctx, asks, ctx.thread_note),
        "length": follow_up_length(SPEC["length"], len(body.text.strip())),
    }


def _foreign(body: Body, merge: list[Evidence], code: str) -> Assessment:
    """One verdict for a message in another language; every other check is left out."""
    from grader.outreach.rubric import SPEC

    name = LANGUAGE_NAMES.get(code, code)
    checks: dict[str, Check | str] = {
        s.id: "the rubric reads English only" for s in CHECKS if s.id != "language"
    }
    checks["language"] = SPEC["language"].award(
        0,
        f"The message reads as {name}: this rubric judges English messages only, so it has "
        "no advice on this one.",
        "Write the practice message in English, or ask your counselor to review it by hand.",
    )
    return Assessment(checks, body, merge, None, 0, [])


MeaningGate = tuple[str, str, str, tuple[Evidence, ...]]


def _meaning_gates(
    checks: Mapping[str, Check | str],
    body: Body,
    message: Message,
    ctx: OutreachContext,
    asks: list[Ask],
) -> list[MeaningGate]:
    """Failures of meaning that stop the reader: (failing check, reason, advice, evidence)."""
    found: list[MeaningGate] = []
    for check_id, reason in (
        ("tone", "the message criticises or pressures the prospect, so they stop reading"),
        ("honesty", "the message misleads the prospect, so nothing else in it is trusted"),
        ("coherence", "the message does not read as sentences, so the prospect cannot follow it"),
    ):
        c = checks[check_id]
        if isinstance(c, Check) and c.points == 0:
            advice = f"Fix the {check_id} problem first; this part is then scored."
            found.append((check_id, reason, advice, c.evidence))
    if message.channel == "linkedin" and ctx.thread_note is None:  # a connection note
        if linkedin_pitch(body, ctx, asks):
            reason = "a connection note that pitches gets declined, so the rest goes unread"
            found.append(("channel_fit", reason, "Cut the pitch; this part is then scored.", ()))
        elif len(body.text.strip()) > LINKEDIN_MAX_CHARS:
            reason = (
                f"LinkedIn refuses notes over {LINKEDIN_MAX_CHARS} characters: it cannot be sent"
            )
            found.append(("length", reason, "Cut the note; this part is then scored.", ()))
    return found


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
    elif a.meaning_gates:
        trigger, reason, advice, evidence = a.meaning_gates[0]
        others = [c for c in READER_CHECKS if c != trigger]  # the failing check keeps its verdict
        found.append((Gate(reason, advice, evidence), others))
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
        hostile=a.failed("tone"),
        deceptive=a.misleads,
        claims_history=a.claims_history,
        incoherent=a.failed("coherence"),
        channel_fit=a.share("channel_fit"),
    )
