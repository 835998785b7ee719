"""Research hooks for the top contacts of a prospect list (prospect_list 2.0.0).

The submission's ``hooks`` hold, for the contacts the learner would write to first, one line
each (``hook``) and where it was found (``source``). The context's ``hooks`` says how many
are wanted, the client's offer, the exercise's year, and each named contact's profile (as
the outreach kind's ``prospect``). Each hook is read with the outreach language layer:

- **fact** (40%): the personalisation reading of the outreach kind: a fact from the
  contact's profile, stated correctly (a brush against one earns part);
- **offer** (30%): the hook leads to the offer: it shares a word with the offer or with a
  pain the profile lists;
- **recent** (15%): no year before last year, nor "years ago";
- **source** (15%): where it was found, named (a page, a post, the profile, a link).

A hook for a contact not on the list earns nothing. The check is the hooks' mean over the
number wanted: a missing hook counts as zero.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from grader.fields import CONTEXT, MAX_SHORT_CHARS, MAX_TEXT_CHARS, SUBMISSION
from grader.language import language
from grader.outreach.body import split_body
from grader.outreach.content import personalization_check
from grader.outreach.inputs import read_context
from grader.results import Check, Evidence
from grader.rubric import CheckSpec
from grader.text import content_stems

MAX_HOOKS = 40
WEIGHTS = {"fact": 0.4, "offer": 0.3, "recent": 0.15, "source": 0.15}
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
_STALE = re.compile(r"\b(?:years? ago|last decade|a while back|long ago)\b", re.I)
_SOURCE = re.compile(
    r"https?://|www\.|\.\w{2,4}\b|\b(?:website|site|page|news|press|blog|post|linkedin|"
    r"profile|job|careers|interview|podcast|article|report|announcement|twitter|review)\b",
    re.I,
)


@dataclass(frozen=True)
class Hook:
    contact_id: str
    hook: str
    source: str


@dataclass(frozen=True)
class HookAsk:
    wanted: int
    year: int | None
    offer: str
    profiles: Mapping[str, object]  # contact id -> a prospect profile (outreach shape)


def read_hooks(submission: Mapping[str, object]) -> list[Hook] | None:
    if submission.get("hooks") is None:
        return None
    r = SUBMISSION
    raw = r.sequence(submission.get("hooks"), "hooks", max_items=MAX_HOOKS)
    hooks = []
    for i, value in enumerate(raw):
        item = r.mapping(value, f"hooks[{i}]")
        where = f"hooks[{i}]"
        hooks.append(
            Hook(
                contact_id=r.text(
                    item.get("contact_id"),
                    f"{where}.contact_id",
                    max_chars=MAX_SHORT_CHARS,
                    blank=False,
                ).strip(),  # fmt: skip
                hook=r.text(item.get("hook"), f"{where}.hook", max_chars=MAX_TEXT_CHARS),
                source=r.optional_text(
                    item.get("source"), f"{where}.source", max_chars=MAX_SHORT_CHARS
                )
                or "",
            )
        )
    return hooks


def read_ask(context: Mapping[str, object]) -> HookAsk | None:
    if context.get("hooks") is None:
        return None
    r = CONTEXT
    raw = r.mapping(context.get("hooks"), "hooks")
    year = r.optional_number(raw.get("year"), "hooks.year")
    return HookAsk(
        wanted=r.integer(raw.get("wanted"), "hooks.wanted", minimum=1),
        year=int(year) if year is not None else None,
        offer=r.optional_text(raw.get("offer"), "hooks.offer") or "",
        profiles=r.optional_mapping(raw.get("profiles"), "hooks.profiles"),
    )


def _score(i: int, hook: Hook, ask: HookAsk, listed: set[str]) -> tuple[float, list[str]]:
    """One hook's share (0..1) and what it lacks."""
    profile = ask.profiles.get(hook.contact_id)
    if hook.contact_id not in listed or not isinstance(profile, Mapping):
        return 0.0, ["not a contact on your list"]
    if not hook.hook.strip():
        return 0.0, ["empty"]
    ctx = read_context({"prospect": dict(profile), "offer": ask.offer})
    body = split_body(hook.hook, None, language())
    personal, _ = personalization_check(body, ctx)
    fact = personal.points / personal.possible if isinstance(personal, Check) else 0.0
    lacks = [] if fact >= 1 else ["no fact from the profile" if not fact else "a vague fact"]
    wanted = content_stems(ask.offer) | content_stems(" ".join(ctx.prospect.pains))
    offer = 1.0 if any(body.stems[j] & wanted for j in range(len(body.stems))) else 0.0
    if not offer:
        lacks.append("no link to the offer")
    years = [int(y) for y in _YEAR.findall(hook.hook)]
    stale = _STALE.search(hook.hook) or (ask.year and any(y < ask.year - 1 for y in years))
    if stale:
        lacks.append("not recent")
    source = 1.0 if hook.source.strip() and _SOURCE.search(hook.source) else 0.0
    if not source:
        lacks.append("no source named")
    share = (
        WEIGHTS["fact"] * fact
        + WEIGHTS["offer"] * offer
        + WEIGHTS["recent"] * (0.0 if stale else 1.0)
        + WEIGHTS["source"] * source
    )
    return share, lacks


def hooks_check(
    spec: CheckSpec, hooks: list[Hook] | None, ask: HookAsk, listed: list[str]
) -> Check:
    given = (hooks or [])[: ask.wanted]
    if not given:
        return spec.award(
            0,
            f"No research hooks: the exercise asks for one for each of your top {ask.wanted}.",
            "For each of your top contacts, write one line that states a recent fact from "
            "their profile and ties it to the offer, and say where you found it.",
        )
    total = 0.0
    evidence = []
    on_list = set(listed)
    for i, hook in enumerate(given):
        share, lacks = _score(i, hook, ask, on_list)
        total += share
        if lacks:
            text = hook.hook
            evidence.append(
                Evidence.span(f"hooks[{i}].hook", text, 0, len(text), "; ".join(lacks))
                if text
                else Evidence.records([hook.contact_id], "; ".join(lacks))
            )
    fraction = total / ask.wanted
    good = len(given) - len(evidence)
    verdict = (
        f"{good} of {ask.wanted} hooks state a recent profile fact, lead to the offer and "
        "name a source."
    )
    if len(given) < ask.wanted:
        verdict += f" {ask.wanted - len(given)} missing."
    return spec.award(
        fraction,
        verdict,
        "Quote one fact from the contact's profile, keep it recent, tie it to what the "
        "client offers, and name where you found it.",
        evidence,
    )
