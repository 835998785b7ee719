"""Wall-clock time for the platform (not the simulation's clock, which lives in world/)."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC: SQLModel's datetime columns refuse naive values, on both databases."""
    return datetime.now(UTC)
