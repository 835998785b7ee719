"""The event-sourced sandbox: learner actions in, world outcomes out, state = fold(events).

How an action runs: the public method (``send_message``...) checks its parameters against
the registry (actions.py) and prepares the event data (renders merge fields, analyses the
text); ``_do`` checks that data against what the event records, then against the current
state (sandbox_rules.py), raising ``ActionRefused`` with the log untouched; it appends the
learner event, applies it, and draws its outcomes (outcomes_*.py) from
``Stream(derive_seed(world seed, "outcome", seq))``. Outcomes wait in a queue and become
world events (world_events.py) when the clock passes their time.

Replay re-runs the learner events of a log through the same ``_do`` (with the recorded
data, so no text is re-analysed) and checks that the world events it produces are the
ones in the log, byte for byte.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from course.exercise_specs import ExerciseSpec
from course.vocabulary import MESSAGE_CHANNELS, PAID_CHANNELS
from grader.qualification import DECISIONS, FRAMEWORKS

from . import events as ev
from .actions import action_spec, check_action, check_recorded
from .call_turns import CALL_HANDLERS
from .events import ActionRefused, Event, ReplayError, iso, parse_iso
from .icp import fits_icp
from .list_sources import ListOutcomes
from .market import Contact, World
from .merge import render_submission
from .outcomes_conversations import ConversationOutcomes
from .outcomes_messages import MessageOutcomes
from .outcomes_pipeline import PipelineOutcomes
from .packs import industry_pack
from .response import PARAMS, Params
from .sandbox_base import DAY, HOUR, MODEL_VERSION, _Pending, class_handlers, truth_decision
from .sandbox_compose import MessageComposer
from .sandbox_replay import (
    as_events,
    check_tail,
    check_whole_log,
    no_analysis,
    replay_learner_events,
)
from .sandbox_rules import ActionRules
from .sandbox_views import SandboxViews
from .scheduled import ScheduledSends
from .signals import Analyser, SignalCache
from .state import SandboxState

__all__ = [
    "DAY",
    "DECISIONS",
    "FRAMEWORKS",
    "HOUR",
    "MESSAGE_CHANNELS",
    "MODEL_VERSION",
    "PAID_CHANNELS",
    "Sandbox",
    "fits",
    "truth_decision",
]

#: learner event type -> (the rule that may refuse it, the applier that folds it and draws
#: what it causes), as method names; ``None`` where there is nothing to do.
_HANDLERS: dict[str, tuple[str | None, str | None]] = {
    ev.SEARCH: (None, None),  # its filters are wholly checked by the registry
    ev.VIEW_PROFILE: ("_check_contact_only", "_apply_view"),
    ev.ADD_TO_LIST: ("_check_add", "_apply_add"),
    ev.REMOVE_FROM_LIST: ("_check_remove", "_apply_remove"),
    ev.MESSAGE_SENT: ("_check_message", "_apply_message"),
    ev.CALL: ("_check_call", "_apply_call"),
    ev.BOOK_MEETING: ("_check_meeting", "_apply_meeting"),
    ev.SEND_REMINDER: ("_check_reminder", "_apply_reminder"),
    ev.CONFIRM_AGENDA: ("_check_agenda", "_apply_agenda"),
    ev.DISCOVERY_CALL: ("_check_discovery", "_apply_discovery"),
    ev.RECORD_QUALIFICATION: ("_check_qualification", "_apply_qualification"),
    ev.CHANGE_STAGE: ("_check_stage", "_apply_stage"),
    ev.SPEND: ("_check_spend", "_apply_spend"),
    ev.BUY_LIST: ("_check_buy_list", "_apply_buy_list"),
    ev.ADVANCE_CLOCK: ("_check_clock", "_apply_clock"),
    ev.SUBMIT: ("_check_submit", "_apply_submit"),
    ev.SCHEDULE_SEND: ("_check_schedule", "_apply_schedule"),
    **CALL_HANDLERS,
}


class Sandbox(
    ActionRules,
    SandboxViews,
    MessageComposer,
    MessageOutcomes,
    ConversationOutcomes,
    PipelineOutcomes,
    ScheduledSends,
    ListOutcomes,
):
    """One learner's run of one exercise. Build with ``open_exercise`` or ``Sandbox.replay``.

    The constructor opens the exercise and nothing more: a pre-played colleague's log (the
    pipeline-report exercise) is played by ``open_exercise``, which knows the runner.
    """

    def __init__(
        self,
        world: World,
        exercise: ExerciseSpec,
        *,
        analyser: Analyser | None = None,
        params: Params = PARAMS,
        analyse_per_template: bool = False,
    ) -> None:
        self._attach(
            world, exercise, params, SignalCache(analyser, per_template=analyse_per_template)
        )
        start = int(exercise.market.start.timestamp())
        self.state = SandboxState(
            start=start,
            end=start + exercise.duration_days * DAY,
            clock=start,
            budget=float(exercise.budget.amount),
        )
        self._events: list[Event] = []
        self._pending: list[_Pending] = []
        self._scheduled = 0
        self._open()

    def _attach(
        self, world: World, exercise: ExerciseSpec, params: Params, signals: SignalCache
    ) -> None:
        """What never changes during a run: set alike by a new run and by one resumed from
        a stored snapshot (snapshots.py), which brings only the changing state."""
        self.world = world
        self.exercise = exercise
        self.params = params
        self._signals = signals
        self._pack = industry_pack(world.market.industry)
        self._outcome_prefix = f"{world.seed}\x1foutcome\x1f".encode()
        self._validators, self._appliers = class_handlers(type(self), _HANDLERS)

    def fork(self) -> Sandbox:
        """An independent copy to act on, sharing what never changes (the world, the
        exercise, the analyses already made). The platform acts on a fork and publishes
        it only once stored, so a reader holding this sandbox never sees a half-applied
        action (copy-on-write), and a failed action leaves nothing to undo."""
        twin = object.__new__(type(self))
        twin.__dict__.update(self.__dict__)
        twin.state = self.state.copy()
        twin._events = list(self._events)
        twin._pending = list(self._pending)
        return twin

    def _open(self) -> None:
        self._append_world(
            ev.OPENED_EXERCISE,
            self.state.start,
            {
                "exercise_id": self.exercise.id,
                "seed": self.world.seed,
                "world_version": self.world.version,
                "model_version": MODEL_VERSION,
                "start": iso(self.state.start),
                "end": iso(self.state.end),
                "budget": self.state.budget,
            },
        )
        if self.exercise.setup.inbound_leads:
            self._seed_inbound_leads(self.exercise.setup.inbound_leads)
            self._emit_due(self.state.clock)

    def _do(self, type_: str, data: dict[str, Any], *, checked: bool = False) -> list[Event]:
        if self.state.submitted is not None:
            raise ActionRefused("the exercise has been submitted: nothing more can change")
        if not checked:  # a fold of a stored log skips it: each event was checked when made
            check_recorded(type_, data)
        self._validators[type_](self, data)
        first = len(self._events)
        event = Event(first, type_, iso(self.state.clock), ev.LEARNER, data)
        self._events.append(event)
        self._appliers[type_](self, event)
        self._emit_due(self.state.clock)
        return self._events[first:]

    def search(self, **filters: Any) -> list[dict[str, Any]]:
        """Contacts matching the filters (public fields only), as rows for a results table.

        Filters: query (name, company or title contains), title, seniority, decision_maker,
        size_band, segment, region, city, signal (buying signals), technology,
        min_employees, max_employees, has_email, has_phone, list, limit (default 50), offset.
        """
        check_action("search", filters)
        matches = self._search(filters)
        limit = int(filters.get("limit", 50))
        offset = int(filters.get("offset", 0))
        self._do(ev.SEARCH, {"filters": dict(filters), "results": len(matches)})
        return [self._row(c) for c in matches[offset : offset + limit]]

    def view_profile(self, contact_id: str) -> dict[str, Any]:
        """Everything research can find on a contact and their company."""
        check_action("view_profile", {"contact_id": contact_id})
        self._do(ev.VIEW_PROFILE, {"contact_id": contact_id})
        return self.profile(contact_id)

    def add_to_list(self, contact_ids: str | Sequence[str], list_name: str = "main") -> Event:
        check_action("add_to_list", {"contact_ids": contact_ids, "list_name": list_name})
        ids = [contact_ids] if isinstance(contact_ids, str) else list(contact_ids)
        return self._do(ev.ADD_TO_LIST, {"contact_ids": ids, "list": list_name})[0]

    def remove_from_list(self, contact_ids: str | Sequence[str], list_name: str = "main") -> Event:
        check_action("remove_from_list", {"contact_ids": contact_ids, "list_name": list_name})
        ids = [contact_ids] if isinstance(contact_ids, str) else list(contact_ids)
        return self._do(ev.REMOVE_FROM_LIST, {"contact_ids": ids, "list": list_name})[0]

    def send_message(
        self, contact_id: str, *, channel: str, body: str, subject: str | None = None
    ) -> Event:
        """Email or LinkedIn (a first LinkedIn message is a connection note, 300 chars)."""
        given = {"contact_id": contact_id, "channel": channel, "body": body, "subject": subject}
        check_action("send_message", given)
        data = self._message_data(contact_id, channel, body, subject)
        return self._do(ev.MESSAGE_SENT, data)[0]

    def call(self, contact_id: str, *, opener: str = "") -> dict[str, Any]:
        """Dial now; the result (no answer, a conversation...) comes back at once."""
        check_action("call", {"contact_id": contact_id, "opener": opener})
        data = self._call_data(contact_id, opener)
        new = self._do(ev.CALL, data)
        return next(e.data for e in new if e.type == ev.CALL_RESULT)

    def book_meeting(self, contact_id: str, *, at: str) -> Event:
        """Invite an interested contact to a meeting at ``at`` (ISO time, UTC)."""
        check_action("book_meeting", {"contact_id": contact_id, "at": at})
        return self._do(ev.BOOK_MEETING, {"contact_id": contact_id, "at": at})[0]

    def discovery_call(self, contact_id: str, *, questions: Sequence[str]) -> dict[str, Any]:
        """Ask chosen catalogue questions; answers reveal the criteria they cover."""
        check_action("discovery_call", {"contact_id": contact_id, "questions": questions})
        new = self._do(ev.DISCOVERY_CALL, {"contact_id": contact_id, "questions": list(questions)})
        return next(e.data for e in new if e.type == ev.DISCOVERY_ANSWERS)

    def record_qualification(
        self, contact_id: str, *, framework: str, criteria: Mapping[str, Any], decision: str
    ) -> Event:
        given = {"framework": framework, "criteria": criteria, "decision": decision}
        check_action("record_qualification", {"contact_id": contact_id, **given})
        data = {
            "contact_id": contact_id,
            "framework": framework,
            "criteria": {k: dict(v) if isinstance(v, Mapping) else v for k, v in criteria.items()},
            "decision": decision,
        }
        return self._do(ev.RECORD_QUALIFICATION, data)[0]

    def change_stage(self, contact_id: str, stage: str) -> Event:
        check_action("change_stage", {"contact_id": contact_id, "stage": stage})
        return self._do(ev.CHANGE_STAGE, {"contact_id": contact_id, "stage": stage})[0]

    def spend(self, channel: str, amount: float) -> Event:
        """Buy paid traffic; inbound leads arrive over the next days at the industry CPL."""
        check_action("spend", {"channel": channel, "amount": amount})
        return self._do(ev.SPEND, {"channel": channel, "amount": amount})[0]

    def buy_list(self, source: str, size: int, list_name: str = "bought") -> Event:
        """Buy ``size`` records from a list source (list_sources.py) onto a named list."""
        check_action("buy_list", {"source": source, "size": size, "list_name": list_name})
        return self._do(ev.BUY_LIST, {"source": source, "size": size, "list": list_name})[0]

    def advance_clock(
        self, *, days: float = 0, hours: float = 0, minutes: float = 0, until: str | None = None
    ) -> list[Event]:
        """Move simulated time; returns the world events that happened meanwhile.

        ``until``: an ISO time, ``"next_event"`` or ``"end"``. Time stops at the end of the
        exercise period.
        """
        given = {"days": days, "hours": hours, "minutes": minutes, "until": until}
        check_action("advance_clock", given)
        if until == "end":
            target = self.state.end
        elif until == "next_event":
            upcoming = self.next_outcome_at()
            target = self.state.end if upcoming is None else min(upcoming, self.state.end)
        elif until is not None:
            try:
                target = parse_iso(until)
            except ValueError as exc:
                raise ActionRefused(f"not an ISO timestamp: {exc}", "until") from exc
        else:
            target = self.state.clock + int(days * DAY + hours * HOUR + minutes * 60)
        target = min(target, self.state.end)
        new = self._do(ev.ADVANCE_CLOCK, {"until": iso(target)})
        return [e for e in new if e.actor == ev.WORLD]

    def next_outcome_at(self) -> int | None:
        """When the next drawn outcome becomes visible (Unix seconds), if any is waiting."""
        if self._pending and self._pending[0].type != ev.MEETING_DUE:
            if not self._void(self._pending[0]):
                return self._pending[0].at
        upcoming = [at for p in self._pending if (at := self._shown_at(p)) is not None]
        return min(upcoming) if upcoming else None

    def submit(self, submission: Mapping[str, Any], *, contact_id: str | None = None) -> Event:
        """Hand in the deliverable; afterwards every action is refused.

        For outreach and sequence exercises, ``contact_id`` names the prospect the text is
        for; its merge fields are rendered for that contact before grading.
        """
        check_action("submit", {"submission": submission, "contact_id": contact_id})
        data: dict[str, Any] = {"submission": dict(submission), "contact_id": contact_id}
        if contact_id is not None:
            contact = self._contact(data)
            data["submission"] = render_submission(submission, self.merge_values(contact))
        return self._do(ev.SUBMIT, data)[0]

    def apply(self, action: Mapping[str, Any]) -> dict[str, Any]:
        """One action from JSON (the web sandbox's entry point).

        ``{"type": "send_message", "contact_id": ..., "channel": ..., "body": ...}``;
        returns ``{"result": ..., "events": [new events as dicts]}``.
        """
        params = dict(action)
        spec = action_spec(params.pop("type", None))
        spec.check_params(params)
        method: Callable[..., Any] = getattr(self, spec.name)
        before = len(self._events)
        result = method(**params)
        if isinstance(result, Event):
            result = result.to_dict()
        elif isinstance(result, list):
            result = [r.to_dict() if isinstance(r, Event) else r for r in result]
        return {"result": result, "events": [e.to_dict() for e in self._events[before:]]}

    @classmethod
    def replay(
        cls,
        world: World,
        exercise: ExerciseSpec,
        events: Iterable[Event | Mapping[str, Any]],
        *,
        params: Params = PARAMS,
        analyser: Analyser | None = None,
        checked: bool = False,
    ) -> Sandbox:
        """Refold a log: re-run its learner events and check every world event matches.

        The fold itself never analyses text (the log's events carry their signals; a guard
        makes sure), but the sandbox it returns is live: its next ``send_message`` or
        ``call`` analyses with ``analyser`` (the grader's by default), exactly like a
        sandbox that never left memory. A run rebuilt after a restart, on another worker
        or after a cache eviction must act like the one that was opened. ``checked``: the
        log comes from a store of events this engine checked when made (the platform's):
        their schema is not checked again. A file's log is.
        """
        collecting = gc.isenabled()
        # tens of thousands of acyclic events, read and folded: the collector would only
        # cost time, and each of its passes walks every object alive (cached worlds too)
        gc.disable()
        try:
            log = as_events(events)
            sandbox = cls(world, exercise, analyser=no_analysis, params=params)
            replay_learner_events(sandbox, log, checked=checked)
        finally:
            if collecting:
                gc.enable()
        check_whole_log(sandbox._events, log)
        sandbox._signals = SignalCache(analyser)  # folded: from here on it acts live
        return sandbox

    def caught_up(
        self, tail: Iterable[Event | Mapping[str, Any]], *, checked: bool = False
    ) -> Sandbox:
        """A fork of this sandbox brought forward by the events that follow it in its log.

        A copy that is behind (another worker acted) replays only what it lacks instead of
        refolding the whole log; the world events it produces are checked against the
        tail exactly as ``replay`` checks a whole log. This sandbox is left as it was."""
        log = as_events(tail)
        twin = self.fork()
        before = twin.event_count
        if log and log[0].seq != before:
            raise ReplayError(f"the tail starts at event {log[0].seq}, not {before}")
        replay_learner_events(twin, log, checked=checked)
        check_tail(twin._events[before:], log, before)
        return twin


def fits(world: World, contact: Contact) -> bool:
    """Real ICP fit, recomputed (equal to ``contact.truth.fits_icp`` when the ICP is set)."""
    if world.icp is None:
        return contact.truth.fits_icp
    return fits_icp(contact, world.company_of(contact), world.icp)
