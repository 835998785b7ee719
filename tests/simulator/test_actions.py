"""The registry of learner actions: its shape, and malformed parameters refused by field.

Every action type gets every kind of malformed value its parameters could receive from a
careless or hostile client (wrong type, NaN, Infinity, too long, too many, NUL bytes, lone
surrogates, unknown values): each is refused with ``ActionRefused`` naming the field, the
log untouched, through ``Sandbox.apply`` and through the Python method alike; a stored log
holding such a value does not replay.
"""

from __future__ import annotations

import inspect
import json
import math
from collections.abc import Iterator
from typing import Any

import pytest

from simulator import ActionRefused, ReplayError, Sandbox, open_exercise, replay_log
from simulator import events as ev
from simulator.action_schema import MAX_DEPTH, PARAM_KINDS, Param
from simulator.actions import ACTIONS, BY_EVENT, WEB_ACTIONS, check_recorded
from simulator.events import to_jsonl

from .conftest import fixed_analyser
from .scripts import play_script

CONTACT = "p000001"
VALID: dict[str, dict[str, Any]] = {
    "search": {"query": "gym", "seniority": ["owner"], "decision_maker": True, "limit": 10},
    "view_profile": {"contact_id": CONTACT},
    "add_to_list": {"contact_ids": [CONTACT], "list_name": "main"},
    "remove_from_list": {"contact_ids": [CONTACT], "list_name": "main"},
    "send_message": {"contact_id": CONTACT, "channel": "email", "body": "Hi", "subject": "Hi"},
    "call": {"contact_id": CONTACT, "opener": "Hi"},
    "schedule_send": {
        "contact_id": CONTACT,
        "channel": "email",
        "body": "Hi",
        "subject": "Hi",
        "at": "2025-03-05T10:00:00Z",
        "unless_replied": True,
    },
    "book_meeting": {"contact_id": CONTACT, "at": "2025-03-05T10:00:00Z"},
    "send_reminder": {"contact_id": CONTACT},
    "confirm_agenda": {"contact_id": CONTACT, "agenda": "Your diary gaps and a pilot."},
    "start_conversation": {"contact_id": CONTACT},
    "say": {"text": "Hi, this is Priya from ChairFill."},
    "end_conversation": {},
    "discovery_call": {"contact_id": CONTACT, "questions": ["budget_set"]},
    "record_qualification": {
        "contact_id": CONTACT,
        "framework": "bant",
        "criteria": {"budget": {"value": "yes", "note": "said so"}},
        "decision": "advance",
    },
    "change_stage": {"contact_id": CONTACT, "stage": "lead"},
    "spend": {"channel": "search_ads", "amount": 10},
    "buy_list": {"source": "bought", "size": 10, "list_name": "bought"},
    "advance_clock": {"days": 1, "hours": 0.5, "minutes": 0, "until": None},
    "submit": {"submission": {"body": "Hi", "steps": [{"body": "x"}]}, "contact_id": None},
}


@pytest.fixture(scope="module")
def world() -> Sandbox:
    return open_exercise("capstone-local-gyms", seed=11, analyser=fixed_analyser)


# ---- the registry's shape --------------------------------------------------------------


def test_every_learner_event_type_has_exactly_one_action() -> None:
    assert set(BY_EVENT) == ev.LEARNER_TYPES
    assert len(BY_EVENT) == len(ACTIONS)
    assert set(VALID) == set(ACTIONS)
    assert WEB_ACTIONS == set(ACTIONS) - {"submit"}


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_action_matches_its_sandbox_method(name: str) -> None:
    spec = ACTIONS[name]
    signature = inspect.signature(getattr(Sandbox, name))
    params = [p for p in signature.parameters.values() if p.name != "self"]
    if name == "search":  # search(**filters): its parameters are the filters
        assert [p.kind for p in params] == [inspect.Parameter.VAR_KEYWORD]
        return
    assert [p.name for p in params] == [p.name for p in spec.params]
    for method_param, param in zip(params, spec.params, strict=True):
        has_default = method_param.default is not inspect.Parameter.empty
        assert param.required is not has_default, param.name
        if has_default:
            assert method_param.default == param.default, param.name


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_parameter_is_bounded_and_labelled(name: str) -> None:
    spec = ACTIONS[name]
    assert spec.label and spec.summary and spec.event in ev.LEARNER_TYPES
    for param in spec.params:
        assert param.kind in PARAM_KINDS and param.label
        if param.kind in ("str", "str_list", "mapping"):
            assert param.max_length is not None, param.name
        if param.kind in ("str_list", "mapping"):
            assert param.max_items is not None, param.name
        if param.kind in ("int", "float"):
            assert param.minimum is not None and param.maximum is not None, param.name
        if not param.required:  # a default is a value the check accepts
            spec.check_params({**VALID[name], param.name: param.default})


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_the_valid_examples_pass_the_check(name: str) -> None:
    ACTIONS[name].check_params(VALID[name])


def test_a_message_is_bounded_where_the_platform_bounds_it() -> None:
    assert ACTIONS["send_message"].param("body").max_length == 5_000
    assert ACTIONS["call"].param("opener").max_length == 5_000
    assert ACTIONS["spend"].param("channel").choices == ("search_ads", "social_ads")
    assert ACTIONS["record_qualification"].param("framework").choices == ("bant", "champ")


# ---- malformed parameters ----------------------------------------------------------------


def _too_deep() -> dict[str, Any]:
    value: dict[str, Any] = {"leaf": "x"}
    for _ in range(MAX_DEPTH + 1):
        value = {"next": value}
    return value


def _bad_values(param: Param) -> Iterator[tuple[str, Any]]:
    """(what is wrong, a value with that fault) for one parameter."""
    if not param.nullable:
        yield "null", None
    if param.kind == "str":
        yield "a number", 5
        yield "a list", []
        yield "too long", "x" * ((param.max_length or 0) + 1)
        yield "a NUL byte", "a\x00b"
        yield "a lone surrogate", "\ud800"
        if param.choices:
            yield "an unknown value", "nope"
    elif param.kind in ("int", "float"):
        yield "text", "1e400"
        yield "a bool", True
        yield "NaN", math.nan
        yield "Infinity", math.inf
        yield "-Infinity", -math.inf
        yield "below the minimum", (param.minimum or 0) - 1
        yield "above the maximum", (param.maximum or 0) + 1
        if param.kind == "int":
            yield "a fraction", 1.5
    elif param.kind == "bool":
        yield "text", "yes"
        yield "a number", 1
    elif param.kind == "str_list":
        yield "a number", 5
        yield "an object", {"a": "b"}
        yield "a number inside", [5]
        yield "a NUL byte inside", ["a\x00"]
        yield "a lone surrogate inside", ["\ud800"]
        yield "too many items", ["x"] * ((param.max_items or 0) + 1)
        yield "an item too long", ["x" * ((param.max_length or 0) + 1)]
        if not param.one_or_many:
            yield "text", "budget_set"
        if param.choices:
            yield "an unknown value inside", ["nope"]
    elif param.kind == "mapping":
        yield "a list", []
        yield "text", "x"
        yield "NaN inside", {"a": math.nan}
        yield "Infinity inside", {"a": [math.inf]}
        yield "a NUL byte inside", {"a": "\x00"}
        yield "a lone surrogate inside", {"a": {"b": "\ud800"}}
        yield "a key that is not text", {1: "a"}
        yield "text too long inside", {"a": "x" * ((param.max_length or 0) + 1)}
        yield "too many values", {"a": list(range(param.max_items or 0))}
        yield "nesting too deep", _too_deep()
        yield "something JSON cannot hold", {"a": object()}


CASES = [
    pytest.param(name, param.name, value, id=f"{name}-{param.name}-{fault}")
    for name, spec in ACTIONS.items()
    for param in spec.params
    for fault, value in _bad_values(param)
]


def _assert_refused_on(field: str, error: ActionRefused) -> None:
    assert error.field is not None
    assert error.field == field or error.field.startswith((f"{field}[", f"{field}."))
    assert error.reason and len(str(error)) < 400


@pytest.mark.parametrize(("name", "field", "value"), CASES)
def test_malformed_parameters_are_refused_naming_the_field(
    world: Sandbox, name: str, field: str, value: Any
) -> None:
    before, snapshot = world.events, world.state.snapshot()
    with pytest.raises(ActionRefused) as by_the_registry:  # not only by the world's rules
        ACTIONS[name].check_params({**VALID[name], field: value})
    _assert_refused_on(field, by_the_registry.value)
    action = {"type": name, **VALID[name], field: value}
    with pytest.raises(ActionRefused) as through_apply:
        world.apply(action)
    _assert_refused_on(field, through_apply.value)
    with pytest.raises(ActionRefused) as through_method:
        getattr(world, name)(**{**VALID[name], field: value})
    _assert_refused_on(field, through_method.value)
    assert world.events == before, "a refused action must not touch the log"
    assert world.state.snapshot() == snapshot


@pytest.mark.parametrize(
    ("action", "field", "says"),
    [
        ({"type": "advance_clock", "days": "1e400"}, "days", "must be a number, not text"),
        ({"type": "advance_clock", "days": json.loads("1e400")}, "days", "finite"),
        ({"type": "advance_clock", "hours": math.nan}, "hours", "finite"),
        ({"type": "spend", "channel": "search_ads", "amount": math.inf}, "amount", "finite"),
        (
            {
                "type": "send_message",
                "contact_id": CONTACT,
                "channel": "email",
                "body": "Hi",
                "subject": 5,
            },
            "subject",
            "must be text",
        ),
        ({"type": "call", "contact_id": CONTACT, "opener": 5}, "opener", "must be text"),
        (
            {
                "type": "record_qualification",
                "contact_id": CONTACT,
                "framework": [],
                "criteria": {},
                "decision": "advance",
            },
            "framework",
            "must be text",
        ),
        (
            {
                "type": "send_message",
                "contact_id": CONTACT,
                "channel": "email",
                "body": "x" * 5_001,
            },
            "body",
            "5,001 characters",
        ),
        ({"type": "add_to_list", "contact_ids": [CONTACT] * 10_001}, "contact_ids", "10,001 items"),
        ({"type": "view_profile", "contact_id": "p0\x00"}, "contact_id", "NUL"),
        ({"type": "call", "contact_id": CONTACT, "opener": "Hi \ud800"}, "opener", "surrogate"),
        ({"type": "view_profile"}, "contact_id", "needs contact_id"),
        ({"type": "view_profile", "contact": CONTACT}, "type", "takes no parameter 'contact'"),
        ({"type": "search", "colour": "blue"}, "filters", "takes no parameter 'colour'"),
        ({"type": 5}, "type", "unknown action"),
    ],
)
def test_the_faults_a_client_sends_are_refused_in_words(
    world: Sandbox, action: dict[str, Any], field: str, says: str
) -> None:
    before = world.events
    with pytest.raises(ActionRefused) as info:
        world.apply(action)
    assert info.value.field == field
    assert says in info.value.reason
    assert world.events == before


# ---- replay holds a stored log to the same rules ----------------------------------------


@pytest.fixture(scope="module")
def played_log() -> list[dict[str, Any]]:
    live = open_exercise("capstone-local-gyms", seed=5, analyser=fixed_analyser)
    play_script(live)
    live.submit({"figures": {"leads": 3}, "analysis": "A week of calls and emails."})
    return [json.loads(line) for line in to_jsonl(live.events).splitlines()]


@pytest.mark.parametrize(
    ("event_type", "key", "value", "field"),
    [
        ("spend", "amount", math.nan, "amount"),
        ("message_sent", "body", "Hi\x00", "body"),
        ("message_sent", "subject", 5, "subject"),
        ("advance_clock", "until", 5, "until"),
        ("call", "opener", "\ud800", "opener"),
        ("view_profile", "contact_id", ["p000001"], "contact_id"),
        ("search", "filters", {"query": "gym\x00"}, "filters.query"),
        ("add_to_list", "list", math.inf, "list"),
        ("submit", "submission", {"body": math.nan}, "submission.body"),
        ("message_sent", "signals", {"personalization": 2.0}, "signals.personalization"),
    ],
)
def test_replay_refuses_a_log_with_a_malformed_learner_event(
    played_log: list[dict[str, Any]], event_type: str, key: str, value: Any, field: str
) -> None:
    log = json.loads(json.dumps(played_log))
    target = next(e for e in log if e["type"] == event_type)
    target["data"][key] = value
    with pytest.raises(
        ReplayError, match=rf"event {target['seq']} \({event_type}\) is refused: {field}"
    ):
        replay_log(log)


def test_every_event_a_live_sandbox_writes_fits_its_recorded_schema(
    played_log: list[dict[str, Any]],
) -> None:
    learner = [e for e in played_log if e["actor"] == "learner"]
    assert {e["type"] for e in learner} >= {"search", "message_sent", "call", "spend", "submit"}
    for event in learner:
        check_recorded(event["type"], event["data"])
