"""The learner's actions: one registry of names, labels and parameter schemas.

``ACTIONS`` maps each action name to its ``ActionSpec`` (action_schema.py): a human label,
the parameters a learner gives, the data its event records, and whether the web may send
it as a plain action. Everything that takes actions reads it: ``Sandbox.apply`` (JSON in)
and each public ``Sandbox`` method check their parameters against it, every event is
checked against its ``recorded`` fields before it is appended (so a replayed log is held
to the same rules as a live action), and the platform builds its request models, forms
and labels from it.

The bounds are far above what an honest learner reaches (a message is at most 5,000
characters, a list action at most 10,000 contacts...): they exist so that a malformed or
hostile request is refused with a clear field rather than stored, or crashing the world.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from types import MappingProxyType
from typing import Any

from course.vocabulary import ALL_STAGES, MESSAGE_CHANNELS, PAID_CHANNELS, REGIONS, SENIORITIES
from grader.qualification import DECISIONS, FRAMEWORKS

from . import events as ev
from .action_schema import ActionSpec, Param
from .buying_signals import SIGNALS
from .events import ActionRefused
from .packs import question_catalogue
from .signals import BOOL_FIELDS, FLOAT_FIELDS, MEANING_FIELDS, OPTIONAL_FLOATS

ID_CHARS = 40  # contact ids look like "p000123"
NAME_CHARS = 100  # a list name
QUERY_CHARS = 200  # a search text
SUBJECT_CHARS = 500
MESSAGE_CHARS = 5_000  # a message body or call opener, as the learner writes it
TURN_CHARS = 2_000  # one spoken turn on a live call (about three minutes of talk)
MAX_IDS = 10_000  # contacts named in one list action
MAX_QUESTIONS = 20  # the catalogue has about a dozen; a call has room for fewer
MAX_CRITERIA_VALUES = 50
NOTE_CHARS = 2_000
MAX_MONEY = 10_000_000.0
MAX_ROWS = 1_000_000  # search limit and offset
SUBMISSION_VALUES = 20_000  # values inside one hand-in, at every depth
SUBMISSION_CHARS = 20_000  # each text of a hand-in (the grader's own limit)
#: The log's copy of an event is held to the same types (JSON that stores and replays: no
#: NaN, no NUL, no lone surrogate) but to sizes far above the action limits: merge fields
#: lengthen a text, and a log stored before a limit existed must still replay.
LOGGED_CHARS = 1_000_000
LOGGED_ITEMS = 1_000_000


def _logged(*params: Param) -> tuple[Param, ...]:
    """The params as an event's data records them: same types, sizes up to the log's caps."""
    return tuple(_relaxed(param) for param in params)


def _relaxed(param: Param) -> Param:
    if param.kind not in ("str", "str_list", "mapping"):
        return param
    return replace(
        param,
        max_length=LOGGED_CHARS,
        max_items=None if param.kind == "str" else LOGGED_ITEMS,
        fields=_logged(*param.fields),
    )


def _contact(required: bool = True, nullable: bool = False) -> Param:
    return Param(
        "contact_id", "str", "Contact", required=required, nullable=nullable, max_length=ID_CHARS
    )


def _choice(name: str, label: str, choices: tuple[str, ...]) -> Param:
    return Param(name, "str", label, required=True, max_length=NAME_CHARS, choices=choices)


def _filter_list(name: str, label: str, choices: tuple[str, ...] = ()) -> Param:
    return Param(
        name,
        "str_list",
        label,
        nullable=True,
        max_length=NAME_CHARS,
        max_items=1_000,
        choices=choices,
        one_or_many=True,
    )


def _flag(name: str, label: str) -> Param:
    return Param(name, "bool", label, nullable=True)


SEARCH_FILTERS: tuple[Param, ...] = (
    Param("query", "str", "Name, company or title contains", nullable=True, max_length=QUERY_CHARS),
    Param("title", "str", "Title contains", nullable=True, max_length=QUERY_CHARS),
    _filter_list("seniority", "Seniority", tuple(SENIORITIES)),
    _flag("decision_maker", "Decision maker"),
    _filter_list("size_band", "Company size"),
    _filter_list("segment", "Segment"),
    _filter_list("region", "Region", tuple(REGIONS)),
    _filter_list("city", "City"),
    _filter_list("signal", "Buying signal", SIGNALS),
    _filter_list("technology", "Technology used"),
    Param("min_employees", "int", "Employees at least", nullable=True, minimum=0, maximum=MAX_ROWS),
    Param("max_employees", "int", "Employees at most", nullable=True, minimum=0, maximum=MAX_ROWS),
    _flag("has_email", "Has an email address"),
    _flag("has_phone", "Has a phone number"),
    Param("list", "str", "On the list", nullable=True, max_length=NAME_CHARS),
    Param("limit", "int", "Rows", default=50, minimum=0, maximum=MAX_ROWS),
    Param("offset", "int", "Rows to skip", default=0, minimum=0, maximum=MAX_ROWS),
)
_IDS = Param(
    "contact_ids",
    "str_list",
    "Contacts",
    required=True,
    max_length=ID_CHARS,
    max_items=MAX_IDS,
    one_or_many=True,
)
_LIST_NAME = Param("list_name", "str", "List", default="main", max_length=NAME_CHARS)
_BODY = Param("body", "str", "Message", required=True, max_length=MESSAGE_CHARS)
_OPENER = Param("opener", "str", "Call opener", default="", max_length=MESSAGE_CHARS)
_MEETING_AT = Param("at", "str", "Meeting time (ISO, UTC)", required=True, max_length=ID_CHARS)
_QUESTIONS = Param(
    "questions",
    "str_list",
    "Questions",
    required=True,
    max_length=ID_CHARS,
    max_items=MAX_QUESTIONS,
    choices=tuple(question_catalogue().questions),
)
_QUALIFICATION = (
    _contact(),
    _choice("framework", "Framework", tuple(FRAMEWORKS)),
    Param(
        "criteria",
        "mapping",
        "Criteria",
        required=True,
        max_length=NOTE_CHARS,
        max_items=MAX_CRITERIA_VALUES,
    ),
    _choice("decision", "Decision", DECISIONS),
)
_STAGE = (_contact(), _choice("stage", "Stage", ALL_STAGES))
_SPEND = (
    _choice("channel", "Paid channel", PAID_CHANNELS),
    Param("amount", "float", "Amount (USD)", required=True, minimum=0.0, maximum=MAX_MONEY),
)
_SIGNALS = Param(
    "signals",
    "mapping",
    "Message signals",
    required=True,
    fields=tuple(
        Param(name, "float", name, required=True, minimum=0.0, maximum=1.0) for name in FLOAT_FIELDS
    )
    + tuple(Param(name, "bool", name, required=True) for name in BOOL_FIELDS)
    # the grader's meaning flags are stored only when raised (older logs have none)
    + tuple(Param(name, "bool", name) for name in MEANING_FIELDS)
    # the channel-fit share came with the call model of issue 13 (older logs have none)
    + tuple(Param(name, "float", name, minimum=0.0, maximum=1.0) for name in OPTIONAL_FLOATS),
)


def _spec(
    name: str,
    label: str,
    summary: str,
    event: str,
    params: tuple[Param, ...],
    recorded: tuple[Param, ...] | None = None,
    **options: Any,
) -> ActionSpec:
    logged = _logged(*(params if recorded is None else recorded))
    return ActionSpec(name, label, summary, event, params, logged, **options)


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
        (_contact(),),
    ),
    _spec(
        "add_to_list",
        "Add to a list",
        "Put contacts on a named list.",
        ev.ADD_TO_LIST,
        (_IDS, _LIST_NAME),
        (_IDS, Param("list", "str", "List", required=True)),
    ),
    _spec(
        "remove_from_list",
        "Remove from a list",
        "Take contacts off a named list.",
        ev.REMOVE_FROM_LIST,
        (_IDS, _LIST_NAME),
        (_IDS, Param("list", "str", "List", required=True)),
    ),
    _spec(
        "send_message",
        "Send a message",
        "Email a contact, or write to them on LinkedIn (a first note is a connection request).",
        ev.MESSAGE_SENT,
        (
            _contact(),
            _choice("channel", "Channel", MESSAGE_CHANNELS),
            _BODY,
            Param("subject", "str", "Subject", nullable=True, max_length=SUBJECT_CHARS),
        ),
        (
            _contact(),
            _choice("channel", "Channel", MESSAGE_CHANNELS),
            Param("subject", "str", "Subject", nullable=True),
            Param("body", "str", "Message", required=True),
            Param("unfilled_fields", "str_list", "Unfilled merge fields", required=True),
            _SIGNALS,
        ),
    ),
    _spec(
        "call",
        "Call",
        "Dial a contact now, with an opening line; the result comes back at once.",
        ev.CALL,
        (_contact(), _OPENER),
        (
            _contact(),
            _OPENER,
            # merge fields filled like a message's; logs older than issue 13 lack the list
            Param("unfilled_fields", "str_list", "Unfilled merge fields"),
            Param("signals", "mapping", "Opener signals", fields=_SIGNALS.fields),
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
            _contact(),
            _choice("channel", "Channel", (*MESSAGE_CHANNELS, "call")),
            _BODY,
            Param("subject", "str", "Subject", nullable=True, max_length=SUBJECT_CHARS),
            Param("at", "str", "Send at (ISO, UTC)", required=True, max_length=ID_CHARS),
            Param("unless_replied", "bool", "Skip if they replied", default=False),
        ),
        (
            _contact(),
            _choice("channel", "Channel", (*MESSAGE_CHANNELS, "call")),
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
        (_contact(),),
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
        (_contact(), _MEETING_AT),
    ),
    _spec(
        "send_reminder",
        "Send a meeting reminder",
        "Remind a contact of the meeting booked with them (in the 48 hours before it):"
        " fewer meetings are missed.",
        ev.SEND_REMINDER,
        (_contact(),),
    ),
    _spec(
        "confirm_agenda",
        "Confirm the agenda",
        "Send the contact the meeting's agenda to confirm: a meeting with a purpose is"
        " missed less often.",
        ev.CONFIRM_AGENDA,
        (_contact(), Param("agenda", "str", "Agenda", required=True, max_length=NOTE_CHARS)),
    ),
    _spec(
        "discovery_call",
        "Discovery call",
        "Ask an engaged lead questions from the catalogue; the answers reveal criteria.",
        ev.DISCOVERY_CALL,
        (_contact(), _QUESTIONS),
    ),
    _spec(
        "record_qualification",
        "Record a qualification",
        "Judge a lead on BANT or CHAMP and decide: advance, nurture or disqualify.",
        ev.RECORD_QUALIFICATION,
        _QUALIFICATION,
    ),
    _spec(
        "change_stage",
        "Change stage",
        "Move a contact one pipeline stage on, or mark them lost.",
        ev.CHANGE_STAGE,
        _STAGE,
    ),
    _spec(
        "spend",
        "Buy ads",
        "Spend budget on paid traffic; inbound leads arrive over the next days.",
        ev.SPEND,
        _SPEND,
    ),
    _spec(
        "buy_list",
        "Buy a list",
        "Buy contact records onto a list: a cheap bought list (old, unverified: many bounce,"
        " many name the wrong person) or a researched one (targeted, verified, dearer).",
        ev.BUY_LIST,
        (
            _choice("source", "List source", ("bought", "researched")),
            Param("size", "int", "Records", required=True, minimum=1, maximum=2_000),
            Param("list_name", "str", "List", default="bought", max_length=NAME_CHARS),
        ),
        (
            _choice("source", "List source", ("bought", "researched")),
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
            _contact(required=False, nullable=True),
        ),
        (
            Param("submission", "mapping", "Deliverable", required=True),
            _contact(required=True, nullable=True),
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
