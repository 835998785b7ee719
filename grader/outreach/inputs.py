"""The outreach submission and context, validated into small frozen records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from grader.fields import CONTEXT, MAX_SHORT_CHARS, MAX_TEXT_CHARS, SUBMISSION
from grader.outreach.rubric import CHANNELS


@dataclass(frozen=True)
class Message:
    channel: str
    subject: str | None
    body: str


@dataclass(frozen=True)
class Prospect:
    first_name: str | None = None
    last_name: str | None = None
    title: str | None = None
    company: str | None = None
    industry: str | None = None
    facts: tuple[str, ...] = ()
    pains: tuple[str, ...] = ()
    do_not_contact: bool = False


@dataclass(frozen=True)
class Sender:
    name: str | None = None
    company: str | None = None
    postal_address: str | None = None


@dataclass(frozen=True)
class OutreachContext:
    prospect: Prospect
    sender: Sender
    offer: str | None = None
    #: the accepted connection note this LinkedIn message follows (None: a first touch)
    thread_note: str | None = None


def read_message(submission: Mapping[str, object]) -> Message:
    """Validate one message; a blank body or unknown channel is malformed, not weak work."""
    r = SUBMISSION
    return Message(
        channel=r.choice(submission.get("channel"), "channel", CHANNELS),
        subject=r.optional_text(submission.get("subject"), "subject", max_chars=MAX_SHORT_CHARS),
        body=r.text(submission.get("body"), "body", max_chars=MAX_TEXT_CHARS, blank=False),
    )


def read_context(context: Mapping[str, object]) -> OutreachContext:
    """Read the prospect, sender and offer; any part may be missing (blank counts as missing)."""
    r = CONTEXT
    p = r.optional_mapping(context.get("prospect"), "prospect")
    s = r.optional_mapping(context.get("sender"), "sender")

    def short(mapping: Mapping[str, object], key: str, where: str) -> str | None:
        value = r.optional_text(mapping.get(key), f"{where}.{key}", max_chars=MAX_SHORT_CHARS)
        return value if value and value.strip() else None

    def texts(key: str) -> tuple[str, ...]:
        return tuple(t for t in r.text_list(p.get(key), f"prospect.{key}") if t.strip())

    prospect = Prospect(
        first_name=short(p, "first_name", "prospect"),
        last_name=short(p, "last_name", "prospect"),
        title=short(p, "title", "prospect"),
        company=short(p, "company", "prospect"),
        industry=short(p, "industry", "prospect"),
        facts=texts("facts"),
        pains=texts("pains"),
        do_not_contact=r.boolean(p.get("do_not_contact"), "prospect.do_not_contact", default=False),
    )
    sender = Sender(
        name=short(s, "name", "sender"),
        company=short(s, "company", "sender"),
        postal_address=short(s, "postal_address", "sender"),
    )
    offer = r.optional_text(context.get("offer"), "offer")
    thread = r.optional_mapping(context.get("thread"), "thread")
    note = r.optional_text(thread.get("note"), "thread.note")
    return OutreachContext(
        prospect,
        sender,
        offer if offer and offer.strip() else None,
        note if note and note.strip() else None,
    )
