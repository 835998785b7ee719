"""Scheduled sends: a message or call the learner times, which goes out when the clock
passes its time.

Why in the engine and not in the platform: a send at 09:00 the prospect's time is part of
the run, so it must replay like every other outcome. The learner's ``send_scheduled``
event records the send fully prepared (merge fields filled, signals read), and queues a
marker at its time. When the clock reaches the marker, the send is appended as a world
event of its own type (``message_sent`` or ``call``, actor ``world``) and drawn from like
a send made by hand; a replay re-queues the marker from the learner event and produces the
very same events. If the contact can no longer be reached then (opted out, a do-not-call
request, or a reply when the learner asked to stop on one), a ``scheduled_send_skipped``
world event says why instead.
"""

from __future__ import annotations

from typing import Any

from . import events as ev
from .actions import check_action, check_recorded
from .events import ActionRefused, Event, iso, parse_iso
from .merge import render
from .sandbox_base import SandboxBase, _Pending

_SEND_TYPES = {"email": ev.MESSAGE_SENT, "linkedin": ev.MESSAGE_SENT, "call": ev.CALL}


class ScheduledSends(SandboxBase):
    """The ``schedule_send`` action, its rule, its applier and the firing of the send."""

    def _message_data(
        self, contact_id: str, channel: str, body: str, subject: str | None
    ) -> dict[str, Any]:  # pragma: no cover - provided by MessageComposer
        raise NotImplementedError

    def _do(self, type_: str, data: dict[str, Any]) -> list[Event]:  # pragma: no cover
        raise NotImplementedError  # provided by Sandbox

    def _call_data(self, contact_id: str, opener: str) -> dict[str, Any]:
        """A call's recorded data: the opener filled like a message and its signals read."""
        contact = self._contact({"contact_id": contact_id})
        data: dict[str, Any] = {"contact_id": contact_id, "opener": opener}
        if opener.strip():
            # filled like a message, so "{{first_name}}" is the prospect's name, not an error
            text, missing = render(opener, self.merge_values(contact))
            data.update(opener=text, unfilled_fields=sorted(set(missing)))
            submission = {"channel": "call", "subject": None, "body": text}
            context = self.outreach_context(contact, "call")
            template = ("call", None, opener, bool(missing))
            try:
                data["signals"] = self._signals.signals(submission, context, template).to_dict()
            except ValueError as exc:
                raise ActionRefused(str(exc), "opener") from exc
        return data

    def schedule_send(
        self,
        contact_id: str,
        *,
        channel: str,
        body: str,
        subject: str | None = None,
        at: str,
        unless_replied: bool = False,
    ) -> Event:
        """Queue an email, LinkedIn message or call (``body`` is its opener) for ``at``."""
        given = {
            "contact_id": contact_id,
            "channel": channel,
            "body": body,
            "subject": subject,
            "at": at,
            "unless_replied": unless_replied,
        }
        check_action("schedule_send", given)
        when = self._schedule_time(at)
        if channel == "call":
            send = self._call_data(contact_id, body)
        else:
            send = self._message_data(contact_id, channel, body, subject)
        data = {
            "contact_id": contact_id,
            "channel": channel,
            "at": iso(when),
            "unless_replied": unless_replied,
            "send": send,
        }
        return self._do(ev.SCHEDULE_SEND, data)[0]

    def _schedule_time(self, at: object) -> int:
        try:
            return parse_iso(str(at))
        except ValueError as exc:
            raise ActionRefused(f"not an ISO timestamp: {exc}", "at") from exc

    def _check_schedule(self, data: dict[str, Any]) -> None:
        contact = self._contact(data)
        when = self._schedule_time(data.get("at"))
        if when <= self.state.clock:
            raise ActionRefused("a scheduled send needs a time after now", "at")
        if when > self.state.end:
            raise ActionRefused("the exercise ends before that time", "at")
        send_type = _SEND_TYPES[data["channel"]]
        send = data["send"]
        if send.get("contact_id") != contact.id or (
            send_type == ev.MESSAGE_SENT and send.get("channel") != data["channel"]
        ):
            raise ActionRefused("the prepared send is for another contact or channel", "send")
        try:
            check_recorded(send_type, send)
        except ActionRefused as refused:
            raise ActionRefused(refused.reason, f"send.{refused.field}") from None
        self._validators[send_type](self, send)  # refused now if it could not go out now

    def _apply_schedule(self, event: Event) -> None:
        data = event.data
        marker = {
            "contact_id": data["contact_id"],
            "channel": data["channel"],
            "unless_replied": data["unless_replied"],
            "send": data["send"],
        }
        self._schedule(parse_iso(data["at"]), event.seq, ev.SCHEDULED_DUE, marker)

    def _fire_scheduled(self, item: _Pending) -> None:
        """The send goes out at its time (or is skipped, saying why)."""
        data = item.data
        send_type = _SEND_TYPES[data["channel"]]
        reason = self._skip_reason(data)
        if reason is None:
            try:
                self._validators[send_type](self, data["send"])
            except ActionRefused as refused:
                reason = refused.reason
        if reason is not None:
            skipped = {
                "contact_id": data["contact_id"],
                "channel": data["channel"],
                "scheduled": item.cause,
                "reason": reason,
            }
            self._append_world(ev.SCHEDULED_SKIPPED, item.at, skipped)
            return
        event = Event(len(self._events), send_type, iso(item.at), ev.WORLD, dict(data["send"]))
        self._events.append(event)
        self._appliers[send_type](self, event)

    def _skip_reason(self, data: dict[str, Any]) -> str | None:
        cs = self._peek(data["contact_id"])
        if data["unless_replied"] and cs is not None and cs.replied:
            return "they replied: the follow-up stays unsent"
        return None

    def scheduled_sends(self) -> list[dict[str, Any]]:
        """Sends waiting for their time, soonest first (for the pages that list them)."""
        waiting = sorted(p for p in self._pending if p.type == ev.SCHEDULED_DUE)
        return [
            {
                "scheduled": p.cause,
                "at": iso(p.at),
                "contact_id": p.data["contact_id"],
                "channel": p.data["channel"],
            }
            for p in waiting
        ]
