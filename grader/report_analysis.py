"""The written analysis of a pipeline report: does it name the biggest drop-off, and does
it recommend something tied to a figure?

Stages are recognised by name and by their usual synonyms ("marketing-qualified",
"sales-ready", "closed-won"). A sentence is read with the language layer: a negated claim
("the biggest drop is *not* MQL to SQL") claims nothing, and a sentence naming four stages
or more names every transition at once, which points at none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from grader import text
from grader.language import Parsed, language
from grader.results import Check, Evidence
from grader.rubric import CheckSpec

TRANSITIONS: Mapping[str, tuple[str, str]] = {
    "lead_to_mql": ("lead", "mql"),
    "mql_to_sql": ("mql", "sql"),
    "sql_to_opportunity": ("sql", "opportunity"),
    "opportunity_to_customer": ("opportunity", "customer"),
}
#: A sentence naming this many stages names them all, not one transition.
EVERY_STAGE = 4

_STAGE_RE = text.Caseless(
    r"(?P<mql>\bmqls?\b|\bmarketing[- ](?:qualified|ready|accepted)(?: leads?)?)"
    r"|(?P<sql>\bsqls?\b|\bsales[- ](?:qualified|ready|accepted)(?: leads?)?)"
    r"|(?P<opportunity>\bopportunit(?:y|ies)\b|\bopps?\b|\bproposals?\b|\bpipeline deals?\b)"
    r"|(?P<customer>\bcustomers?\b|\bclients?\b|\bbuyers?\b|\bclosed[- ]won\b"
    r"|\bclos(?:e|ed|es|ing)\b|\bdeals?\b|\bsigned\b|\bwon\b|\bwins?\b)"
    r"|(?P<lead>\bleads?\b|\bnew contacts\b)"
)
_DROP_RE = text.Caseless(
    r"\b(?:drop(?:s|ped|ping)?|leak\w*|los(?:e|es|ing|t)|bottleneck\w*|fell|falls?|weakest|"
    r"lowest|biggest|largest|worst|stall\w*|stuck|never|fail\w*|few(?:er|est)?|churn\w*|only)\b"
)
_ADVICE_RE = text.Caseless(
    r"\b(?:recommend\w*|suggest\w*|should|propose|next (?:month|step|campaign|time)|plan to|"
    r"we['’]ll|i['’]ll|we will|i will|focus on|try|test|shift|move|increase|reduce|cut|add|"
    r"stop|start|double down|invest|prioriti[sz]e|improve|switch|change)\b"
)
_NUMBER_RE = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d{1,15})(\.\d{1,6})?\s?(%|percent|per cent)?"
)


def _stages_in(sentence: str) -> dict[str, int]:
    """Stages named in the sentence, with where each is first named."""
    found: dict[str, int] = {}
    for m in _STAGE_RE.finditer(sentence):
        if m.lastgroup:
            found.setdefault(m.lastgroup, m.start())
    return found


def _denied(parsed: Parsed, positions: Sequence[int]) -> bool:
    """A "not" governs the claim ("the biggest drop is not MQL to SQL")."""
    tokens = parsed.tokens
    heads = set()
    for pos in positions:
        for i, t in enumerate(tokens):
            if t.start <= pos < t.end:
                j, seen = i, 0
                while tokens[j].head != j and seen < 40:
                    heads.add(j)
                    j, seen = tokens[j].head, seen + 1
                heads.add(j)
    return any(t.dep == "neg" and t.lower in ("not", "n't") and t.head in heads for t in tokens)


def drop_off(
    spec: CheckSpec, analysis: str, rates: Mapping[str, float | None], tolerance: float
) -> Check | None:
    """Does a sentence name the transition with the lowest conversion rate as the drop?"""
    known = {k: v for k, v in rates.items() if v is not None}
    if not known:
        return None
    lowest = min(known.values())
    answers = [k for k, v in known.items() if v <= lowest + tolerance]
    best, best_span, claimed = 0.0, None, None
    lang = language()
    for span in text.sentences(analysis):
        sentence = span.of(analysis)
        if not _DROP_RE.search(sentence):
            continue
        stages = _stages_in(sentence)
        if len(stages) >= EVERY_STAGE:
            claimed = claimed or span  # naming every stage points at none
            continue
        if stages and _denied(lang.parse(sentence), list(stages.values())):
            continue
        score = _naming_score(set(stages), answers)
        if score > best:
            best, best_span = score, span
        if score == 0 and claimed is None and _names_a_transition(set(stages)):
            claimed = span
    if best_span is not None:
        evidence = [_quote(analysis, best_span)]
        if best == 1:
            return spec.award(1, "Names the biggest drop-off.", evidence=evidence)
        return spec.award(
            0.5,
            "Points at the stage where most people drop, but not at both ends of it.",
            "Name the drop-off as a transition, e.g. “from MQL to SQL”, with its rate.",
            evidence,
        )
    evidence = [_quote(analysis, claimed)] if claimed else []
    verdict = (
        "Names a drop-off, but not the biggest one in the log (or names every stage at once)."
        if claimed
        else "The analysis never says where the pipeline loses the most people."
    )
    return spec.award(
        0,
        verdict,
        "Compare the four conversion rates and name the lowest one as the biggest drop-off.",
        evidence,
    )


def _naming_score(stages: set[str], answers: Sequence[str]) -> float:
    score = 0.0
    for key in answers:
        source, target = TRANSITIONS[key]
        if source in stages and target in stages:
            return 1.0
        if target in stages:
            score = 0.5
    return score


def _names_a_transition(stages: set[str]) -> bool:
    return any(a in stages and b in stages for a, b in TRANSITIONS.values())


def _quote(analysis: str, span: text.Span) -> Evidence:
    return Evidence.span("analysis", analysis, span.start, span.end)


Close = Callable[[float, float, str], bool]


def recommendation(
    spec: CheckSpec, analysis: str, figures: Sequence[tuple[str, float]], close: Close
) -> Check:
    """Does the analysis recommend an action, tied to one of the report's figures?"""
    best, where = 0.0, None
    for span in text.sentences(analysis):
        sentence = span.of(analysis)
        if not _ADVICE_RE.search(sentence):
            continue
        score = _figure_score(sentence, figures, close)
        if score > best:
            best, where = score, span
    evidence = [_quote(analysis, where)] if where else []
    example = "e.g. “MQL to SQL is only 18%, so call every new MQL within an hour.”"
    if best == 1:
        return spec.award(
            1, "Recommends an action tied to a figure from the report.", evidence=evidence
        )
    if best >= 0.7:
        return spec.award(
            best,
            "Recommends an action with a number, but not one from the report.",
            f"Tie the recommendation to one of your reported figures, {example}",
            evidence,
        )
    if best > 0:
        return spec.award(
            best,
            "Recommends an action but ties it to no figure.",
            f"Quote the figure that justifies it, {example}",
            evidence,
        )
    return spec.award(
        0,
        "The analysis makes no recommendation.",
        f"End with one action and the figure behind it, {example}",
    )


def _figure_score(sentence: str, figures: Sequence[tuple[str, float]], close: Close) -> float:
    """1 when a number in the sentence is one of the figures, 0.7 for another number, else 0.3."""
    numbers = [
        (float(m.group(1).replace(",", "") + (m.group(2) or "")), bool(m.group(3)))
        for m in _NUMBER_RE.finditer(sentence)
    ]
    if not numbers:
        return 0.3
    for value, is_percent in numbers:
        for kind, figure in figures:
            if (kind == "rate") == is_percent and close(value, figure, kind):
                return 1.0
    return 0.7
