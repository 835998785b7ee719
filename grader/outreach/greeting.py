"""Who the message addresses: the right person, nobody in particular, or someone else."""

from __future__ import annotations

import re
from dataclasses import dataclass

from grader import text
from grader.lexicon import COURTESY_TITLES, GENERIC_ADDRESSEES
from grader.outreach.body import Body
from grader.outreach.inputs import OutreachContext
from grader.outreach.rubric import SPEC
from grader.results import Check, Evidence
from grader.text import Span

_GREETING_RE = re.compile(
    r"\s*(?:hi|hello|hey|hiya|dear|greetings|howdy|good (?:morning|afternoon|evening)|"
    r"morning|afternoon)\b[ \t]*",
    re.IGNORECASE,
)
_NAME_RE = re.compile(r"(?:(?:dr|mr|mrs|ms|mx|prof)\.\s*)?[^,!?\n—–:;.()]{0,60}", re.IGNORECASE)
_EMPTY_NAME_RE = re.compile(r"\s*(?:hi|hello|hey|dear)[ \t]+[,!]", re.IGNORECASE)


@dataclass(frozen=True)
class Greeting:
    kind: str  # "right" | "generic" | "none" | "wrong"
    span: Span | None


def read_greeting(body: Body, ctx: OutreachContext) -> Greeting:
    """Classify the opening: "Hi Maria," (right), "Hi there," (generic), "Hi John," (wrong)."""
    m = _GREETING_RE.match(body.text)
    kind, span = "none", None
    if m:
        seg = _NAME_RE.match(body.text, m.end())
        name = seg.group().split(" - ")[0].strip() if seg else ""
        start = m.start() + len(m.group()) - len(m.group().lstrip())
        span = Span(start, m.end() + len(name)) if name else Span(start, m.end())
        kind = _classify(name, ctx, _forms(body, ctx))
    if kind in ("none", "generic") and ctx.prospect.first_name:
        named = _first_name_early(body, ctx.prospect.first_name)
        if named is not None:
            return Greeting("right", named)
    if kind == "none" and m:
        kind = "generic"
    return Greeting(kind, span)


def _forms(body: Body, ctx: OutreachContext) -> frozenset[str]:
    """The prospect's first name with its nicknames and formal forms ("Liz" = "Elizabeth")."""
    first = ctx.prospect.first_name
    return body.lang.name_forms(text.fold(first)) if first else frozenset()


def _classify(name: str, ctx: OutreachContext, forms: frozenset[str]) -> str:
    tokens = text.fold(name).split()
    if not tokens:
        return "none"
    p = ctx.prospect
    first = text.fold(p.first_name) if p.first_name else ""
    head = tokens[0].strip(".")
    # A shortened first name ("Kat" for "Katherine") or a nickname ("Dave") counts as right.
    if first and (head in forms or (len(head) >= 3 and first.startswith(head))):
        return "right"
    if tokens[0].strip(".") in {t.strip(".") for t in COURTESY_TITLES} and len(tokens) > 1:
        last = text.fold(p.last_name) if p.last_name else ""
        return "right" if last and tokens[-1].strip(".,") == last else "wrong"
    if all(t in GENERIC_ADDRESSEES for t in tokens) or tokens[-1] in ("team", "folks", "all"):
        return "generic"
    if p.company and text.fold(p.company).startswith(head):
        return "generic"
    letter = name.strip()[0]
    looks_like_a_name = letter.isupper() or (letter.isalpha() and not letter.islower())
    return "wrong" if looks_like_a_name else "none"


def _first_name_early(body: Body, first_name: str) -> Span | None:
    """The prospect's first name within the first two sentences ("Maria, quick one...")."""
    if not body.sentences:
        return None
    limit = body.sentences[min(1, len(body.sentences) - 1)].end
    return text.find_phrase(body.text[:limit], first_name)


def empty_names(body: str) -> list[Span]:
    """ "Hi ," -- a merge field that was filled with nothing."""
    m = _EMPTY_NAME_RE.match(body)
    if not m:
        return []
    return [Span(m.start() + len(m.group()) - len(m.group().lstrip()), m.end())]


def greeting_check(
    body: Body, ctx: OutreachContext, g: Greeting | None, merge: list[Evidence]
) -> Check | str:
    spec = SPEC["greeting"]
    if merge:
        return spec.award(
            0,
            f"Unfilled merge field “{merge[0].quote}”: the prospect sees a template, not a "
            "greeting.",
            "Replace every placeholder with the real value before sending.",
            merge,
        )
    first = ctx.prospect.first_name
    if g is None or not first:
        return "the context has no prospect.first_name to check the greeting against"
    ev = [body.span(g.span)] if g.span else []
    if g.kind == "right":
        return spec.award(1, f"Greets {first} by name.", evidence=ev)
    if g.kind == "wrong":
        said = g.span.of(body.text) if g.span else ""
        return spec.award(
            0,
            f"Greets the wrong person (“{said}”); this prospect is {first}.",
            f"Greet the prospect by their own first name: “Hi {first},”.",
            ev,
        )
    if g.kind == "generic":
        return spec.award(
            0.4, "Generic greeting with no name.", f"Greet the prospect by name: “Hi {first},”.", ev
        )
    return spec.award(0.2, "No greeting.", f"Open with a greeting by name: “Hi {first},”.", ev)
