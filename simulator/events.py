"""Events: the append-only log a sandbox is folded from, and the errors around it.

An event is plain JSON: ``{"seq", "type", "at", "actor", "data"}`` with ``at`` an ISO UTC
timestamp of simulated time and ``actor`` either ``"learner"`` or ``"world"``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

LEARNER = "learner"
WORLD = "world"

# Learner actions (event types).
SEARCH = "search"
VIEW_PROFILE = "view_profile"
ADD_TO_LIST = "add_to_list"
REMOVE_FROM_LIST = "remove_from_list"
MESSAGE_SENT = "message_sent"
CALL = "call"
BOOK_MEETING = "book_meeting"
DISCOVERY_CALL = "discovery_call"
RECORD_QUALIFICATION = "record_qualification"
CHANGE_STAGE = "change_stage"
SPEND = "spend"
BUY_LIST = "buy_list"
ADVANCE_CLOCK = "advance_clock"
SUBMIT = "submit"
START_CONVERSATION = "start_conversation"
SAY = "say"
END_CONVERSATION = "end_conversation"
SCHEDULE_SEND = "send_scheduled"
SEND_REMINDER = "meeting_reminder_sent"
CONFIRM_AGENDA = "agenda_confirmed"
LEARNER_TYPES = frozenset(
    {
        SCHEDULE_SEND,
        START_CONVERSATION,
        SAY,
        END_CONVERSATION,
        SEND_REMINDER,
        CONFIRM_AGENDA,
        SEARCH,
        VIEW_PROFILE,
        ADD_TO_LIST,
        REMOVE_FROM_LIST,
        MESSAGE_SENT,
        CALL,
        BOOK_MEETING,
        DISCOVERY_CALL,
        RECORD_QUALIFICATION,
        CHANGE_STAGE,
        SPEND,
        BUY_LIST,
        ADVANCE_CLOCK,
        SUBMIT,
    }
)

# World outcomes (event types).
OPENED_EXERCISE = "exercise_opened"
DELIVERED = "delivered"
BOUNCED = "bounced"
OPENED = "opened"
REPLIED = "replied"
UNSUBSCRIBED = "unsubscribed"
COMPLAINED = "complained"
CONNECTION_ACCEPTED = "connection_accepted"
CALL_RESULT = "call_result"
DISCOVERY_ANSWERS = "discovery_answers"
MEETING_ACCEPTED = "meeting_accepted"
MEETING_HELD = "meeting_held"
MEETING_NO_SHOW = "meeting_no_show"
MEETING_DECLINED = "meeting_declined"
DEAL_WON = "deal_won"
DEAL_LOST = "deal_lost"
INBOUND_LEAD = "inbound_lead"
VIOLATION = "violation"
CONVERSATION_REPLY = "conversation_reply"
CONVERSATION_ENDED = "conversation_ended"
DO_NOT_CALL_REQUESTED = "do_not_call_requested"
#: a scheduled send that could not go out when its time came (opted out, replied...)
SCHEDULED_SKIPPED = "scheduled_send_skipped"
#: the queue's marker for a scheduled send whose time has come (never logged itself)
SCHEDULED_DUE = "scheduled_send_due"
#: never logged: a meeting whose time has come, resolved into held or no-show when it
#: leaves the queue (meetings.py), so preparation done after booking counts.
MEETING_DUE = "meeting_due"


@lru_cache(maxsize=65_536)
def iso(at: int) -> str:
    """Unix seconds -> ``2025-03-03T13:00:00Z``."""
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> int:
    """ISO timestamp (``Z`` or an offset) -> Unix seconds; naive means UTC."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


@dataclass(frozen=True, slots=True)
class Event:
    seq: int
    type: str
    at: str
    actor: str
    data: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "type": self.type,
            "at": self.at,
            "actor": self.actor,
            "data": self.data,
        }

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Event:
        try:
            return cls(
                int(raw["seq"]),
                str(raw["type"]),
                str(raw["at"]),
                str(raw["actor"]),
                dict(raw["data"]),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ReplayError(f"malformed event {raw!r}: {exc}") from exc


class ActionRefused(Exception):
    """The world will not do this; the log is untouched. ``field`` names the bad input."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        self.reason = reason
        self.field = field
        super().__init__(f"{field}: {reason}" if field else reason)


class ReplayError(Exception):
    """A log does not follow from its world (edited, truncated, or a newer model)."""


def to_jsonl(events: Iterable[Event]) -> str:
    return "".join(
        json.dumps(e.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=True) + "\n"
        for e in events
    )


def from_jsonl(lines: Iterable[str]) -> Iterator[Event]:
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                yield Event.from_dict(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ReplayError(f"line {number}: not JSON: {exc}") from exc
