"""Small formatting helpers the counsel templates share (passed in, not global filters).

Kept out of the shared Jinja environment on purpose: other domains own that, and these
only make sense next to scores and activity dates.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from leadworks.core.timeutil import utcnow


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """'today', '3 days ago', 'never': how a counselor thinks about activity."""
    if moment is None:
        return "never"
    days = ((now or utcnow()) - moment).days
    if days <= 0:
        return "today"
    return "yesterday" if days == 1 else f"{days} days ago"


def band(percent: float | None) -> str:
    """A CSS class for a score: good (80+), fair (50+), low, or none."""
    if percent is None:
        return "score-none"
    return "score-good" if percent >= 80 else "score-fair" if percent >= 50 else "score-low"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def points(value: float) -> str:
    return f"{value:g}"


HELPERS: dict[str, Any] = {"ago": ago, "band": band, "pct": pct, "points": points}
