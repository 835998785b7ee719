"""What the message says: personalization (with its meaning guards), relevance, value and
the call to action."""

from __future__ import annotations

from grader import text
from grader.lexicon import INDUSTRY_TERMS
from grader.outreach.asks import GOOD_ASKS, Ask, has_time, pushy_phrases
from grader.outreach.body import Body, Echo, echo, name_stems, short_company
from grader.outreach.claims import Claim, benefit_sentences, mentions_offer
from grader.outreach.inputs import OutreachContext, Prospect
from grader.outreach.meaning import Misstatement, misstatement
from grader.outreach.rubric import SPEC
from grader.results import Check, Evidence
from grader.text import Span


def _at(body: Body, e: Echo) -> list[Evidence]:
    return [body.span(e.where)] if e.where and e.strength else []


def personalization_check(
    body: Body, ctx: OutreachContext
) -> tuple[Check | str, list[Misstatement]]:
    """The best fact stated correctly, and every fact stated wrongly (for the honesty check)."""
    spec = SPEC["personalization"]
    p = ctx.prospect
    if not p.facts:
        return "the context lists no facts about this prospect to check against", []
    ignore = name_stems(ctx)
    echoes = sorted(
        (echo(f, body, ignore, any_word_marks=False) for f in p.facts),
        key=lambda e: (e.strength != "strong", -e.share),
    )
    wrong: list[Misstatement] = []
    used = []
    for e in echoes:
        if not e.strength:
            continue
        problem = misstatement(body, e, ctx, p.pains)
        if problem is None:
            used.append(e)
        else:
            wrong.append(problem)
    company = text.find_phrase(body.text, short_company(p.company)) if p.company else None
    advice = f"Open with something only this prospect would recognise, such as: {p.facts[0]}"
    if wrong and not used:
        bad = wrong[0]
        return spec.award(
            0,
            f"A fact about the prospect is stated wrongly: the sentence {bad.note}.",
            "State the fact as it is, about this prospect and their company, in a plain sentence.",
            [body.span(bad.span)],
        ), wrong
    if used and used[0].strength == "strong":
        best = used[0]
        verdict = f"Uses a specific fact about the prospect: {best.source}"
        return spec.award(1, verdict, evidence=_at(body, best)), wrong
    if used:
        best = used[0]
        return spec.award(
            0.6 if company else 0.5,
            f"Only brushes against a fact about the prospect ({best.source}).",
            f"Say the fact outright, e.g.: {best.source}",
            _at(body, best),
        ), wrong
    if company:
        return spec.award(
            0.25,
            "Names the company but says nothing specific about it.",
            advice,
            [body.span(company)],
        ), wrong
    return spec.award(0, "Nothing in the message is specific to this prospect.", advice), wrong


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


def value_check(body: Body, ctx: OutreachContext, channel: str, claims: list[Claim]) -> Check | str:
    spec = SPEC["value"]
    if channel == "linkedin":
        return "a connection note should not pitch, so no value statement is asked for"
    found = benefit_sentences(body, body.core)
    believable = [(s, proof) for s, proof in found if all(c.span != s for c in claims)]
    proven = [s for s, proof in believable if proof]
    offer = ctx.offer or "what you offer"
    if proven:
        return spec.award(
            1, "States a result for the prospect and backs it up.", evidence=[body.span(proven[0])]
        )
    if claims and found:
        return spec.award(
            0.2,
            f"The result it promises is not believable: {claims[0].reason}.",
            "Quote a real, modest result from one named customer instead.",
            [body.span(claims[0].span)],
        )
    if believable:
        return spec.award(
            0.6,
            "States a benefit but gives no figure or customer to make it believable.",
            "Back the benefit with one number or a named customer, e.g. “Acme cut it by 30%”.",
            [body.span(believable[0][0])],
        )
    if ctx.offer and mentions_offer(body, ctx.offer):
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


def cta_check(body: Body, asks: list[Ask], channel: str) -> Check | str:
    spec = SPEC["call_to_action"]
    pushy = pushy_phrases(body.text)
    loaded = [a for a in asks if a.kind == "loaded"]
    good = [
        a
        for a in asks
        if a.kind in GOOD_ASKS and not (channel == "call" and a.kind == "permission")
    ]
    if len(good) > 1 and good[0].at == body.opening and good[0].kind != "meeting":
        good = good[1:]  # an opening question is the hook; the closing one is the ask
    ev = [body.span(a.span) for a in good]
    if channel == "linkedin" and not (good or loaded or pushy):
        return "a connection request is itself the ask, so a note needs no question"
    if loaded:
        return spec.award(
            0.2 if good else 0,
            f"“{loaded[0].span.of(body.text)}” is a loaded question: it presumes the answer or "
            "their fault, so it asks nothing.",
            "Ask an honest question they can say yes or no to, e.g. “Is this on your list?”.",
            [body.span(a.span) for a in loaded] + ev,
        )
    if pushy:
        return spec.award(
            0.3 if good else 0,
            f"Pressure phrase “{pushy[0].of(body.text)}” turns the ask into a demand.",
            "Drop the pressure and ask one easy question about their interest.",
            [body.span(s) for s in pushy] + ev,
        )
    if not good:
        return spec.award(
            0,
            "No clear ask: the prospect does not know what to do next.",
            "End with one low-pressure question, e.g. “Worth a look?” or “Who handles this?”.",
        )
    allowed = 2 if channel == "call" else 1
    if len(good) > allowed:
        return spec.award(
            0.5 if len(good) == allowed + 1 else 0.3,
            f"{len(good)} different asks compete for one reply.",
            "Keep the single ask that matters most and cut the others.",
            ev,
        )
    kinds = {a.kind for a in good}
    if kinds == {"meeting"}:
        timed = any(has_time(body.parsed[a.at]) for a in good)
        return spec.award(
            0.8 if timed else 0.7,
            "One clear ask, but for a meeting: asks about interest get more replies "
            "(Gong: 12% vs 7%).",
            "Ask whether the problem matters to them before asking for their time.",
            ev,
        )
    names = ", ".join(sorted(kinds))
    return spec.award(1, f"One clear, low-pressure ask ({names}).", evidence=ev)
