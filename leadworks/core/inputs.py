"""The types every route parameter and form field is declared with.

One validation layer: an id is a positive integer that fits every database's integer
column, and text is bounded and free of what databases and encoders refuse (NUL bytes,
lone surrogates). A value outside these bounds is a clear 4xx naming the field, never a
500 from deep inside the database driver, and never a half-written record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from fastapi import Path
from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

MAX_ID = 2_147_483_647  # PostgreSQL's INTEGER; SQLite takes more, but ids must mean the same


def clean_text(value: str) -> str:
    """Refuse NUL bytes (PostgreSQL rejects them) and lone surrogates (no encoder accepts
    them, so they would be stored and then break every page that shows them)."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text (it holds a lone surrogate)") from None
    return value


def _blank_is_none(value: object) -> object:
    """An empty form field means 'not given' (HTML sends "" for an empty input)."""
    return None if isinstance(value, str) and not value.strip() else value


Clean = AfterValidator(clean_text)
"""Add to any other bounded string, after its bound (so a huge text is refused by its length
before it is scanned): ``Annotated[str, StringConstraints(max_length=60), Clean]``."""
Key = Annotated[str, StringConstraints(max_length=100), Clean]
"""Identifiers and keys: idempotency keys, contact ids, choices from a list."""
Line = Annotated[str, StringConstraints(max_length=500), Clean]
"""One line of text: a name, a subject, a search, a return address."""
Passage = Annotated[str, StringConstraints(max_length=20_000), Clean]
"""Free text: a message body, notes, a comment (domains check their own tighter limits)."""

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
OptionalId = Annotated[Id | None, BeforeValidator(_blank_is_none)]
Count = Annotated[int, Field(ge=0, le=MAX_ID)]
OptionalCount = Annotated[Count | None, BeforeValidator(_blank_is_none)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
PathKey = Annotated[str, Path(max_length=100), Clean]
"""A text key in the address: an exercise, a lesson, a contact."""
Finite = Annotated[float, Field(allow_inf_nan=False, ge=-1e12, le=1e12)]
"""A number a person typed: no NaN or Infinity (Python's JSON parser accepts both)."""


def parse_id(raw: str) -> int | None:
    """An id typed into a text field or address ("12"), or None when it is not one
    (``"²".isdigit()`` is true, so ``isdigit`` alone is not enough)."""
    if raw.isascii() and raw.isdigit() and len(raw) <= 10 and 1 <= int(raw) <= MAX_ID:
        return int(raw)
    return None


_LOCATIONS = frozenset({"body", "query", "path", "header", "cookie"})
_TAG_ERRORS = frozenset({"union_tag_invalid", "union_tag_not_found"})


def field_name(error: Mapping[str, Any], *, tag: object = None) -> str:
    """The field a validation error is about, as a person names it: ``days``,
    ``contact_ids[3]``, ``signals.tone``. The location (``body``, ``query``...) and the
    tag of a discriminated union (``send_message``) are left out; a missing or unknown tag
    is about the discriminator itself (``type``)."""
    loc = list(error.get("loc", ()))
    if loc and loc[0] in _LOCATIONS:
        loc = loc[1:]
    if error.get("type") in _TAG_ERRORS:
        discriminator = str(error.get("ctx", {}).get("discriminator", "type")).strip("'\"")
        loc.append(discriminator)
    elif loc and tag is not None and loc[0] == tag:
        loc = loc[1:]
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        elif "[" not in str(part):  # a union member's label (``list[str]``) names no field
            name += f".{part}" if name else str(part)
    return name or "body"


def first_problem(errors: Sequence[Mapping[str, Any]], *, tag: object = None) -> tuple[str, str]:
    """(field, message) of the first validation error."""
    error = errors[0] if errors else {}
    return field_name(error, tag=tag), str(error.get("msg", "is not valid"))
