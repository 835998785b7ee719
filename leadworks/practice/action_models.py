"""One typed request model per learner action, built from the engine's registry.

``simulator.actions.ACTIONS`` says what each action takes (kinds, bounds, choices); this
module turns each ``ActionSpec`` into a pydantic model whose ``type`` is a literal, and
joins them into a discriminated union on ``type``. The JSON API declares its body with it
(so the OpenAPI document shows every action's fields and a wrong type is a 422 naming the
field before any work is done), and ``parse_action`` runs the pages' actions through the
same models. Nothing is written by hand per action: a new action in the registry is a new
model here.

Types are strict, like the engine's own check: ``"5"`` is not a number, ``1`` is not
``true``, ``NaN`` and ``Infinity`` (which Python's JSON parser accepts) are no numbers at
all. Texts are free of NUL bytes and lone surrogates and bounded, lists are bounded, and a
free-form object (qualification criteria) is walked by the engine's own check.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    WithJsonSchema,
    create_model,
)
from pydantic_core import PydanticCustomError

from leadworks.core.errors import UserError
from leadworks.core.inputs import MAX_ID, Clean, first_problem
from simulator.action_schema import ActionSpec, Param, compile_params
from simulator.actions import ACTIONS, WEB_ACTIONS
from simulator.events import ActionRefused


class ActionBase(BaseModel):
    """What every action may carry besides its own parameters."""

    model_config = ConfigDict(extra="forbid")

    expected_event_count: Annotated[int, Field(strict=True, ge=0, le=MAX_ID)] | None = Field(
        default=None, description="Refuse with 409 if the run has moved on since you read it."
    )


def _text(param: Param) -> Any:
    bounded = Annotated[str, Field(strict=True), StringConstraints(max_length=param.max_length)]
    if not param.choices:
        return Annotated[bounded, Clean]
    return Annotated[
        bounded, _one_of(param.name, param.choices), WithJsonSchema(_enum(param.choices))
    ]


def _enum(choices: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "string", "enum": list(choices)}


def _one_of(name: str, choices: tuple[str, ...]) -> AfterValidator:
    """A choice from the registry's list, refused in the engine's words."""
    allowed = frozenset(choices)
    message = f"{name} must be one of {', '.join(choices)}"

    def check(value: str) -> str:
        if value not in allowed:
            raise PydanticCustomError("choice", message)
        return value

    return AfterValidator(check)


def _one_or_many(value: Any) -> Any:
    """A lone text where the engine accepts one or many (``contact_ids: "p1"``)."""
    return [value] if isinstance(value, str) else value


def _engine_check(owner: str, param: Param) -> AfterValidator:
    """The engine's own walk of a free-form value (depth, keys, texts, how many values)."""
    check = compile_params(owner, (param,))

    def run(value: Any) -> Any:
        try:
            check({param.name: value})
        except ActionRefused as refusal:
            raise PydanticCustomError("action_refused", refusal.reason) from None
        return value

    return AfterValidator(run)


def _annotation(owner: str, param: Param) -> Any:
    """The pydantic type of one parameter, with the registry's bounds."""
    low, high = param.minimum, param.maximum
    kind = param.kind
    if kind == "str":
        annotation = _text(param)
    elif kind == "int":
        annotation = Annotated[int, Field(strict=True, ge=low, le=high)]
    elif kind == "float":
        annotation = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=low, le=high)]
    elif kind == "bool":
        annotation = Annotated[bool, Field(strict=True)]
    elif kind == "str_list":
        item = _text(param)
        annotation = Annotated[list[item], Field(strict=True, max_length=param.max_items)]  # type: ignore[valid-type]
        if param.one_or_many:
            annotation = Annotated[annotation, BeforeValidator(_one_or_many)]
    elif param.fields:
        annotation = _fields_model(f"{owner}_{param.name}", param.fields)
    else:
        annotation = Annotated[dict[str, Any], _engine_check(owner, param)]
    return annotation | None if param.nullable else annotation


def _fields_model(name: str, fields: tuple[Param, ...]) -> type[BaseModel]:
    definitions = {p.name: _field(name, p) for p in fields}
    return create_model(  # type: ignore[call-overload, no-any-return]
        _title(name), __config__=ConfigDict(extra="forbid"), **definitions
    )


def _field(owner: str, param: Param) -> tuple[Any, Any]:
    default = ... if param.required else param.default
    return _annotation(owner, param), Field(default, description=param.label)


def _title(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _model(spec: ActionSpec) -> type[ActionBase]:
    definitions: dict[str, Any] = {
        "type": (Literal[spec.name], Field(description=spec.label)),  # type: ignore[valid-type]
    }
    definitions |= {p.name: _field(spec.name, p) for p in spec.params}
    model: type[ActionBase] = create_model(
        f"{_title(spec.name)}Action", __base__=ActionBase, __doc__=spec.summary, **definitions
    )
    return model


#: action name -> its request model, for every action the web may send.
ACTION_MODELS: dict[str, type[ActionBase]] = {
    name: _model(spec) for name, spec in ACTIONS.items() if name in WEB_ACTIONS
}
AnyAction = Annotated[
    Union[tuple(ACTION_MODELS.values())],  # type: ignore[valid-type]  # noqa: UP007
    Field(discriminator="type"),
]
"""The body of ``POST /api/v1/runs/{run_id}/actions``: one of the actions, by ``type``."""
_ADAPTER: TypeAdapter[Any] = TypeAdapter(AnyAction)


def action_params(model: ActionBase) -> dict[str, Any]:
    """The action as the engine takes it: what was given, typed, and ``null`` left out
    (it means the same as leaving the parameter out)."""
    given = model.model_dump(exclude_unset=True, exclude={"expected_event_count"})
    return {name: value for name, value in given.items() if value is not None}


def parse_action(action: Mapping[str, Any]) -> dict[str, Any]:
    """Check a page's action against its model: the typed action, or a UserError naming
    the field (the same rules the API answers 422 with)."""
    try:
        model = _ADAPTER.validate_python(action)
    except ValidationError as error:
        field, message = first_problem(error.errors(), tag=action.get("type"))
        said = message if message.startswith(field) else f"{field}: {message}"
        raise UserError(said[:1].upper() + said[1:], field=field) from None
    return action_params(model)
