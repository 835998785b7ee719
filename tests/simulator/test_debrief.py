"""The debrief opens after submission and explains each prospect in words."""

from __future__ import annotations

import pytest

from simulator import ActionRefused, open_exercise
from simulator.debrief import debrief


def test_debrief_only_after_submission_with_reasons_and_truth() -> None:
    sb = open_exercise("pipeline-report-salons", seed=4)
    with pytest.raises(ValueError, match="after submission"):
        debrief(sb)
    sb.submit({"figures": {}, "analysis": "..."})
    entries = debrief(sb)
    assert entries and all(e["touches"] or e["truth"] for e in entries)
    touched = next(e for e in entries if e["touches"])
    first = touched["touches"][0]
    assert 0 <= first["p_reply"] <= 0.95 and first["reasons"]
    assert set(touched["truth"]) >= {"fits_icp", "need", "right_decision"}


def test_apply_is_the_json_entry_point() -> None:
    sb = open_exercise("cold-email-dental", seed=1)
    contact = sb.world.contacts[0].id
    out = sb.apply({"type": "view_profile", "contact_id": contact})
    assert out["result"]["id"] == contact and out["events"][0]["type"] == "view_profile"
    with pytest.raises(ActionRefused) as info:
        sb.apply({"type": "view_profile", "contact": contact})
    assert info.value.field == "type"
    moved = sb.apply({"type": "advance_clock", "until": "next_event"})
    assert moved["events"][0]["type"] == "advance_clock"
