"""What prospects say: reply kinds chosen from the hidden truth, and their texts.

Why truth-driven: a reply is the learner's window on the hidden state. "Not now, try next
quarter" means no timeline; a referral means no authority; "we already use X" means no
need. Reading replies well is a skill the course teaches and the grader checks.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .currency import DEFAULT_REGION, money
from .market import Company, Contact, Truth
from .packs import question_catalogue, reply_texts
from .seeds import Stream
from .voices import answer_voice, reply_voice, small_talk, with_article

POSITIVE_KINDS = frozenset({"interested", "curious", "not_now"})
# kind -> which hidden criteria the reply reveals (used by the debrief and contexts)
REVEALS: dict[str, tuple[str, ...]] = {
    "interested": ("need",),
    "curious": (),
    "not_now": ("timeline",),
    "referral": ("authority",),
    "objection_tool": ("need",),
    "objection_price": ("budget",),
    "not_interested": ("need",),
}


def reply_kind(truth: Truth, u1: float, u2: float) -> str:
    """The kind of reply this contact gives, if they reply at all."""
    if not truth.authority and u1 < 0.6:
        return "referral"
    if truth.need and truth.timeline:
        if not truth.budget and u2 < 0.3:
            return "objection_price"
        return "interested" if u2 < 0.35 + 0.5 * truth.interest else "curious"
    if truth.need:
        if not truth.budget and u2 < 0.3:
            return "objection_price"
        return "not_now" if u2 < 0.8 else "curious"
    if u2 < 0.45:
        return "not_interested"
    return "objection_tool" if u2 < 0.8 else "curious"


def _quarter(at: int) -> str:
    moment = datetime.fromtimestamp(at, UTC)
    quarter = (moment.month - 1) // 3 + 2
    year = moment.year + (1 if quarter == 5 else 0)
    return f"Q{1 if quarter == 5 else quarter} {year}"


def reply_text(
    kind: str,
    *,
    contact: Contact,
    company: Company,
    referral: Contact | None,
    sender_name: str,
    at: int,
    rng: Stream,
    noun: str | None = None,
    spoken: bool = False,
) -> tuple[str, str | None]:
    """(text, referral contact id or None), in the contact's voice (voices.py).

    ``noun``: what the segment's businesses are called ("office" for an estate agency);
    ``spoken``: said on a call, so no greeting or sign-off.
    """
    ref_id: str | None = None
    if kind == "referral" and referral is None:
        kind = "referral_unknown"
    noun = noun or ("company" if company.segment == "saas" else company.segment)
    values = {
        "sender_first": sender_name.split()[0],
        "pain": contact.pain,
        "tool": company.tools[0],
        "noun": noun,
        "a_noun": with_article(noun),
        "quarter": _quarter(at),
        "first_name": contact.first_name,
        "ref_name": "",
        "ref_title": "",
        "ref_email": "",
    }
    if kind == "referral" and referral is not None:
        ref_id = referral.id
        values.update(
            ref_name=referral.name,
            ref_title=referral.title,
            ref_email=referral.email or "ask reception",
        )
    return reply_voice(kind, contact, values, rng, spoken=spoken), ref_id


def note(group: str, key: str, rng: Stream, **values: Any) -> str:
    """A short world note (call results, inbound leads, meetings, deals)."""
    raw = reply_texts()[group]
    options = raw[key] if isinstance(raw, dict) else raw
    return str(rng.pick(options)).format(**values)


def discovery_answers(
    questions: list[str],
    *,
    contact: Contact,
    decider: Contact | None,
    company: Company | None = None,
    rng: Stream | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Answers to the chosen questions and the criteria they revealed (in order), in the
    contact's voice; ``rng`` picks among the voice's answers (the first when omitted)."""
    catalogue = question_catalogue()
    truth = contact.truth
    values = {
        "budget": truth.budget,
        "money": truth.budget,
        "authority": truth.authority,
        "need": truth.need,
        "challenges": truth.need,
        "timeline": truth.timeline,
        "prioritization": truth.timeline,
    }
    amount = money(truth.budget_amount, company or DEFAULT_REGION)
    fill = {
        "budget_amount": amount,
        "pain": contact.pain,
        "decider": f"{decider.name}, our {decider.title}" if decider else "the owner",
    }
    draw = rng if rng is not None else Stream(0)
    answers: list[dict[str, Any]] = []
    revealed: list[str] = []
    for qid in questions:
        question = catalogue.questions[qid]
        if not question.covers:
            answers.append({"question": qid, "text": small_talk(qid, draw), "reveals": {}})
            continue
        reveals: dict[str, str] = {}
        for criterion in question.covers:
            reveals[criterion] = "yes" if values[criterion] else "no"
            if criterion not in revealed:
                revealed.append(criterion)
        first = question.covers[0]
        text = answer_voice(first, values[first], contact, fill, draw)
        answers.append({"question": qid, "text": text, "reveals": reveals})
    return answers, revealed
