"""The OpenAPI document says what the API really answers, errors included.

Every refusal has one JSON shape (``ErrorOut``): ``detail`` is a sentence for a person,
``field`` names the field at fault when there is one, and a validation error (422) also
lists each problem in ``errors``. FastAPI documents its own 422 shape (``detail`` as an
array), which this app never sends; here each operation documents the statuses it can
give (400, 401, 403, 404, 409, 413, 422, and 429 for the token) with the shape actually
sent. HTML page routes are not in the document at all (``core.csrf.page_router``).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, Field


class Problem(BaseModel):
    field: str = Field(description="The field at fault: `days`, `contact_ids[3]`, `body`.")
    message: str


class ErrorOut(BaseModel):
    """Every error response's body."""

    detail: str = Field(description="What was wrong, in a sentence meant for a person.")
    field: str | None = Field(default=None, description="The field at fault, if one is.")
    errors: list[Problem] | None = Field(
        default=None, description="Validation errors (422): each problem with its field."
    )


ERRORS: dict[int, str] = {
    400: "The request was refused: `detail` says why, `field` names the field at fault.",
    401: "No valid bearer token (or session).",
    403: "Not allowed for this account, or its password must be changed first.",
    404: "No such record, or not one this account may see.",
    409: (
        "The run moved on since it was read, was handed in, or the request raced another; "
        "or a stored run cannot be rebuilt (recorded by an earlier version of the engine)."
    ),
    413: "The request body is larger than the server accepts (`max_request_bytes`).",
    422: "A parameter or field has the wrong type or is out of bounds; `errors` lists each.",
    429: "Too many failed attempts; retry after the `Retry-After` header's seconds.",
    503: "The database does not answer.",
}
_UNUSED = ("HTTPValidationError", "ValidationError")


def statuses(path: str, method: str) -> list[int]:
    """The error statuses an operation can answer."""
    if path == "/healthz":
        return [503]
    found = [400, 401, 403, 404, 413, 422]
    if method != "get" or "/runs/{" in path:  # a run's reads: one that cannot be rebuilt
        found.append(409)
    if path.endswith("/auth/token"):
        found.append(429)
    return sorted(found)


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Put ``ErrorOut`` on every operation's error statuses, in place of FastAPI's 422."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for model in (Problem, ErrorOut):
        definition = model.model_json_schema(ref_template="#/components/schemas/{model}")
        definition.pop("$defs", None)
        components[model.__name__] = definition
    ref = {"$ref": "#/components/schemas/ErrorOut"}
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in statuses(path, method):
                responses[str(status)] = {
                    "description": ERRORS[status],
                    "content": {"application/json": {"schema": ref}},
                }
    for name in _UNUSED:
        components.pop(name, None)
    return schema


def install_openapi(app: FastAPI) -> None:
    """Serve the document with the error statuses described (built once, then cached)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_errors(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
