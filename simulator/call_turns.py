"""The sandbox's public call methods: dial, say a turn, hang up.

``say`` is where a turn's text is read, once: the grader's language layer gives its
dialogue acts (grader.conversation.read_turn), the meeting time it proposes is resolved
in the buyer's time zone (call_time.py), and both are stored in the event. Replays use
the stored reading, like a message's stored signals, and never parse again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from . import events as ev
from .actions import check_action
from .call_state import CRITERIA_OF, FACT_OBJECTION
from .call_time import proposed_time
from .events import ActionRefused, Event
from .outcomes_calls import CallOutcomes

#: learner event type -> (rule, applier), merged into the sandbox's handlers.
CALL_HANDLERS = {
    ev.START_CONVERSATION: ("_check_start_conversation", "_apply_start_conversation"),
    ev.SAY: ("_check_say", "_apply_say"),
    ev.END_CONVERSATION: ("_check_end_conversation", "_apply_end_conversation"),
}


class CallTurns(CallOutcomes):
    """``start_conversation``, ``say``, ``end_conversation`` and the call views."""

    _do: Callable[[str, dict[str, Any]], list[Event]]  # the sandbox's one way to act

    def start_conversation(self, contact_id: str) -> dict[str, Any]:
        """Dial ``contact_id``; returns who picked up and what they said."""
        check_action("start_conversation", {"contact_id": contact_id})
        return self._call_result(self._do(ev.START_CONVERSATION, {"contact_id": contact_id}))

    def say(self, text: str) -> dict[str, Any]:
        """Say one turn on the call in progress; returns the lines said back."""
        check_action("say", {"text": text})
        call = self.state.call
        if call is None:
            raise ActionRefused("there is no call in progress: start one first", "text")
        if not text.strip():
            raise ActionRefused("say something: the turn is empty", "text")
        contact = self._contact({"contact_id": call.contact_id})
        company = self._company(contact)
        client = self.exercise.client
        previous = next((t["text"] for t in reversed(call.turns) if t["speaker"] != "learner"), "")
        reading = _reader()(
            text, previous=previous, caller_names=(client.sender_name, client.company)
        )
        said = set(re.findall(r"[a-z]+", text.lower()))  # whole words: "Lee" is not "sleep"
        names = (contact.first_name.lower(), contact.last_name.lower())
        data = {
            "text": text,
            "reading": reading,
            "proposal": proposed_time(text, now=self.state.clock, timezone=company.timezone),
            "names_buyer": any(n in said for n in names),
        }
        if call.phase == "interview":  # an answer to the hiring manager, read as one
            data["answer"] = _answer_reader()(text)
        return self._call_result(self._do(ev.SAY, data))

    def end_conversation(self) -> dict[str, Any]:
        """Hang up the call in progress."""
        check_action("end_conversation", {})
        return self._call_result(self._do(ev.END_CONVERSATION, {}))

    def _call_result(self, new: list[Event]) -> dict[str, Any]:
        lines = [
            {"speaker": e.data["speaker"], "text": e.data["text"]}
            for e in new
            if e.type == ev.CONVERSATION_REPLY
        ]
        ended = next((e.data for e in new if e.type == ev.CONVERSATION_ENDED), None)
        return {"lines": lines, "ended": ended}

    def call_in_progress(self) -> dict[str, Any] | None:
        """The live call (contact, turns so far), or None."""
        call = self.state.call
        if call is None:
            return None
        return {"contact_id": call.contact_id, "turns": list(call.turns), "phase": call.phase}

    def uncovered_on_calls(self, contact_id: str) -> dict[str, dict[str, Any]]:
        """Criterion (BANT and CHAMP names) -> what a live call with the contact uncovered
        about it: the truth's answer (yes or no), the learner's question that earned it and
        the buyer's words. The qualification form shows these as evidence; a criterion
        missing here was never uncovered, so judging it is a guess."""
        live = self.state.call
        every = self.state.calls + ([live.snapshot()] if live is not None else [])
        contact = self._contact({"contact_id": contact_id})
        truth = self.persona(contact).truth()
        out: dict[str, dict[str, Any]] = {}
        for call in every:
            if call["contact_id"] != contact_id:
                continue
            turns = call["turns"]
            for i, turn in enumerate(turns):
                if turn["speaker"] != "learner":
                    continue
                for fact in turn.get("earned", {}).get("revealed", ()):
                    replies = [
                        t
                        for t in turns[i + 1 :]
                        if t["seq"] == turn["seq"] and t["speaker"] == "buyer"
                    ]
                    keys = (f"answer.{fact}", f"objection.{FACT_OBJECTION.get(fact, '-')}")
                    own = [t for t in replies if str(t.get("line", "")).startswith(keys)]
                    said = [t["text"] for t in own or replies]
                    entry = {
                        "fact": fact,
                        "value": "yes" if truth.get(fact) else "no",
                        "question": turn["text"],
                        "answer": " ".join(said),
                    }
                    for name in CRITERIA_OF.get(fact, ()):
                        out.setdefault(name, entry)
        return out


def _answer_reader() -> Any:
    """The grader's interview-answer reader over the process's language layer."""
    from grader.interview_answers import read_answer
    from grader.language import language

    lang = language()

    def read(text: str) -> dict[str, Any]:
        return read_answer(text, lang).record()

    return read


def _reader() -> Any:
    """The grader's turn reader over the process's language layer (imported on first use:
    replays never need it)."""
    from grader.conversation import read_turn
    from grader.language import language

    lang = language()

    def read(text: str, *, previous: str, caller_names: tuple[str, ...]) -> dict[str, Any]:
        return read_turn(text, lang, previous=previous, caller_names=caller_names).record()

    return read
