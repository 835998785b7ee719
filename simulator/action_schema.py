"""The shape of a learner action's parameters, as plain data, and the one check of them.

Why plain dataclasses and not pydantic: the engine stays a small pure library, and the
platform builds its own typed request models from this data (one model per action, a
discriminated union on ``type``). So every rule a parameter obeys is a field here that a
reader or a program can see: its kind (one of ``PARAM_KINDS``), required or optional with
its default, whether ``null`` is accepted, bounds on length, items and numbers, and the
allowed values where the engine knows them.

The check applies exactly those rules and nothing else: a type, a bound or an unknown
name. What depends on the world (is there such a contact, is that stage next?) is for the
sandbox's rules, which run after it. Every event is checked too, live and on replay, so
each spec compiles its checks once, when it is built: a fast test per value, and the
precise refusal (``ActionRefused(reason, field)``) only when that test fails.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from .events import ActionRefused

ParamKind = Literal["str", "int", "float", "bool", "str_list", "mapping"]
PARAM_KINDS: tuple[str, ...] = get_args(ParamKind)

#: How deep a free-form mapping may nest (a hand-in: object -> list -> object -> value).
MAX_DEPTH = 6
#: How long a key inside a free-form mapping may be.
MAX_KEY_LENGTH = 100

ParamsCheck = Callable[[Mapping[str, Any]], None]


@dataclass(frozen=True, slots=True)
class Param:
    """One parameter of an action (or one field of the data its event records).

    - ``str``: text of at most ``max_length`` characters, one of ``choices`` when given;
      never a NUL character or a lone surrogate (neither can be stored as UTF-8 JSON).
    - ``int``: a whole number (not a bool) within ``minimum``..``maximum`` (inclusive).
    - ``float``: a finite number (int or float, not a bool) within ``minimum``..``maximum``.
    - ``bool``: true or false.
    - ``str_list``: a list of at most ``max_items`` strings, each checked as a ``str``;
      with ``one_or_many`` a lone string counts as a one-item list.
    - ``mapping``: a JSON object. With ``fields`` its keys are those fields, each checked
      as its own Param; without, any text keys and JSON values, every string checked as a
      ``str`` and ``max_items`` counting the values at every depth.

    ``required`` parameters must be given; an optional one left out takes ``default``.
    ``nullable`` ones also accept ``null``, which means the same as leaving them out.
    """

    name: str
    kind: ParamKind
    label: str
    required: bool = False
    default: Any = None
    nullable: bool = False
    max_length: int | None = None
    max_items: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    one_or_many: bool = False
    fields: tuple[Param, ...] = ()


@dataclass(frozen=True)
class ActionSpec:
    """One learner action: what it is called, what it takes, and what its event records.

    ``name`` is both the ``type`` of a JSON action and the ``Sandbox`` method; ``event``
    is the type of the event it appends, whose data ``recorded`` describes (replay checks
    a stored log against it). ``web`` says whether a learner may send it as a plain action
    from the web; ``submit`` is not one: the platform hands work in through its own route,
    which grades it. ``unknown_field`` is the field a parameter the action does not take is
    reported under: ``type`` (the action does not take it), or ``filters`` for a search.
    """

    name: str
    label: str
    summary: str
    event: str
    params: tuple[Param, ...]
    recorded: tuple[Param, ...]
    web: bool = True
    unknown_field: str = "type"

    def __post_init__(self) -> None:
        # compiled once: plain attributes, not dataclass fields, so fields() shows only data
        compiled = compile_params(self.name, self.params, self.unknown_field)
        object.__setattr__(self, "_check_params", compiled)
        object.__setattr__(self, "_check_recorded", compile_params(self.event, self.recorded))

    def param(self, name: str) -> Param:
        """The parameter called ``name`` (KeyError when the action has none)."""
        for param in self.params:
            if param.name == name:
                return param
        raise KeyError(name)

    def check_params(self, given: Mapping[str, Any]) -> None:
        """Refuse the learner's parameters unless they fit ``params``."""
        check: ParamsCheck = self.__dict__["_check_params"]
        check(given)

    def check_recorded(self, data: Mapping[str, Any]) -> None:
        """Refuse an event's data unless it fits ``recorded``."""
        check: ParamsCheck = self.__dict__["_check_recorded"]
        check(data)


def compile_params(
    owner: str, params: tuple[Param, ...], unknown_field: str = "type"
) -> ParamsCheck:
    """One function that refuses a parameter mapping unless it fits ``params``."""
    known = frozenset(p.name for p in params)
    takes = ", ".join(p.name for p in params) or "nothing"
    checks = tuple((p.name, p.required, p.nullable, *_BUILDERS[p.kind](p)) for p in params)

    def check(given: Mapping[str, Any]) -> None:
        if not known.issuperset(given):
            name = next(str(n) for n in given if n not in known)
            raise ActionRefused(
                f"{owner} takes no parameter {name[:40]!r} (it takes: {takes})", unknown_field
            )
        for name, required, nullable, ok, explain in checks:
            if name in given:
                value = given[name]
                if not ok(value) and not (value is None and nullable):
                    explain(value, name)
            elif required:
                raise ActionRefused(f"{owner} needs {name}", name)

    return check


#: The fast test: True when the value surely fits (False may still fit, e.g. an int subclass).
Ok = Callable[[Any], bool]
#: The full check, run when the fast test says False: raises the precise refusal, if any.
Explain = Callable[[Any, str], None]


def _str_rules(param: Param) -> tuple[Ok, Explain]:
    limit = sys.maxsize if param.max_length is None else param.max_length
    allowed = frozenset(param.choices)

    def ok(value: Any) -> bool:
        return (
            isinstance(value, str)
            and len(value) <= limit
            and "\x00" not in value
            and (value.isascii() or _encodable(value))
            and (not allowed or value in allowed)
        )

    def explain(value: Any, where: str) -> None:
        if not isinstance(value, str):
            _wrong_type(value, "text", where)
        _check_text(value, where, limit)
        if allowed and value not in allowed:
            raise ActionRefused(f"{where} must be one of {', '.join(param.choices)}", where)

    return ok, explain


def _number_rules(param: Param, whole: bool) -> tuple[Ok, Explain]:
    low = -sys.float_info.max if param.minimum is None else param.minimum
    high = sys.float_info.max if param.maximum is None else param.maximum
    types = (int,) if whole else (int, float)

    def ok(value: Any) -> bool:  # exact types leave bools out; NaN fails every comparison
        return type(value) in types and low <= value <= high

    def explain(value: Any, where: str) -> None:
        if isinstance(value, bool) or not isinstance(value, types):
            _wrong_type(value, "a whole number" if whole else "a number", where)
        if not math.isfinite(value):
            raise ActionRefused(f"{where} must be a finite number, not {value}", where)
        if value < low:
            raise ActionRefused(f"{where} must be at least {low:g}", where)
        if value > high:
            raise ActionRefused(f"{where} must be at most {high:g}", where)

    return ok, explain


def _bool_rules(param: Param) -> tuple[Ok, Explain]:
    def ok(value: Any) -> bool:
        return value is True or value is False

    def explain(value: Any, where: str) -> None:
        _wrong_type(value, "true or false", where)

    return ok, explain


def _str_list_rules(param: Param) -> tuple[Ok, Explain]:
    item_ok, item_explain = _str_rules(param)
    limit = sys.maxsize if param.max_items is None else param.max_items

    def ok(value: Any) -> bool:
        if isinstance(value, str):
            return param.one_or_many and item_ok(value)
        return (
            isinstance(value, list | tuple)
            and len(value) <= limit
            and all(item_ok(item) for item in value)
        )

    def explain(value: Any, where: str) -> None:
        if isinstance(value, str) and param.one_or_many:
            item_explain(value, where)
            return
        if not isinstance(value, list | tuple):
            _wrong_type(value, "a list of texts", where)
        if len(value) > limit:
            raise ActionRefused(
                f"{where} holds {len(value):,} items; at most {limit:,} are accepted", where
            )
        for index, item in enumerate(value):
            if not item_ok(item):
                item_explain(item, f"{where}[{index}]")

    return ok, explain


def _mapping_rules(param: Param) -> tuple[Ok, Explain]:
    if param.fields:
        return _fields_rules(param)

    def ok(value: Any) -> bool:
        return False  # a free-form mapping is always walked

    def explain(value: Any, where: str) -> None:
        if not isinstance(value, Mapping):
            _wrong_type(value, "an object", where)
        _JsonWalk(param, where).check(value, where, depth=1)

    return ok, explain


def _fields_rules(param: Param) -> tuple[Ok, Explain]:
    names = frozenset(p.name for p in param.fields)
    rules = {p.name: _BUILDERS[p.kind](p) for p in param.fields}
    fast = tuple((p.name, rules[p.name][0], p.nullable, p.required) for p in param.fields)

    def ok(value: Any) -> bool:
        if not isinstance(value, Mapping) or not names.issuperset(value):
            return False
        for name, item_ok, nullable, required in fast:
            if name in value:
                item = value[name]
                if not (item_ok(item) or (item is None and nullable)):
                    return False
            elif required:
                return False
        return True

    def explain(value: Any, where: str) -> None:
        if not isinstance(value, Mapping):
            _wrong_type(value, "an object", where)
        for key in value:
            if key not in names:
                raise ActionRefused(f"{where} has no field {str(key)[:40]!r}", where)
        for name, item_ok, nullable, required in fast:
            if name in value:
                item = value[name]
                if not (item_ok(item) or (item is None and nullable)):
                    rules[name][1](item, f"{where}.{name}")
            elif required:
                raise ActionRefused(f"{where}.{name} is missing", f"{where}.{name}")

    return ok, explain


class _JsonWalk:
    """Checks a JSON value all the way down, stopping as soon as it holds too many values."""

    def __init__(self, param: Param, where: str) -> None:
        self.max_length = sys.maxsize if param.max_length is None else param.max_length
        self.max_items = sys.maxsize if param.max_items is None else param.max_items
        self.seen = 0
        self.top = where

    def check(self, value: Any, where: str, depth: int) -> None:
        self.seen += 1
        if self.seen > self.max_items:
            raise ActionRefused(f"{self.top} holds more than {self.max_items:,} values", self.top)
        if value is None or isinstance(value, bool | int):
            return
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ActionRefused(f"{where} must be a finite number, not {value}", where)
        elif isinstance(value, str):
            _check_text(value, where, self.max_length)
        elif depth > MAX_DEPTH:
            raise ActionRefused(f"{where} nests deeper than {MAX_DEPTH} levels", where)
        elif isinstance(value, Mapping):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise ActionRefused(
                        f"{where} has a key that is not text: {repr(key)[:40]}", where
                    )
                _check_text(key, where, MAX_KEY_LENGTH)
                self.check(item, f"{where}.{key}", depth + 1)
        elif isinstance(value, list | tuple):
            for index, item in enumerate(value):
                self.check(item, f"{where}[{index}]", depth + 1)
        else:
            raise ActionRefused(f"{where} holds {_kind_of(value)}, which JSON cannot carry", where)


def _check_text(value: str, where: str, limit: int) -> None:
    if len(value) > limit:
        raise ActionRefused(
            f"{where} is {len(value):,} characters long; at most {limit:,} are accepted", where
        )
    if "\x00" in value:
        raise ActionRefused(f"{where} contains a NUL character", where)
    if not _encodable(value):
        raise ActionRefused(f"{where} contains a lone surrogate, which is not valid Unicode", where)


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _wrong_type(value: Any, expected: str, where: str) -> None:
    if value is None:
        raise ActionRefused(f"{where} must be {expected}, not null", where)
    raise ActionRefused(f"{where} must be {expected}, not {_kind_of(value)}", where)


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


_BUILDERS: dict[str, Callable[[Param], tuple[Ok, Explain]]] = {
    "str": _str_rules,
    "int": lambda param: _number_rules(param, whole=True),
    "float": lambda param: _number_rules(param, whole=False),
    "bool": _bool_rules,
    "str_list": _str_list_rules,
    "mapping": _mapping_rules,
}
