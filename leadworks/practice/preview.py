"""The composer's live preview: a draft as this prospect would read it, its size against
the channel's limits, and what would go wrong (never a grade)."""

from __future__ import annotations

from dataclasses import dataclass

from grader.text import word_strings
from leadworks.practice.service import MAX_MESSAGE_CHARS
from simulator import Sandbox
from simulator.merge import FIELDS, fields_in, render

EMAIL_WORDS = (50, 125)  # the outreach rubric's bands (grader.outreach.rubric), for guidance


CALL_WORDS = (50, 100)  # 20-40 seconds of speech at 150 words a minute


SUBJECT_MAX_CHARS = 50


LINKEDIN_MESSAGE_MAX = 5_000


@dataclass(frozen=True)
class Preview:
    """What the composer's live preview shows: the text as this prospect would read it,
    its size against the channel's limits, and what would go wrong (never a grade)."""

    channel: str
    subject: str | None
    body: str
    words: int
    characters: int
    subject_characters: int
    limit: int | None
    limit_label: str
    guidance: str
    over_limit: bool
    unfilled: tuple[str, ...]
    unknown_fields: tuple[str, ...]
    warnings: tuple[str, ...]


def preview(
    sandbox: Sandbox, contact_id: str | None, channel: str, subject: str | None, body: str
) -> Preview:
    """Render a draft for one prospect without sending it (no event is added)."""
    contact = sandbox.world.contact(contact_id) if contact_id else None
    values = sandbox.merge_values(contact) if contact is not None else {}
    warnings: list[str] = []
    used = set(fields_in(body)) | set(fields_in(subject or ""))
    unknown = tuple(sorted(name for name in used if name not in FIELDS))
    if contact is None:
        text, missing = body, tuple(name for name in fields_in(body))
        rendered_subject = subject
        warnings.append("Choose a prospect to see the merge fields filled in.")
    else:
        text, missing = render(body, values)
        rendered_subject, missing_subject = render(subject, values) if subject else (subject, ())
        missing = tuple(missing) + tuple(missing_subject)
    unfilled = tuple(sorted(set(missing) - set(unknown)))
    if contact is not None and "fact" in unfilled:
        warnings.append(
            "{{fact}} stays empty until you open this prospect's profile: research first."
        )
    cs = sandbox.state.contacts.get(contact.id) if contact else None
    words = len(word_strings(text))
    characters = len(text)
    limit: int | None = MAX_MESSAGE_CHARS
    limit_label = f"{MAX_MESSAGE_CHARS:,} characters (the sandbox's limit)"
    if channel == "email":
        guidance = f"Cold emails that get answers run {EMAIL_WORDS[0]}-{EMAIL_WORDS[1]} words."
        if contact is not None and contact.email is None:
            warnings.append(f"{contact.name} has no known email address.")
    elif channel == "linkedin":
        note = cs is None or cs.connection is None
        if note:
            limit = int(sandbox.params.linkedin_note_limit)
            limit_label = f"{limit} characters (a LinkedIn connection note)"
            guidance = "A connection note: one personal reason to connect, no pitch."
        else:
            limit = LINKEDIN_MESSAGE_MAX
            limit_label = f"{limit:,} characters (a message to a connection)"
            guidance = "You are connected: a short, specific message."
        if contact is not None and contact.social is None:
            warnings.append(f"{contact.name} has no LinkedIn profile.")
        if cs is not None and cs.connection == "pending":
            warnings.append("Your connection request is still pending: wait until it is accepted.")
        rendered_subject = None
    else:
        guidance = (
            f"A call opener is about 20-40 seconds spoken: {CALL_WORDS[0]}-{CALL_WORDS[1]} words."
        )
        rendered_subject = None
        if contact is not None and contact.phone is None:
            warnings.append(f"{contact.name} has no known phone number.")
        if contact is not None and sandbox.do_not_call(contact):
            warnings.append(f"{contact.name} is on a do-not-call list: do not call.")
    if contact is not None and sandbox.opted_out(contact):
        warnings.append(f"{contact.name} has opted out: the CRM will block any message.")
    if channel == "email" and rendered_subject and len(rendered_subject) > SUBJECT_MAX_CHARS:
        warnings.append(
            f"The subject has {len(rendered_subject)} characters; keep it under "
            f"{SUBJECT_MAX_CHARS}."
        )
    if unknown:
        names = ", ".join("{{" + name + "}}" for name in unknown)
        warnings.append(f"Unknown merge field(s) {names}: they would be sent as written.")
    over = limit is not None and characters > limit
    return Preview(
        channel=channel,
        subject=rendered_subject,
        body=text,
        words=words,
        characters=characters,
        subject_characters=len(rendered_subject or ""),
        limit=limit,
        limit_label=limit_label,
        guidance=guidance,
        over_limit=over,
        unfilled=unfilled,
        unknown_fields=unknown,
        warnings=tuple(warnings),
    )


def merge_fields() -> dict[str, str]:
    """Every merge field with what it holds (the composer's reference list)."""
    return dict(FIELDS)
