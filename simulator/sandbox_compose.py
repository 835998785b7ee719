"""Turning what a learner typed into the message the world receives.

Merge fields are filled from the prospect's record, the subject dropped where the channel
has none, and the text read once by the grader's analyser (through the sandbox's signal
cache, so one template sent to many prospects is not re-read from scratch). The event
stores the rendered text with its signals, which is why replay never analyses text.
"""

from __future__ import annotations

from typing import Any

from course.vocabulary import MESSAGE_CHANNELS

from .events import ActionRefused
from .merge import render
from .sandbox_base import SandboxBase


class MessageComposer(SandboxBase):
    """The data of a ``message_sent`` event, built from the learner's draft."""

    def _message_data(
        self, contact_id: str, channel: str, body: str, subject: str | None
    ) -> dict[str, Any]:
        contact = self._contact({"contact_id": contact_id})
        if channel not in MESSAGE_CHANNELS:
            raise ActionRefused(f"send_message takes email or linkedin, not {channel!r}", "channel")
        if not isinstance(body, str) or not body.strip():
            raise ActionRefused("the message has no text", "body")
        values = self.merge_values(contact)
        text, missing = render(body, values)
        rendered_subject, missing_subject = (
            render(subject, values) if subject else (subject or None, ())
        )
        if channel == "linkedin":
            rendered_subject = None
        submission = {"channel": channel, "subject": rendered_subject, "body": text}
        template = (channel, subject, body, bool(missing or missing_subject))
        try:
            signals = self._signals.signals(
                submission, self.outreach_context(contact, channel), template
            )
        except ValueError as exc:  # the grader's SubmissionError: a malformed message
            raise ActionRefused(str(exc), "body") from exc
        return {
            "contact_id": contact_id,
            "channel": channel,
            "subject": rendered_subject,
            "body": text,
            "unfilled_fields": sorted(set(missing) | set(missing_subject)),
            "signals": signals.to_dict(),
        }
