"""Our daylight-saving rules agree with the system tz database wherever it exists."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from simulator.timezones import ZONES, local_hour_and_weekday, utc_offset_minutes

START_2025 = 1735689600  # 2025-01-01T00:00:00Z


@pytest.mark.parametrize("zone", sorted(ZONES))
def test_offsets_match_zoneinfo_for_two_years(zone: str) -> None:
    zoneinfo = pytest.importorskip("zoneinfo")
    try:
        tz = zoneinfo.ZoneInfo(zone)
    except zoneinfo.ZoneInfoNotFoundError:
        pytest.skip("no tz database on this machine")
    for at in range(START_2025, START_2025 + 2 * 366 * 86400, 1800):
        offset = datetime.fromtimestamp(at, UTC).astimezone(tz).utcoffset()
        assert offset is not None
        assert utc_offset_minutes(zone, at) == offset.total_seconds() // 60, (zone, at)


def test_local_hour_and_weekday() -> None:
    at = int(datetime(2025, 3, 5, 15, 30, tzinfo=UTC).timestamp())  # a Wednesday
    assert local_hour_and_weekday("America/New_York", at) == (10, 30, 2)
    assert local_hour_and_weekday("Australia/Sydney", at) == (2, 30, 3)
    with pytest.raises(ValueError, match="unsupported"):
        utc_offset_minutes("Mars/Olympus", at)
