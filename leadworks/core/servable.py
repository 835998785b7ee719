"""Only what can be served is stored: every JSON value is written as it will be read.

A value that the database accepts but a response cannot carry (a lone surrogate, which no
UTF-8 page or JSON body can encode; NaN or Infinity, which JSON does not have) would be
stored first and break every later page that shows it. So the engine serialises each JSON
column with ``servable_json`` (``make_engine`` passes it as ``json_serializer``): the
flush fails, the transaction rolls back and nothing is kept. The same check serves the
answers a service builds before it commits (``check_servable``).
"""

from __future__ import annotations

import json
from typing import Any

from leadworks.core.errors import UserError


class Unservable(UserError):
    """A value no page or JSON answer could carry; refused before anything is stored."""

    status_code = 422


def servable_json(value: Any) -> str:
    """``value`` as JSON text that encodes to UTF-8, or ``Unservable`` saying why not."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    except ValueError as exc:  # NaN or Infinity; a circular structure
        raise Unservable(f"A number cannot be stored or shown: {exc}.") from None
    except TypeError as exc:
        raise Unservable(f"A value cannot be stored or shown: {exc}.") from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise Unservable(
            f"The text holds a character that is not valid Unicode (a lone surrogate "
            f"{text[exc.start : exc.end]!a}): remove it and try again."
        ) from None
    return text


def check_servable(value: Any) -> None:
    """Refuse an answer that could not be sent (built before the transaction commits)."""
    servable_json(value)


def unservable_cause(error: BaseException) -> Unservable | None:
    """The ``Unservable`` behind a database error raised while binding a JSON value."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, Unservable):
            return seen
        seen = getattr(seen, "orig", None) or seen.__cause__
    return None
