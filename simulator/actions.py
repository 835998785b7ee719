"""The learner's actions: one registry of names, labels and parameter schemas.

``ACTIONS`` maps each action name to its ``ActionSpec`` (action_schema.py): a human label,
the parameters a learner gives, the data its event records, and whether the web may send
it as a plain action. Everything that takes actions reads it: ``Sandbox.apply`` (JSON in)
and each public ``Sandbox`` method check their parameters against it, every event is
checked against its ``recorded`` fields before it is appended (so a replayed log is held
to the same rules as a live action), and the platform builds its request models, forms
and labels from it.

The bounds and shared parameter shapes live in action_params.py (re-exported here, where
callers have always found them).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from course.vocabulary import MESSAGE_CHANNELS

from . import events as ev
from .action_params import (  # noqa: F401 - the limits are read from here too
    BODY,
    ID_CHARS,
    IDS,
    LIST_NAME,
    LOGGED_CHARS,
    LOGGED_ITEMS,
    MAX_CRITERIA_VALUES,
    MAX_IDS,
    MAX_MONEY,
    MAX_QUESTIONS,
    MAX_ROWS,
    MEETING_AT,
    MESSAGE_CHARS,
    MESSAGE_SIGNALS,
    NAME_CHARS,
    NOTE_CHARS,
    OPENER,
    QUALIFICATION,
    QUERY_CHARS,
    QUESTIONS,
    SEARCH_FILTERS,
    SPEND,
    STAGE,
    SUBJECT_CHARS,
    SUBMISSION_CHARS,
    SUBMISSION_VALUES,
    TURN_CHARS,
    choice,
    contact_param,
    filter_list,
    flag,
    logged,
)
from .action_schema import ActionSpec, Param
from .events import ActionRefused


def _spec(
    name: str,
    label: str,
    summary: str,
    event: str,
    params: tuple[Param, ...],
    recorded: tuple[Param, ...] | None = None,
    **options: Any,
) -> ActionSpec:
    stored = logged(*(params if recorded is None else recorded))
    return ActionSpec(name, label, summary, event, params, stored, **options)


_SPECS = (
    _spec(
        "search",
        "Search prospects",
        "Find contacts by name, title, seniority, company size, segment, place, buying signal,"
        " technology used or list.",
        ev.SEARCH,
        SEARCH_FILTERS,
        (  # filters as given: a log from before the filter checks must still replay
            Param("filters", "mapping", "Filters", required=True),
            Param("results", "int", "Matches", required=True, minimum=0),
        ),
        unknown_field="filters",
    ),
    _spec(
        "view_profile",
        "View a profile",
        "Research a contact and their company (facts, local time, history).",
        ev.VIEW_PROFILE,
        (contact_param(),),
    ),
    _spec(
        "add_to_list",
        "Add to a list",
        "Put contacts on a named list.",
        ev.ADD_TO_LIST,
        (IDS, LIST_NAME),
        (IDS, Param("list", "str", "List", required=True)),
    ),
    _spec(
        "remove_from_list",
        "Remove from a list",
        "Take contacts off a named list.",
        ev.REMOVE_FROM_LIST,
        (IDS, LIST_NAME),
        (IDS, Param("list", "str", "List", required=True)),
    ),
    _spec(
        "send_message",
        "Send a message",
        "Email a contact, or write to them on LinkedIn (a first note is a connection request).",
        ev.MESSAGE_SENT,
        (
            contact_param(),
            choice("channel", "Channel", MESSAGE_CHANNELS),
            BODY,
            Param("subject", "str", "Subject", nullable=True, max_length=SUBJECT_CHARS),
        ),
        (
            contact_param(),
            choice("channel", "Channel", MESSAGE_CHANNELS),
            Param("subject", "str", "Subject", nullable=True),
            Param("body", "str", "Message", required=True),
            Param("unfilled_fields", "str_list", "Unfilled merge fields", required=True),
            MESSAGE_SIGNALS,
        ),
    ),
    _spec(
        "call",
        "Call",
        "Dial a contact now, with an opening line; the result comes back at once.",
        ev.CALL,
        (contact_param(), OPENER),
        (
            contact_param(),
            OPENER,
            # merge fields filled like a message's; logs older than issue 13 lack the list
            Param("unfilled_fields", "str_list", "Unfilled merge fields"),
            Param("signals", "mapping", "Opener signals", fields=MESSAGE_SIGNALS.fields),
        ),
    ),
    _spec(
        "schedule_send",
        "Schedule a send",
        "Send an email or LinkedIn message, or place a call, at a later time (ISO, UTC): it"
        " goes out when the clock passes it, unless the contact opted out (or replied, when"
        " asked) meanwhile.",
        ev.SCHEDULE_SEND,
        (
            contact_param(),
            choice("channel", "Channel", (*MESSAGE_CHANNELS, "call")),
            BODY,
            Param("subject", "str", "Subject", nullable=True, max_length=SUBJECT_CHARS),
            Param("at", "str", "Send at (ISO, UTC)", required=True, max_length=ID_CHARS),
            Param("unless_replied", "bool", "Skip if they replied", default=False),
        ),
        (
            contact_param(),
            choice("channel", "Channel", (*MESSAGE_CHANNELS, "call")),
            Param("at", "str", "Send at (ISO, UTC)", required=True),
            Param("unless_replied", "bool", "Skip if they replied", required=True),
            # the send as it will be recorded when it goes out (merge fields filled,
            # signals read at scheduling time, so a replay never analyses text)
            Param("send", "mapping", "The prepared send", required=True),
        ),
    ),
    _spec(
        "start_conversation",
        "Start a live call",
        "Dial a contact and talk in turns; a gatekeeper or the buyer picks up. Refused"
        " outside the contact's calling window (their country's law, or policy) and for"
        " do-not-call numbers.",
        ev.START_CONVERSATION,
        (contact_param(),),
    ),
    _spec(
        "say",
        "Say",
        "Say one turn on the live call; the gatekeeper or buyer answers.",
        ev.SAY,
        (Param("text", "str", "What you say", required=True, max_length=TURN_CHARS),),
        (
            Param("text", "str", "What you say", required=True),
            Param("reading", "mapping", "How the turn reads", required=True),
            Param("proposal", "mapping", "A meeting time proposed", nullable=True),
            Param("names_buyer", "bool", "Names the person asked for", required=True),
            Param("answer", "mapping", "An interview answer as read (mock interview only)"),
        ),
    ),
    _spec(
        "end_conversation",
        "Hang up",
        "End the live call.",
        ev.END_CONVERSATION,
        (),
    ),
    _spec(
        "book_meeting",
        "Book a meeting",
        "Invite an interested contact to a meeting at a given time.",
        ev.BOOK_MEETING,
        (contact_param(), MEETING_AT),
    ),
    _spec(
        "send_reminder",
        "Send a meeting reminder",
        "Remind a contact of the meeting booked with them (in the 48 hours before it):"
        " fewer meetings are missed.",
        ev.SEND_REMINDER,
        (contact_param(),),
    ),
    _spec(
        "confirm_agenda",
        "Confirm the agenda",
        "Send the contact the meeting's agenda to confirm: a meeting with a purpose is"
        " missed less often.",
        ev.CONFIRM_AGENDA,
        (contact_param(), Param("agenda", "str", "Agenda", required=True, max_length=NOTE_CHARS)),
    ),
    _spec(
        "discovery_call",
        "Discovery call",
        "Ask an engaged lead questions from the catalogue; the answers reveal criteria.",
        ev.DISCOVERY_CALL,
        (contact_param(), QUESTIONS),
    ),
    _spec(
        "record_qualification",
        "Record a qualification",
        "Judge a lead on BANT or CHAMP and decide: advance, nurture or disqualify.",
        ev.RECORD_QUALIFICATION,
        QUALIFICATION,
    ),
    _spec(
        "change_stage",
        "Change stage",
        "Move a contact one pipeline stage on, or mark them lost.",
        ev.CHANGE_STAGE,
        STAGE,
    ),
    _spec(
        "spend",
        "Buy ads",
        "Spend budget on paid traffic; inbound leads arrive over the next days.",
        ev.SPEND,
        SPEND,
    ),
    _spec(
        "buy_list",
        "Buy a list",
        "Buy contact records onto a list: a cheap bought list (old, unverified: many bounce,"
        " many name the wrong person) or a researched one (targeted, verified, dearer).",
        ev.BUY_LIST,
        (
            choice("source", "List source", ("bought", "researched")),
            Param("size", "int", "Records", required=True, minimum=1, maximum=2_000),
            Param("list_name", "str", "List", default="bought", max_length=NAME_CHARS),
        ),
        (
            choice("source", "List source", ("bought", "researched")),
            Param("size", "int", "Records", required=True, minimum=1, maximum=2_000),
            Param("list", "str", "List", required=True),
        ),
    ),
    _spec(
        "advance_clock",
        "Advance the clock",
        "Let simulated time pass (by days, hours, minutes, or until a time, the next event"
        " or the end); the world's events in between happen.",
        ev.ADVANCE_CLOCK,
        (
            Param("days", "float", "Days", default=0, minimum=0.0, maximum=1_000.0),
            Param("hours", "float", "Hours", default=0, minimum=0.0, maximum=24_000.0),
            Param("minutes", "float", "Minutes", default=0, minimum=0.0, maximum=1_440_000.0),
            Param("until", "str", "Until", nullable=True, max_length=ID_CHARS),
        ),
        (Param("until", "str", "Until", required=True),),
    ),
    _spec(
        "submit",
        "Hand in",
        "Hand in the deliverable; afterwards nothing more can change.",
        ev.SUBMIT,
        (
            Param(
                "submission",
                "mapping",
                "Deliverable",
                required=True,
                max_length=SUBMISSION_CHARS,
                max_items=SUBMISSION_VALUES,
            ),
            contact_param(required=False, nullable=True),
        ),
        (
            Param("submission", "mapping", "Deliverable", required=True),
            contact_param(required=True, nullable=True),
        ),
        web=False,
    ),
)

#: action name -> its spec, in the order a learner's menu would list them.
ACTIONS: Mapping[str, ActionSpec] = MappingProxyType({spec.name: spec for spec in _SPECS})
#: event type of a learner event -> the action that records it.
BY_EVENT: Mapping[str, ActionSpec] = MappingProxyType({spec.event: spec for spec in _SPECS})
#: the actions a learner may send from the web as plain actions (all but the hand-in).
WEB_ACTIONS: frozenset[str] = frozenset(name for name, spec in ACTIONS.items() if spec.web)


def action_spec(name: object) -> ActionSpec:
    """The spec of action ``name``, or ActionRefused naming the known ones (field ``type``)."""
    spec = ACTIONS.get(name) if isinstance(name, str) else None
    if spec is None:
        known = ", ".join(ACTIONS)
        raise ActionRefused(f"unknown action {str(name)[:40]!r}; known: {known}", "type")
    return spec


def check_action(name: str, params: Mapping[str, Any]) -> ActionSpec:
    """Refuse the parameters of one action unless they fit its spec; return the spec."""
    spec = action_spec(name)
    spec.check_params(params)
    return spec


def check_recorded(event_type: str, data: Mapping[str, Any]) -> None:
    """Refuse a learner event's data unless it fits what its action records."""
    spec = BY_EVENT.get(event_type)
    if spec is None:
        raise ActionRefused(f"unknown action {event_type[:40]!r}", "type")
    spec.check_recorded(data)
