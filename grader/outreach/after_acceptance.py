"""The LinkedIn message after a connection note was accepted (context ``thread.note``).

What the linkedin-outreach lesson teaches for it, as the ``channel_fit`` and ``length``
checks of such a message: it picks up the thread of the note (a topic word of the note
again, beyond names and greetings: "thanks for connecting" alone is half), adds one useful
thing (a resource, an example or an observation for the prospect), asks one interest
question (one question, not a meeting), sends no meeting link or meeting request, and is
short (at most 400 characters; LinkedIn lets messages run longer, readers do not).
"""

from __future__ import annotations

import re

from grader.outreach.asks import Ask
from grader.outreach.body import Body
from grader.outreach.inputs import OutreachContext
from grader.results import Check, Evidence
from grader.rubric import CheckSpec
from grader.text import content_stems

FOLLOW_UP_MAX_CHARS = 400
FOLLOW_UP_LONG_CHARS = 600
FOLLOW_UP_MIN_CHARS = 80

#: share of channel_fit each part carries
PARTS = {"thread": 0.3, "useful": 0.3, "question": 0.2, "no_meeting": 0.2}

_THANKS = re.compile(r"\b(?:thanks?|thank you)\b[^.?!]{0,30}\b(?:connect\w*|accept\w*)", re.I)
_USEFUL = re.compile(
    r"\b(?:article|guide|checklist|template|post|report|study|example|case|tip|idea|"
    r"resource|playbook|worksheet|video|podcast|thought you|you might (?:find|like)|"
    r"worth a read|here is|here's|sharing|noticed|saw that)\b",
    re.I,
)
_MEETING_LINK = re.compile(
    r"(?:https?://)?(?:www\.)?(?:calendly\.com|cal\.com|meetings\.hubspot\.com|"
    r"zoom\.us|chilipiper\.com|savvycal\.com)\S*"
    r"|\b(?:book|grab|pick|schedule)\b[^.?!]{0,20}\b(?:slot|time|call|meeting|demo)\b",
    re.I,
)
_GENERIC = frozenset(
    content_stems("hi hello thanks thank connect connecting glad happy would love know follow came")
)


def _own_stems(ctx: OutreachContext) -> frozenset[str]:
    """Names, which shared prove nothing: the prospect's, their company's, the sender's."""
    p, s = ctx.prospect, ctx.sender
    names = " ".join(x for x in (p.first_name, p.last_name, p.company, s.name, s.company) if x)
    return content_stems(names) | _GENERIC


def _thread(body: Body, note: str, ctx: OutreachContext) -> tuple[float, list[Evidence]]:
    topic = content_stems(note) - _own_stems(ctx)
    for i in body.core:
        if body.stems[i] & topic:
            return 1.0, [body.span(body.sentences[i])]
    thanks = _THANKS.search(body.text)
    if thanks:
        return 0.5, [Evidence.span("body", body.text, thanks.start(), thanks.end())]
    return 0.0, []


def _useful(body: Body) -> list[Evidence]:
    for i in body.core:
        span = body.sentences[i]
        sentence = body.text[span.start : span.end]
        if _USEFUL.search(sentence) and "?" not in sentence:
            return [body.span(span)]
    return []


def after_acceptance_fit(
    spec: CheckSpec, body: Body, ctx: OutreachContext, asks: list[Ask], note: str
) -> Check:
    """channel_fit for the message after an accepted note."""
    earned = 0.0
    problems: list[str] = []
    advice: list[str] = []
    evidence: list[Evidence] = []
    thread, quoted = _thread(body, note, ctx)
    earned += PARTS["thread"] * thread
    if thread < 1:
        problems.append("does not pick up the note's thread" if not thread else "thanks, no thread")
        advice.append("Go back to what your note was about")
    useful = _useful(body)
    if useful:
        earned += PARTS["useful"]
    else:
        problems.append("adds nothing useful")
        advice.append("give one useful thing (an example, a resource, an observation)")
    questions = [
        i for i in body.core if "?" in body.text[body.sentences[i].start : body.sentences[i].end]
    ]
    meeting = list(_MEETING_LINK.finditer(body.text))
    meeting_asks = [a for a in asks if a.kind == "meeting"]
    if len(questions) == 1 and not meeting_asks:
        earned += PARTS["question"]
    else:
        problems.append(
            "no question"
            if not questions
            else "more than one question"
            if len(questions) > 1
            else "asks for a meeting"
        )
        advice.append("end with one question about their interest")
    if meeting or meeting_asks:
        evidence += [Evidence.span("body", body.text, m.start(), m.end()) for m in meeting[:2]]
        evidence += [body.span(a.span) for a in meeting_asks[:2]]
        problems.append("asks for a meeting")
        advice.append("no meeting link yet: earn the conversation first")
    else:
        earned += PARTS["no_meeting"]
    if not problems:
        return spec.award(
            1.0,
            "After acceptance: picks up the note's thread, adds something useful, asks one "
            "interest question, no meeting link.",
            evidence=quoted + useful,
        )
    verdict = "After acceptance: " + "; ".join(dict.fromkeys(problems)) + "."
    tip = "; ".join(advice)
    return spec.award(round(earned, 4), verdict, tip[0].upper() + tip[1:] + ".", evidence)


def follow_up_length(spec: CheckSpec, n: int) -> Check:
    """length for the message after an accepted note: short."""
    if n < FOLLOW_UP_MIN_CHARS:
        return spec.award(
            0.5,
            f"{n} characters: too short to add anything useful.",
            "Add the one useful thing and your question.",
        )
    if n <= FOLLOW_UP_MAX_CHARS:
        return spec.award(1, f"{n} characters: short, as a first message after connecting.")
    return spec.award(
        0.5 if n <= FOLLOW_UP_LONG_CHARS else 0.0,
        f"{n} characters: long for a first message after connecting.",
        f"Cut it to {FOLLOW_UP_MAX_CHARS} characters: the thread, one useful thing, one question.",
    )
