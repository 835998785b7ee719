"""Message signals: the grader's text analysis, as the response model reads it.

The world does not judge text itself: ``grader.outreach.analyse(submission, context)``
does, so the feedback a learner gets and the replies the world sends agree. Signals are
stored in the ``message_sent`` event, so replaying a log never re-analyses (a later grader
release cannot change what already happened). Analyses are cached per distinct rendered
message and prospect.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

FLOAT_FIELDS = (
    "personalization",
    "relevance",
    "value",
    "cta",
    "length_fit",
    "readability",
    "spamminess",
    "prospect_focus",
)
BOOL_FIELDS = ("has_opt_out", "has_postal_address", "unfilled_merge_field", "wrong_name")
#: Meaning flags from the grader's rubric 2 (tone, honesty, coherence failed outright).
#: Events recorded before them lack them: they read as False, so old logs replay the same.
MEANING_FIELDS = ("hostile", "deceptive", "claims_history", "incoherent")
#: The grader's channel-fit share (a call opener's permission, reason and open question).
#: Events recorded before it lack it: it reads as None, and the call model then falls back
#: to the message's other signals.
OPTIONAL_FLOATS = ("channel_fit",)


@dataclass(frozen=True, slots=True)
class Signals:
    """Floats in 0..1 plus compliance flags (the grader's MessageSignals, as plain data)."""

    personalization: float
    relevance: float
    value: float
    cta: float
    length_fit: float
    readability: float
    spamminess: float
    prospect_focus: float
    has_opt_out: bool
    has_postal_address: bool
    unfilled_merge_field: bool
    wrong_name: bool
    hostile: bool = False
    deceptive: bool = False
    claims_history: bool = False
    incoherent: bool = False
    channel_fit: float | None = None

    def offends(self, step: int = 0) -> bool:
        """The reader is insulted, pressured or misled (the grader's tone or honesty); an
        invented earlier exchange misleads only on a first touch (step 0)."""
        return self.hostile or self.deceptive or (self.claims_history and step == 0)

    def to_dict(self) -> dict[str, Any]:
        """Stored in the event; meaning flags only when raised, so a clean message's event
        (and every log recorded before the flags existed) is byte for byte as before."""
        out = {name: getattr(self, name) for name in FLOAT_FIELDS + BOOL_FIELDS}
        out.update({name: True for name in MEANING_FIELDS if getattr(self, name)})
        out.update({n: getattr(self, n) for n in OPTIONAL_FLOATS if getattr(self, n) is not None})
        return out

    @classmethod
    def from_stored(cls, stored: Mapping[str, Any]) -> Signals:
        """From an event's ``signals`` (already clamped and rounded when it was recorded)."""
        try:
            return cls(**stored)
        except TypeError:
            return cls.from_any(stored)

    @classmethod
    def from_any(cls, source: Any) -> Signals:
        """From the grader's dataclass, a mapping (a stored event) or any object alike.

        Floats are rounded to 4 places so that the stored event and the draws agree.
        """

        def get(name: str) -> Any:
            return source[name] if isinstance(source, Mapping) else getattr(source, name)

        values: dict[str, Any] = {
            n: round(min(max(float(get(n)), 0.0), 1.0), 4) for n in FLOAT_FIELDS
        }
        values.update({n: bool(get(n)) for n in BOOL_FIELDS})
        for n in MEANING_FIELDS:
            present = n in source if isinstance(source, Mapping) else hasattr(source, n)
            values[n] = bool(get(n)) if present else False
        for n in OPTIONAL_FLOATS:
            present = n in source if isinstance(source, Mapping) else hasattr(source, n)
            value = get(n) if present else None
            values[n] = None if value is None else round(min(max(float(value), 0.0), 1.0), 4)
        return cls(**values)


Analyser = Callable[[dict[str, Any], dict[str, Any]], Any]


def default_analyser() -> Analyser:
    """``grader.outreach.analyse``, imported on first use (replays never need it)."""
    from grader.outreach import analyse

    return analyse


class SignalCache:
    """Analyses each distinct (message, prospect) once.

    ``per_template=True`` (calibration and tests only) analyses the first rendering of each
    template and reuses it for every contact: roughly 1,000x fewer analyses, and close
    because a template scores much the same for everyone it is rendered for.
    """

    def __init__(self, analyser: Analyser | None = None, *, per_template: bool = False) -> None:
        self._analyser = analyser
        self._per_template = per_template
        self._cache: dict[tuple[Any, ...], Signals] = {}

    def signals(
        self,
        submission: dict[str, Any],
        context: dict[str, Any],
        template: tuple[Any, ...] | None = None,
    ) -> Signals:
        prospect = context.get("prospect", {})
        if self._per_template and template is not None:
            key: tuple[Any, ...] = ("template", *template)
        else:
            key = (
                submission.get("channel"),
                submission.get("subject"),
                submission.get("body"),
                tuple(sorted((k, repr(v)) for k, v in prospect.items())),
            )
        found = self._cache.get(key)
        if found is None:
            if self._analyser is None:
                self._analyser = default_analyser()
            found = Signals.from_any(self._analyser(submission, context))
            self._cache[key] = found
        return found
