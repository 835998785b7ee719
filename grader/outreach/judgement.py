"""The checks that read meaning: tone, honesty, coherence and the channel's own form."""

from __future__ import annotations

import re

from grader.outreach import reading
from grader.outreach.asks import Ask
from grader.outreach.body import Body
from grader.outreach.claims import Claim, benefit_sentences
from grader.outreach.coherence import Coherence
from grader.outreach.inputs import Message, OutreachContext
from grader.outreach.meaning import Misstatement, invented_history
from grader.outreach.rubric import SPEC
from grader.outreach.tone import criticises_reader, threatens
from grader.results import Check, Evidence
from grader.text import Span

_STAT_RE = re.compile(r"\b\d+(?:\.\d+)?\s?(?:%|x\b|times\b)|\b\d+\+")
_FAKE_THREAD_RE = re.compile(r"\s*(?:re|fwd?|fw)\s*:", re.IGNORECASE)
#: Fewer words than this outside the footer leave nothing to judge for style and tone.
MIN_JUDGED_WORDS = 12


def tone_check(body: Body, asks: list[Ask]) -> Check | str:
    spec = SPEC["tone"]
    if body.core_words < MIN_JUDGED_WORDS:
        return f"fewer than {MIN_JUDGED_WORDS} words to judge the tone of"
    lang = body.lang
    hostile = [
        body.sentences[i] for i in body.core if criticises_reader(body.parsed[i], lang.valence)
    ]
    loaded = [a.span for a in asks if a.kind == "loaded"]
    threats = [body.sentences[i] for i in body.core if threatens(body.parsed[i], lang.valence)]
    if hostile:
        return spec.award(
            0,
            "Criticises the prospect, their people or their work: a cold message that judges "
            "them reads as an insult, however politely it is put.",
            "Describe the problem as a situation many businesses share, not as their failing.",
            [body.span(s) for s in hostile],
        )
    if loaded or threats:
        what = "a guilt or loaded question" if loaded else "a threat of loss"
        return spec.award(
            0,
            f"Pushes with {what}: pressure instead of a reason to reply.",
            "State the problem plainly and let them decide; ask a question with no trap in it.",
            [body.span(s) for s in loaded + threats],
        )
    return spec.award(1, "Respectful tone: no criticism of the prospect, no guilt or fear.")


def honesty_check(
    body: Body,
    message: Message,
    ctx: OutreachContext,
    misstated: list[Misstatement],
    claims: list[Claim],
    *,
    first_touch: bool,
) -> Check:
    spec = SPEC["honesty"]
    problems: list[tuple[str, list[Evidence]]] = []
    if first_touch:
        problems += familiarity_problems(body, message)
    deceptive = misleading(misstated)
    if deceptive:
        m = deceptive[0]
        problems.append(
            (f"states a fact wrongly ({m.reason}): the sentence {m.note}", [body.span(m.span)])
        )
    if claims:
        problems.append(
            (f"makes a claim no one believes: {claims[0].reason}", [body.span(claims[0].span)])
        )
    if not problems:
        return spec.award(
            1, "Honest: no invented history, no misstated fact, no implausible claim."
        )
    reason, evidence = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return spec.award(
        0,
        f"Misleads the prospect: {reason}{more}.",
        "Say only what is true for this prospect and first contact; quote results you can prove.",
        [e for _, ev in problems for e in ev],
    )


def familiarity_problems(body: Body, message: Message) -> list[tuple[str, list[Evidence]]]:
    """What would be invented history on a first touch: a fake "Re:" or a past conversation
    (on a follow-up both are true, so only a first touch is judged by them)."""
    problems: list[tuple[str, list[Evidence]]] = []
    fake = _FAKE_THREAD_RE.match(message.subject or "")
    if fake and message.channel == "email":
        quote = [Evidence.span("subject", message.subject or "", fake.start(), fake.end())]
        problems.append((f"“{fake.group().strip()}” fakes an earlier thread", quote))
    history = invented_history(body)
    if history:
        problems.append(
            ("claims an earlier conversation on a first touch", [body.span(history[0])])
        )
    return problems


def misleading(misstated: list[Misstatement]) -> list[Misstatement]:
    """Misstatements that mislead (not merely incoherent ones)."""
    return [
        m for m in misstated if m.reason in ("negated", "inverted", "wrong company", "wrong person")
    ]


def coherence_check(body: Body, coherence: Coherence, misstated: list[Misstatement]) -> Check:
    spec = SPEC["coherence"]
    if not body.core:
        return spec.award(0, "No sentence to read.", "Write the message in full sentences.")
    hidden = [m for m in misstated if m.reason == "incoherent"]
    if hidden:
        return spec.award(
            0,
            f"The facts about the prospect are stuffed into words that do not read as a "
            f"sentence: it {hidden[0].note.removeprefix('the fact ')}.",
            "Say the fact in a plain sentence, the way you would say it aloud.",
            [body.span(m.span) for m in hidden],
        )
    share = coherence.broken_share
    ev = [body.span(body.sentences[i]) for i, _ in coherence.broken]
    if coherence.stuffed and share < 0.4:
        word, n, where = coherence.stuffed
        return spec.award(
            0,
            f"“{word}” appears {n} times: keyword stuffing, not writing.",
            "Say each thing once, in a sentence a person would write.",
            [body.span(where)],
        )
    if coherence.salad:
        worst = [body.span(body.sentences[i]) for i, _ in coherence.broken] or ev
        return spec.award(
            0,
            f"The word order breaks English grammar throughout ({coherence.error_rate:.2f} "
            "errors a word): word salad the prospect cannot read.",
            "Write whole sentences in a natural order.",
            worst,
        )
    if not coherence.broken:
        return spec.award(1, "Every sentence reads as English.")
    kinds = sorted({k for _, k in coherence.broken})
    verdict = f"{len(coherence.broken)} sentence(s) read as {' and '.join(kinds)}, not English"
    if share >= 0.4:
        return spec.award(
            0, f"{verdict}: the prospect cannot read it.", "Write whole sentences.", ev
        )
    return spec.award(0.5, f"{verdict}.", "Rewrite the quoted part as a whole sentence.", ev)


def channel_check(
    body: Body, message: Message, ctx: OutreachContext, asks: list[Ask], echoed: bool
) -> Check | str:
    if message.channel == "email":
        return "an email's form is judged by the subject, length and compliance checks"
    if message.channel == "linkedin":
        return _linkedin(body, ctx, asks, echoed)
    return _call(body, asks)


def linkedin_pitch(body: Body, ctx: OutreachContext, asks: list[Ask]) -> list[Span]:
    """Sentences of a connection note that sell hard: a result with figures or customers,
    or a meeting request."""
    found = [s for s, proof in benefit_sentences(body, body.core) if proof]
    facts = " ".join(ctx.prospect.facts)
    for i in body.core:
        stats = [m.group() for m in _STAT_RE.finditer(body.parsed[i].text)]
        if any(x not in facts for x in stats) and body.sentences[i] not in found:
            found.append(body.sentences[i])
    found += [a.span for a in asks if a.kind == "meeting" and a.span not in found]
    return found


def _soft_pitch(body: Body, ctx: OutreachContext) -> list[Span]:
    """A "what I do" line: the sender (or their product) as the subject of a benefit
    ("I help coaches fill programmes", "Our tool cuts no-shows")."""
    benefits = {s for s, _ in benefit_sentences(body, body.core)}
    own = {w.lower() for w in (ctx.sender.company or "").split()}
    found = []
    for i in body.core:
        if body.sentences[i] not in benefits:
            continue
        parsed = body.parsed[i]
        subjects = [parsed.tokens[j] for j in reading.subjects(parsed)]
        if any(t.lower in reading.ME or t.lower in own for t in subjects) or any(
            parsed.tokens[c].lower in ("our", "my")
            for j in reading.subjects(parsed)
            for c in parsed.children(j)
        ):
            found.append(body.sentences[i])
    return found


def _linkedin(body: Body, ctx: OutreachContext, asks: list[Ask], echoed: bool) -> Check:
    spec = SPEC["channel_fit"]
    pitch = linkedin_pitch(body, ctx, asks)
    if pitch:
        return spec.award(
            0,
            "Pitches in a connection note: people accept a reason to connect, not a sale.",
            "Cut the pitch: give one reason to connect and nothing to buy.",
            [body.span(s) for s in pitch],
        )
    reason = echoed or any(
        {"connect", "follow"} & reading.lemmas(body.parsed[i]) for i in body.core
    )
    soft = _soft_pitch(body, ctx)
    if soft:
        return spec.award(
            0.5 if reason else 0.25,
            "Slips a sales line into a connection note.",
            "Save what you sell for after they accept; keep the note to why you want to connect.",
            [body.span(s) for s in soft],
        )
    if reason:
        return spec.award(1, "A reason to connect and no pitch.")
    return spec.award(
        0.5,
        "No pitch, but no reason to connect either.",
        "Say why this person: something they did, wrote or share with you.",
    )


def _call(body: Body, asks: list[Ask]) -> Check:
    spec = SPEC["channel_fit"]
    permission = [a for a in asks if a.kind == "permission"] or _upfront_contract(body)
    reason = [body.sentences[i] for i in body.core if _gives_reason(body, i)]
    open_q = [a for a in asks if a.kind in ("opinion", "interest", "referral")]
    small_talk = [a for a in asks if a.kind == "small_talk"]
    parts = [
        (bool(permission), 0.35, "asks permission or sets an upfront contract"),
        (bool(reason), 0.35, "says why you are calling"),
        (bool(open_q), 0.3, "asks a question that opens a conversation"),
    ]
    fraction = sum(w for ok, w, _ in parts if ok) - (0.3 if small_talk else 0.0)
    missing = [what for ok, _, what in parts if not ok]
    ev = [body.span(a.span) for a in small_talk]
    if not missing and not small_talk:
        return spec.award(1, "Permission, a reason for the call and an open question.")
    said = f"The opener never {', '.join(missing)}" if missing else "The opener"
    if small_talk:
        said += (
            " and " if missing else " "
        ) + "opens with “how are you?”, which signals a sales call"
    return spec.award(
        fraction,
        said + ".",
        "Say who you are, ask for 30 seconds, give the reason for the call, then ask how they "
        "handle it today.",
        ev,
    )


def _upfront_contract(body: Body) -> list[Span]:
    """ "I'll take 20 seconds, then you decide": a time limit that hands them the choice."""
    found = []
    for i in body.core:
        parsed = body.parsed[i]
        lem = reading.lemmas(parsed)
        limit = any(e.label == "TIME" for e in parsed.entities) or {"brief", "quick"} & lem
        hands_over = any(t.lower == "you" for t in parsed.tokens) and (
            {"then", "decide", "tell", "say", "hang", "judge"} & lem
        )
        if limit and hands_over:
            found.append(body.sentences[i])
    return found


def _gives_reason(body: Body, i: int) -> bool:
    """ "The reason I'm calling...", "I'm calling because / about..."."""
    parsed = body.parsed[i]
    for j, t in enumerate(parsed.tokens):
        if t.lemma == "reason":
            return True
        if t.lemma == "call" and t.pos == "VERB":
            kids = [parsed.tokens[c] for c in parsed.children(j)]
            if any(k.dep in ("advcl", "prep", "xcomp", "ccomp") for k in kids):
                return True
    return False
