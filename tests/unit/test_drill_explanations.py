"""The drill grade page's per-item explanations read any key that has `why` per row."""

from __future__ import annotations

from course.drill_specs import DRILLS_DIR, parse_drill
from grader import KINDS
from leadworks.drills.present import explanations


def test_a_list_of_acceptable_answers_is_shown_as_words() -> None:
    spec = parse_drill(DRILLS_DIR / "offline-channel-choice.yaml", KINDS)
    shown = {e["id"]: e for e in explanations(spec, {"rows": {"o07": {"choice": "phone"}}})}
    assert shown["o07"]["expected"] == "referrals or events"
    assert shown["o07"]["yours"] == "phone" and shown["o01"]["expected"] == "walk-ins"
