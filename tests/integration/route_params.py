"""The integer parameters of every route, read from the app itself (``app.routes``).

Used by the bounds test: whatever route is added later, its integer path, query and form
fields are probed without anyone listing them.
"""

from __future__ import annotations

import types
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

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


def _model(annotation: Any) -> type[BaseModel] | None:
    if get_origin(annotation) is Annotated:
        return _model(get_args(annotation)[0])
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


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


def int_params(app: FastAPI) -> list[IntParam]:
    """Every integer parameter of every route and method the app serves."""
    found: list[IntParam] = []
    for route in iter_route_contexts(app.routes):
        if not isinstance(route.original_route, APIRoute):
            continue
        flat = _flat(route.dependant)
        path_names = tuple(p.alias for p in flat.path_params)
        for method in sorted(route.methods or ()):
            if method == "HEAD":
                continue

            def add(where: str, name: str) -> None:
                found.append(IntParam(route.path, method, where, name, path_names))  # noqa: B023

            for param in flat.path_params:
                if _is_int(param.field_info.annotation):
                    add("path", param.alias)
            for param in flat.query_params:
                if _is_int(param.field_info.annotation):
                    add("query", param.alias)
            form = (
                route.body_field is not None
                and "Form" in type(route.body_field.field_info).__name__
            )
            for param in flat.body_params:
                where = "form" if form or "Form" in type(param.field_info).__name__ else "json"
                model = _model(param.field_info.annotation)
                if model is not None:
                    for name, info in model.model_fields.items():
                        if _is_int(info.annotation):
                            add(where, info.alias or name)
                elif _is_int(param.field_info.annotation):
                    add(where, param.alias)
    return found
