"""The parameters actions take: the bounds every text, list and number is held to, and the
shared parameter shapes the registry (actions.py) builds its specs from.

The bounds are far above what an honest learner reaches (a message is at most 5,000
characters, a list action at most 10,000 contacts...): they exist so that a malformed or
hostile request is refused with a clear field rather than stored, or crashing the world.
"""

from __future__ import annotations

from dataclasses import replace

from course.vocabulary import ALL_STAGES, PAID_CHANNELS, REGIONS, SENIORITIES
from grader.qualification import DECISIONS, FRAMEWORKS

from .action_schema import Param
from .buying_signals import SIGNALS
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


def logged(*params: Param) -> tuple[Param, ...]:
    """The params as an event's data records them: same types, sizes up to the log's caps."""
    return tuple(_relaxed(param) for param in params)


def _relaxed(param: Param) -> Param:
    if param.kind not in ("str", "str_list", "mapping"):
        return param
    return replace(
        param,
        max_length=LOGGED_CHARS,
        max_items=None if param.kind == "str" else LOGGED_ITEMS,
        fields=logged(*param.fields),
    )


def contact_param(required: bool = True, nullable: bool = False) -> Param:
    return Param(
        "contact_id", "str", "Contact", required=required, nullable=nullable, max_length=ID_CHARS
    )


def choice(name: str, label: str, choices: tuple[str, ...]) -> Param:
    return Param(name, "str", label, required=True, max_length=NAME_CHARS, choices=choices)


def filter_list(name: str, label: str, choices: tuple[str, ...] = ()) -> Param:
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


def flag(name: str, label: str) -> Param:
    return Param(name, "bool", label, nullable=True)


SEARCH_FILTERS: tuple[Param, ...] = (
    Param("query", "str", "Name, company or title contains", nullable=True, max_length=QUERY_CHARS),
    Param("title", "str", "Title contains", nullable=True, max_length=QUERY_CHARS),
    filter_list("seniority", "Seniority", tuple(SENIORITIES)),
    flag("decision_maker", "Decision maker"),
    filter_list("size_band", "Company size"),
    filter_list("segment", "Segment"),
    filter_list("region", "Region", tuple(REGIONS)),
    filter_list("city", "City"),
    filter_list("signal", "Buying signal", SIGNALS),
    filter_list("technology", "Technology used"),
    Param("min_employees", "int", "Employees at least", nullable=True, minimum=0, maximum=MAX_ROWS),
    Param("max_employees", "int", "Employees at most", nullable=True, minimum=0, maximum=MAX_ROWS),
    flag("has_email", "Has an email address"),
    flag("has_phone", "Has a phone number"),
    Param("list", "str", "On the list", nullable=True, max_length=NAME_CHARS),
    Param("limit", "int", "Rows", default=50, minimum=0, maximum=MAX_ROWS),
    Param("offset", "int", "Rows to skip", default=0, minimum=0, maximum=MAX_ROWS),
)
IDS = Param(
    "contact_ids",
    "str_list",
    "Contacts",
    required=True,
    max_length=ID_CHARS,
    max_items=MAX_IDS,
    one_or_many=True,
)
LIST_NAME = Param("list_name", "str", "List", default="main", max_length=NAME_CHARS)
BODY = Param("body", "str", "Message", required=True, max_length=MESSAGE_CHARS)
OPENER = Param("opener", "str", "Call opener", default="", max_length=MESSAGE_CHARS)
MEETING_AT = Param("at", "str", "Meeting time (ISO, UTC)", required=True, max_length=ID_CHARS)
QUESTIONS = Param(
    "questions",
    "str_list",
    "Questions",
    required=True,
    max_length=ID_CHARS,
    max_items=MAX_QUESTIONS,
    choices=tuple(question_catalogue().questions),
)
QUALIFICATION = (
    contact_param(),
    choice("framework", "Framework", tuple(FRAMEWORKS)),
    Param(
        "criteria",
        "mapping",
        "Criteria",
        required=True,
        max_length=NOTE_CHARS,
        max_items=MAX_CRITERIA_VALUES,
    ),
    choice("decision", "Decision", DECISIONS),
)
STAGE = (contact_param(), choice("stage", "Stage", ALL_STAGES))
SPEND = (
    choice("channel", "Paid channel", PAID_CHANNELS),
    Param("amount", "float", "Amount (USD)", required=True, minimum=0.0, maximum=MAX_MONEY),
)
MESSAGE_SIGNALS = Param(
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
