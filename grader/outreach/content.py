"""What the message says: personalization, relevance, value and the call to action."""

from __future__ import annotations

from grader import text
from grader.lexicon import INDUSTRY_TERMS
from grader.outreach.body import Body, Echo, echo, name_stems, short_company
from grader.outreach.inputs import OutreachContext, Prospect
from grader.outreach.rubric import SPEC
from grader.results import Check, Evidence
from grader.text import Span


def _at(body: Body, e: Echo) -> list[Evidence]:
    return [body.span(e.where)] if e.where and e.strength else []


def personalization_check(body: Body, ctx: OutreachContext) -> Check | str:
    spec = SPEC["personalization"]
    p = ctx.prospect
    if not p.facts:
        return "the context lists no facts about this prospect to check against"
    ignore = name_stems(ctx)
    echoes = sorted(
        (echo(f, body, ignore, any_word_marks=False) for f in p.facts),
        key=lambda e: (e.strength != "strong", -e.share),
    )
    used = [e for e in echoes if e.strength]
    company = text.find_phrase(body.text, short_company(p.company)) if p.company else None
    advice = f"Open with something only this prospect would recognise, such as: {p.facts[0]}"
    if used and used[0].strength == "strong":
        best = used[0]
        verdict = f"Uses a specific fact about the prospect: {best.source}"
        return spec.award(1, verdict, evidence=_at(body, best))
    if used:
        best = used[0]
        return spec.award(
            0.6 if company else 0.5,
            f"Only brushes against a fact about the prospect ({best.source}).",
            f"Say the fact outright, e.g.: {best.source}",
            _at(body, best),
        )
    if company:
        return spec.award(
            0.25,
            "Names the company but says nothing specific about it.",
            advice,
            [body.span(company)],
        )
    return spec.award(0, "Nothing in the message is specific to this prospect.", advice)


def relevance_check(body: Body, ctx: OutreachContext) -> Check | str:
    spec = SPEC["relevance"]
    p = ctx.prospect
    if not (p.pains or p.title or p.industry):
        return "the context gives no pains, title or industry for this prospect"
    role = _role_or_industry(body, p)
    role_ev = [body.span(role)] if role else []
    if not p.pains:
        if role:
            return spec.award(1, "Speaks to the prospect's role or industry.", evidence=role_ev)
        return spec.award(
            0,
            "Nothing ties the message to the prospect's role or industry.",
            f"Mention what a {p.title or p.industry} deals with, in their words.",
        )
    ignore = name_stems(ctx)
    pain = max(
        (echo(x, body, ignore, any_word_marks=True) for x in p.pains),
        key=lambda e: (e.shared, e.share),
    )
    pain_part = {"strong": 0.7, "weak": 0.4}.get(pain.strength, 0.0)
    evidence = _at(body, pain) + role_ev
    if pain.strength == "strong" and role:
        return spec.award(
            1, f"Speaks to a known pain ({pain.source}) in their terms.", "", evidence
        )
    if pain.strength == "strong":
        return spec.award(
            pain_part,
            f"Speaks to a known pain ({pain.source}) but not to their role or industry.",
            f"Say how it plays out for a {p.title or 'business like theirs'}.",
            evidence,
        )
    if pain.strength == "weak":
        verdict = f"Hints at a known pain ({pain.source}) without naming it."
    elif role:
        verdict = "Mentions their role or industry but none of their known pains."
    else:
        verdict = "Speaks neither to the prospect's pains nor to their role or industry."
    advice = f"Name the problem they face ({p.pains[0]}) in one plain sentence."
    return spec.award(pain_part + (0.3 if role else 0.0), verdict, advice, evidence)


def _role_or_industry(body: Body, p: Prospect) -> Span | None:
    """The first word of the body that names the prospect's role or industry."""
    role = text.content_stems(p.title) if p.title else frozenset()
    terms = INDUSTRY_TERMS.get(p.industry or "", frozenset())
    own = text.content_stems((p.industry or "").replace("_", " ")) if not terms else frozenset()

    def names_it(word: str) -> bool:
        st = text.stem(word)
        return text.normal_word(word) in terms or st in role or st in own

    for i, ws in enumerate(body.sentence_words):
        if any(map(names_it, ws)):
            w = next(w for w in body.words_of(i) if names_it(w.text))
            return Span(w.start, w.end)
    return None


def value_check(body: Body, ctx: OutreachContext) -> Check:
    spec = SPEC["value"]
    core = [body.sentences[i] for i in body.core]
    found = text.benefit_sentences(body.text, core)
    proven = [s for s, proof in found if proof]
    offer = ctx.offer or "what you offer"
    if proven:
        return spec.award(
            1, "States a result for the prospect and backs it up.", evidence=[body.span(proven[0])]
        )
    if found:
        return spec.award(
            0.6,
            "States a benefit but gives no figure or customer to make it believable.",
            "Back the benefit with one number or a named customer, e.g. “Acme cut it by 30%”.",
            [body.span(found[0][0])],
        )
    if ctx.offer and _mentions_offer(body, ctx.offer):
        return spec.award(
            0.3,
            "Describes the offer but not what it changes for the prospect.",
            f"Say what {offer} does for them: the result, with a figure if you have one.",
        )
    return spec.award(
        0,
        "No value statement: the prospect cannot tell what is in it for them.",
        f"Add one sentence on the result {offer} brings them, e.g. hours saved or sales won.",
    )


def _mentions_offer(body: Body, offer: str) -> bool:
    wanted = text.content_stems(offer)
    have = frozenset().union(*body.stems)
    return bool(wanted) and len(wanted & have) >= min(2, len(wanted))


def cta_check(body: Body) -> Check:
    spec = SPEC["call_to_action"]
    skip = [body.opt_out] if body.opt_out else []
    asks = text.calls_to_action(body.text, body.sentences, skip)
    pushy = text.pushy_phrases(body.text)
    ev = [body.span(a.span) for a in asks]
    if pushy:
        return spec.award(
            0.3 if asks else 0,
            f"Pressure phrase “{pushy[0].of(body.text)}” turns the ask into a demand.",
            "Drop the pressure and ask one easy question about their interest.",
            [body.span(s) for s in pushy] + ev,
        )
    if not asks:
        return spec.award(
            0,
            "No clear ask: the prospect does not know what to do next.",
            "End with one low-pressure question about their interest, e.g. “Worth a look?”.",
        )
    if len(asks) > 1:
        return spec.award(
            0.5 if all(a.kind == "interest" for a in asks) else 0.4,
            f"{len(asks)} different asks compete for one reply.",
            "Keep the single ask that matters most and cut the others.",
            ev,
        )
    if asks[0].kind == "meeting":
        return spec.award(
            0.7,
            "One clear ask, but for a meeting: asks about interest get more replies "
            "(Gong: 12% vs 7%).",
            "Ask whether the problem matters to them before asking for their time.",
            ev,
        )
    return spec.award(1, "One clear, interest-based ask.", evidence=ev)
