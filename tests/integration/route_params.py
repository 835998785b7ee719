"""The integer parameters of every route, read from the app itself (``app.routes``).

Used by the bounds test: whatever route is added later, its integer path, query and form
fields are probed without anyone listing them.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel


@dataclass(frozen=True)
class IntParam:
    path: str  # the route's path template, e.g. /sandbox/runs/{run_id}
    method: str
    where: str  # path, query, form or json
    name: str
    path_params: tuple[str, ...]
    tag: str | None = None  # a union member's ``type`` (sent along with the field)

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.where}:{self.name}"


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    origin = get_origin(annotation)
    if origin is Annotated:
        return _is_int(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return any(_is_int(arg) for arg in get_args(annotation))
    return False


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The request models a body annotation stands for (one, or a union's members)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _models(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [m for arg in get_args(annotation) for m in _models(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _tag(model: type[BaseModel]) -> str | None:
    """The ``type`` a member of a discriminated union is chosen by, if it is one."""
    field = model.model_fields.get("type")
    if field is not None and get_origin(field.annotation) is Literal:
        return str(get_args(field.annotation)[0])
    return None


def is_text(annotation: Any) -> bool:
    """A ``str`` (or optional, or list of) whose value a person chooses (not a Literal)."""
    if annotation is str:
        return True
    origin = get_origin(annotation)
    if origin is Annotated or origin is list:
        return is_text(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return any(is_text(arg) for arg in get_args(annotation))
    return False


def validators(annotation: Any, metadata: list[Any]) -> list[Any]:
    """Every function validator attached to a field, at any depth of its annotation."""
    found = [getattr(m, "func", None) for m in metadata]
    if get_origin(annotation) is Annotated:
        inner, *extra = get_args(annotation)
        found += validators(inner, list(extra))
    elif get_origin(annotation) in (Union, types.UnionType, list):
        for arg in get_args(annotation):
            found += validators(arg, [])
    return [f for f in found if f is not None]


def _flat(dependant: Dependant) -> Dependant:
    """The dependant with its sub-dependencies' parameters folded in."""
    flat = Dependant(
        path_params=list(dependant.path_params),
        query_params=list(dependant.query_params),
        body_params=list(dependant.body_params),
    )
    for sub in dependant.dependencies:
        inner = _flat(sub)
        flat.path_params += inner.path_params
        flat.query_params += inner.query_params
        flat.body_params += inner.body_params
    return flat


@dataclass(frozen=True)
class Field_:
    param: IntParam
    annotation: Any
    metadata: list[Any]


def fields(app: FastAPI) -> list[Field_]:
    """Every path, query, form and JSON field of every route and method the app serves
    (the fields of a body model, of each member of a body union, and of nested models)."""
    found: list[Field_] = []
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute):
            continue
        flat = _flat(route.dependant)
        path_names = tuple(p.alias for p in flat.path_params)
        form = route.body_field is not None and "Form" in type(route.body_field.field_info).__name__
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue

            def add(where: str, name: str, info: Any, tag: str | None = None) -> None:
                param = IntParam(route.path, method, where, name, path_names, tag)  # noqa: B023
                found.append(Field_(param, info.annotation, list(info.metadata)))

            def add_model(where: str, model: type[BaseModel], prefix: str = "") -> None:
                tag = _tag(model)
                for name, info in model.model_fields.items():
                    nested = _models(info.annotation)
                    for inner in nested:
                        add_model(where, inner, f"{prefix}{info.alias or name}.")
                    if not nested:
                        add(where, prefix + (info.alias or name), info, tag)

            for param in flat.path_params:
                add("path", param.alias, param.field_info)
            for param in flat.query_params:
                add("query", param.alias, param.field_info)
            for param in flat.body_params:
                where = "form" if form or "Form" in type(param.field_info).__name__ else "json"
                models = _models(param.field_info.annotation)
                for model in models:
                    add_model(where, model)
                if not models:
                    add(where, param.alias, param.field_info)
    return found


def int_params(app: FastAPI) -> list[IntParam]:
    """Every integer parameter of every route and method the app serves."""
    found = [f.param for f in fields(app) if _is_int(f.annotation) and "." not in f.param.name]
    return list(dict.fromkeys(found))
