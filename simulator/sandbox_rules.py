"""What the sandbox refuses, and why: one check per action, run before anything changes.

The registry (actions.py) has already checked each value's type and bounds; these checks
ask what the world says: is there such a contact, may this channel be used, is that the
next stage, is there budget left? A check raises ``ActionRefused(reason, field)``; the
log and the state stay untouched. Things a real person could get wrong (a call at 3am, an
email without an opt-out) are not refused here: the outcomes record them as violations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from course.vocabulary import MESSAGE_CHANNELS, PAID_CHANNELS, STAGE_LABELS
from grader.qualification import DECISIONS, FRAMEWORKS
from grader.qualification import VALUES as JUDGEMENTS

from .events import ActionRefused, parse_iso
from .packs import question_catalogue
from .sandbox_base import HOUR, SandboxBase
from .state import ALL_STAGES, STAGES


def _either(words: Iterable[str]) -> str:
    """``("a", "b", "c")`` -> ``"a, b or c"``."""
    *rest, last = words
    return f"{', '.join(rest)} or {last}" if rest else last


class ActionRules(SandboxBase):
    """The validators, keyed by event type in ``Sandbox._validators``."""

    def _check_contact_only(self, data: dict[str, Any]) -> None:
        self._contact(data)

    def _check_ids(self, data: dict[str, Any]) -> list[str]:
        ids = data.get("contact_ids")
        if not isinstance(ids, list) or not ids:
            raise ActionRefused("give at least one contact id", "contact_ids")
        for index, contact_id in enumerate(ids):
            if not isinstance(contact_id, str) or self.world.contact(contact_id) is None:
                raise ActionRefused(f"no contact with id {contact_id!r}", f"contact_ids[{index}]")
        if not isinstance(data.get("list"), str) or not data["list"].strip():
            raise ActionRefused("a list needs a name", "list")
        return ids

    def _check_add(self, data: dict[str, Any]) -> None:
        self._check_ids(data)

    def _check_remove(self, data: dict[str, Any]) -> None:
        members = self.state.lists.get(data.get("list", ""), [])
        for index, contact_id in enumerate(self._check_ids(data)):
            if contact_id not in members:
                raise ActionRefused(f"{contact_id} is not on that list", f"contact_ids[{index}]")

    def _check_channel_allowed(self, channel: str) -> None:
        if channel not in self.exercise.channels:
            allowed = ", ".join(self.exercise.channels) or "none"
            raise ActionRefused(
                f"this exercise does not use {channel} (channels: {allowed})", "channel"
            )

    def _check_message(self, data: dict[str, Any]) -> None:
        contact = self._contact(data)
        channel = data.get("channel")
        if channel not in MESSAGE_CHANNELS:
            raise ActionRefused(f"send_message takes email or linkedin, not {channel!r}", "channel")
        self._check_channel_allowed(channel)
        if not isinstance(data.get("body"), str) or not data["body"].strip():
            raise ActionRefused("the message has no text", "body")
        if self.opted_out(contact):
            raise ActionRefused(
                f"{contact.name} has opted out of messages: the CRM blocks the send", "contact_id"
            )
        if channel == "email" and contact.email is None:
            raise ActionRefused(f"{contact.name} has no known email address", "contact_id")
        if channel == "linkedin":
            cs = self._peek(contact.id)
            if contact.social is None:
                raise ActionRefused(f"{contact.name} has no LinkedIn profile", "contact_id")
            if cs is not None and cs.connection == "pending":
                raise ActionRefused(
                    "your connection request is still pending: you can message once accepted",
                    "contact_id",
                )
            limit = self.params.linkedin_note_limit
            if (cs is None or cs.connection is None) and len(data["body"]) > limit:
                raise ActionRefused(
                    f"a connection note holds at most {limit} characters"
                    f" ({len(data['body'])} given)",
                    "body",
                )

    def _check_call(self, data: dict[str, Any]) -> None:
        contact = self._contact(data)
        self._check_channel_allowed("call")
        if contact.phone is None:
            raise ActionRefused(f"{contact.name} has no known phone number", "contact_id")

    def _check_meeting(self, data: dict[str, Any]) -> None:
        contact = self._contact(data)
        cs = self._peek(contact.id)
        if cs is None or cs.interest_at is None:
            raise ActionRefused(
                f"{contact.name} has not shown interest yet: a meeting needs their agreement",
                "contact_id",
            )
        if cs.meeting in ("invited", "accepted"):
            raise ActionRefused(f"{contact.name} already has a meeting in the diary", "contact_id")
        try:
            at = parse_iso(str(data.get("at")))
        except ValueError as exc:
            raise ActionRefused(f"not an ISO timestamp: {exc}", "at") from exc
        if at < self.state.clock + HOUR:
            raise ActionRefused("book the meeting at least an hour from now", "at")
        if at > self.state.end:
            raise ActionRefused("the meeting falls after the end of the exercise", "at")

    def _check_discovery(self, data: dict[str, Any]) -> None:
        contact = self._contact(data)
        cs = self._peek(contact.id)
        if cs is None or (cs.interest_at is None and cs.meeting != "held"):
            raise ActionRefused(
                f"{contact.name} has not agreed to talk: discovery calls are for engaged leads",
                "contact_id",
            )
        catalogue = question_catalogue()
        questions = data.get("questions")
        if not isinstance(questions, list) or not questions:
            raise ActionRefused("choose at least one question from the catalogue", "questions")
        if len(questions) > catalogue.max_per_call:
            raise ActionRefused(
                f"a short call has room for {catalogue.max_per_call} questions", "questions"
            )
        for index, qid in enumerate(questions):
            if qid not in catalogue.questions:
                known = ", ".join(catalogue.questions)
                raise ActionRefused(
                    f"unknown question {qid!r} (known: {known})", f"questions[{index}]"
                )
        if len(set(questions)) != len(questions):
            raise ActionRefused("a question is asked twice", "questions")

    def _check_qualification(self, data: dict[str, Any]) -> None:
        self._contact(data)
        framework = data.get("framework")
        if not isinstance(framework, str) or framework not in FRAMEWORKS:
            raise ActionRefused(f"framework must be {_either(FRAMEWORKS)}", "framework")
        criteria = data.get("criteria")
        if not isinstance(criteria, Mapping):
            raise ActionRefused("criteria must map criterion names to judgements", "criteria")
        for name, judgement in criteria.items():
            if name not in FRAMEWORKS[framework]:
                raise ActionRefused(
                    f"{name!r} is not a {framework.upper()} criterion", f"criteria.{name}"
                )
            value = judgement.get("value") if isinstance(judgement, Mapping) else judgement
            if value not in JUDGEMENTS:
                raise ActionRefused(f"value must be {_either(JUDGEMENTS)}", f"criteria.{name}")
        if data.get("decision") not in DECISIONS:
            raise ActionRefused(f"decision must be {_either(DECISIONS)}", "decision")

    def _check_stage(self, data: dict[str, Any]) -> None:
        contact = self._contact(data)
        stage = data.get("stage")
        if stage not in ALL_STAGES:
            raise ActionRefused(f"stage must be one of {', '.join(ALL_STAGES)}", "stage")
        cs = self._peek(contact.id)
        current = cs.stage if cs else None
        if stage == current:
            raise ActionRefused(f"{contact.name} is already at {STAGE_LABELS[stage]}", "stage")
        if stage == "lost":
            if current in (None, "customer"):
                raise ActionRefused("only an open lead can be marked lost", "stage")
            return
        if current in ("lost", "customer"):
            closed = STAGE_LABELS[current].lower() if current == "lost" else "a customer"
            raise ActionRefused(f"{contact.name} is {closed}: the deal is closed", "stage")
        expected = STAGES[0] if current is None else STAGES[STAGES.index(current) + 1]
        if stage != expected:
            raise ActionRefused(
                "move one stage at a time: from "
                f"{STAGE_LABELS[current] if current else 'no stage'} to {STAGE_LABELS[expected]}",
                "stage",
            )
        assert cs is not None or stage == "lead"
        if stage == "sql" and (cs is None or cs.meeting not in ("accepted", "held")):
            raise ActionRefused("an SQL has a meeting agreed: book one first", "stage")
        if stage == "opportunity" and (cs is None or cs.meeting != "held"):
            raise ActionRefused("an opportunity has met you: wait for the meeting", "stage")
        if stage == "customer" and (cs is None or cs.deal != "won"):
            raise ActionRefused("a customer has signed: no deal has been won yet", "stage")

    def _check_spend(self, data: dict[str, Any]) -> None:
        channel = data.get("channel")
        if channel not in PAID_CHANNELS:
            raise ActionRefused(f"paid channels are {', '.join(PAID_CHANNELS)}", "channel")
        self._check_channel_allowed(channel)
        amount = data.get("amount")
        if not isinstance(amount, int | float) or isinstance(amount, bool) or amount <= 0:
            raise ActionRefused("spend a positive amount", "amount")
        if round(float(amount), 2) > self.state.remaining_budget:
            raise ActionRefused(
                f"only {self.state.remaining_budget:.2f} USD of budget left", "amount"
            )

    def _check_clock(self, data: dict[str, Any]) -> None:
        try:
            target = parse_iso(str(data.get("until")))
        except ValueError as exc:
            raise ActionRefused(f"not an ISO timestamp: {exc}", "until") from exc
        if self.state.clock >= self.state.end:
            raise ActionRefused("the exercise period is over: submit your work", "until")
        if target <= self.state.clock:
            raise ActionRefused("time only moves forward", "until")
        if target > self.state.end:
            raise ActionRefused("the exercise ends before that", "until")

    def _check_submit(self, data: dict[str, Any]) -> None:
        if not isinstance(data.get("submission"), Mapping):
            raise ActionRefused("the submission must be a mapping", "submission")
        if data.get("contact_id") is not None:
            self._contact(data)
